"""HTML → PDF through WeasyPrint (the optional extra `gridctl[pdf]`), refusing rather than guessing.

A PDF is only written when WeasyPrint loads, its system libraries are there, and fontconfig
really has "Noto Sans CJK SC": otherwise Chinese would come out as empty boxes or in Japanese
glyph forms, and a clerk would post it. Each missing piece is a GridctlError naming the fix.
"""

from __future__ import annotations

from pathlib import Path

from gridctl.errors import GridctlError

FONT_FAMILY = "Noto Sans CJK SC"
FONT_FIX = (
    "Debian/Ubuntu: apt-get install fonts-noto-cjk; Fedora: dnf install google-noto-sans-cjk-fonts; "
    "macOS: brew install --cask font-noto-sans-cjk-sc"
)


def _weasyprint():  # type: ignore[no-untyped-def]
    try:
        import weasyprint
    except ImportError:
        raise GridctlError(
            "PDF 需要 WeasyPrint，但没有安装 / PDF output needs WeasyPrint, which is not installed",
            hint="pip install 'gridctl[pdf]'  (或用 --format html 输出网页再打印)",
        ) from None
    except OSError as exc:  # a system library (Pango, GObject, HarfBuzz) failed to load
        raise GridctlError(
            f"PDF 需要的系统库缺失 / a system library WeasyPrint needs is missing: {exc}",
            hint="Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; "
            "macOS: brew install pango",
        ) from None
    return weasyprint


def font_found(family: str = FONT_FAMILY) -> bool:
    """Whether fontconfig (as WeasyPrint sees it) resolves `family` to that very family."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    if config == ffi.NULL:
        return False
    try:
        pattern = fontconfig.FcPatternCreate()
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcConfigSubstitute(config, pattern, 0)  # FcMatchPattern
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(config, pattern, result)
        fontconfig.FcPatternDestroy(pattern)
        if match == ffi.NULL:
            return False
        try:
            value = ffi.new("FcChar8 **")
            i = 0
            while fontconfig.FcPatternGetString(match, b"family", i, value) == 0:
                if ffi.string(value[0]).decode("utf-8", "replace") == family:
                    return True
                i += 1
            return False
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcConfigDestroy(config)


def check() -> list[str]:
    """Raise if a PDF cannot be made correctly; return warnings (e.g. it will be slow)."""
    _weasyprint()
    if not font_found():
        raise GridctlError(
            f"没有找到中文字体 {FONT_FAMILY}，生成的 PDF 会缺字 / the Chinese font {FONT_FAMILY} is not installed",
            hint=FONT_FIX,
        )
    from weasyprint.text.ffi import harfbuzz_subset

    if not harfbuzz_subset:
        return [
            "提示: 没有 libharfbuzz-subset，每个 PDF 要多花 20–40 秒 / without libharfbuzz-subset PDFs are slow: "
            "apt-get install libharfbuzz-subset0"
        ]
    return []


def html_to_pdf(html: str, base: Path | None = None) -> bytes:
    """The PDF of one self-contained HTML document (call check() first)."""
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, base_url=str(base) if base else None).write_pdf()
