"""A household file committed by hand with a YAML syntax error: a command naming one of its people
(or the household) points at the broken line, as validate says it, not "no record with id"."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from conftest import AUTHOR_ENV, write

REL = "households/110105001001001/H000001.yaml"


def _commit_broken(repo: Path, old: str, new: str) -> None:
    text = (repo / REL).read_text("utf-8")
    assert old in text
    write(repo, REL, text.replace(old, new, 1))
    r = git.Repo(repo)
    r.git.add(A=True)
    r.index.commit("手工修改")


@pytest.mark.parametrize(
    "args",
    [
        ("edit", "P0000001", "--set", "name=张伟明"),
        ("show", "P0000001"),
        ("edit", "H000001", "--set", "housing=租住"),
        ("show", "H000001"),
    ],
)
def test_a_person_in_a_household_file_with_a_syntax_error_is_told_where_the_file_broke(
    cli, repo: Path, args: tuple[str, ...]
) -> None:
    _commit_broken(repo, "    gender: 男\n", "    gender: [男\n")  # an unclosed [: the next line breaks it
    head = git.Repo(repo).head.commit.hexsha
    checked = cli("-C", str(repo), "--lang", "en", "validate", env=AUTHOR_ENV)
    where = next(ln for ln in checked.output.splitlines() if ln.startswith(f"{REL}:") and "error[GC001]" in ln)
    for lang, fix in (("en", "fix this file first"), ("zh", "先改正这个文件")):
        result = cli("-C", str(repo), "--lang", lang, *args, env=AUTHOR_ENV)
        assert result.exit_code == 2, result.output
        assert "no record with id" not in result.output and "没有编号为" not in result.output, result.output
        assert args[1] in result.output and REL in result.output, result.output
        said = where.split(": ", 1)[0] if lang == "zh" else where  # file:line:column, and in English the problem
        assert said in result.output and fix in result.output, (lang, result.output)
    assert git.Repo(repo).head.commit.hexsha == head and not git.Repo(repo).is_dirty()


def test_a_person_in_a_household_file_failing_its_schema_is_told_the_files_error(cli, repo: Path) -> None:
    """`membrs:` (GC101): the household is known but unread, its people were "no record"."""
    _commit_broken(repo, "members:\n", "membrs:\n")
    result = cli("-C", str(repo), "--lang", "en", "edit", "P0000001", "--set", "name=张伟明", env=AUTHOR_ENV)
    assert result.exit_code == 2, result.output
    assert "no record with id" not in result.output, result.output
    assert f"{REL}:7:1: error[GC101]" in result.output and "membrs" in result.output, result.output


def test_an_id_only_named_in_a_broken_file_is_still_no_record(cli, repo: Path) -> None:
    """A reference to P0000009 in a broken file is not P0000009's record."""
    _commit_broken(repo, "    gender: 男\n", "    gender: [男\n    note: 见 P0000009\n")
    result = cli("-C", str(repo), "--lang", "en", "show", "P0000009", env=AUTHOR_ENV)
    assert result.exit_code == 2 and "no record with id P0000009" in result.output, result.output
