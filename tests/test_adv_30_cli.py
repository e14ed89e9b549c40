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


def _git(root: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def _follow(root: Path, hint: str) -> None:
    """Run the git command the hint names, as the clerk would copy it."""
    import re

    found = re.search(r"git switch (\S+)", hint)
    assert found, hint
    _git(root, "switch", found.group(1))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", [("add", "staff", "--set", "name=李强", "--set", "phone=13900139000"), ("sync",)])
def test_the_detached_head_hint_names_the_branch_head_left(
    cli, repo: Path, lang: str, command: tuple[str, ...]
) -> None:
    """In a detached HEAD on a ledger whose branch is master, a write and sync said `git switch main`, which
    git refuses (invalid reference: main): the hint names the branch HEAD left, and following it works."""
    _git(repo, "branch", "-M", "master")
    _git(repo, "branch", "old-plan")  # a second branch: "the only one" cannot be the answer
    _git(repo, "checkout", "-q", "--detach", "HEAD")
    before = _git(repo, "rev-parse", "HEAD")
    result = cli("-C", str(repo), "--lang", lang, *command, env=AUTHOR_ENV)
    assert result.exit_code == 2, result.output
    assert "git switch master" in result.output and "main" not in result.output, result.output
    assert _git(repo, "rev-parse", "HEAD") == before and not _git(repo, "status", "--porcelain")
    _follow(repo, result.output)
    assert _git(repo, "branch", "--show-current") == "master"


def _no_reflog(root: Path) -> None:
    """A detached HEAD with no reflog to say where it came from (core.logAllRefUpdates off, logs removed)."""
    import shutil

    _git(root, "branch", "-M", "master")
    _git(root, "config", "core.logAllRefUpdates", "false")
    _git(root, "checkout", "-q", "--detach", "HEAD")
    shutil.rmtree(root / ".git" / "logs")


def test_without_a_reflog_the_hint_names_the_only_branch(cli, repo: Path) -> None:
    """No reflog to say which branch HEAD left: the one local branch there is; not main, which this ledger
    does not have."""
    _no_reflog(repo)
    result = cli("-C", str(repo), "--lang", "en", "edit", "H000001", "--set", "address.room=502", env=AUTHOR_ENV)
    assert result.exit_code == 2 and "git switch master" in result.output, result.output
    _follow(repo, result.output)
    assert _git(repo, "branch", "--show-current") == "master"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_branches_and_no_reflog_the_hint_lists_them(cli, repo: Path, lang: str) -> None:
    """Two branches and nothing to tell them apart (`git switch -` needs a reflog too): the hint names the
    branches there are, never one that is not there."""
    _git(repo, "branch", "old-plan")
    _no_reflog(repo)
    result = cli("-C", str(repo), "--lang", lang, "edit", "H000001", "--set", "address.room=502", env=AUTHOR_ENV)
    assert result.exit_code == 2, result.output
    assert "git switch" in result.output and "master" in result.output and "old-plan" in result.output
    assert "main" not in result.output, result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("name", "given"),
    [("户.xls", ()), ("户", ()), ("户.xls", ("--format", "xlsx")), ("户.xlsx", ("--format", "csv")), ("户.et", ())],
)
def test_export_never_writes_a_workbook_under_a_name_that_says_otherwise(
    cli, repo: Path, tmp_path: Path, lang: str, name: str, given: tuple[str, ...]
) -> None:
    """`export -o 户.xls` (or `-o 户`) wrote xlsx bytes under that name: Excel warns the file is damaged or
    not what it says, and a name without .xlsx opens in nothing. The export is refused, naming the file and
    the name to give; nothing is written."""
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = cli("-C", str(repo), "--lang", lang, "export", "household", "-o", str(out), *given)
    assert result.exit_code == 2, result.output
    assert str(out) in result.output, result.output
    assert not list(out.parent.iterdir())


def test_export_to_a_name_that_says_what_it_holds_is_written(cli, repo: Path, tmp_path: Path) -> None:
    for name, given in (("户.XLSX", ()), ("户.txt", ("--format", "csv")), ("户", ("--format", "json"))):
        out = tmp_path / name
        result = cli("-C", str(repo), "--lang", "en", "export", "household", "-o", str(out), *given)
        assert result.exit_code == 0 and out.exists(), result.output


def test_filing_in_english_says_everything_in_english(cli, repo: Path, tmp_path: Path) -> None:
    """`--lang en filing -o f.html` said "since 首次提交, 网格 0 项、责任人 0 项、重点部位 0 项"."""
    import re

    out = tmp_path / "filing.html"
    result = cli("-C", str(repo), "--lang", "en", "filing", "-o", str(out), env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    assert re.search(r"[\u3000-\u9fff]", result.output) is None, result.output
    assert "since the first commit, grids " in result.output and "key sites" in result.output, result.output
    zh = cli("-C", str(repo), "--lang", "zh", "filing", "-o", str(out), env=AUTHOR_ENV)
    assert zh.exit_code == 0 and "自 首次提交 起变动 网格 " in zh.output, zh.output


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("dry", [("--dry-run",), ()])
def test_import_refuses_as_of_as_edit_does(cli, repo: Path, tmp_path: Path, lang: str, dry: tuple[str, ...]) -> None:
    """`import --dry-run --as-of REV` checked the register against the ledger as it is now and said nothing of
    REV (edit refuses --as-of): refused with edit's words, before anything is read or written."""
    sheet = tmp_path / "户.csv"
    assert cli("-C", str(repo), "export", "household", "-o", str(sheet), "--reveal").exit_code == 0
    text = sheet.read_text("utf-8-sig").replace("502", "503").replace("501", "503")
    sheet.write_text(text, "utf-8-sig")
    before = (head(repo).hexsha, _git(repo, "status", "--porcelain"))
    edit = cli("-C", str(repo), "--lang", lang, "--as-of", "HEAD", "edit", "H000001", "--set", "address.room=9")
    result = cli("-C", str(repo), "--lang", lang, "--as-of", "HEAD", "import", "household", str(sheet), *dry,
                 env=AUTHOR_ENV)  # fmt: skip
    assert result.exit_code == 2 and edit.exit_code == 2, result.output
    assert result.output == edit.output, (result.output, edit.output)
    assert (head(repo).hexsha, _git(repo, "status", "--porcelain")) == before
