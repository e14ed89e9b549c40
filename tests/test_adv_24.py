"""Adversary's findings on names read from the kept rows, and on values a write quotes."""

from __future__ import annotations

from pathlib import Path

import git

from conftest import household, id_number, write


def _commit(repo: Path, message: str) -> str:
    r = git.Repo(repo)
    r.git.add(A=True)
    r.git.commit("-qm", message)
    return r.head.commit.hexsha


def test_each_household_of_a_repeated_id_answers_to_its_own_head(repo: Path, cli) -> None:
    """Two files hold household H000001 (张伟户 and 李四户). Each name finds the id, and the
    clerk is told that the id is used twice (GC201): the heads were read from the people's rows
    by household id, so one of the two names said there was no such record at all."""
    other = household("H000001", "P0000002", id_number(seq="456")).replace("张伟", "李四")
    write(repo, "households/110105001001001/H000001-copy.yaml", other)
    _commit(repo, "重复的户")
    for name in ("张伟户", "李四户"):
        result = cli("-C", str(repo), "--lang", "zh", "show", name)
        assert result.exit_code == 2 and "编号 H000001 被 2 条记录使用" in result.output, (name, result.output)
