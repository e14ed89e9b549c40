"""The Jinja2 environment for printed pages: autoescaped, ledger templates before bundled ones.

A ledger overrides any template (or the shared `print.css`) by putting a file of the same name
in its own `templates/` folder; everything else comes from the bundled templates.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from gridctl.data import data_dir
from gridctl.model.masking import mask_value


def css_string(value: object) -> Markup:
    """A CSS string literal (for `content:` in @page margin boxes)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return Markup(f'"{text}"')


def font_stack(fonts: Sequence[str] | None = None) -> Markup:
    """The ledger's Chinese fonts (`fonts:` in gridctl.yaml) as a CSS font-family list, first choice first."""
    from gridctl.model.settings import DEFAULT_FONTS

    names = ["".join(c for c in str(f) if c not in "\\'\"<>;{}") for f in fonts or DEFAULT_FONTS]
    return Markup(",".join(f"'{name}'" for name in names) + ",sans-serif")  # no spaces: WeasyPrint's SVG reads it so


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def environment(ledger_root: Path | None, fonts: Sequence[str] | None = None) -> Environment:
    """Templates of the ledger (then the bundled ones); `font_stack` is the ledger's fonts (print.css uses it)."""
    folders = []
    if ledger_root is not None and (ledger_root / "templates").is_dir():
        folders.append(FileSystemLoader(str(ledger_root / "templates")))
    folders.append(FileSystemLoader(str(data_dir("templates"))))
    env = Environment(
        loader=ChoiceLoader(folders),
        autoescape=select_autoescape(["html", "htm", "xml", "svg", "css"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["font_stack"] = font_stack(fonts)
    env.filters["css_string"] = css_string
    env.filters["masked"] = lambda value, field="phone": mask_value(field, str(value))
    return env


def read_template_text(ledger_root: Path | None, name: str) -> str:
    """A non-Jinja data file (e.g. the default checklist) with the same override rule."""
    env = environment(ledger_root)
    source, _filename, _uptodate = env.loader.get_source(env, name)  # type: ignore[union-attr]
    return source
