"""Registers read back after the clerk edited them: a grid's name typed over, 现住址 against the
address parts, and blank or （清空） cells of a household's own fields."""

from __future__ import annotations

from pathlib import Path

import git
from test_adv_33_sheets import HOUSE_FILE, edit, export, record, run
from test_import import GRID, snapshot

from conftest import make_repo, write

SECOND = "110105001001002"
SECOND_GRID = f"""\
kind: grid
id: "{SECOND}"
name: 第二网格
level: 网格
type: 基础网格
area: 城市
parent: "110105001001"
"""
MOVED_FILE = f"households/{SECOND}/H000001.yaml"


def two_grids(ledger: Path) -> Path:
    write(ledger, f"grids/{SECOND}.yaml", SECOND_GRID)
    return make_repo(ledger)


def with_household(repo: Path, old: str, new: str, message: str) -> None:
    text = (repo / HOUSE_FILE).read_text(encoding="utf-8")
    assert old in text
    write(repo, HOUSE_FILE, text.replace(old, new))
    git.Repo(repo).git.commit("-am", message)


# -- 1. 网格名称 edited: a move, as 所属网格 is -----------------------------------------------------


def test_a_grid_name_typed_over_moves_the_household_to_that_grid(ledger: Path, cli, tmp_path: Path) -> None:
    """The clerk typed 第二网格 into 网格名称 and left 所属网格 as exported: the row was read by
    所属网格 alone, and the move silently dropped. It moves the household now (--accept-moves)."""
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"网格名称": "第二网格"})
    result = run(cli, repo, "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 0, result.output
    assert not (repo / HOUSE_FILE).exists()
    assert record(repo, MOVED_FILE)["grid"] == SECOND


def test_an_unknown_grid_name_typed_over_is_refused_at_its_cell(ledger: Path, cli, tmp_path: Path) -> None:
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"网格名称": "第九网格"})
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 1
    assert "户籍.xlsx:row 2: 列 网格名称: 台账中没有网格“第九网格”" in result.output
    assert snapshot(repo) == before


def test_grid_code_and_grid_name_both_changed_to_different_grids_are_refused(ledger: Path, cli, tmp_path: Path) -> None:
    write(ledger, "grids/110105001001003.yaml", SECOND_GRID.replace(SECOND, "110105001001003").replace("第二", "第三"))
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"网格名称": "第二网格", "所属网格": "110105001001003"})
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 1
    assert (
        "户籍.xlsx:row 2: 列 所属网格、网格名称: 所属网格“110105001001003”与网格名称“第二网格”不是同一网格"
        in result.output
    )
    assert snapshot(repo) == before


def test_grid_code_and_grid_name_both_changed_to_one_grid_move_the_household(ledger: Path, cli, tmp_path: Path) -> None:
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"网格名称": "第二网格", "所属网格": SECOND})
    result = run(cli, repo, "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 0, result.output
    assert record(repo, MOVED_FILE)["grid"] == SECOND


def test_only_the_grid_code_changed_still_moves_and_an_unchanged_name_is_not_read(
    ledger: Path, cli, tmp_path: Path
) -> None:
    repo = two_grids(ledger)
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"所属网格": SECOND})
    result = run(cli, repo, "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 0, result.output
    assert record(repo, MOVED_FILE)["grid"] == SECOND


def test_a_new_row_whose_grid_code_and_name_disagree_is_refused_naming_both(ledger: Path, cli, tmp_path: Path) -> None:
    repo = two_grids(ledger)
    rows = "姓名,性别,与户主关系,所属网格,网格名称,小区,楼栋,单元,房号\r\n"
    rows += f"李娜,女,户主,{GRID},第二网格,阳光小区,6,1,101\r\n"
    sheet = tmp_path / "新户.csv"
    sheet.write_bytes(rows.encode("gbk"))
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 1
    assert f"新户.csv:row 2: 列 所属网格、网格名称: 所属网格“{GRID}”与网格名称“第二网格”不是同一网格" in result.output
    assert snapshot(repo) == before


def test_a_place_whose_grid_name_was_typed_over_moves_too(ledger: Path, cli, tmp_path: Path) -> None:
    from test_adv_33_sheets import PLACE, PLACE_FILE

    write(ledger, PLACE_FILE, PLACE)
    repo = two_grids(ledger)
    sheet = export(cli, repo, "place", tmp_path / "场所.xlsx", "--reveal")
    edit(sheet, 2, {"网格名称": "第二网格"})
    result = run(cli, repo, "import", "place", str(sheet), "--accept-moves")
    assert result.exit_code == 0, result.output
    assert record(repo, f"places/{SECOND}/PL00001.yaml")["grid"] == SECOND


# -- 2. 现住址 against the address parts ------------------------------------------------------------


def test_an_address_text_edited_against_the_parts_is_refused_naming_the_columns(
    repo: Path, cli, tmp_path: Path
) -> None:
    """现住址 said 502 and 房号 501: one of them silently won. The row is refused now."""
    with_household(repo, 'room: "501"}', 'room: "501", text: 阳光小区3号楼2单元501}', "现住址")
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"现住址": "阳光小区3号楼2单元502"})
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 1
    assert "户籍.xlsx:row 2: 列 现住址、房号: 现住址“阳光小区3号楼2单元502”与房号“501”不符" in result.output
    assert snapshot(repo) == before


def test_a_part_edited_against_the_address_text_is_refused(repo: Path, cli, tmp_path: Path) -> None:
    with_household(repo, 'room: "501"}', 'room: "501", text: 阳光小区3栋2单元501室}', "现住址")
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"楼栋": "4"})
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet), "--accept-address")
    assert result.exit_code == 1
    assert "户籍.xlsx:row 2: 列 现住址、楼栋: 现住址“阳光小区3栋2单元501室”与楼栋“4”不符" in result.output
    assert snapshot(repo) == before


def test_text_and_parts_edited_together_agree_and_are_written(repo: Path, cli, tmp_path: Path) -> None:
    with_household(repo, 'room: "501"}', 'room: "501", text: 阳光小区3栋2单元501室}', "现住址")
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"房号": "502", "现住址": "阳光小区3栋2单元502室"})
    result = run(cli, repo, "import", "household", str(sheet), "--accept-address")
    assert result.exit_code == 0, result.output
    assert record(repo, HOUSE_FILE)["address"]["room"] == "502"
    assert record(repo, HOUSE_FILE)["address"]["text"] == "阳光小区3栋2单元502室"


# -- 家庭类别 read against its own history --------------------------------------------------------


def test_household_tags_edited_in_an_export_are_no_conflict(repo: Path, cli, tmp_path: Path) -> None:
    """家庭类别 was read against the history of a field no file has: every edit a conflict with (空)."""
    with_household(repo, "housing: 自有\n", "housing: 自有\ntags: [低保家庭]\n", "家庭类别")
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"家庭类别": "低保家庭、残疾人"})
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert record(repo, HOUSE_FILE)["tags"] == ["低保家庭", "残疾人"]


# -- 3. a household's own blank and （清空） cells --------------------------------------------------


def test_a_households_blank_cells_are_listed_and_kept(repo: Path, cli, tmp_path: Path) -> None:
    """A blank 住房性质 or 小区 was skipped without a word; it is listed and kept now, as a person's is."""
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"住房性质": None, "小区": None, "民族": "汉族"})
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert "2 个单元格为空，台账中有值，未清空: 第2行 小区、第2行 住房性质" in result.output
    house = record(repo, HOUSE_FILE)
    assert (house["housing"], house["address"]["estate"]) == ("自有", "阳光小区")


def test_clear_in_a_households_own_field_clears_it(repo: Path, cli, tmp_path: Path) -> None:
    with_household(repo, "housing: 自有\n", "housing: 自有\ntags: [低保家庭]\n", "家庭类别")
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"住房性质": "（清空）", "家庭类别": "(清空)"})
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    house = record(repo, HOUSE_FILE)
    assert "housing" not in house and "tags" not in house


def test_clear_in_the_grid_is_refused_at_its_cell(repo: Path, cli, tmp_path: Path) -> None:
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"所属网格": "（清空）"})
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 1
    assert "户籍.xlsx:row 2: 列 所属网格: 必填，不能清空" in result.output
    assert snapshot(repo) == before
