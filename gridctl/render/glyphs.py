"""Characters a PDF would print as empty boxes, and the records they come from.

A rare character in a name (a 生僻字 of CJK Extension B–G) that no installed font has comes out
of WeasyPrint as an empty box, and a notice board then posts a wrong name that nobody notices. So
before a PDF is written, every character of the page's text is looked up in the fonts it would be
drawn with (gridctl.render.fontcover), and a character none has stops the PDF, naming the record
and field it is in. HTML is never refused: the browser that prints it has fonts of its own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text

UNSEEN_TAGS = frozenset({"script", "title"})
"""Text of these elements is never drawn (a page's <title>, an SVG node's tooltip)."""
SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x180B, 0x180F))
"""Variation selectors: they choose a form of the character before them and are not drawn themselves."""
SHOWN = 12
"""How many places a refusal names; the rest are counted."""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.unseen = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in UNSEEN_TAGS:
            self.unseen += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in UNSEEN_TAGS and self.unseen:
            self.unseen -= 1

    def handle_data(self, data: str) -> None:
        if not self.unseen:
            self.parts.append(data)


def drawn_text(html: str) -> str:
    """The text a page draws: element text, inline SVG text and the style sheet (its @page boxes
    print the footer); not attributes, a <title> or scripts."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def drawn(char: str) -> bool:
    """Whether a character needs a glyph of its own (spaces, controls and selectors do not)."""
    if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return False
    return not any(start <= ord(char) <= end for start, end in SELECTORS)


def characters(text: str) -> set[str]:
    return {c for c in set(text) if drawn(c)}


def uncovered(html: str, family: str) -> list[str]:
    """The characters of the page no font it may be drawn with has, in the order the page has them."""
    from gridctl.render.fontcover import lacking

    text = drawn_text(html)
    left = lacking(characters(text), family)
    return sorted(left, key=text.index)


@dataclass(frozen=True)
class Place:
    """Where a character is: a record's field, or a file that holds no record (gridctl.yaml, a template)."""

    file: str
    record: str = ""
    name: str = ""
    kind: str = ""
    path: tuple[str | int, ...] = ()

    def said(self) -> Text:
        if not self.record:
            return Text(self.file, self.file)
        from gridctl.model.labels import label

        en = ".".join(str(p) for p in self.path)
        zh = label(self.kind, self.path) or en
        who = f"{self.record} {self.name}".strip()
        return Text(f"{who} 的 {zh} ({self.file})", f"{who}, {en} ({self.file})")


def places(ledger: Any, chars: list[str]) -> dict[str, list[Place]]:
    """Each character's places in the ledger: the fields of records holding it (a person's own,
    not again under their household), else gridctl.yaml or the ledger's templates."""
    from gridctl.ledger.reader import parse, read_text

    found: dict[str, list[Place]] = {c: [] for c in chars}
    files = ledger.source
    if files is None:
        return found
    for rel in sorted(ledger.blobs):
        text, _problems = read_text(files, rel)
        if text is None or not any(c in text for c in chars):
            continue
        docs, _problems = parse(rel, text)
        entries = ledger.entries_of(rel)
        for entry in entries:
            if entry.source.doc >= len(docs):
                continue
            nested = {e.source.path for e in entries if e is not entry and e.source.doc == entry.source.doc}
            data = _at(docs[entry.source.doc].data, entry.source.path)
            name = data.get("name") if isinstance(data, dict) else None
            start = len(entry.source.path)
            for path, value in _strings(data, entry.source.path, nested):
                for c in chars:
                    if c in value:
                        found[c].append(Place(rel, entry.id, str(name or ""), entry.kind, path[start:]))
    for c, where in found.items():
        if not where:
            where.extend(_elsewhere(ledger, c))
    return found


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _strings(data: Any, path: tuple[str | int, ...], nested: set[tuple[str | int, ...]]) -> Any:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if (*path, key) not in nested:
                yield from _strings(value, (*path, key), nested)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if (*path, i) not in nested:
                yield from _strings(value, (*path, i), nested)


def _elsewhere(ledger: Any, char: str) -> list[Place]:
    """gridctl.yaml (the ledger's name, labels, posting words) or a template of the ledger's own."""
    out = []
    candidates = [ledger.root / "gridctl.yaml"]
    folder = ledger.root / "templates"
    if folder.is_dir():
        candidates += sorted(p for p in folder.iterdir() if p.is_file())
    for path in candidates:
        try:
            if char in path.read_text(encoding="utf-8", errors="replace"):
                out.append(Place(path.relative_to(ledger.root).as_posix()))
        except OSError:
            continue
    return out


def code_of(char: str) -> str:
    return f"{char} (U+{ord(char):04X})"


def refusal(where: dict[str, list[Place]]) -> GridctlError:
    """Nothing written: each character no font has, where it is, and the two ways out."""
    zh_lines, en_lines = [], []
    for char, found in where.items():
        shown = found[:SHOWN]
        if not shown:
            zh_lines.append(f"  {code_of(char)}: 在页面文字中")
            en_lines.append(f"  {code_of(char)}: in the page's text")
        for place in shown:
            said = place.said()
            zh_lines.append(f"  {code_of(char)}: {said.zh}")
            en_lines.append(f"  {code_of(char)}: {said.en}")
        if len(found) > SHOWN:
            zh_lines.append(f"  {code_of(char)}: 另有 {len(found) - SHOWN} 处")
            en_lines.append(f"  {code_of(char)}: and {len(found) - SHOWN} more")
    message = Text(
        "未生成 PDF: 本机没有任何字体有下列字，印出来会是空白方框\n" + "\n".join(zh_lines),
        "no PDF written: no font on this computer has these characters, they would print as empty boxes\n"
        + "\n".join(en_lines),
    )
    hint = Text(
        "安装有这些字的字体 (Debian/Ubuntu: apt-get install fonts-hanazono，花园明朝，收录扩展B区等生僻字)，"
        "再打印；或在记录中改用常用字，并在 extra 下写明原字 (如 备注: 原名用字 …)；"
        "也可输出网页 (-f html) 用浏览器打印",
        "install a font that has them (Debian/Ubuntu: apt-get install fonts-hanazono, HanaMin, which has "
        "CJK Extension B and later), then print again; or write it with a common character and keep the exact "
        "one as a note under the record's extra:; or print the page from a browser (-f html)",
    )
    return GridctlError(message, hint=hint)
