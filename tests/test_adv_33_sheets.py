"""Registers read back from Excel, WPS and GBK CSV: masked cells, blank cells, lost characters, 户主, grids."""

from __future__ import annotations

from pathlib import Path

import yaml
from openpyxl import load_workbook
from test_import import GRID, snapshot

from conftest import id_number, make_repo, write

PLACE = """\
kind: place
id: PL00001
grid: "110105001001001"
type: 出租房屋
name: 阳光小区5-1-101
address: 阳光小区5号楼1单元101
rental: {landlord: 孙立, landlord_phone: "13712345678", max_occupants: 3}
extra: {备注: 房东身份证 110105198003151237}
"""


def run(cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", "zh", "--author", "王芳 <wf@example.cn>", *args)


def with_place(ledger: Path) -> Path:
    write(ledger, "places/110105001001001/PL00001.yaml", PLACE)
    return make_repo(ledger)


def export(cli, repo: Path, kind: str, out: Path, *more: str) -> Path:  # type: ignore[no-untyped-def]
    result = run(cli, repo, "export", kind, "-o", str(out), *more)
    assert result.exit_code == 0, result.output
    return out


def edit(sheet: Path, row: int, changes: dict[str, object]) -> None:
    """Row `row` of the sheet (1: the header), column by header → the clerk's new value."""
    wb = load_workbook(sheet)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    for header, value in changes.items():
        ws.cell(row=row, column=headers.index(header) + 1).value = value
    wb.save(sheet)


def record(repo: Path, rel: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((repo / rel).read_text(encoding="utf-8"))


PLACE_FILE = f"places/{GRID}/PL00001.yaml"
HOUSE_FILE = f"households/{GRID}/H000001.yaml"


# -- 1. masked cells of staff, place and org registers -------------------------------------------


def test_a_masked_place_export_edited_elsewhere_keeps_the_landlords_phone_and_the_note(
    ledger: Path, cli, tmp_path: Path
) -> None:
    """The masked 房东电话 (137****5678) and 备注 (110105************) were read as new values: refused
    as an invalid phone, or the mask written over the number. They are "as before" now."""
    repo = with_place(ledger)
    sheet = export(cli, repo, "place", tmp_path / "场所.xlsx")
    edit(sheet, 2, {"核定人数": 4})
    result = run(cli, repo, "import", "place", str(sheet))
    assert result.exit_code == 0, result.output
    assert "房东电话" not in result.output and "备注" not in result.output
    place = record(repo, PLACE_FILE)
    assert place["rental"] == {"landlord": "孙立", "landlord_phone": "13712345678", "max_occupants": 4}
    assert place["extra"] == {"备注": "房东身份证 110105198003151237"}


def test_a_mask_that_stands_for_another_number_is_refused_and_nothing_is_written(
    ledger: Path, cli, tmp_path: Path
) -> None:
    repo = with_place(ledger)
    sheet = export(cli, repo, "place", tmp_path / "场所.xlsx")
    edit(sheet, 2, {"房东电话": "138****5678", "核定人数": 4})
    before = snapshot(repo)
    result = run(cli, repo, "import", "place", str(sheet))
    assert result.exit_code == 1
    assert "场所.xlsx:row 2: 列 房东电话: 是脱敏后的值" in result.output
    assert snapshot(repo) == before


# -- 6. blank cells are kept and listed; （清空） clears ----------------------------------------------


def test_blank_cells_keep_the_ledgers_values_and_are_listed_and_clear_clears(ledger: Path, cli, tmp_path: Path) -> None:
    """A blank cell whose value the ledger holds was silently skipped; now it is listed by row and
    column, kept, and the summary says how to clear a value: （清空） (or (清空)), which clears it."""
    repo = with_place(ledger)
    sheet = export(cli, repo, "place", tmp_path / "场所.xlsx")
    edit(sheet, 2, {"房东": None, "地址": "（清空）", "核定人数": 4})
    result = run(cli, repo, "import", "place", str(sheet))
    assert result.exit_code == 0, result.output
    assert "注意: 1 个单元格为空，台账中有值，未清空: 第2行 房东；要清空某项，请在单元格中填写（清空）" in result.output
    assert result.output.splitlines()[-1].endswith("1 个空白单元格保留台账原值")
    place = record(repo, PLACE_FILE)
    assert "address" not in place
    assert place["rental"]["landlord"] == "孙立"


def test_a_household_register_keeps_a_blank_phone_and_clears_a_note_on_request(repo: Path, cli, tmp_path: Path) -> None:
    write(repo, HOUSE_FILE, (repo / HOUSE_FILE).read_text(encoding="utf-8").replace(
        "    residence: 户籍\n", "    residence: 户籍\n    extra: {备注: 独居}\n"))  # fmt: skip
    import git

    git.Repo(repo).git.commit("-am", "备注")
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"联系电话": None, "备注": "(清空)", "民族": "汉族"})
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert "第2行 联系电话" in result.output and "（清空）" in result.output
    (person,) = record(repo, HOUSE_FILE)["members"]
    assert (person["phones"], person["ethnicity"], person.get("extra")) == (["13912345678"], "汉族", None)


# -- 3. names with characters lost in an encoding round trip (GC119) -----------------------------


def test_a_gbk_csv_whose_rare_character_became_a_question_mark_is_refused_at_its_cell(
    repo: Path, cli, tmp_path: Path
) -> None:
    """张堃 saved from a UTF-8 sheet as GBK CSV reads 张?; it was imported as a new person named 张?."""
    rows = "姓名,性别,公民身份号码,与户主关系,所属网格,小区,楼栋,单元,房号\r\n"
    rows += f"张?,男,{id_number(born='19900101', seq='121')},户主,{GRID},阳光小区,5,1,101\r\n"
    sheet = tmp_path / "流动人口.csv"
    sheet.write_bytes(rows.encode("gbk"))
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 1
    assert "流动人口.csv:row 2: 列 姓名: 姓名“张?”中有问号或替换符" in result.output
    assert snapshot(repo) == before


def test_validate_names_a_staff_name_with_a_replacement_character(repo: Path, cli) -> None:
    staff = repo / "staff/S0002.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("李强", "李\ufffd"), encoding="utf-8")
    result = run(cli, repo, "validate")
    assert result.exit_code == 1
    assert "staff/S0002.yaml:3:7: error[GC119]" in result.output


# -- 2. two heads of one household (GC264), and move --relation ---------------------------------


def test_a_head_moved_into_a_household_with_a_head_is_refused_unless_given_a_relation(repo: Path, cli) -> None:
    text = (repo / HOUSE_FILE).read_text(encoding="utf-8")
    other = text.replace("H000001", "H000002").replace("P0000001", "P0000002").replace("张伟", "李芳")
    other = other.replace(id_number(), id_number(born="19820202", seq="242")).replace("gender: 男", "gender: 女")
    write(repo, f"households/{GRID}/H000002.yaml", other.replace('room: "501"', 'room: "502"'))
    import git

    git.Repo(repo).git.add(A=True)
    git.Repo(repo).git.commit("-m", "李芳户")
    before = snapshot(repo)
    refused = run(cli, repo, "move", "P0000001", "--to-household", "H000002")
    assert refused.exit_code == 1
    assert "GC264" in refused.output and "户 H000002 有 2 名户主" in refused.output
    assert snapshot(repo) == before
    moved = run(cli, repo, "move", "P0000001", "--to-household", "H000002", "--relation", "配偶")
    assert moved.exit_code == 0, moved.output
    members = record(repo, f"households/{GRID}/H000002.yaml")["members"]
    assert [(m["name"], m["relation"]) for m in members] == [("李芳", "户主"), ("张伟", "配偶")]
