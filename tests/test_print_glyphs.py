"""A name holding a character no installed font has (a rare 生僻字) printed as an empty box on a
public notice board, and nobody noticed the wrong name on the wall. A PDF with such a character is
now refused before anything is written, naming the character and the record and field it is in;
HTML is not refused (the browser has fonts of its own); a rare character the fonts have prints."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git
import pytest
from pypdf import PdfReader

NO_FONT = "\U0002b81d"
"""𫠝 (CJK Extension D): no font of fonts-noto-cjk, DejaVu or Droid Sans Fallback has it."""
RARE_BUT_COVERED = "堃"
GRID = "110105001001001"


def fonts_having(char: str) -> str:
    """fontconfig's own answer, independent of gridctl: the font files that have `char`."""
    done = subprocess.run(
        ["fc-list", f":charset={ord(char):x}", "file"], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def renamed(cli, repo: Path, name: str) -> str:  # type: ignore[no-untyped-def]
    """李强 (网格员 of the grid) renamed by gridctl itself; the HEAD after it."""
    result = cli("-C", str(repo), "edit", "S0002", "--set", f"name={name}")
    assert result.exit_code == 0, result.output
    return git.Repo(repo).head.commit.hexsha


def text_of(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages).replace(" ", "")


@pytest.mark.parametrize("page", ["board", "cards"])
def test_a_name_no_font_has_is_refused_naming_it_and_its_record(cli, repo: Path, tmp_path: Path, page: str) -> None:
    assert fonts_having(NO_FONT) == ""  # this computer really has no font for it
    head = renamed(cli, repo, f"李{NO_FONT}")
    out = tmp_path / f"{page}.pdf"
    result = cli("-C", str(repo), "--lang", "en", "print", page, GRID, "-f", "pdf", "-o", str(out))
    assert result.exit_code == 2, result.output
    said = result.stderr
    assert "no PDF written: no font on this computer has these characters" in said
    assert f"{NO_FONT} (U+2B81D): S0002 李{NO_FONT}, name (staff/S0002.yaml)" in said
    assert "apt-get install fonts-hanazono" in said and "-f html" in said
    assert "Traceback" not in result.output
    assert not out.exists() and not list(tmp_path.glob(f".{page}*"))
    assert git.Repo(repo).head.commit.hexsha == head  # nothing noted in the record of prints
    assert not git.Repo(repo).is_dirty(untracked_files=True)


def test_the_refusal_in_chinese_names_the_field_as_the_clerk_calls_it(cli, repo: Path, tmp_path: Path) -> None:
    renamed(cli, repo, f"李{NO_FONT}")
    out = tmp_path / "board.pdf"
    result = cli("-C", str(repo), "--lang", "zh", "print", "board", GRID, "-f", "pdf", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "未生成 PDF: 本机没有任何字体有下列字，印出来会是空白方框" in result.stderr
    assert f"{NO_FONT} (U+2B81D): S0002 李{NO_FONT} 的 姓名 (staff/S0002.yaml)" in result.stderr
    assert not out.exists()


def test_a_residents_name_in_a_report_names_the_person_not_the_household(cli, repo: Path, tmp_path: Path) -> None:
    result = cli("-C", str(repo), "edit", "P0000001", "--set", f"name=张{NO_FONT}", "--set", "tags=空巢老人")
    assert result.exit_code == 0, result.output
    assert f"张{NO_FONT}" in cli("-C", str(repo), "report", "registers", "--reveal", "-f", "html").stdout
    out = tmp_path / "registers.pdf"
    result = cli("-C", str(repo), "--lang", "en", "report", "registers", "--reveal", "-f", "pdf", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert f"{NO_FONT} (U+2B81D): P0000001 张{NO_FONT}, name (households/{GRID}/H000001.yaml)" in result.stderr
    assert "H000001 " not in result.stderr  # once, as the person's own field, not again as the household's
    assert not out.exists()


def test_html_is_not_refused(cli, repo: Path, tmp_path: Path) -> None:
    renamed(cli, repo, f"李{NO_FONT}")
    out = tmp_path / "board.html"
    result = cli("-C", str(repo), "print", "board", GRID, "-o", str(out), "--no-record")
    assert result.exit_code == 0, result.output
    assert f"李{NO_FONT}" in out.read_text(encoding="utf-8")


def test_a_rare_character_the_fonts_have_prints(cli, repo: Path, tmp_path: Path) -> None:
    assert fonts_having(RARE_BUT_COVERED)
    renamed(cli, repo, f"李{RARE_BUT_COVERED}")
    out = tmp_path / "board.pdf"
    result = cli("-C", str(repo), "print", "board", GRID, "-f", "pdf", "-o", str(out), "--no-record")
    assert result.exit_code == 0, result.output
    assert f"李{RARE_BUT_COVERED}" in text_of(out)


def test_what_a_font_covers_is_kept_in_the_users_cache_folder(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from gridctl.render import fontcover

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, _others = fontcover.font_files("Noto Sans CJK SC")
    font = tmp_path / "font.ttc"
    shutil.copyfile(first[0], font)
    covered = fontcover.covered(str(font))
    assert ord(RARE_BUT_COVERED) in covered and ord(NO_FONT) not in covered
    kept = list((tmp_path / "cache" / "gridctl" / "fonts").glob("*.json"))
    assert len(kept) == 1
    kept[0].write_text("{broken", encoding="utf-8")  # a damaged entry is read again, never trusted
    assert fontcover.covered(str(font)) == covered
    font.write_bytes(b"not a font")  # the file changed (size, time): read again, not taken from the cache
    assert fontcover.covered(str(font)) == frozenset()


def font_with(char: str, path: Path) -> None:
    """A tiny TrueType font (one square glyph) that has `char`: a font installed for the rare name."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def square():  # type: ignore[no-untyped-def]
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 800))
        pen.lineTo((900, 800))
        pen.lineTo((900, 0))
        pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "rare"])
    builder.setupCharacterMap({ord(char): "rare"})
    builder.setupGlyf({".notdef": square(), "rare": square()})
    builder.setupHorizontalMetrics({".notdef": (1000, 100), "rare": (1000, 100)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Rare Test Han", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))


def test_once_a_font_has_it_the_board_prints(repo: Path, tmp_path: Path) -> None:
    """The way out the refusal names: a font with the character, installed for fontconfig, and nothing
    else changed (the ledger keeps its fonts: list)."""
    from conftest import AUTHOR_ENV, gridctl

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    font_with(NO_FONT, fonts / "rare.ttf")
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{fonts}</dir>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    code, _out, err = gridctl("-C", str(repo), "edit", "S0002", "--set", f"name=李{NO_FONT}", env=AUTHOR_ENV)
    assert code == 0, err
    out = tmp_path / "board.pdf"
    args = ("-C", str(repo), "--lang", "en", "print", "board", GRID, "-f", "pdf", "-o", str(out), "--no-record")
    code, _out, err = gridctl(*args)
    assert code == 2 and "U+2B81D" in err and not out.exists()
    code, _out, err = gridctl(*args, env={"FONTCONFIG_FILE": str(conf)})
    assert code == 0, err
    assert f"李{NO_FONT}" in text_of(out)
