"""The clerk's own export, read back after the ledger moved on: what the sheet did not change is no change."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from test_import import GRID, load, run_import, snapshot
from test_register_merge import gridctl_cmd, imported


def exported(repo: Path, cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """王志强 (P0000002, H000002), 张桂英 (P0000003, H000003), 李明 (P0000004, H000004), exported."""
    imported(repo, cli, tmp_path)
    out = tmp_path / "导出.xlsx"
    gridctl_cmd(cli, repo, "export", "household", "--reveal", "-o", str(out))
    return out


def edit_cells(sheet: Path, changes: dict[tuple[str, str], object]) -> None:
    """(person's name in the export, column header) → the clerk's new value."""
    wb = load_workbook(sheet)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    rows = {row[headers.index("姓名")].value: row for row in ws.iter_rows(min_row=2)}
    for (name, column), value in changes.items():
        rows[name][headers.index(column)].value = value
    wb.save(sheet)


def members(repo: Path, hid: str) -> list[str]:
    return [m["name"] for m in load(repo, f"households/{GRID}/{hid}.yaml")["members"]]


def test_an_export_read_back_keeps_a_move_and_a_new_name_made_since(repo: Path, cli, tmp_path: Path) -> None:
    """A person moved with gridctl move after the export was refused by his 户编号 ("use gridctl move"),
    and a name corrected since was an identity conflict asking for --accept-renames, which then kept the
    ledger's name anyway: the sheet had changed neither."""
    sheet = exported(repo, cli, tmp_path)
    gridctl_cmd(cli, repo, "move", "P0000002", "--to-household", "H000003", "--relation", "子")
    gridctl_cmd(cli, repo, "-m", "更正姓名", "edit", "P0000004", "--set", "name=李铭")
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert "--accept-renames" not in result.output and "gridctl move" not in result.output
    assert result.output.splitlines()[-1].startswith("没有变化，未提交")
    assert snapshot(repo) == before
    # what the clerk did change in the sheet goes in; the ledger's newer work stays
    edit_cells(sheet, {("王志强", "联系电话"): "13512340000", ("李明", "民族"): "汉族"})
    done = run_import(cli, repo, "household", str(sheet))
    assert done.exit_code == 0, done.output
    assert (members(repo, "H000002"), members(repo, "H000003")) == ([], ["张桂英", "王志强"])
    wang = load(repo, f"households/{GRID}/H000003.yaml")["members"][1]
    (li,) = load(repo, f"households/{GRID}/H000004.yaml")["members"]
    assert (wang["phones"], li["name"], li["ethnicity"]) == (["13512340000"], "李铭", "汉族")
    assert gridctl_cmd(cli, repo, "validate").exit_code == 0


def test_a_cell_changed_in_the_sheet_and_in_the_ledger_is_a_conflict_with_both_values(
    repo: Path, cli, tmp_path: Path
) -> None:
    sheet = exported(repo, cli, tmp_path)
    gridctl_cmd(cli, repo, "move", "P0000002", "--to-household", "H000003", "--relation", "子")
    gridctl_cmd(cli, repo, "edit", "P0000004", "--set", "name=李铭")
    edit_cells(sheet, {("王志强", "户编号"): "H000004", ("李明", "姓名"): "李明明"})
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    wait = "  [待定: --prefer ledger|register]"
    assert lines[0] == "冲突 (2):"
    assert lines[1].startswith("  第3行 王志强: 户编号 表中 H000004（李铭户），台账 ") and lines[1].endswith(
        " 已迁入 H000003（张桂英户）" + wait
    )
    assert lines[2].startswith("  第5行 李铭: 姓名 表中 李明明，台账 ") and lines[2].endswith(
        " 改为 李铭（导出时为 李明）" + wait
    )
    assert "--accept-renames" not in result.output
    assert snapshot(repo) == before
    kept = run_import(cli, repo, "household", str(sheet), "--prefer", "ledger")
    assert kept.exit_code == 0, kept.output
    assert snapshot(repo) == before
    # a register taken as right for conflicts still does not rename a person or move them by 户编号 unasked
    taken = run_import(cli, repo, "household", str(sheet), "--prefer", "register", "--lang", "en")
    assert taken.exit_code == 1
    assert "row 3: column 户编号: this person belongs to household H000003 in the ledger" in taken.output
    assert snapshot(repo) == before
    edit_cells(sheet, {("王志强", "户编号"): "H000002"})
    taken = run_import(cli, repo, "household", str(sheet), "--prefer", "register")
    assert taken.exit_code == 1 and "[待定: --accept-renames]" in taken.output
    renamed = run_import(cli, repo, "household", str(sheet), "--prefer", "register", "--accept-renames")
    assert renamed.exit_code == 0, renamed.output
    assert members(repo, "H000004") == ["李明明"] and members(repo, "H000003") == ["张桂英", "王志强"]


def test_a_rename_made_in_the_sheet_alone_still_asks_for_accept_renames(repo: Path, cli, tmp_path: Path) -> None:
    sheet = exported(repo, cli, tmp_path)
    gridctl_cmd(cli, repo, "edit", "P0000003", "--set", "phones=13612349999")
    edit_cells(sheet, {("李明", "姓名"): "李铭"})
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet))
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "冲突 (1):",
        "  第5行: 公民身份号码 110105************ 在台账中是 李明 (P0000004)，表中为 李铭  [待定: --accept-renames]",
    ]
    assert snapshot(repo) == before
    done = run_import(cli, repo, "household", str(sheet), "--accept-renames")
    assert done.exit_code == 0, done.output
    assert members(repo, "H000004") == ["李铭"]
    assert load(repo, f"households/{GRID}/H000003.yaml")["members"][0]["phones"] == ["13612349999"]


def test_a_register_without_a_base_is_read_as_before(repo: Path, cli, tmp_path: Path) -> None:
    """No export stamp, no --base: a 户编号 that is not the person's household is refused, as it always was."""
    imported(repo, cli, tmp_path)
    gridctl_cmd(cli, repo, "move", "P0000002", "--to-household", "H000003", "--relation", "子")
    path = tmp_path / "户编号.csv"
    path.write_text("户编号,姓名,性别,公民身份号码\nH000002,王志强,男,{}\n".format(
        load(repo, f"households/{GRID}/H000003.yaml")["members"][1]["id_number"]), encoding="utf-8")  # fmt: skip
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(path))
    assert result.exit_code == 1
    assert "户编号.csv:row 2: 列 户编号: 此人在台账中属于户 H000003；调整户请用 gridctl move" in result.output
    assert snapshot(repo) == before
