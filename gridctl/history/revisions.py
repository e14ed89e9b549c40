"""`--as-of DATE|REV`: which commit a read command looks at."""

from __future__ import annotations

import re
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.ledger.gitrepo import git_failed, is_dubious

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve(root: Path, when: str) -> str:
    """A revision as a commit id: a date means the last commit on or before that day (HEAD's history)."""
    from gridctl.ledger.tools import gitpython

    git = gitpython()

    try:
        repo = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GridctlError(f"{root} is not a git repository: --as-of needs history") from None
    try:
        if _DATE.match(when):
            sha = repo.git.rev_list("-1", f"--before={when} 23:59:59", "HEAD")
            if not sha:
                first = repo.git.log("--reverse", "--format=%cs", "HEAD").splitlines()[:1]
                since = f" (the first commit is from {first[0]})" if first else ""
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
