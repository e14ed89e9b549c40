"""`--as-of DATE|REV`: which commit a read command looks at."""

from __future__ import annotations

from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.clock import Clock, day, git_time
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
    so a day still to come means the latest commit.

    The day ends at midnight in the ledger's zone (`clock`), whatever zone the computer is in; the
    day is written any way a clerk writes one (gridctl.ledger.clock.day).
    """
    from gridctl.ledger.tools import gitpython

    git = gitpython()
    clock = clock or ledger_clock(root)

    try:
        repo = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GridctlError(
            Text(
                f"{root} 不是 git 仓库: 按日期或版本读取需要历史",
                f"{root} is not a git repository: --as-of needs history",
            )
        ) from None
    try:
        given = day(when)
        if given is not None:
            sha = repo.git.rev_list("-1", f"--before={git_time(clock.end(given))}", "HEAD")
            if not sha:
                first = repo.git.log("--reverse", "--format=%cI", "HEAD").splitlines()[:1]
                since = clock.day_of(first[0]) if first else None
                raise GridctlError(
                    Text(
                        f"{when} 之前没有提交" + (f" (第一次提交是 {since})" if since else ""),
                        f"no commit on or before {when}" + (f" (the first commit is from {since})" if since else ""),
                    )
                )
            return sha
        return repo.git.rev_parse("--verify", "-q", f"{when}^{{commit}}")
    except git.GitCommandError as exc:
        said = str(exc.stderr or "").strip().removeprefix("stderr:").strip().strip("'")
        if is_dubious(said):
            raise git_failed("git rev-parse", said) from None
        raise GridctlError(
            Text(f"没有这个版本: {when}", f"no such revision: {when}"),
            hint=Text(
                "写日期 (如 2026-11-01、2026年11月1日)、标签或提交编号",
                "a date (2026-11-01, 2026年11月1日 …), a tag or a commit id",
            ),
        ) from None


def is_shallow(root: Path) -> bool:
    from gridctl.ledger.tools import gitpython

    git = gitpython()

    return git.Repo(root).git.rev_parse("--is-shallow-repository") == "true"
