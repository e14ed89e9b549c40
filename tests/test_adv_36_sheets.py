"""Registers read back against the commit their export was made from (its stamp): a grid renamed
since, a masked value changed since, （清空） in a list field or a required one, and GC119 beside the
other decisions."""

from __future__ import annotations

from pathlib import Path

from test_adv_33_sheets import HOUSE_FILE, PLACE, PLACE_FILE, edit, export, record, run
from test_adv_33_sheets2 import MOVED_FILE, SECOND, two_grids
from test_import import GRID, snapshot

from conftest import write

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
