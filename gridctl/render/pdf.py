"""HTML → PDF through WeasyPrint (the optional dependency `pdf`), refusing rather than guessing.

A PDF is only written when WeasyPrint loads, its system libraries are there, and fontconfig
really has one of the ledger's Chinese fonts (`fonts:` in gridctl.yaml, first installed wins):
otherwise Chinese would come out as empty boxes or in Japanese glyph forms, and a clerk would post
it. Each missing piece is a GridctlError naming the fix, and the browser as the way that always works.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text

FONT_FAMILY = "Noto Sans CJK SC"
"""The first of the default list (gridctl.model.settings.DEFAULT_FONTS): what the bundled pages look best in."""
BROWSER = Text(
    "或输出网页 (-f html -o 文件.html)，用浏览器打开后按 Ctrl+P 打印，这总是可行的",
    "or print the page from a browser, which always works: -f html -o FILE.html, open it, Ctrl+P",
)


def font_fix(fonts: list[str], platform: str = sys.platform) -> Text:
    """How to get one of `fonts` on this kind of computer, and the browser as the way that always works."""
    if platform == "win32":
        how = Text(
            "Windows 自带微软雅黑 (Microsoft YaHei) 和黑体 (SimHei): 在 gridctl.yaml 的 fonts: 下列出其一，"
            "或安装 Noto Sans CJK SC (https://github.com/notofonts/noto-cjk)",
            "Windows has 微软雅黑 (Microsoft YaHei) and 黑体 (SimHei): list one of them under fonts: in "
            "gridctl.yaml, or install Noto Sans CJK SC (https://github.com/notofonts/noto-cjk)",
        )
    elif platform == "darwin":
        how = Text(
            "brew install --cask font-noto-sans-cjk-sc，或在 gridctl.yaml 的 fonts: 下列出 PingFang SC",
            "brew install --cask font-noto-sans-cjk-sc, or list PingFang SC under fonts: in gridctl.yaml",
        )
    else:
        how = Text(
            "Debian/Ubuntu: apt-get install fonts-noto-cjk；Fedora: dnf install google-noto-sans-cjk-fonts；"
            "或在 gridctl.yaml 的 fonts: 下列出已安装的中文字体 (fc-list :lang=zh)",
            "Debian/Ubuntu: apt-get install fonts-noto-cjk; Fedora: dnf install google-noto-sans-cjk-fonts; "
            "or list an installed Chinese font under fonts: in gridctl.yaml (fc-list :lang=zh)",
        )
    return how + Text("；", "; ") + BROWSER


def load_weasyprint():  # type: ignore[no-untyped-def]
    """WeasyPrint, or a GridctlError naming how to get it and its system libraries.

    Its own warning on import ("No fonts configured in FontConfig. Expect ugly output.") is kept back:
    check() says the same to the clerk, in the clerk's language, with the fix."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import weasyprint
    except ImportError:
        raise GridctlError(
            Text("PDF 需要 WeasyPrint，但没有安装", "PDF output needs WeasyPrint, which is not installed"),
            hint=Text(
                '装在 gridctl 所在的环境里: python -m pip install "weasyprint>=62" (Windows 还需要 Pango，'
                "见 WeasyPrint 的安装说明)；",
                'install it where gridctl is installed: python -m pip install "weasyprint>=62" '
                "(Windows also needs Pango: see WeasyPrint's installation guide); ",
            )
            + BROWSER,
        ) from None
    except OSError as exc:  # a system library (Pango, GObject, HarfBuzz) failed to load
        if sys.platform == "win32":
            fix = Text(
                "安装 Pango (见 WeasyPrint 的 Windows 安装说明: MSYS2, pacman -S mingw-w64-x86_64-pango)",
                "install Pango (WeasyPrint's Windows guide: MSYS2, pacman -S mingw-w64-x86_64-pango)",
            )
        else:
            fix = Text(
                "Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0；"
                "macOS: brew install pango",
                "Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; "
                "macOS: brew install pango",
            )
        raise GridctlError(
            Text(f"PDF 需要的系统库缺失: {exc}", f"a system library WeasyPrint needs is missing: {exc}"),
            hint=fix + Text("；", "; ") + BROWSER,
        ) from None
    return weasyprint


@contextlib.contextmanager
def family_match(family: str) -> Iterator[tuple[Any, Any]]:
    """fontconfig's configuration (as WeasyPrint sees it) and its best match for `family`, each None
    when there is none; both are freed on leaving."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    if config == ffi.NULL:
        yield None, None
        return
    match = ffi.NULL
    try:
        pattern = fontconfig.FcPatternCreate()
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcConfigSubstitute(config, pattern, 0)  # FcMatchPattern
        fontconfig.FcDefaultSubstitute(pattern)
        match = fontconfig.FcFontMatch(config, pattern, ffi.new("FcResult *"))
        fontconfig.FcPatternDestroy(pattern)
        yield config, (None if match == ffi.NULL else match)
    finally:
        if match != ffi.NULL:
            fontconfig.FcPatternDestroy(match)
        fontconfig.FcConfigDestroy(config)


def font_found(family: str = FONT_FAMILY) -> bool:
    """Whether fontconfig (as WeasyPrint sees it) resolves `family` to that very family."""
    from weasyprint.text.ffi import ffi, fontconfig

    with family_match(family) as (_config, match):
        if match is None:
            return False
        value = ffi.new("FcChar8 **")
        i = 0
        while fontconfig.FcPatternGetString(match, b"family", i, value) == 0:
            if ffi.string(value[0]).decode("utf-8", "replace") == family:
                return True
            i += 1
        return False


def choose_font(fonts: list[str]) -> str | None:
    """The first of `fonts` that fontconfig really has (as WeasyPrint will see it), or None."""
    return next((family for family in fonts if font_found(family)), None)


def check(fonts: list[str] | None = None) -> tuple[str, list[Text]]:
    """The font to print in (the first installed of `fonts`) and warnings; raise if a PDF cannot be right."""
    from gridctl.model.settings import DEFAULT_FONTS

    fonts = list(fonts or DEFAULT_FONTS)
    load_weasyprint()
    chosen = choose_font(fonts)
    if chosen is None:
        listed = ", ".join(fonts)
        raise GridctlError(
            Text(
                f"没有找到可用的中文字体 ({listed})，生成的 PDF 会缺字",
                f"none of the Chinese fonts is installed: {listed}",
            ),
            hint=font_fix(fonts),
        )
    from weasyprint.text.ffi import harfbuzz_subset

    if not harfbuzz_subset:
        return chosen, [
            Text(
                "提示: 没有 libharfbuzz-subset，每个 PDF 要多花 20–40 秒: apt-get install libharfbuzz-subset0",
                "note: without libharfbuzz-subset every PDF takes 20–40 s longer: apt-get install libharfbuzz-subset0",
            )
        ]
    return chosen, []


def html_to_pdf(html: str, base: Path | None = None, font: str = FONT_FAMILY) -> bytes:
    """The PDF of one self-contained HTML document in `font` (the one check() chose)."""
    return paged_pdf(html, base, font)[0]


def paged_pdf(html: str, base: Path | None = None, font: str = FONT_FAMILY) -> tuple[bytes, int]:
    """The PDF and how many pages it has (a board meant for one page that takes two says so)."""
    weasyprint = load_weasyprint()
    from gridctl.render.env import font_stack

    chosen = weasyprint.CSS(string=f"html, body {{ font-family: {font_stack([font])} !important; }}")
    document = weasyprint.HTML(string=html, base_url=str(base) if base else None).render(stylesheets=[chosen])
    return document.write_pdf(), len(document.pages)
