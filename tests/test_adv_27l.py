"""Attacks on GC017 (misnamed record files), unseen ids, full-width punctuation and status's hours
deadlines: each test here failed before its fix."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from conftest import AUTHOR_ENV, household, id_number, write

FOLDER = "households/110105001001001"


@pytest.mark.parametrize("walk", ["1", "0"])
def test_a_misnamed_record_file_git_ignores_is_named_however_the_files_are_listed(cli, repo: Path, walk: str) -> None:
    """An ignored H000002.yaml.txt was GC017 when the files were walked and silence when git listed them
    (a large ledger): git's ignored files are read like any other, a misnamed one is lost like any other."""
    write(repo, ".gitignore", "*.yaml.txt\n")
    write(repo, f"{FOLDER}/H000002.yaml.txt", household("H000002", "P0000002", id_number(seq="222")))
    result = cli("-C", str(repo), "--lang", "en", "validate", env={**AUTHOR_ENV, "GRIDCTL_WALK": walk})
    assert result.exit_code == 1, result.output
    assert f"{FOLDER}/H000002.yaml.txt:1:1: error[GC017]" in result.output, result.output


def test_add_never_gives_the_id_of_a_household_in_a_misnamed_file(cli, repo: Path) -> None:
    """H000002.yaml.txt committed (its household unread, GC017): add gave a new household H000002 and
    its resident P0000002, so renaming the file as told put each id in the ledger twice."""
    write(repo, f"{FOLDER}/H000002.yaml.txt", household("H000002", "P0000002", id_number(seq="222")))
    r = git.Repo(repo)
    r.git.add(A=True)
    r.index.commit("户 H000002")
    fields = ["grid=110105001001001", "address.estate=阳光小区", "address.building=3", "address.unit=2",
              "address.room=502", "housing=自有"]  # fmt: skip
    args = [a for f in fields for a in ("--set", f)]
    result = cli("-C", str(repo), "--lang", "en", "add", "household", *args, env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    assert not (repo / FOLDER / "H000002.yaml").exists(), result.output
    assert (repo / FOLDER / "H000003.yaml").exists(), result.output


def test_full_width_punctuation_in_a_block_of_text_is_not_named_for_an_error_elsewhere(cli, ledger: Path) -> None:
    """A note typed in Chinese starts its paragraph with 　　 and holds Tel：123; the file broke on another
    line (an unclosed [): validate named the note's full-width space as the error, on the wrong line."""
    rel = f"{FOLDER}/H000001.yaml"
    text = (ledger / rel).read_text("utf-8")
    note = "note: |\n  \u3000\u3000今天入户，户主说：好。\n  Tel：123\n"
    text = text.replace("housing: 自有\n", f"housing: [自有\n{note}")
    write(ledger, rel, text)
    result = cli("-C", str(ledger), "--lang", "en", "check-files", str(ledger / rel))
    assert result.exit_code == 1, result.output
    assert "full-width" not in result.output and f"{rel}:8:" not in result.output, result.output
    assert f"{rel}:9:" not in result.output, result.output
    write(ledger, rel, text.replace("housing: [自有", "housing: 自有").replace("    name: 张伟", "    name：张伟"))
    result = cli("-C", str(ledger), "--lang", "en", "check-files", str(ledger / rel))  # a real one still is
    assert result.exit_code == 1 and "full-width colon" in result.output, result.output


def test_show_of_an_id_whose_file_holds_another_readable_record_does_not_call_it_unreadable(cli, repo: Path) -> None:
    """H000001's file renamed H000002.yaml (it reads, validate finds nothing): show H000002 said the file
    "holds no record gridctl can read" and sent the clerk to validate, which said there was no problem."""
    (repo / FOLDER / "H000001.yaml").rename(repo / FOLDER / "H000002.yaml")
    result = cli("-C", str(repo), "--lang", "en", "show", "H000002", env=AUTHOR_ENV)
    assert result.exit_code == 2, result.output
    assert "no record gridctl can read" not in result.output and "no record with id H000002" in result.output
