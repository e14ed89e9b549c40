"""Registers read back and reports published, as a clerk meets them: an import's listing masks every
personal value, 现住址 is read against the row's own parts, a vocabulary typo is named, and a published
report writes the PDF it was asked for."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from test_adv_33_sheets import PLACE_FILE, edit, export, record, run, with_place
from test_import import snapshot

# -- 1. an import's listing masks personal values --------------------------------------------------


def test_a_place_import_masks_the_landlords_phone_in_its_listing_and_json(ledger: Path, cli, tmp_path: Path) -> None:
    """`import place` listed 房东电话 13712345678 → 13800001111 in full (text and JSON) without --reveal,
    where show, diff and history mask it; an ID number typed into 备注 too. Both are masked now."""
    repo = with_place(ledger)
    sheet = export(cli, repo, "place", tmp_path / "场所.xlsx", "--reveal")
    edit(sheet, 2, {"房东电话": "13800001111", "备注": "房东身份证 110105198003151237 已核"})
    before = snapshot(repo)
    for more in ((), ("--format", "json")):
        result = run(cli, repo, "import", "place", str(sheet), "--dry-run", *more)
        assert result.exit_code == 0, result.output
        assert "13712345678" not in result.output and "13800001111" not in result.output, result.output
        assert "110105198003151237" not in result.output, result.output
        assert "137****5678" in result.output and "138****1111" in result.output
    assert snapshot(repo) == before
    shown = json.loads(run(cli, repo, "import", "place", str(sheet), "--dry-run", "--format", "json").output)
    phone = shown["updated"][0]["fields"]["rental.landlord_phone"]
    assert (phone["ledger"], phone["register"]) == ("137****5678", "138****1111")

    revealed = run(cli, repo, "import", "place", str(sheet), "--dry-run", "--reveal")
    assert "13712345678 → 13800001111" in revealed.output and "110105198003151237" in revealed.output

    written = run(cli, repo, "import", "place", str(sheet))
    assert written.exit_code == 0, written.output
    assert "13800001111" not in written.output
    assert record(repo, PLACE_FILE)["rental"]["landlord_phone"] == "13800001111"


def test_a_staff_register_lists_a_work_phone_in_full_as_elsewhere(repo: Path, cli, tmp_path: Path) -> None:
    """A staff member's phone is a public work number: listed as typed, not masked."""
    sheet = export(cli, repo, "staff", tmp_path / "人员.xlsx")
    edit(sheet, 2, {"联系电话": "13800138001"})
    result = run(cli, repo, "import", "staff", str(sheet), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "13800138000 → 13800138001" in result.output


def test_a_household_import_masks_a_members_category(repo: Path, cli, tmp_path: Path) -> None:
    """管理类别 (四类管理) is masked in an export as a care group is; its change was listed in full."""
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"管理类别": "不放心人员"})
    result = run(cli, repo, "import", "household", str(sheet), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "不放心人员" not in result.output and "管理类别 (空) → ***" in result.output
    assert "不放心人员" in run(cli, repo, "import", "household", str(sheet), "--dry-run", "--reveal").output


def test_a_rejected_place_row_masks_a_landlords_local_number(ledger: Path, cli, tmp_path: Path) -> None:
    """The rejected rows' file masked a landlord's phone only when it looked like a mobile or a landline: a local number
    without its area code (88881234) was written whole. It is masked as the landlord's phone it is."""
    repo = with_place(ledger)
    sheet = export(cli, repo, "place", tmp_path / "场所.xlsx", "--reveal")
    edit(sheet, 2, {"房东电话": "88881234", "核定人数": "三人"})
    result = run(cli, repo, "import", "place", str(sheet), "--skip-invalid")
    assert "88881234" not in result.output, result.output
    rejected = Path(result.output.split("已写入 ")[1].split(" (")[0])
    cells = [str(c.value) for row in load_workbook(rejected).active.iter_rows() for c in row]
    assert not any("88881234" in c for c in cells), cells
    assert any(c.endswith("1234") and "*" in c for c in cells), cells
