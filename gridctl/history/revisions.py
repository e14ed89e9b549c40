"""`--as-of DATE|REV`: which commit a read command looks at."""

from __future__ import annotations

import re
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.ledger.clock import Clock, git_time
from gridctl.ledger.gitrepo import git_failed, is_dubious

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def ledger_clock(root: Path) -> Clock:
    """The ledger's clock without the environment: its zone (gridctl.yaml), the real time."""
    from gridctl.ledger.config import zone_name
    from gridctl.ledger.files import WorkTree

    try:
        return Clock.system(zone_name(WorkTree(root)))
    except ValueError:  # an unknown zone: validate reports it (GC014)
        return Clock.system()


def resolve(root: Path, when: str, clock: Clock | None = None) -> str:
    """A revision as a commit id: a date means the last commit on or before that day (HEAD's history).

    The day ends at midnight in the ledger's zone (`clock`), whatever zone the computer is in.
    """
    from gridctl.ledger.tools import gitpython

    git = gitpython()
    clock = clock or ledger_clock(root)

    try:
        repo = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GridctlError(f"{root} is not a git repository: --as-of needs history") from None
    try:
        if _DATE.match(when):
            day = clock.parse(when, "--as-of").date()
            sha = repo.git.rev_list("-1", f"--before={git_time(clock.end(day))}", "HEAD")
            if not sha:
                first = repo.git.log("--reverse", "--format=%cI", "HEAD").splitlines()[:1]
                since = f" (the first commit is from {clock.day_of(first[0])})" if first else ""
                raise GridctlError(f"no commit on or before {when}{since} / {when} 之前没有提交")
            return sha
        return repo.git.rev_parse("--verify", "-q", f"{when}^{{commit}}")
    except git.GitCommandError as exc:
        said = str(exc.stderr or "").strip().removeprefix("stderr:").strip().strip("'")
        if is_dubious(said):
            raise git_failed("git rev-parse", said) from None
        raise GridctlError(
            f"no such revision: {when} / 没有这个版本", hint="a date YYYY-MM-DD, a tag or a commit id"
        ) from None


def is_shallow(root: Path) -> bool:
    from gridctl.ledger.tools import gitpython

    git = gitpython()

    return git.Repo(root).git.rev_parse("--is-shallow-repository") == "true"
