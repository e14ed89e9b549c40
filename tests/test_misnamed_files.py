"""A record file saved with the wrong ending (Notepad's H000002.yaml.txt on a Windows that hides
extensions, H000002.YAML) is not read: validate and the pre-commit hook say so (GC017, an error),
whether the files are walked or listed by git, tracked or new. Before, its household left the
ledger with "没有发现问题" and exit 0."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_ENV, household, id_number, write

FOLDER = "households/110105001001001"


@pytest.mark.parametrize("walk", ["1", "0"])  # the files walked, or listed by git (a large ledger)
def test_a_household_saved_as_txt_or_upper_case_is_an_error_not_silence(cli, repo: Path, walk: str) -> None:
    write(repo, f"{FOLDER}/H000002.yaml.txt", household("H000002", "P0000002", id_number(seq="222")))
    write(repo, f"{FOLDER}/H000003.YAML", household("H000003", "P0000003", id_number(seq="333")))
    write(repo, f"{FOLDER}/notes.txt", "入户记录\n")  # other files are no record's: nothing said
    subprocess.run(["git", "add", f"{FOLDER}/H000003.YAML"], cwd=repo, check=True)  # one tracked, one new
    env = {**AUTHOR_ENV, "GRIDCTL_WALK": walk}
    result = cli("-C", str(repo), "--lang", "zh", "validate", env=env)
    assert result.exit_code == 1, result.output
    assert f"{FOLDER}/H000002.yaml.txt:1:1: error[GC017]" in result.output, result.output
    assert "改名为 H000002.yaml" in result.output and "改名为 H000003.yaml" in result.output
    assert "“.YAML”" in result.output and "notes.txt" not in result.output
    again = cli("-C", str(repo), "--lang", "zh", "validate", env=env)  # a kept result still says it
    assert again.exit_code == 1 and "GC017" in again.output


def test_the_pre_commit_hook_names_a_staged_misnamed_record(cli, repo: Path) -> None:
    write(repo, f"{FOLDER}/H000002.yaml.txt", household("H000002", "P0000002", id_number(seq="222")))
    result = cli("-C", str(repo), "--lang", "en", "check-files", str(repo / FOLDER / "H000002.yaml.txt"))
    assert result.exit_code == 1, result.output
    assert "error[GC017]" in result.output and "rename it H000002.yaml" in result.output


def test_show_of_a_record_whose_file_cannot_be_read_names_the_file(cli, repo: Path) -> None:
    """It said 没有编号为 H000002 的记录 of a household whose file was right there, saved as GBK."""
    (repo / FOLDER / "H000002.yaml").write_bytes(
        household("H000002", "P0000002", id_number(seq="222")).encode("gbk", errors="replace")
    )
    write(repo, f"{FOLDER}/H000003.yaml.txt", household("H000003", "P0000003", id_number(seq="333")))
    for rid, rel in (("H000002", "H000002.yaml"), ("H000003", "H000003.yaml.txt")):
        result = cli("-C", str(repo), "--lang", "zh", "show", rid, env=AUTHOR_ENV)
        assert result.exit_code == 2, result.output
        assert f"{rid} 的文件 {FOLDER}/{rel} 读不出记录" in result.output, result.output
    result = cli("-C", str(repo), "--lang", "zh", "show", "H000009", env=AUTHOR_ENV)
    assert result.exit_code == 2 and "没有编号为 H000009 的记录" in result.output


WARM_COLD = [
    ("validate",),
    ("validate", "--format", "json"),
    ("status",),
    ("status", "--format", "json"),
    ("due", "--format", "json"),
]


@pytest.mark.parametrize("walk", ["1", "0"])  # a warm run that walks the folder, or takes git's listing
def test_a_misnamed_file_coming_going_or_changing_is_seen_warm_as_cold(repo: Path, walk: str, monkeypatch) -> None:
    """Failed before: the misnamed files were added to validate's result after it was kept, and were
    not in the state it was kept by. After staff/S0009.yaml.txt came into a clean ledger, a warm status
    said 0 errors and a cold one 1; once it went, the warm one still said 1 error."""
    from warmcold import WARM, differences

    monkeypatch.setitem(WARM, "GRIDCTL_WALK", walk)
    staff = repo / "staff"
    assert differences(repo, WARM_COLD) == []  # the clean ledger's results kept
    stray = write(repo, "staff/S0009.yaml.txt", (staff / "S0002.yaml").read_text(encoding="utf-8"))
    assert differences(repo, WARM_COLD) == []  # came: GC017
    stray = stray.rename(staff / "S0002.yaml.txt")
    assert differences(repo, WARM_COLD) == []  # renamed: GC018 (S0002.yaml is taken), both hold S0002
    stray.write_text(stray.read_text(encoding="utf-8").replace("S0002", "S0003"), encoding="utf-8")
    assert differences(repo, WARM_COLD) == []  # changed: they hold different records now
    subprocess.run(["git", "add", "staff/S0002.yaml.txt"], cwd=repo, check=True)  # tracked: git lists it
    assert differences(repo, WARM_COLD) == []
    stray.rename(staff / "S0002.YAML")
    assert differences(repo, WARM_COLD) == []  # another ending
    (staff / "S0002.YAML").unlink()
    assert differences(repo, WARM_COLD) == []  # gone


def test_the_line_shown_under_a_misnamed_file_is_its_line_now(repo: Path) -> None:
    """Failed before: the finding names the file and its ending, not its content, and the report
    kept under it showed the first line the file had when it was kept (kind: staff) after the clerk
    put a comment above it (# 复印件); a cold validate showed the comment."""
    from warmcold import WARM, differences, run

    stray = write(repo, "staff/S0009.yaml.txt", (repo / "staff" / "S0002.yaml").read_text(encoding="utf-8"))
    assert differences(repo, [("validate",)]) == []
    stray.write_text("# 复印件\n" + stray.read_text(encoding="utf-8"), encoding="utf-8")
    assert differences(repo, [("validate",)]) == []
    assert "1 | # 复印件" in run(repo, WARM, "validate")[1]


def test_a_ledger_that_switches_the_codes_off_is_not_told_them(cli, repo: Path) -> None:
    """disabled: [GC017, GC018] in gridctl.yaml switched every other code off but not these: added
    after the codes switched off were dropped, they still failed validate and the pre-commit hook."""
    write(repo, f"{FOLDER}/H000002.yaml.txt", household("H000002", "P0000002", id_number(seq="222")))
    write(repo, "gridctl.yaml", (repo / "gridctl.yaml").read_text(encoding="utf-8") + "disabled: [GC017, GC018]\n")
    for run in ("cold", "warm"):
        result = cli("-C", str(repo), "validate", env=AUTHOR_ENV)
        assert result.exit_code == 0 and "GC017" not in result.output, (run, result.output)
    files = cli("-C", str(repo), "check-files", str(repo / FOLDER / "H000002.yaml.txt"))
    assert files.exit_code == 0 and "GC017" not in files.output, files.output
