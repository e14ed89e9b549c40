"""Printed pages as PDF: text, page count, paper size, the Chinese font, and refusals that name the fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_print import RESIDENT, SECRETS

from gridctl.data import data_dir

from conftest import empty_fontconfig, make_repo

A4 = (595.3, 841.9)
A3 = (841.9, 1190.6)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example community with a planted household, its board (A4 and A3) and cards printed once."""
    from typer.testing import CliRunner

    from gridctl.cli.main import app

    base = tmp_path_factory.mktemp("pdf")
    root = base / "幸福里"
    shutil.copytree(data_dir("examples") / "community", root)
    (root / "households/110105017006001/H000009.yaml").write_text(
        RESIDENT.replace("110105001001001", "110105017006001"), encoding="utf-8"
    )
    make_repo(root)
    out = {"root": root}
    runner = CliRunner()
    for name, args in (
        ("board", ["board", "110105017006001"]),
        ("board_a3", ["board", "110105017006002", "--size", "A3"]),
        ("cards", ["cards", "--all"]),
    ):
        out[name] = base / f"{name}.pdf"
        result = runner.invoke(app, ["-C", str(root), "print", *args, "-f", "pdf", "-o", str(out[name]), "--no-record"])
        assert result.exit_code == 0, result.output
    return out


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def size_of(path: Path) -> tuple[float, float]:
    box = PdfReader(path).pages[0].mediabox
    return round(float(box.width), 1), round(float(box.height), 1)


def test_board_pdf_is_one_a4_page_with_the_people(printed: dict[str, Path]) -> None:
    reader = PdfReader(printed["board"])
    assert len(reader.pages) == 1
    assert size_of(printed["board"]) == A4
    text = text_of(printed["board"])
    for expected in (
        "网格公示牌",
        "第一网格",
        "110105017006001",
        "幸福中路",
        "王秀兰",
        "15990052777",
        "专职网格员",
        "社区民警",
        "010-65071234",
        "台账版本",
        "打印日期",
        "第 1 页 / 共 1 页",
    ):
        assert expected in text.replace(" ", "").replace("第1页/共1页", "第 1 页 / 共 1 页"), expected


def test_a3_board(printed: dict[str, Path]) -> None:
    assert size_of(printed["board_a3"]) == A3
    assert len(PdfReader(printed["board_a3"]).pages) == 1
    assert "第二网格" in text_of(printed["board_a3"])


def test_cards_pdf_pages_and_names(printed: dict[str, Path]) -> None:
    reader = PdfReader(printed["cards"])
    assert len(reader.pages) == 4  # 40 cards, 10 per page
    text = text_of(printed["cards"])
    assert text.count("网格服务联系卡") == 40
    assert "王秀兰" in text and "15990052777" in text


def test_pdf_embeds_noto_sans_cjk_sc_only(printed: dict[str, Path]) -> None:
    fonts = set()
    for name in ("board", "cards"):
        for page in PdfReader(printed[name]).pages:
            for font in page["/Resources"]["/Font"].values():
                fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Noto-Sans-CJK-SC" in f or "NotoSansCJKsc" in f for f in fonts), fonts


def test_no_resident_data_in_the_pdfs(printed: dict[str, Path]) -> None:
    for name in ("board", "cards"):
        text = text_of(printed[name])
        for secret in SECRETS:
            assert secret not in text, (name, secret)


def _run(args: list[str], env: dict[str, str] | None = None, code: str | None = None):  # type: ignore[no-untyped-def]
    import os

    prefix = code or "pass"
    script = f"import sys; {prefix}; from gridctl.cli.main import run; sys.argv = ['gridctl'] + sys.argv[1:]; run()"
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_missing_chinese_font_stops_with_the_fix(printed: dict[str, Path], tmp_path: Path) -> None:
    conf = empty_fontconfig(tmp_path)
    out = tmp_path / "board.pdf"
    proc = _run(
        ["-C", str(printed["root"]), "print", "board", "110105017006001", "-f", "pdf", "-o", str(out)],
        env={"FONTCONFIG_FILE": str(conf)},
    )
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, err
    assert "Noto Sans CJK SC" in err and "Microsoft YaHei" in err and "apt-get install fonts-noto-cjk" in err
    assert "browser" in err
    assert not out.exists()


def test_missing_weasyprint_stops_with_the_fix(printed: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "cards.pdf"
    proc = _run(
        ["-C", str(printed["root"]), "print", "cards", "--all", "-f", "pdf", "-o", str(out)],
        code="sys.modules['weasyprint'] = None",
    )
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, err
    assert 'python -m pip install "weasyprint>=62"' in err and "browser" in err
    assert "pip install gridctl" not in err and "gridctl[" not in err  # never gridctl by its bare name
    assert not out.exists()
    html = _run(
        ["-C", str(printed["root"]), "print", "cards", "--all", "-o", str(tmp_path / "cards.html"), "--no-record"],
        code="sys.modules['weasyprint'] = None",
    )
    assert html.returncode == 0, html.stderr.decode()


def test_pdf_needs_an_output_file(printed: dict[str, Path]) -> None:
    proc = _run(["-C", str(printed["root"]), "print", "chart", "-f", "pdf"])
    assert proc.returncode == 2
    assert "-o" in proc.stderr.decode("utf-8")


def test_the_first_installed_of_the_ledgers_fonts_is_used(printed: dict[str, Path], tmp_path: Path) -> None:
    """`fonts:` in gridctl.yaml: a font this machine lacks is skipped, the next installed one prints the page."""
    root = tmp_path / "ledger"
    shutil.copytree(printed["root"], root)
    settings = root / "gridctl.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "fonts: [SimHei-Missing, Noto Serif CJK SC, Noto Sans CJK SC]\n",
        encoding="utf-8",
    )
    out = tmp_path / "board.pdf"
    proc = _run(["-C", str(root), "print", "board", "110105017006001", "-f", "pdf", "-o", str(out), "--no-record"])
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(out).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("Serif" in f for f in fonts), fonts
    assert "网格公示牌" in text_of(out) or "网格" in text_of(out)


def test_the_font_advice_fits_the_computer() -> None:
    from gridctl.render.pdf import font_fix

    for lang in ("zh", "en"):
        windows = font_fix(["Noto Sans CJK SC"], "win32")(lang)
        assert "微软雅黑" in windows and "SimHei" in windows and "fonts:" in windows and "Ctrl+P" in windows
        assert "apt-get" not in windows
        assert "fonts-noto-cjk" in font_fix(["Noto Sans CJK SC"], "linux")(lang)
        assert "brew" in font_fix(["Noto Sans CJK SC"], "darwin")(lang)



def test_the_contact_card_qr_decodes_from_a_150_dpi_print(printed: dict[str, Path], tmp_path: Path) -> None:
    """What a phone camera sees on a card printed at 150 dpi: every card's QR code is read back whole."""
    from PIL import Image
    from pyzbar import pyzbar

    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(printed["cards"]), str(tmp_path / "page")],
        check=True,
    )
    (page,) = tmp_path.glob("page*.png")
    with Image.open(page) as image:
        assert abs(image.size[0] - 1240) <= 2  # A4 at 150 dpi
        found = [code.data.decode("utf-8") for code in pyzbar.decode(image)]
    assert len(found) == 10  # a full first page of cards
    for card in found:
        assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and card.endswith("END:VCARD\r\n")
        assert "\r\nTEL;TYPE=CELL,VOICE:1" in card and "\r\nORG:幸福里社区" in card and "\r\nFN:" in card
