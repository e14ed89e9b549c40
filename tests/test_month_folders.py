"""Dated records lie in the folder of their month (events/<yyyy>/<mm>/, inspections/…): an edit of
the date takes the file to its new month's folder, as a move takes a household's file to its grid's,
and validate names a file that lies in another month's folder (GC222), as it does one in another
grid's (GC221)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from warmcold import WARM, differences, run

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


# -- validate: a file in another month's folder (GC222) -------------------------------------------


def drag(root: Path, rel: str, month: str) -> str:
    """The file explorer's drag into another month's folder, committed with plain git."""
    top, _year, _month, name = rel.split("/")
    new = f"{top}/{month}/{name}"
    (root / new).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).rename(root / new)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "拖错文件夹")
    return new


def test_an_inspection_dragged_into_another_months_folder_is_named_and_put_back(cli, demo: Path) -> None:
    """inspections/2026/01/I….yaml with date: 2026-03-02 passed validate with no word (exit 0)."""
    assert cli("-C", str(demo), "validate", env=AUTHOR_ENV).exit_code == 0  # and kept: the next run is warm
    original = (demo / INSPECTION_FILE).read_bytes()
    new = drag(demo, INSPECTION_FILE, "2026/01")
    result = cli("-C", str(demo), "--lang", "zh", "validate", env=AUTHOR_ENV)
    assert result.exit_code == 1, result.output
    assert (
        f"{new}:4:7: error[GC222] 文件放在 inspections/2026/01/ 中，但检查日期是 2026-03-02：这个检查记录的文件应在 "
        "inspections/2026/03/" in result.output
    ), result.output
    assert f"文件会移到 inspections/2026/03/: gridctl edit {INSPECTION} --set date=2026-03-02；" in result.output
    assert result.output.count("error[GC222]") == 1
    edited = cli("-C", str(demo), "-m", "改", "edit", INSPECTION, "--set", "checklist=消防安全检查", env=AUTHOR_ENV)
    assert edited.exit_code == 0, edited.output  # the error was there before: the edit adds none
    assert git(demo, "show", "--name-only", "--format=", "HEAD").split() == [new]  # the file where it is
    again = cli("-C", str(demo), "-m", "归位", "edit", INSPECTION, "--set", "date=2026-03-02", env=AUTHOR_ENV)
    assert again.exit_code == 0, again.output
    assert "(file inspections/2026/01 → inspections/2026/03)" in again.output
    assert not (demo / new).exists()
    assert (demo / INSPECTION_FILE).read_bytes() == original.replace("社区日常巡查".encode(), "消防安全检查".encode())
    assert cli("-C", str(demo), "validate", env=AUTHOR_ENV).exit_code == 0


def test_a_report_time_changed_by_hand_in_place_is_named_with_both_ways_to_agree(cli, demo: Path) -> None:
    """reported.at changed to February in Notepad, the file left in March's folder: the monthly
    report counted the event in February, the folder showed it in March."""
    text = (demo / EVENT_FILE).read_text(encoding="utf-8")
    (demo / EVENT_FILE).write_text(text.replace("  at: 2026-03-03 09:40:00", "  at: 2026-02-27 09:40:00", 1), "utf-8")
    git(demo, "commit", "-qam", "手改上报时间")
    result = cli("-C", str(demo), "--lang", "en", "validate", env=AUTHOR_ENV)
    assert result.exit_code == 1, result.output
    assert (
        f"{EVENT_FILE}:13:7: error[GC222] the file lies in events/2026/03/ but its reported.at is 2026-02-27 09:40: "
        "this event's file belongs in events/2026/02/" in result.output
    ), result.output
    assert f'gridctl edit {EVENT} --set "reported.at=2026-02-27 09:40"; if not, set the right date' in result.output
    done = cli("-C", str(demo), "-m", "改回", "edit", EVENT, "--set", "reported.at=2026-03-03 09:40", env=AUTHOR_ENV)
    assert done.exit_code == 0, done.output
    assert (demo / EVENT_FILE).read_text(encoding="utf-8") == text
    assert cli("-C", str(demo), "validate", env=AUTHOR_ENV).exit_code == 0


def test_a_drag_is_named_by_a_warm_validate_as_by_a_cold_one(demo: Path) -> None:
    """A file's own findings are kept by its content, and a dragged file keeps its content: the
    check is over the whole ledger, so what is kept cannot hide the drag."""
    commands = [("validate",), ("validate", "--format", "json")]
    assert differences(demo, commands) == []  # the cache is written, the file in March's folder
    new = f"events/2026/01/{EVENT}.yaml"
    (demo / new).parent.mkdir(parents=True)
    (demo / EVENT_FILE).rename(demo / new)  # not committed: validate reads the files
    assert differences(demo, commands) == []
    code, out = run(demo, WARM, "validate")
    assert code == 1 and f"{new}:13:7: error[GC222]" in out, out


def test_a_time_with_an_offset_is_filed_again_when_the_ledgers_zone_changes(demo: Path) -> None:
    """The month of 2026-03-31 23:30 UTC is April in Beijing and March in UTC: what a warm run kept
    for the file under one zone is not its month under the other."""
    april = f"events/2026/04/{EVENT}.yaml"
    (demo / april).parent.mkdir(parents=True)
    text = (demo / EVENT_FILE).read_text(encoding="utf-8").replace("2026-03-03 09:40:00", "2026-03-31T23:30:00+00:00")
    (demo / april).write_text(text.replace("deadline: 2026-03-06", "deadline: 2026-04-06"), encoding="utf-8")
    (demo / EVENT_FILE).unlink()
    assert differences(demo, [("validate",)]) == []
    assert "GC222" not in run(demo, WARM, "validate")[1]
    settings = demo / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "timezone: UTC\n", encoding="utf-8")
    assert differences(demo, [("validate",)]) == []
    out = run(demo, WARM, "validate")[1]
    assert f"{april}:13:7: error[GC222] the file lies in events/2026/04/ but its reported.at is 2026-03-31 23:30" in out
