"""Problem reports as text (after hledger and ruff), JSON, and GitHub annotations.

Editors and CI parse the text layout, so tests freeze it:

    households/G003/H0042.yaml:12:17: error[GC103] 公民身份号码校验位错误: 44030519900101123X
       12 |     id_number: "44030519900101123X"
          |                ^^^^^^^^^^^^^^^^^^^^
       = 提示: 核对身份证原件；若为外籍或无身份证人员，设置 id_type
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from collections.abc import Callable
from typing import Any

from gridctl import __version__
from gridctl.ledger.files import Files
from gridctl.ledger.lines import text_lines
from gridctl.model.chars import one_line, quoted_path
from gridctl.model.masking import mask_line, mask_value, public_in_line
from gridctl.problem import Problem
from gridctl.validation import Packed, Validation, opened

HINT = {"zh": "提示", "en": "hint"}


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two, so carets line up under Chinese text."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


NO_SOURCE = frozenset({"GC003", "GC004", "GC006", "GC008", "GC015", "GC016", "GC900"})
"""Codes whose file is not text we may show: binary, not UTF-8, huge, outside the ledger."""


def _source_line(files: Files, problem: Problem, cache: dict[str, list[str]]) -> str | None:
    if problem.line is None or problem.code in NO_SOURCE or files.outside_link(problem.file):
        return None
    if problem.file not in cache:
        try:
            cache[problem.file] = text_lines(files.read(problem.file).decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            cache[problem.file] = []
    lines = cache[problem.file]
    return lines[problem.line - 1] if 0 < problem.line <= len(lines) else None


IN_TEXT = ("GC115", "GC116")
"""An ID number or a private mobile found in free text (gridctl.ledger.mentions): `extra: {phone: …}` too."""


def _mask_segment(line: str, problem: Problem) -> str:
    """The source line with the offending personal-data value masked in place."""
    start = max((problem.column or 1) - 1, 0)
    segment = line[start : start + problem.width]
    quote = segment[:1] if segment[:1] in ("'", '"') and segment.endswith(segment[:1]) and len(segment) > 1 else ""
    inner = segment[1:-1] if quote else segment
    masked = quote + mask_value(problem.field or "", inner) + quote
    return line[:start] + masked + line[start + problem.width :]


def _mask_rest(line: str, problem: Problem) -> str:
    """Everything else on the quoted line masked too (other phones, a flow-style member, a note), the caret kept."""
    col = max((problem.column or 1) - 1, 0)
    head, segment, tail = line[:col], line[col : col + problem.width], line[col + problem.width :]
    public = public_in_line(line)
    head, tail = mask_line(head + "\0", public)[:-1], mask_line("\0" + tail, public)[1:]
    if problem.code in IN_TEXT:  # the number found is no public phone, whatever key it stands under
        return head + mask_line(segment) + tail
    return head + (segment if problem.sensitive else mask_line(segment, public)) + tail


def to_text(
    result: Validation,
    lang: str,
    reveal: bool = False,
    known: dict[str, list[str]] | None = None,
    used: dict[str, list[str]] | None = None,
) -> str:
    """The report for a clerk. `known`: lines a past report printed, taken instead of masking and
    formatting again: a file's whole lines by its content and its findings (most files: their own
    findings only, still packed), else a problem's by the problem and its source line. `used`
    receives this report's, for the next one."""
    out: list[str] = []
    if known is None and used is None:
        cache: dict[str, list[str]] = {}
        for p in result.problems:
            out += _block(p, _source_line(result.source, p, cache), lang, reveal)
    else:
        lines = _Lines(result, lang, reveal, known or {}, used)
        for _rel, part in result.sections():
            out += lines.of_file(part) if isinstance(part, tuple) else lines.of_problems(part)
    out.append(summary(result, lang))
    from gridctl.model.chars import visible

    return visible("\n".join(out)) + "\n"  # one search over the report (line breaks are kept as they are)


class _Lines:
    """A report's lines, taken from a past report's where they are the same (`known`), and kept
    for the next one (`used`)."""

    def __init__(
        self,
        result: Validation,
        lang: str,
        reveal: bool,
        known: dict[str, list[str]],
        used: dict[str, list[str]] | None,
    ) -> None:
        self.result, self.lang, self.reveal, self.known, self.used = result, lang, reveal, known, used
        self.sources: dict[str, list[str]] = {}

    def _made(self, problems: list[Problem]) -> list[str]:
        return [
            line
            for p in problems
            for line in _block(p, _source_line(self.result.source, p, self.sources), self.lang, self.reveal)
        ]

    def _kept(self, key: str, make: Callable[[], list[str]]) -> list[str]:
        lines = self.known.get(key)
        if lines is None:
            lines = make()
        if self.used is not None:
            self.used[key] = lines
        return lines

    def of_file(self, packed: Packed) -> list[str]:
        """A file's lines when its problems are its own findings: keyed by its content id and the
        packed findings (both say everything the lines show), so 40,000 warnings of files that did
        not change are neither made nor formatted again."""
        rel, blob, packs = packed
        if blob is None:
            return self.of_problems(opened(rel, packs))
        digest = hashlib.sha1(f"{rel}\0{blob}".encode("utf-8", "surrogatepass"), usedforsecurity=False)
        for codes, data in packs:
            digest.update(b"\0%d\0%s\0" % (len(data), codes.encode()))
            digest.update(data)
        return self._kept("f" + digest.hexdigest(), lambda: self._made(opened(rel, packs)))

    def of_problems(self, problems: list[Problem]) -> list[str]:
        """Problems' lines, each keyed by the problem and its source line (known by the file's
        content id, or read: a file the ledger did not read)."""
        out: list[str] = []
        for p in problems:
            blob = self.result.blobs.get(p.file)
            where = ("blob", blob) if blob else ("line", _source_line(self.result.source, p, self.sources))
            said = repr((p.code, p.file, sorted(p.args.items()), p.doc, p.path, p.record, p.line, p.column, p.width,
                         p.key, where))  # fmt: skip
            key = hashlib.sha1(said.encode(), usedforsecurity=False).hexdigest()
            out += self._kept(key, lambda p=p: self._made([p]))  # type: ignore[misc]
        return out


def _block(p: Problem, source: str | None, lang: str, reveal: bool) -> list[str]:
    """One problem's lines: where and what, the source line with a caret, the hint."""
    message, hint = p.texts(lang, reveal)
    message, hint = one_line(message), one_line(hint) if hint else hint  # a path named in it may hold a line break
    out = [f"{quoted_path(p.file)}:{p.line or 1}:{p.column or 1}: {p.severity}[{p.code}] {message}"]
    if source is not None:
        if p.sensitive and not reveal:
            masked = _mask_segment(source, p)
            p = dataclasses.replace(p, width=p.width + len(masked) - len(source))
            source = masked
        if not reveal:
            source = _mask_rest(source, p)
        source = source.replace("\t", " ")
        number = str(p.line)
        pad = " " * len(number)
        col = max((p.column or 1) - 1, 0)
        lead = display_width(source[:col])
        width = max(1, display_width(source[col : col + p.width]))
        out.append(f"   {number} | {source}")
        out.append(f"   {pad} | {' ' * lead}{'^' * width}")
    if hint:
        out.append(f"   = {HINT[lang]}: {hint}")
    return out


def summary(result: Validation, lang: str) -> str:
    e, w = result.errors, result.warnings
    if not result.settings_ok:
        if lang == "zh":
            return f"发现 {e} 个错误: gridctl.yaml 有误，其余文件未检查"
        return f"{e} error{'s' if e != 1 else ''} in gridctl.yaml; the records were not checked"
    if lang == "zh":
        head = "没有发现问题" if not (e or w) else f"发现 {e} 个错误、{w} 个警告"
        return f"{head} (检查了 {result.files} 个文件、{result.records} 条记录)"
    head = "no problems" if not (e or w) else f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
    return f"{head} ({result.files} files, {result.records} records checked)"


def to_json(result: Validation, lang: str, reveal: bool = False) -> str:
    doc: dict[str, Any] = {
        "version": __version__,
        "ledger": str(result.root),
        "summary": {
            "errors": result.errors,
            "warnings": result.warnings,
            "files": result.files,
            "records": result.records,
        },
        "problems": [problem_dict(p, lang, reveal) for p in result.problems],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def problem_dict(p: Problem, lang: str, reveal: bool) -> dict[str, Any]:
    return {
        "code": p.code,
        "severity": p.severity,
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "record": p.record,
        "field": p.field,
        "message": p.message(lang, reveal),
        "hint": p.hint(lang, reveal),
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(result: Validation, lang: str, reveal: bool = False) -> str:
    """Workflow commands; the message repeats path:line because the Actions log hides the location."""
    out = []
    for p in result.problems:
        level = "error" if p.severity == "error" else "warning"
        where = f"{quoted_path(p.file)}:{p.line or 1}:{p.column or 1}"
        hint = p.hint(lang, reveal)
        text = one_line(f"{where}: [{p.code}] {p.message(lang, reveal)}" + (f" ({hint})" if hint else ""))
        out.append(
            f"::{level} file={_escape_property(p.file)},line={p.line or 1},col={p.column or 1},"
            f"title={p.code}::{_escape_data(text)}"
        )
    out.append(summary(result, lang))
    from gridctl.model.chars import visible

    return visible("\n".join(out)) + "\n"  # one search over the report (line breaks are kept as they are)


def needs_key(lang: str) -> str:
    """What validate could not check on an encrypted ledger without a key (structure, references and the
    ID-number hashes for one person one record were checked)."""
    if lang == "zh":
        return (
            "注意: 台账已加密，本机没有能解开的密钥。已检查结构、引用、网格与责任、一人一档 (按 id_hash)；"
            "以下检查需要密钥，未进行: 公民身份号码校验位、地区码、出生日期和性别 (GC103–GC107)、居民电话 (GC108)、"
            "重点人群词表 (GC102)、加密值能否解开 (GC702)、id_hash 是否与号码相符 (GC703)。\n"
        )
    return (
        "note: the ledger is encrypted and no key here opens it. Checked: structure, references, the grid tree and "
        "responsibility, one person one record (by id_hash). Not checked (they need a key): ID number check digits, "
        "regions, birth dates and genders (GC103-GC107), residents' phones (GC108), care-group words (GC102), whether "
        "encrypted values open (GC702), whether id_hash matches (GC703).\n"
    )


FORMATS = {"text": to_text, "json": to_json, "github": to_github}


def rendered(result: Validation, fmt: str, lang: str, reveal: bool = False) -> Any:
    """FORMATS[fmt] of a result, kept by the ledger's state: 4,800 warnings take longer to render
    (masking every value, reading every source line) than the kept result takes to read.

    Never kept when revealed, nor when a key here opens an encrypted ledger (a masked ID number
    keeps its region: nothing of an opened value goes to disk)."""
    if reveal:
        return FORMATS[fmt](result, lang, reveal)
    from gridctl.ledger.vault import vault_of

    vault = vault_of(result.source)
    if vault is not None and vault.can_open:
        return FORMATS[fmt](result, lang, reveal)
    from gridctl.ledger.cache import open_cache_for

    cache = open_cache_for(result.root, result.source)

    def make() -> Any:
        if fmt != "text" or not cache.enabled:
            return FORMATS[fmt](result, lang, reveal)
        # one file changed: the other problems' lines are the ones printed last time
        known = cache.blocks.get(lang)
        used: dict[str, list[str]] = {}
        text = to_text(result, lang, reveal, known if isinstance(known, dict) else None, used)
        if used != known:
            cache.blocks.put(lang, used)
            cache.blocks.save()
        return text

    if result.state is None:
        return make()

    # a caller that keeps only some of a state's problems (--changed-since) drops its state; the
    # count is a second guard
    state = f"{result.state}:{result.count}"
    return cache.kept(f"{fmt}:{lang}:{result.root}", state, make)  # JSON names the ledger's folder
