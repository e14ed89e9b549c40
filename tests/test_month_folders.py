"""Dated records lie in the folder of their month (events/<yyyy>/<mm>/, inspections/…): an edit of
the date takes the file to its new month's folder, as a move takes a household's file to its grid's."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import AUTHOR_ENV

INSPECTION, EVENT = "I202603-0001", "E202603-0001"
INSPECTION_FILE, EVENT_FILE = f"inspections/2026/03/{INSPECTION}.yaml", f"events/2026/03/{EVENT}.yaml"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def changed(root: Path) -> list[str]:
    """The last commit's changes as git names them (R100 old new for a file moved unchanged)."""
    return git(root, "show", "--name-status", "--format=", "-M", "HEAD").split("\n")[0].split("\t")


# -- gridctl edit of the date --------------------------------------------------------------------


def test_an_inspection_dated_into_another_month_moves_to_that_months_folder(cli, demo: Path) -> None:
    """edit I… --set date=2026-02-27 left the file in inspections/2026/03/: the clerk who opened
    February's folder did not find it, the monthly report counted it in February."""
    result = cli("-C", str(demo), "--lang", "zh", "-m", "日期填错", "edit", INSPECTION, "--set", "date=2026-02-27",
                 env=AUTHOR_ENV)  # fmt: skip
    assert result.exit_code == 0, result.output
    new = f"inspections/2026/02/{INSPECTION}.yaml"
    assert f"修改检查记录 {INSPECTION}：检查日期（文件 inspections/2026/03 → inspections/2026/02）" in result.output
    assert changed(demo)[1:] == [INSPECTION_FILE, new] and changed(demo)[0].startswith("R")
    assert not (demo / INSPECTION_FILE).exists() and "date: 2026-02-27" in (demo / new).read_text(encoding="utf-8")
    assert git(demo, "status", "--porcelain") == ""
    assert cli("-C", str(demo), "validate", env=AUTHOR_ENV).exit_code == 0
    history = cli("-C", str(demo), "--lang", "en", "history", INSPECTION, env=AUTHOR_ENV)
    assert history.exit_code == 0 and f"file: {INSPECTION_FILE} → {new}" in history.output, history.output


def test_an_events_report_time_in_another_month_moves_its_file(cli, demo: Path) -> None:
    result = cli("-C", str(demo), "--lang", "en", "-m", "typo", "edit", EVENT, "--set", "reported.at=2026-02-27 09:00",
                 env=AUTHOR_ENV)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"edit event {EVENT}: reported (file events/2026/03 → events/2026/02)" in result.output
    assert (demo / f"events/2026/02/{EVENT}.yaml").is_file() and not (demo / EVENT_FILE).exists()


def test_a_time_with_an_offset_is_filed_by_its_day_in_the_ledgers_zone(cli, demo: Path) -> None:
    """23:30 UTC on 28 February is 07:30 on 1 March in Beijing: the month the report counts it in."""
    first = cli("-C", str(demo), "-m", "x", "edit", EVENT, "--set", "reported.at=2026-02-27 09:00", env=AUTHOR_ENV)
    assert first.exit_code == 0, first.output
    result = cli("-C", str(demo), "-m", "x", "edit", EVENT, "--set", "reported.at=2026-02-28T23:30+00:00",
                 env=AUTHOR_ENV)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (demo / EVENT_FILE).is_file() and not (demo / "events/2026/02" / f"{EVENT}.yaml").exists()
    assert cli("-C", str(demo), "validate", env=AUTHOR_ENV).exit_code == 0


def test_an_edit_within_the_month_or_of_another_field_leaves_the_file(cli, demo: Path) -> None:
    for change in ("date=2026-03-09", "checklist=社区日常巡查"):
        result = cli("-C", str(demo), "-m", "x", "edit", INSPECTION, "--set", change, env=AUTHOR_ENV)
        assert result.exit_code == 0, result.output
        assert "file " not in result.output and (demo / INSPECTION_FILE).is_file()
    title = cli("-C", str(demo), "-m", "x", "edit", EVENT, "--set", "reported.by=S0006", env=AUTHOR_ENV)
    assert title.exit_code == 0 and (demo / EVENT_FILE).is_file(), title.output


def test_a_date_edit_of_a_file_dragged_and_not_committed_says_what_happened(cli, demo: Path) -> None:
    """The edit starts from the committed file; a drag not committed was refused as an uncommitted
    change with `git checkout -- FILE` for undo, which would leave the record in two files."""
    dragged = f"inspections/2026/01/{INSPECTION}.yaml"
    (demo / dragged).parent.mkdir(parents=True)
    (demo / INSPECTION_FILE).rename(demo / dragged)
    before = head(demo)
    result = cli("-C", str(demo), "--lang", "zh", "-m", "x", "edit", INSPECTION, "--set", "date=2026-03-02",
                 env=AUTHOR_ENV)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"它被手工移到了 {dragged}，还没有提交" in result.output
    assert "先把文件移回 inspections/2026/03/ 文件夹，再运行这条命令" in result.output
    assert head(demo) == before and (demo / dragged).is_file()
    (demo / dragged).unlink()
    result = cli("-C", str(demo), "--lang", "en", "-m", "x", "edit", INSPECTION, "--set", "date=2026-02-02",
                 env=AUTHOR_ENV)  # fmt: skip
    assert result.exit_code == 2 and f"restore it: git checkout HEAD -- {INSPECTION_FILE}" in result.output
    assert head(demo) == before


def test_a_date_edit_in_a_file_of_several_records_asks_to_split_it(cli, demo: Path) -> None:
    other = "inspections/2026/03/I202603-0002.yaml"
    together = (demo / INSPECTION_FILE).read_text(encoding="utf-8") + "---\n" + (demo / other).read_text("utf-8")
    (demo / INSPECTION_FILE).write_text(together, encoding="utf-8")
    (demo / other).unlink()
    git(demo, "add", "-A")
    git(demo, "commit", "-qm", "两条记录一个文件")
    before = head(demo)
    result = cli("-C", str(demo), "--lang", "en", "-m", "x", "edit", "I202603-0002", "--set", "date=2026-04-01",
                 env=AUTHOR_ENV)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"{INSPECTION_FILE} holds several records; the new date files I202603-0002 in inspections/2026/04/" in (
        result.output
    )
    assert head(demo) == before
    same_month = cli("-C", str(demo), "-m", "x", "edit", "I202603-0002", "--set", "date=2026-03-20", env=AUTHOR_ENV)
    assert same_month.exit_code == 0, same_month.output
    assert git(demo, "show", "--name-only", "--format=", "HEAD").split() == [INSPECTION_FILE]


def test_a_visit_dated_into_another_month_moves_too(cli, repo: Path) -> None:
    env = {**AUTHOR_ENV, "GRIDCTL_TODAY": "2026-03-20 10:00"}
    made = cli("-C", str(repo), "visit", "H000001", "--by", "S0002", "--date", "2026-03-05", env=env)
    assert made.exit_code == 0, made.output
    result = cli("-C", str(repo), "--lang", "en", "-m", "x", "edit", "V202603-0001", "--set", "date=2026-02-26",
                 env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "(file visits/2026/03 → visits/2026/02)" in result.output
    assert git(repo, "ls-files", "visits").split() == ["visits/2026/02/V202603-0001.yaml"]
