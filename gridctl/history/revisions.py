"""`--as-of DATE|REV`: which commit a read command looks at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.clock import DAY_HINT, Clock, git_time, why_not_a_day, with_time
from gridctl.ledger.gitrepo import git_failed, is_dubious


def ledger_clock(root: Path) -> Clock:
    """The ledger's clock without the environment: its zone (gridctl.yaml), the real time."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.profiles import zone_name

    try:
        return Clock.system(zone_name(WorkTree(root)))
    except ValueError:  # an unknown zone: validate reports it (GC014)
        return Clock.system()


def resolve(root: Path, when: str, clock: Clock | None = None) -> str:
    """A revision as a commit id: a date means the last commit on or before that day (HEAD's history),
    so a day still to come means the latest commit; a date with a time (`2026-05-01 09:30`), the
    last commit up to that minute.

    The day ends at midnight in the ledger's zone (`clock`), whatever zone the computer is in; the
    day is written any way a clerk writes one (gridctl.ledger.clock.day). Plain git, no GitPython:
    importing it (and the `git version` it runs) was a tenth of `validate --changed-since`.
    """
    import os

    if not (root / ".git").exists() and not os.environ.get("GIT_DIR"):
        raise _not_a_repository(root)  # git would read the history of a repository around the ledger
    clock = clock or ledger_clock(root)
    last = _dated(when, clock)
    if last is not None:
        sha = _git(root, when, "rev-list", "-1", f"--before={git_time(last)}", "HEAD")
        if not sha:
            first = _git(root, when, "log", "--reverse", "--format=%cI", "HEAD").splitlines()[:1]
            since = clock.day_of(first[0]) if first else None
            raise GridctlError(
                Text(
                    f"{when} 之前没有提交" + (f" (第一次提交是 {since})" if since else ""),
                    f"no commit on or before {when}" + (f" (the first commit is from {since})" if since else ""),
                )
            )
        return sha
    meant = why_not_a_day(when, clock.today().year)  # said if git has no such revision either
    return _git(root, when, "rev-parse", "--verify", "-q", f"{when}^{{commit}}", meant=meant)


def moment(root: Path, when: str, clock: Clock | None = None) -> dt.datetime:
    """The moment `--as-of` names (aware): the end of a day, the end of a minute, or the time of
    the commit a revision names. Units are read as they were then: a town's --as-of names a day
    in each unit's history too, not only in its own."""
    clock = clock or ledger_clock(root)
    last = _dated(when, clock)
    if last is not None:
        return last
    sha = resolve(root, when, clock)
    return dt.datetime.fromisoformat(_git(root, when, "log", "-1", "--format=%cI", sha))


def _dated(when: str, clock: Clock) -> dt.datetime | None:
    """The last moment `when` names as a day (its end) or a day and a time (the end of that minute),
    aware, on the ledger's clock; None when it is neither (a revision)."""
    given = clock.day(when)
    if given is not None:
        return clock.end(given)
    if with_time(when):
        start = clock.parse(when, "--as-of").replace(tzinfo=clock.zone)  # (to the minute)
        second = _second(when)
        return start + dt.timedelta(seconds=59 if second is None else second)
    return None


def _second(when: str) -> int | None:
    """The second a time gives (`08:58:26` → 26), or None for a time to the minute: `--as-of` reads to
    the end of what it names (a commit at 08:58:40 is after `08:58:26`)."""
    import re
    import unicodedata

    m = re.search(r"\d{1,2}:\d{2}:(\d{2})(?!\d)", unicodedata.normalize("NFKC", when))
    return int(m.group(1)) if m and int(m.group(1)) < 60 else None


def _git(root: Path, when: str, *args: str, meant: Text | None = None) -> str:
    """git's answer, or the message a clerk can act on: no repository, no such revision (or what
    is wrong with the day `when` was meant to be), or git's own words."""
    import subprocess

    from gridctl.ledger.gitrepo import no_git
    from gridctl.ledger.tools import git_exe

    try:
        proc = subprocess.run([git_exe(), *args], cwd=root, capture_output=True)
    except OSError as exc:
        raise no_git(exc) from None
    if proc.returncode == 0:
        return proc.stdout.decode("utf-8", "replace").strip()
    said = proc.stderr.decode("utf-8", "replace").strip()
    if is_dubious(said):
        raise git_failed(f"git {args[0]}", said)
    if "not a git repository" in said:
        raise _not_a_repository(root)
    from gridctl.history.gitlog import require_history

    require_history(root)  # a ledger without a commit yet says so, whatever was asked of it
    if meant is not None:  # a day written wrong, not a revision git lacks
        raise GridctlError(meant, hint=DAY_HINT)
    raise GridctlError(
        Text(f"没有这个版本: {when}", f"no such revision: {when}"),
        hint=Text(
            "写日期 (如 2026-11-01、2026年11月1日)、日期和时刻 (2026-11-01 09:30)、标签或提交编号",
            "a date (2026-11-01, 2026年11月1日 …), a date and time (2026-11-01 09:30), a tag or a commit id",
        ),
    )


def _not_a_repository(root: Path) -> GridctlError:
    return GridctlError(
        Text(
            f"{root} 不是 git 仓库: 按日期或版本读取需要历史",
            f"{root} is not a git repository: --as-of needs history",
        )
    )
