"""What a clerk's hand types: dates in other shapes.

A ledger file holds a date as 1942-07-16; one that holds 19420716 is told the date as it is to be
written. `edit --set` takes it as meant, as import does.
"""

from __future__ import annotations

from pathlib import Path

import git

from conftest import household, write

HOUSE = "households/110105001001001/H000001.yaml"
EVENT = "events/2026/03/E202603-0002.yaml"


def _head(root: Path) -> str:
    return git.Repo(root).head.commit.hexsha


def test_a_date_without_dashes_is_named_with_the_date_it_stands_for(ledger: Path, cli) -> None:
    text = household().replace("birth_date: 1980-03-15", "birth_date: 19800315")
    write(ledger, HOUSE, text)
    zh = cli("-C", str(ledger), "--lang", "zh", "validate").output
    assert "不带时间" not in zh  # there is no time in 19800315
    assert "members[0].birth_date: 日期写成了 1980****（没有横线），应写成 1980-**-** (年-月-日)" in zh
    assert "03-15" not in zh and "0315" not in zh  # a birth date is masked to its year
    shown = cli("-C", str(ledger), "--lang", "en", "validate", "--reveal").output
    assert "the date is written 19800315 (without dashes); write it 1980-03-15 (year-month-day)" in shown


def test_other_hand_written_dates_are_each_named_with_their_fix(ledger: Path, cli) -> None:
    for typed in ("1980.3.15", "1980/3/15", "1980年3月15日", "1980-3-15"):
        write(ledger, HOUSE, household().replace("birth_date: 1980-03-15", f"birth_date: {typed}"))
        out = cli("-C", str(ledger), "--lang", "zh", "validate", "--reveal").output
        assert f"日期写成了 {typed}，应写成 1980-03-15" in out, (typed, out)


def test_a_deadline_typed_as_a_number_is_not_seconds_since_1970(demo: Path, cli) -> None:
    path = demo / EVENT
    path.write_text(path.read_text(encoding="utf-8").replace("deadline: 2026-03-09", "deadline: 20260309"), "utf-8")
    result = cli("-C", str(demo), "--lang", "zh", "validate")
    assert result.exit_code == 1  # was read as 1970-08-23 19:51:49, and the deadline passed in silence
    assert (
        f"{EVENT}:15:11: error[GC100] 字段 deadline: 日期写成了 20260309（没有横线），应写成 2026-03-09"
        in result.output
    )


def test_edit_takes_a_hand_written_moment_and_keeps_a_day_a_day(demo: Path, cli) -> None:
    for typed, stored in (
        ("2026.3.12", "2026-03-12"),
        ("2026-03-13", "2026-03-13"),
        ("2026/3/13 9:30", "2026-03-13 09:30:00"),
    ):
        result = cli("-C", str(demo), "-m", "延期", "edit", "E202603-0002", "--set", f"deadline={typed}")
        assert result.exit_code == 0, result.output
        assert f"deadline: {stored}\n" in (demo / EVENT).read_text(encoding="utf-8")  # not 2026-03-12 00:00:00
