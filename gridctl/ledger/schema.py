"""One document against its kind's model: pydantic errors become Problems with field paths."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from gridctl.ledger.safepath import unsafe_reason
from gridctl.messages import PYDANTIC_ZH
from gridctl.model import KIND_NAMES, Record, model_of
from gridctl.model.chars import SHOWN
from gridctl.model.dates import as_written
from gridctl.model.patterns import NO_CONTROL, ONE_LINE, SAFE_CODE
from gridctl.model.quotes import unquoted
from gridctl.problem import Problem


def validate_document(
    file: str, index: int, data: Any, context: dict[str, Any], plain: bool = False
) -> tuple[Record | None, list[Problem]]:
    """The typed record, or the problems that keep the document from being one.

    `plain`: the file's text holds no sealed value at all (one substring search of the text,
    against walking every member's fields of 100,000 households of a plain ledger)."""
    if not isinstance(data, dict):
        found = "list" if isinstance(data, list) else type(data).__name__
        return None, [Problem("GC010", file, {"found": found}, doc=index)]
    kind = data.get("kind")
    record_id = data.get("id")
    rid = str(record_id) if record_id is not None else None
    if kind is None:
        return None, [Problem("GC011", file, doc=index, record=rid)]
    model = model_of(kind) if isinstance(kind, str) else None
    if model is None:
        args = {"kind": kind, "kinds": ", ".join(KIND_NAMES)}
        return None, [Problem("GC012", file, args, doc=index, path=("kind",), record=rid)]
    if record_id is None or record_id == "":
        return None, [Problem("GC013", file, {"kind": kind}, doc=index, path=("kind",))]
    sealed: set[tuple[Any, ...]] = set()
    privacy: list[Problem] = []
    if kind == "household":
        data, sealed, privacy = _open(file, index, rid, data, context, plain)
    try:
        record = model.model_validate(data, context=context)
    except ValidationError as exc:
        found = problems_from_error(exc, file, index, rid)
        return None, [_scrubbed(p, sealed) for p in found] + privacy
    if sealed:
        _mark_sealed(record, sealed)
    if unsafe_reason(record.id) is not None:  # a Windows device name (CON, NUL …): the pattern lets it by
        args = {"field": "id", "value": record.id}
        return record, [Problem("GC112", file, args, doc=index, path=("id",), record=rid), *privacy]
    return record, privacy


def _open(
    file: str, index: int, rid: str | None, data: dict[str, Any], context: dict[str, Any], plain: bool = False
) -> tuple[dict[str, Any], set[tuple[Any, ...]], list[Problem]]:
    """An encrypted ledger's household: its sealed values opened (with the key), and what is wrong with them."""
    from gridctl.ledger.sealing import holds_sealed, opened
    from gridctl.ledger.vault import CONTEXT_KEY

    vault = context.get(CONTEXT_KEY) if isinstance(context, dict) else None
    if vault is None:
        if not plain and holds_sealed(data):
            return data, set(), [Problem("GC704", file, {}, doc=index, path=(), record=rid)]
        return data, set(), []
    result = opened(data, vault)
    out = [Problem("GC701", file, {"field": _dotted(p)}, doc=index, path=p, record=rid) for p in result.plain]
    out += [
        Problem("GC702", file, {"field": _dotted(p), "detail": why}, doc=index, path=p, record=rid)
        for p, why in result.broken
    ]
    for p, state in result.hashes:
        args = {"field": _dotted(p), "state": state, "state_zh": _STATE_ZH[state]}
        out.append(Problem("GC703", file, args, doc=index, path=p, record=rid))
    return result.data, result.opened, out


_STATE_ZH = {"missing": "缺少", "wrong": "不符合其"}


def _scrubbed(problem: Problem, sealed: set[tuple[Any, ...]]) -> Problem:
    if not sealed or not any(problem.path[: len(p)] == p or p[: len(problem.path)] == problem.path for p in sealed):
        return problem
    from dataclasses import replace

    from gridctl.ledger.sealing import scrub

    return replace(problem, args=scrub(dict(problem.args)))


def _mark_sealed(record: Any, sealed: set[tuple[Any, ...]]) -> None:
    """Each person learns which of its fields were encrypted: checks keep those values out of their findings."""
    by_member: dict[int, set[str]] = {}
    for path in sealed:
        if path[0] == "members":
            by_member.setdefault(int(path[1]), set()).add(str(path[2]))
    for m, names in by_member.items():
        if m < len(record.members):
            record.members[m]._sealed = frozenset(names)


_CONTROLS = frozenset(chr(c) for c in SHOWN) | {"\t", "\n"}


def problems_from_error(exc: Exception, file: str, index: int, record: str | None) -> list[Problem]:
    """Map each pydantic error to GC100/GC101/GC102 with its location as a field path."""
    if not isinstance(exc, ValidationError):
        raise exc
    out: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors(include_url=False):
        path = _data_path(err["loc"], err.get("input"), exc)
        if path in seen:
            continue  # one report per field: a union (date or datetime) fails once per member
        seen.add(path)
        etype = err["type"]
        ctx = err.get("ctx") or {}
        if etype == "extra_forbidden":
            out.append(Problem("GC101", file, {"field": _dotted(path)}, doc=index, path=path, record=record, key=True))
        elif etype == "string_pattern_mismatch" and ctx.get("pattern") == SAFE_CODE:
            args = {"field": _dotted(path), "value": str(err.get("input"))[:80]}
            out.append(Problem("GC112", file, args, doc=index, path=path, record=record))
        elif etype == "string_pattern_mismatch" and ctx.get("pattern") in (NO_CONTROL, ONE_LINE):
            text = str(err.get("input"))
            bad = next((c for c in text if c in _CONTROLS), "")
            newline_only = bad in "\n\r\u2028\u2029" and ctx.get("pattern") == ONE_LINE
            args = {"field": _dotted(path), "char": f"U+{ord(bad):04X}" if bad else "?"}
            out.append(Problem("GC114" if newline_only else "GC113", file, args, doc=index, path=path, record=record))
        elif etype == "vocabulary":
            args = {"value": ctx.get("value"), "vocabulary": ctx.get("vocabulary"), "allowed": ctx.get("allowed")}
            args |= _suggestion(str(ctx.get("value")), str(ctx.get("vocabulary")), ctx.get("nearest"), path)
            out.append(Problem("GC102", file, args, doc=index, path=path, record=record))
        elif etype == "list_type" and isinstance(err.get("input"), dict) and err["input"]:
            first = next(iter(err["input"]))  # `members:` whose one item lost its "- ": point at that item
            args = {
                "field": _dotted(path),
                "detail": "this item of the list lost its leading '- ': put '- ' before its first field",
                "detail_zh": "列表的这一项缺了开头的“- ”：在它的第一个字段前补上“- ”",
            }
            at = (*path, first)
            out.append(Problem("GC100", file, args, doc=index, path=at, record=record, key=True))
        elif etype == "typographic_quotes":
            out.append(_quoted(file, index, path, record, str(err.get("input"))))
        elif etype == "string_type" and isinstance(err.get("input"), (bool, int, float, dt.date)):
            out.append(_unquoted(file, index, path, record, err["input"]))
        elif etype.startswith("date") and (written := as_written(err.get("input"))) is not None:
            out.append(_date_shape(file, index, path, record, err.get("input"), *written))
        else:
            if etype.startswith("date") and isinstance(err.get("input"), int):
                etype = "date_type"  # a number: pydantic read it as seconds since 1970, and spoke of a time
                err = {**err, "msg": "Input should be a date such as 2026-01-31"}
            detail_en = _short(err["msg"])
            zh = PYDANTIC_ZH.get(etype)
            detail_zh = zh.format_map({k: _short(v) for k, v in ctx.items()}) if zh else detail_en
            args = {"field": _dotted(path), "detail": detail_en, "detail_zh": detail_zh}
            out.append(Problem("GC100", file, args, doc=index, path=path, record=record))
    return out


def _date_shape(
    file: str, index: int, path: tuple[Any, ...], record: str | None, typed: Any, fixed: str, undashed: bool
) -> Problem:
    """A date written by hand in another shape (19420716, 1942.7.16): the date as it is to be written.
    `{typed}` and `{fixed}` are put in when the message is shown (Problem.shown_args), masked with the field."""
    how_zh, how = ("（没有横线）", " (without dashes)") if undashed else ("", "")
    args = {
        "field": _dotted(path),
        "typed": str(typed),
        "fixed": fixed,
        "detail": f"the date is written {{typed}}{how}; write it {{fixed}} (year-month-day)",
        "detail_zh": f"日期写成了 {{typed}}{how_zh}，应写成 {{fixed}} (年-月-日)",
    }
    return Problem("GC100", file, args, doc=index, path=path, record=record)


def _unquoted(file: str, index: int, path: tuple[Any, ...], record: str | None, read: Any) -> Problem:
    """Text typed without quotes that YAML read as a number, a yes/no or a date (room: 1.0, true,
    2026-05-01): said so, with the quoted form to write. A number YAML also rewrote (1.10) is GC118 too."""
    if isinstance(read, (bool, dt.date)):
        typed = ("true" if read else "false") if isinstance(read, bool) else read.isoformat()
        what, what_zh = ("a yes/no value", "是/否") if isinstance(read, bool) else ("a date", "日期")
        en = f"YAML reads {{typed}} without quotes as {what}, not as text; write it in quotes: {{fixed}}"
        zh = f"不加引号时 YAML 把 {{typed}} 读成{what_zh}，不是文字；应加英文引号写成 {{fixed}}"
    else:  # the number read may not be the one typed (1.10 read as 1.1): the clerk's own digits go in quotes
        typed = str(read)
        en = "YAML reads the value without quotes as the number {typed}, not as text; put it in quotes as written"
        zh = "不加引号时 YAML 把这个值读成数字 {typed}，不是文字；应按原样加英文引号"
    args = {"field": _dotted(path), "typed": typed, "fixed": f'"{typed}"', "detail": en, "detail_zh": zh}
    return Problem("GC100", file, args, doc=index, path=path, record=record)


def _quoted(file: str, index: int, path: tuple[Any, ...], record: str | None, typed: str) -> Problem:
    """A code or a word wrapped in a word processor's quotes (“101”, gridctl.model.quotes): the value inside."""
    args = {
        "field": _dotted(path),
        "typed": typed,
        "fixed": unquoted(typed) or typed,
        "detail": "{typed} is wrapped in typographic quotes, which YAML keeps as part of the value; "
        'write {fixed}, without quotes or in straight ones ("…")',
        "detail_zh": '{typed} 两边是中文引号，YAML 会把引号当作值的一部分；应写成 {fixed}，不加引号或用英文引号 "…"',
    }
    return Problem("GC100", file, args, doc=index, path=path, record=record)


_UNION_MEMBERS = ("date", "datetime", "str", "int", "function-wrap", "function-after", "function-before", "none")


def _data_path(loc: tuple[Any, ...], _input: Any, _exc: Exception) -> tuple[Any, ...]:
    """pydantic's location without the union-member labels it inserts (`at.datetime` → `at`)."""
    return tuple(
        p
        for p in loc
        if not (
            isinstance(p, str)
            and (p.startswith(_UNION_MEMBERS) and (p in _UNION_MEMBERS or "[" in p or p.startswith("function-")))
        )
    )


def _suggestion(value: str, vocabulary: str, word: Any, path: tuple[Any, ...]) -> dict[str, str]:
    """The nearest word and the gridctl.yaml line that makes the value read as it (not for personal data)."""
    from gridctl.model.aliases import alias_line
    from gridctl.model.sensitive import is_sensitive

    if not word or is_sensitive(path) or is_sensitive(("members", 0, *path)):
        return {"suggest": "", "suggest_zh": ""}
    line = alias_line(vocabulary, value, str(word))
    return {
        "suggest": f"nearest: {word} (if {value} means {word}, add to gridctl.yaml: {line}); ",
        "suggest_zh": f"最接近“{word}”(若“{value}”就是“{word}”，在 gridctl.yaml 加一行 {line})；",
    }


def _short(value: Any) -> str:
    return str(value).removeprefix("Value error, ")


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
