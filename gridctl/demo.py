"""`gridctl demo`: the bundled example community as a fresh git repository, validated."""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from gridctl.data import data_dir
from gridctl.errors import EMPTY_FOLDER, GridctlError
from gridctl.i18n import Text
from gridctl.validate import validate
from gridctl.validation import Validation


@dataclass
class Demo:
    root: Path
    validation: Validation
    counts: dict[str, int]
    residence: dict[str, int]
    commit: str


def create_demo(target: Path, example: str = "community") -> Demo:
    source = data_dir("examples") / example
    if not source.is_dir():
        raise GridctlError(Text(f"没有名为 {example} 的示例", f"no bundled example named {example}"))
    if target.exists() and any(target.iterdir()):
        raise GridctlError(Text(f"{target} 不是空文件夹", f"{target} is not empty"), hint=EMPTY_FOLDER)
    shutil.copytree(source, target, dirs_exist_ok=True)
    commit = _commit_all(target, f"示例台账：{example}")
    result = validate(target)
    counts, residence = summarise(target)
    return Demo(target, result, counts, residence, commit)


def _commit_all(root: Path, message: str) -> str:
    from gridctl.ledger.tools import gitpython

    git = gitpython()

    repo = git.Repo.init(root)
    repo.git.add(A=True)
    reader = repo.config_reader()
    name = reader.get_value("user", "name", "gridctl demo")
    email = reader.get_value("user", "email", "demo@gridctl.invalid")
    actor = git.Actor(str(name), str(email))
    commit = repo.index.commit(message, author=actor, committer=actor)
    return commit.hexsha[:10]


def summarise(root: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Records per kind (people counted inside households) and people by residence type."""
    from gridctl.ledger.index import load

    ledger, _ = load(root)
    if ledger is None:
        return {}, {}
    counts = Counter(e.kind for e in ledger.entries)
    residence = Counter(p.residence or "-" for p, _h, _s in ledger.people())
    return dict(counts), dict(residence)
