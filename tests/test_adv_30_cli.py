"""Attacks on the command line itself (options typed as git users type them, add person's extra
fields, the detached-HEAD hint, export's file name, English filing, import --as-of): each test here
failed before its fix."""

from __future__ import annotations

import os
from pathlib import Path

import git
import pytest

from conftest import AUTHOR_ENV


def head(root: Path) -> git.Commit:
    return git.Repo(root).head.commit


@pytest.mark.parametrize("reason", ["-m入户核实", "-m=入户核实", "--message=入户核实"])
def test_a_reason_attached_to_m_after_the_command_is_the_reason(cli, repo: Path, reason: str) -> None:
    """`gridctl edit H000001 --set … -m"入户核实"` was "No such option: -m" (exit 2), though the same
    -m"入户核实" before the command committed: after the command, as before it."""
    before = head(repo).hexsha
    result = cli("-C", str(repo), "edit", "H000001", "--set", "address.room=502", reason, env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    commit = head(repo)
    assert commit.parents[0].hexsha == before and commit.message.split("\n\n")[1] == "入户核实", commit.message


def test_a_reason_attached_to_m_before_the_command_has_no_equals_sign(cli, repo: Path) -> None:
    """-m=理由 before the command gave the commit the reason "=理由"; after it, it must not differ."""
    result = cli("-C", str(repo), "-m=入户核实", "edit", "H000001", "--set", "address.room=502", env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    assert head(repo).message.split("\n\n")[1] == "入户核实", head(repo).message


@pytest.mark.parametrize("form", ["-C{}", "-C={}", "--ledger={}"])
def test_a_folder_attached_to_c_after_the_command_is_the_ledger(cli, repo: Path, tmp_path: Path, form: str) -> None:
    """`gridctl status -CL` was "No such option: -C" while `gridctl -CL status` showed L's status."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    result = cli("status", form.format(repo), "--lang=en")
    assert result.exit_code == 0, result.output
    assert "households: 1" in result.output, result.output


PERSON = ["--set", "name=陈喆", "--set", "gender=女", "--set", "relation=女", "--set", "residence=户籍",
          "--set", "birth_date=1980-01-01"]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_add_person_takes_an_extra_field_as_edit_does(cli, repo: Path, lang: str) -> None:
    """`add person … --set extra.备注=常住女儿家` was refused ("a person's fields are flat"), while the hint
    for --set 备注 said "anything else as extra.NAME" and edit took extra.备注: the person is added with it."""
    result = cli(
        "-C", str(repo), "--lang", lang, "add", "person", "--household", "H000001", *PERSON,
        "--set", "extra.备注=常住女儿家", "--set", "extra.单位.名称=幸福里小学",
        env=AUTHOR_ENV,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (repo / "households/110105001001001/H000001.yaml").read_text("utf-8")
    assert "    extra:\n      备注: 常住女儿家\n      单位:\n        名称: 幸福里小学\n" in text, text
    shown = cli("-C", str(repo), "--lang", lang, "show", "陈喆", "--format", "json")
    assert shown.exit_code == 0 and "常住女儿家" in shown.output, shown.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_add_person_refuses_a_part_of_a_flat_field_and_says_what_is_taken(cli, repo: Path, lang: str) -> None:
    """A part of a field a person has only whole (name.x) is still refused, with extra.NAME named as the way."""
    before = head(repo).hexsha
    args = ("-C", str(repo), "--lang", lang, "add", "person", "--household", "H000001", *PERSON)
    result = cli(*args, "--set", "phones[1]=13912345678", env=AUTHOR_ENV)
    assert result.exit_code == 2, result.output
    assert "extra." in result.output, result.output
    assert head(repo).hexsha == before
