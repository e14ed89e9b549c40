"""What a clerk's hand (or a word processor) types: dates in other shapes, values in typographic quotes.

A ledger file holds a date as 1942-07-16 and a code or a word without quotes; one that holds
19420716 or “101” is told the value as it is to be written. `edit --set` takes them as meant.
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
    for typed in ("1980.3.15", "1980/3/15", "1980年3月15日", "1980-3-15", "“1980-03-15”"):
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


def test_codes_and_words_in_typographic_quotes_are_named_in_a_file(repo: Path, cli) -> None:
    text = household().replace('room: "501"', "room: “501”").replace("gender: 男", "gender: “男”")
    text = text.replace('phones: ["13912345678"]', "phones: [“13912345678”]") + "assigned_to: “S0002”\n"
    write(repo, HOUSE, text)
    result = cli("-C", str(repo), "--lang", "zh", "validate")
    assert result.exit_code == 1
    out = result.output
    assert "address.room: “501” 两边是中文引号，YAML 会把引号当作值的一部分；应写成 501" in out
    assert "members[0].gender: “男” 两边是中文引号" in out and "应写成 男，" in out
    assert "assigned_to: “S0002” 两边是中文引号" in out
    assert "members[0].phones[0]: “139****5678” 两边是中文引号" in out and "13912345678" not in out
    en = cli("-C", str(repo), "--lang", "en", "validate").output
    assert "address.room: “501” is wrapped in typographic quotes" in en


def test_free_text_may_quote(repo: Path, cli) -> None:
    """A note, an address written out, a title or a boundary may be a quotation whole: “安全生产月”."""
    text = household(extra="extra: {备注: “按时回访”}\n").replace("address:\n", "address:\n  text: “幸福里”3号楼\n", 1)
    write(repo, HOUSE, text.replace("address:\n", "address:\n  estate: “幸福里”\n", 1))
    assert cli("-C", str(repo), "validate").exit_code == 0
    done = cli("-C", str(repo), "-m", "核实", "edit", "110105001001001", "--set", "boundary.east=“幸福路”")
    assert done.exit_code == 0, done.output
    assert "east: “幸福路”" in (repo / "grids/110105001001001.yaml").read_text(encoding="utf-8")


def test_edit_set_takes_the_value_inside_typographic_quotes(repo: Path, cli) -> None:
    result = cli(
        "-C", str(repo), "-m", "核实", "edit", "H000001",
        "--set", "address.room=“502”", "--set", "assigned_to=“李强”", "--set", "extra.备注=“按时回访”",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (repo / HOUSE).read_text(encoding="utf-8")
    assert 'room: "502"' in text and "assigned_to: S0002" in text.replace('"', "")
    assert "备注: “按时回访”" in text  # free text is left as typed
    before = _head(repo)
    refused = cli("-C", str(repo), "--lang", "zh", "-m", "核实", "edit", "H000001", "--set", "assigned_to=“S9999”")
    assert refused.exit_code == 1 and "引用的工作人员 S9999 不存在" in refused.output and _head(repo) == before


def test_import_takes_codes_and_words_inside_typographic_quotes(repo: Path, cli, tmp_path: Path) -> None:
    from conftest import id_number

    number = id_number(born="19900101", seq="111")
    sheet = tmp_path / "户籍.csv"
    sheet.write_text(
        "姓名,性别,身份证号,出生日期,联系电话,与户主关系,所属网格,小区,楼栋,单元,房号,备注\r\n"
        f"刘洋,“男”,“{number}”,“1990/1/1”,“13512345678”,户主,“110105001001001”,阳光小区,5,1,“101”,“按时回访”\r\n",
        encoding="utf-8",
    )
    result = cli("-C", str(repo), "--lang", "zh", "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    text = (repo / "households/110105001001001/H000002.yaml").read_text(encoding="utf-8")
    assert "room: '101'" in text and "gender: 男" in text and f"id_number: '{number}'" in text
    assert "13512345678" in text and "birth_date: 1990-01-01" in text and "“" not in text.split("备注")[0]
    assert "备注: “按时回访”" in text  # free text is left as typed


SECOND = """\
  - id: P0000002
    name: 李娜
    gender: 女
    relation: 配偶
"""


def test_a_member_that_lost_its_dash_is_pointed_at(ledger: Path, cli) -> None:
    """Not at `members:`, nor at the next item, nor named a repeated field: at the line that lost it."""
    two = household(extra=SECOND)
    cases = [
        (household().replace("  - id: P0000001", "    id: P0000001"), "8:5", "GC100", "列表的这一项缺了开头的“- ”"),
        (household().replace("  - id: P0000001", "  id: P0000001"), "8:3", "GC001", "缺了开头的“- ”"),
        (two.replace("  - id: P0000001", "    id: P0000001"), "8:3", "GC001", "缺了开头的“- ”"),
        (two.replace("  - id: P0000002", "    id: P0000002"), "16:3", "GC001", "缺了开头的“- ”"),
        (two.replace("  - id: P0000002", "  id: P0000002"), "16:3", "GC001", "缺了开头的“- ”"),
    ]
    assert cli("-C", str(ledger), "validate").exit_code == 0
    for text, where, code, said in cases:
        write(ledger, HOUSE, text)
        out = cli("-C", str(ledger), "--lang", "zh", "validate").output
        assert f"{HOUSE}:{where}: error[{code}]" in out and said in out, (text, out)
    write(ledger, HOUSE, two.replace("  - id: P0000002", "    id: P0000002"))
    en = cli("-C", str(ledger), "--lang", "en", "validate").output
    assert "list item without its leading '- '" in en
