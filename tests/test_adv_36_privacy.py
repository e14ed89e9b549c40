"""Registers read back and reports published, as a clerk meets them: an import's listing masks every
personal value, 现住址 is read against the row's own parts, a vocabulary typo is named, and a published
report writes the PDF it was asked for."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest
from openpyxl import load_workbook
from test_adv_33_sheets import HOUSE_FILE, PLACE_FILE, edit, export, record, run, with_place
from test_import import snapshot

from conftest import AUTHOR_ENV, empty_fontconfig, gridctl

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


# -- 4. a published report writes the file it was asked for -----------------------------------------


def _tags(repo: Path) -> str:
    return git.Repo(repo).git.tag()


def test_a_published_monthly_report_writes_the_pdf_asked_for(demo: Path, cli, tmp_path: Path) -> None:
    """`report monthly --publish -f pdf -o 月报.pdf` published, exited 0 and wrote no PDF, without a word."""
    out = tmp_path / "月报.pdf"
    result = run(cli, demo, "report", "monthly", "--month", "2026-03", "--publish", "-f", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "已发布" in result.output and f"已写入 {out}" in result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert _tags(demo) == "report/2026-03"


@pytest.mark.parametrize("kind", ["assessment", "bulletin"])
def test_a_published_assessment_or_bulletin_writes_the_file_asked_for(demo: Path, cli, tmp_path: Path, kind) -> None:
    out = tmp_path / f"{kind}.html"
    result = run(cli, demo, "report", kind, "--period", "2026-03", "--publish", "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "已发布" in result.output and "<html" in out.read_text(encoding="utf-8")
    assert _tags(demo) == f"report/{kind}/2026-03"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_report_as_text_or_json_goes_to_the_file_asked_for(demo: Path, cli, tmp_path: Path, fmt: str) -> None:
    """`report monthly -f json -o 月报.json` printed the report on the screen and wrote no file, published
    or not: -o was for html and pdf alone, without a word."""
    for publish in ((), ("--publish",)):
        out = tmp_path / f"月报{len(publish)}.{fmt}"
        result = run(cli, demo, "report", "monthly", "--month", "2026-03", *publish, "-f", fmt, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert f"已写入 {out}" in result.output and "应巡查" not in result.output, result.output
        written = out.read_text(encoding="utf-8")
        if fmt == "json":
            assert json.loads(written)["period"] == "2026-03"
        else:
            assert "2026-03" in written and "应巡查" in written
    assert _tags(demo) == "report/2026-03"


def test_a_pdf_that_cannot_be_printed_publishes_nothing(demo: Path, tmp_path: Path) -> None:
    """With no font to print it, the PDF is refused before anything is committed or tagged, as it is
    without --publish; and a PDF without -o is refused up front."""
    head = git.Repo(demo).head.commit.hexsha
    out = tmp_path / "月报.pdf"
    conf = empty_fontconfig(tmp_path)
    args = ("-C", str(demo), "--lang", "zh", "report", "monthly", "--month", "2026-03", "--publish", "-f", "pdf")
    code, _stdout, err = gridctl(*args, "-o", str(out), env={**AUTHOR_ENV, "FONTCONFIG_FILE": str(conf)})
    assert code == 2, err
    assert "没有找到可用的中文字体" in err, err
    code, _stdout, err = gridctl(*args, env=AUTHOR_ENV)
    assert code == 2 and "PDF 需要用 -o 指定输出文件" in err, err
    assert not out.exists()
    assert git.Repo(demo).head.commit.hexsha == head and _tags(demo) == ""
    assert git.Repo(demo).git.status("--porcelain") == ""


# -- 2. 现住址 filled in where the export left it blank ---------------------------------------------


@pytest.mark.parametrize("text", ["幸福里小区3号楼2单元501", "北京市朝阳区建国路88号"])
def test_an_address_text_naming_another_estate_or_city_is_refused(repo: Path, cli, tmp_path: Path, text) -> None:
    """The ledger had no 现住址; the clerk typed one naming another 小区 (or another city) than the
    row's 小区 阳光小区: it was written beside the estate without a word. Refused now, naming 小区."""
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"现住址": text})
    before = snapshot(repo)
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 1, result.output
    assert "户籍.xlsx:row 2: 列 现住址、小区" in result.output and f"现住址“{text}”与小区“阳光小区”" in result.output
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("text", "building"),
    [
        ("阳光小区三号楼二单元五〇一室", None),
        ("阳光小区３号楼２单元５０１", None),
        ("阳光小区十一号楼二单元501室", "11"),
    ],
)
def test_an_address_text_in_chinese_numerals_agrees_with_its_parts(
    repo: Path, cli, tmp_path: Path, text, building
) -> None:
    """一号楼二单元, as registers write it, was refused as contradicting 楼栋 1 / 单元 2 (十一 is 11;
    full-width digits are digits)."""
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"现住址": text, **({"楼栋": building} if building else {})})
    result = run(cli, repo, "import", "household", str(sheet), "--accept-address")
    assert result.exit_code == 0, result.output
    assert record(repo, HOUSE_FILE)["address"]["text"] == text


# -- 3. a care-group typo is found ---------------------------------------------------------------


def test_a_care_group_typo_is_named_by_its_place_and_with_reveal_by_its_nearest_words(
    repo: Path, cli, tmp_path: Path
) -> None:
    """家庭类别 `低保家庭、特困供养` said only "*** is not in vocabulary care_groups": the clerk could not
    tell which word was wrong. The word's place in the cell is named; with --reveal the word and the
    known words nearest it (the word says which group the row's person is in, as *** does not)."""
    sheet = export(cli, repo, "household", tmp_path / "户籍.xlsx", "--reveal")
    edit(sheet, 2, {"家庭类别": "低保家庭、特困供养"})
    before = snapshot(repo)
    masked = run(cli, repo, "import", "household", str(sheet), "--dry-run")
    assert masked.exit_code == 1
    assert "列 家庭类别: “***”不在重点人群类别词表" in masked.output
    assert "是本格第 2 个词，用 --reveal 显示该词及最接近的词" in masked.output
    assert "特困供养" not in masked.output.replace("特困供养人员", "")
    english = cli("-C", str(repo), "import", "household", str(sheet), "--dry-run")
    assert "it is word 2 of the cell; --reveal shows it and the nearest words" in english.output
    revealed = run(cli, repo, "import", "household", str(sheet), "--dry-run", "--reveal")
    assert "“特困供养”不在重点人群类别词表" in revealed.output
    assert "最接近: 特困供养人员、特困人员" in revealed.output
    assert snapshot(repo) == before
