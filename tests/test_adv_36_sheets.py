"""Registers read back against the commit their export was made from (its stamp): a grid renamed
since, a masked value changed since, （清空） in a list field or a required one, and GC119 beside the
other decisions."""

from __future__ import annotations

from pathlib import Path

from test_adv_33_sheets import HOUSE_FILE, PLACE, PLACE_FILE, edit, export, record, run
from test_adv_33_sheets2 import MOVED_FILE, SECOND, two_grids
from test_import import GRID, snapshot

from conftest import id_number, write

NUMBER = id_number("110106")
"""An ID number of another district: masked otherwise than the one exported (110105…)."""

# -- 1. 网格名称 read against the grid's name when the sheet was exported -------------------------------


def test_a_grid_renamed_since_the_export_leaves_its_rows_unchanged(ledger: Path, cli, tmp_path: Path) -> None:
    """第一网格 renamed 幸福里东网格 after the export: its rows' untouched 网格名称 (第一网格) were
    refused, "no grid 第一网格". They are the grid as exported now; the clerk's 备注 goes in."""
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx")
    edit(sheet, 2, {"备注": "入户核实"})
    assert run(cli, repo, "edit", GRID, "--set", "name=幸福里东网格").exit_code == 0
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert "第一网格" not in result.output
    house = record(repo, HOUSE_FILE)
    assert house["grid"] == GRID and house["members"][0]["extra"] == {"备注": "入户核实"}


def test_grid_names_reshuffled_since_the_export_move_no_household(ledger: Path, cli, tmp_path: Path) -> None:
    """第一网格 renamed, then 第二网格 renamed 第一网格: every household of grid 1 was offered as a move
    to grid 2 and, with --accept-moves, committed there. Nobody moves now."""
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx")
    edit(sheet, 2, {"备注": "入户核实"})
    assert run(cli, repo, "edit", GRID, "--set", "name=幸福里东网格").exit_code == 0
    assert run(cli, repo, "edit", SECOND, "--set", "name=第一网格").exit_code == 0
    result = run(cli, repo, "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 0, result.output
    assert "所属网格" not in result.output and "迁移" not in result.output
    assert not (repo / MOVED_FILE).exists()
    assert record(repo, HOUSE_FILE)["grid"] == GRID


def test_a_place_register_after_a_grid_rename_is_unchanged_and_a_real_move_still_moves(
    ledger: Path, cli, tmp_path: Path
) -> None:
    write(ledger, PLACE_FILE, PLACE)
    repo = two_grids(ledger)
    sheet = export(cli, repo, "place", tmp_path / "场所.xlsx")
    assert run(cli, repo, "edit", GRID, "--set", "name=幸福里东网格").exit_code == 0
    before = snapshot(repo)
    result = run(cli, repo, "import", "place", str(sheet))
    assert result.exit_code == 0, result.output
    assert snapshot(repo)[0] == before[0]  # nothing to write: no refusal, no move
    edit(sheet, 2, {"网格名称": "第二网格"})
    result = run(cli, repo, "import", "place", str(sheet), "--accept-moves")
    assert result.exit_code == 0, result.output
    assert record(repo, f"places/{SECOND}/PL00001.yaml")["grid"] == SECOND


# -- 2. a masked cell read against the value its export masked -------------------------------------------


def test_an_older_export_keeps_a_phone_changed_in_gridctl_since(ledger: Path, cli, tmp_path: Path) -> None:
    """The phone (and the ID number) changed in gridctl after the export; the clerk edited only 备注.
    The untouched 139****5678 was refused as a masked value (type the full value: the old number).
    It is as exported now: the ledger's newer values are kept, neither reverted nor a conflict."""
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx")
    edit(sheet, 2, {"备注": "入户核实"})
    assert run(cli, repo, "edit", "P0000001", "--set", "phones=13600001111").exit_code == 0
    assert run(cli, repo, "edit", "P0000001", "--set", f"id_number={NUMBER}").exit_code == 0
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert "脱敏" not in result.output and "联系电话" not in result.output and "身份" not in result.output
    person = record(repo, HOUSE_FILE)["members"][0]
    assert person["phones"] == ["13600001111"] and person["id_number"] == NUMBER
    assert person["extra"] == {"备注": "入户核实"}


def test_a_mask_of_neither_the_phone_now_nor_then_is_still_refused(ledger: Path, cli, tmp_path: Path) -> None:
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx")
    edit(sheet, 2, {"联系电话": "137****5678"})
    assert run(cli, repo, "edit", "P0000001", "--set", "phones=13600001111").exit_code == 0
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 1
    assert "户籍.xlsx:row 2: 列 联系电话: 是脱敏后的值" in result.output
    assert snapshot(repo) == before


def test_an_older_place_export_keeps_a_landlords_phone_changed_since(ledger: Path, cli, tmp_path: Path) -> None:
    write(ledger, PLACE_FILE, PLACE)
    repo = two_grids(ledger)
    sheet = export(cli, repo, "place", tmp_path / "场所.xlsx")
    edit(sheet, 2, {"核定人数": 4})
    assert run(cli, repo, "edit", "PL00001", "--set", "房东电话=13600001111").exit_code == 0
    result = run(cli, repo, "import", "place", str(sheet))
    assert result.exit_code == 0, result.output
    assert "脱敏" not in result.output and "房东电话" not in result.output
    rental = record(repo, PLACE_FILE)["rental"]
    assert rental == {"landlord": "孙立", "landlord_phone": "13600001111", "max_occupants": 4}


def test_an_older_export_keeps_care_groups_removed_in_gridctl_since(ledger: Path, cli, tmp_path: Path) -> None:
    """家庭类别 shown *** in the export, removed in gridctl since: the untouched *** was refused as
    standing for nothing. It is as exported now, and the removal stands."""
    text = (ledger / HOUSE_FILE).read_text(encoding="utf-8")
    write(ledger, HOUSE_FILE, text.replace("housing: 自有\n", "housing: 自有\ntags: [低保家庭]\n"))
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx")
    edit(sheet, 2, {"备注": "入户核实"})
    assert run(cli, repo, "edit", "H000001", "--unset", "tags").exit_code == 0
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    house = record(repo, HOUSE_FILE)
    assert "tags" not in house and house["members"][0]["extra"] == {"备注": "入户核实"}


# -- 3. （清空） in a list field empties it; in a required field it is refused at its cell ---------------


def test_clear_in_a_residents_phones_and_care_groups_empties_them(ledger: Path, cli, tmp_path: Path) -> None:
    """（清空） in 联系电话 or 重点人群类别 failed with "field phones: Input should be a valid list"."""
    text = (ledger / HOUSE_FILE).read_text(encoding="utf-8")
    write(ledger, HOUSE_FILE, text.replace("    residence: 户籍\n", "    residence: 户籍\n    tags: [独居老人]\n"))
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx")
    edit(sheet, 2, {"联系电话": "（清空）", "重点人群类别": "(清空)"})
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert "phones" not in result.output and "列表" not in result.output
    person = record(repo, HOUSE_FILE)["members"][0]
    assert "phones" not in person and "tags" not in person and person["name"] == "张伟"


def test_clear_in_a_name_is_refused_at_its_cell_and_offered_as_no_rename(ledger: Path, cli, tmp_path: Path) -> None:
    """（清空） in 姓名 was offered as a rename (--accept-renames), then failed "Input should be a valid
    string". It is refused at its cell now, as （清空） in 所属网格 is, with or without --accept-renames."""
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx")
    edit(sheet, 2, {"姓名": "（清空）"})
    staff = export(cli, repo, "staff", tmp_path / "人员.xlsx")
    edit(staff, 2, {"姓名": "（清空）"})
    before = snapshot(repo)
    for sheet_path, kind, name in ((sheet, "household", "户籍"), (staff, "staff", "人员")):
        for more in ((), ("--accept-renames",)):
            result = run(cli, repo, "import", kind, str(sheet_path), *more)
            assert result.exit_code == 1, result.output
            assert f"{name}.xlsx:row 2: 列 姓名: 必填，不能清空" in result.output
            assert "accept-renames" not in result.output and "name" not in result.output
            assert "→ (空)" not in result.output
    assert snapshot(repo) == before


# -- 4. GC119 at its cell in the same run as the other decisions -------------------------------------


def test_a_lost_character_is_refused_at_its_cell_not_offered_as_a_rename(ledger: Path, cli, tmp_path: Path) -> None:
    """张伟 came back 张? from a GBK CSV: an identity conflict asking for --accept-renames, and GC119
    only once the clerk followed that advice. GC119 is said at 姓名 at once now."""
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.csv")
    text = sheet.read_text(encoding="utf-8-sig")
    assert "张伟" in text
    sheet.write_bytes(text.replace("张伟", "张?").encode("gbk"))
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet), "--dry-run")
    assert result.exit_code == 1
    assert "户籍.csv:row 3: 列 姓名: 姓名“张?”中有问号或替换符" in result.output  # row 1: the stamp
    assert "accept-renames" not in result.output
    assert snapshot(repo) == before


def test_a_new_staff_row_with_a_lost_character_is_refused_beside_an_open_rename(
    ledger: Path, cli, tmp_path: Path
) -> None:
    """A dry run listed a new row 张？堃 as "added" and asked only for --accept-renames (for another
    row's real rename); GC119 came once that was given. Both are said in the same run now."""
    repo = two_grids(ledger)
    sheet = export(cli, repo, "staff", tmp_path / "人员.csv")
    lines = sheet.read_text(encoding="utf-8-sig").rstrip("\n").split("\n")
    header = next(i for i, line in enumerate(lines) if "姓名" in line)
    columns = lines[header].split(",")
    new = ["" for _ in columns]
    new[columns.index("姓名")], new[columns.index("联系电话")] = "张？堃", "13700137000"
    text = "\n".join(lines).replace("李强", "李刚") + "\n" + ",".join(new) + "\n"
    sheet.write_bytes(text.encode("gbk"))
    before = snapshot(repo)
    result = run(cli, repo, "import", "staff", str(sheet), "--dry-run")
    assert result.exit_code == 1
    assert "人员.csv:row 5: 列 姓名: 姓名“张？堃”中有问号或替换符" in result.output  # row 1: the stamp
    assert "姓名 李强 → 李刚" in result.output and "--accept-renames" in result.output
    assert "新增 (1)" not in result.output
    assert snapshot(repo) == before
