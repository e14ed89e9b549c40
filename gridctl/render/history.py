"""History, log and diff as text a clerk reads, or as JSON; personal values masked unless revealed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from gridctl.history.approvals import Approval
from gridctl.history.changelog import ChangeLog
from gridctl.history.describe import RecordChange, encrypted_words, file_sentence, resealed_words, sentence
from gridctl.history.follow import Step
from gridctl.history.opened import Closed
from gridctl.history.prints import sentences as print_sentences
from gridctl.history.records import FieldChange, shown
from gridctl.history.resealing import ENCRYPTED, RESEALED
from gridctl.ledger.clock import Clock
from gridctl.ledger.message import split_message
from gridctl.ledger.vault import RECIPIENTS
from gridctl.messages import KIND_ZH
from gridctl.model.chars import quoted_path
from gridctl.model.masking import mask_text

WHAT_ZH = {
    "created": "新建",
    "changed": "修改",
    "moved": "迁移",
    "renumbered": "换编号",
    "removed": "删除",
    "retired": "注销",
    "reinstated": "撤销注销",
    "added": "新增",
    "unknown-before": "更早的历史不在此克隆中",
    "resealed": "重新加密",
    "encrypted": "加密",
}
MARK = {
    "added": "+",
    "removed": "-",
    "moved": ">",
    "renumbered": ">",
    "retired": "x",
    "reinstated": "~",
    "changed": "~",
    "resealed": "=",
    "encrypted": "=",
}
SEALED_WORDS = {RESEALED: resealed_words, ENCRYPTED: encrypted_words}
"""Records only sealed, by a key rotation or the ledger's encryption: told in one line, not one per resident."""


def _plain(v: Any) -> str:
    """A value JSON has no type for, as `show --format json` writes it: a time 2026-03-06T09:30:00, not
    Python's 2026-03-06 09:30:00 (the versions compared are YAML as read, not records)."""
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


def _value(v: Any, lang: str, kind: str = "", path: tuple[Any, ...] = ()) -> str:
    """A value in a field line, in words whatever the console: none as (空) / (empty) (∅ is not in
    GBK: a Chinese Windows console showed ?), true as 是 / yes, a time to the minute, a small record
    (注销: 日期 2026-03-05，原因 病故) by its fields, never as Python or JSON would write it."""
    zh = lang == "zh"
    if v is None:
        return "(空)" if zh else "(empty)"
    if isinstance(v, Closed):  # its data key was never given to this computer: said, not left to guess
        return f"(已加密，本机没有该数据密钥 {v.key_id})" if zh else f"(sealed with data key {v.key_id}, not held here)"
    if isinstance(v, bool):
        return ("是" if v else "否") if zh else ("yes" if v else "no")
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ", timespec="minutes" if not v.second and not v.microsecond else "seconds")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x, lang, kind, path) for x in v) + "]"
    if isinstance(v, dict):
        return _entry(v, kind, path, lang)
    return str(v)


def field_name(change: FieldChange, kind: str, lang: str) -> str:
    """The field as the clerk calls it: 联系电话 in Chinese (gridctl.model.labels), phones in English."""
    if lang != "zh":
        return change.field
    from gridctl.model.labels import label

    if change.label and change.path[:1] == ("members",):  # members[P0000001].phones
        who = change.label.split("[", 1)[1].split("]", 1)[0]
        return f"{label('household', ('members',))} {who} {label('person', change.path[2:])}"
    return label(kind, change.path) or change.field


def _field_lines(changes: list[FieldChange], kind: str, reveal: bool, lang: str = "en") -> list[str]:
    out = []
    for change in changes:
        old, new = shown(change, kind, reveal)
        name = field_name(change, kind, lang)
        if change.path == ("members",):  # who came and who went, by id
            out.extend(_came_went(name, old or [], new or [], lang))
        elif _entries(old) and _entries(new) and (old or new):
            out.extend(_entry_lines(name, kind, change.path, old or [], new or [], lang))
        else:
            out.append(f"    {name}: {_value(old, lang, kind, change.path)} → {_value(new, lang, kind, change.path)}")
    return out


def _entries(v: Any) -> bool:
    """A list of small records (an event's steps, a grid's responsible people), or none."""
    return v is None or (isinstance(v, list) and all(isinstance(x, dict) for x in v))


def _came_went(name: str, gone: list[Any], came: list[Any], lang: str) -> list[str]:
    zh = lang == "zh"
    out = [f"    {name} {'新增' if zh else 'added'}: {_value(pid, lang)}" for pid in came]
    return out + [f"    {name} {'移出' if zh else 'removed'}: {_value(pid, lang)}" for pid in gone]


def _entry_lines(name: str, kind: str, path: tuple[Any, ...], old: list[Any], new: list[Any], lang: str) -> list[str]:
    """The entries a change added and removed, each in words: an event's timeline only grows, so a step
    reads as the one new step, not as the whole timeline twice."""
    zh = lang == "zh"
    gone, came = [], list(new)
    for entry in old:
        if entry in came:
            came.remove(entry)
        else:
            gone.append(entry)
    said = [(("删除" if zh else "removed"), e) for e in gone] + [(("新增" if zh else "added"), e) for e in came]
    return [f"    {name} {what}: {_entry(e, kind, path, lang)}" for what, e in said]


def _entry(entry: dict[str, Any], kind: str, path: tuple[Any, ...], lang: str) -> str:
    """One entry as `时间 2026-03-05 09:30，经办人 S0001，环节 受理` (field names as the clerk calls them)."""
    from gridctl.model.labels import label, word

    parts = []
    for key, v in entry.items():
        if v is None or v == [] or v == "":
            continue
        at = (*path, key)
        if lang == "zh":
            v = word(kind, at, v)
            whole, own = label(kind, at), label(kind, path)
            key = whole.removeprefix(f"{own}·") if own else whole
        parts.append(f"{key} {_brief(v, kind, at, lang)}")
    return ("，" if lang == "zh" else ", ").join(parts)


def _brief(v: Any, kind: str, path: tuple[Any, ...], lang: str) -> str:
    """A value inside an entry: a list joined, a record within it in brackets."""
    if isinstance(v, list):
        return ("、" if lang == "zh" else "; ").join(_brief(x, kind, path, lang) for x in v)
    if isinstance(v, dict):
        return ("（{}）" if lang == "zh" else "({})").format(_entry(v, kind, path, lang))
    return _value(v, lang, kind, path)


def _free(text: str, reveal: bool) -> str:
    """A commit's own words (a hand-made commit's subject, an old reason): ID numbers and mobiles masked."""
    return text if reveal else mask_text(text)


def _body(message: str) -> str:
    """The clerk's reason, without the trailers gridctl adds (the command, the ids a renumbering gave)."""
    return " ".join(ln for ln in split_message(message)[1].split("\n") if ln.strip())


def _when(clock: Clock, stamp: str) -> str:
    """A commit's time as the ledger's clock reads it (YYYY-MM-DD HH:MM)."""
    return clock.moment_of(stamp).isoformat(sep=" ", timespec="minutes")


def history_text(
    record_id: str,
    steps: list[Step],
    lang: str,
    reveal: bool,
    clock: Clock | None = None,
    approvals: Mapping[str, Approval] | None = None,
) -> str:
    """Every version, with its time in the ledger's zone (`clock`; default Asia/Shanghai), and who
    approved it where an approval brought it (`approvals`: commit id → approval)."""
    clock = clock or Clock.system()
    zh = lang == "zh"
    out = [f"{record_id}: {len(steps)} {'个版本' if zh else 'version' if len(steps) == 1 else 'versions'}"]
    for step in steps:
        c = step.commit
        what = WHAT_ZH[step.what] if zh else step.what
        out.append(f"{_when(clock, c.date)}  {c.author} <{c.email}>  {c.sha[:10]}  [{what}]")
        out.append(f"  {_free(c.subject, reveal)}")
        reason = _free(_body(c.message), reveal)
        if reason:
            out.append(f"  {'原因' if zh else 'why'}: {reason}")
        approval = (approvals or {}).get(c.sha)
        if approval is not None:
            out.append(f"  {'审核通过' if zh else 'approved by'}: {approval.reviewer} ({_when(clock, approval.date)})")
        b, a = step.before, step.after
        if b is not None and a is not None and b.file != a.file:
            out.append(f"    {'文件' if zh else 'file'}: {quoted_path(b.file)} → {quoted_path(a.file)}")
        if b is not None and a is not None and b.household != a.household:
            out.append(f"    {'户' if zh else 'household'}: {b.household} → {a.household}")
        kind = (a or b).kind if (a or b) else ""  # type: ignore[union-attr]
        out.extend(_field_lines(step.changes, kind, reveal, lang))
        if step.what in SEALED_WORDS:
            out.append(f"    ({SEALED_WORDS[step.what](lang)})")
        if step.what == "unknown-before":
            out.append(
                "    (浅克隆: 此前的历史不在本仓库中)" if zh else "    (shallow clone: earlier history is not here)"
            )
    return "\n".join(out) + "\n"


def history_json(
    record_id: str, steps: list[Step], reveal: bool, approvals: Mapping[str, Approval] | None = None
) -> str:
    items = []
    for step in steps:
        kind = (step.after or step.before).kind if (step.after or step.before) else ""  # type: ignore[union-attr]
        items.append(
            {
                "commit": step.commit.sha,
                "author": step.commit.author,
                "email": step.commit.email,
                "date": step.commit.date,
                "message": _free(step.commit.message, reveal),
                "what": step.what,
                "id_before": step.before.id if step.before else None,
                "id_after": step.after.id if step.after else None,
                "file_before": step.before.file if step.before else None,
                "file_after": step.after.file if step.after else None,
                "household_before": step.before.household if step.before else None,
                "household_after": step.after.household if step.after else None,
                "changes": [
                    {"field": c.field, "old": o, "new": n} for c in step.changes for o, n in [shown(c, kind, reveal)]
                ],
                "approved_by": _approval_json((approvals or {}).get(step.commit.sha), "")["approved_by"],
            }
        )
    return json.dumps({"id": record_id, "versions": items}, ensure_ascii=False, indent=2, default=_plain) + "\n"


def log_text(result: ChangeLog, lang: str, clock: Clock | None = None) -> str:
    """One sentence per change, dated on the ledger's clock (default Asia/Shanghai)."""
    clock = clock or Clock.system()
    zh = lang == "zh"
    out = []
    for entry in result.entries:
        c = entry.commit
        head = f"{clock.day_of(c.date)} {c.author}"
        approval = result.approvals.get(c.sha)
        by = ""
        if approval is not None and approval.merge == c.sha:
            n = len(approval.brought)
            said = f"审核通过 {n} 个提交" if zh else f"approved {n} commit{'' if n == 1 else 's'}"
            out.append(f"{clock.day_of(c.date)} {approval.reviewer}: {said}")
        elif approval is not None:
            by = f"（审核通过: {approval.reviewer}）" if zh else f" (approved by {approval.reviewer})"
        sealed = {w: sum(c.what == w for c in entry.changes) for w in SEALED_WORDS}
        for change in entry.changes:
            if change.what not in SEALED_WORDS:
                out.append(f"{head}: {sentence(change, result.grid_names, lang)}{by}")
        for what, n in sealed.items():
            if n:
                out.append(f"{head}: {SEALED_WORDS[what](lang, n)}{by}")
        files_sealed = 0
        for what, words in SEALED_WORDS.items():  # a large ledger encrypted or rotated: its household files
            n = sum(k for (_kind, w), k in (entry.bulk or {}).items() if w == what)
            if n:
                unit = f"（{n} 个户文件）" if zh else f" ({n} household file{'s' * (n > 1)})"
                out.append(f"{head}: {words(lang)}{unit}{by}")
                files_sealed += n
        if entry.bulk and not files_sealed:
            parts = []
            for (kind, what), n in entry.bulk.items():
                name = KIND_ZH.get(kind, kind) if zh else kind
                parts.append(f"{WHAT_ZH[what]}{name} {n}" if zh else f"{n} {kind} {what}")
            note = "（按文件计）" if zh else " (counted in files)"
            out.append(f"{head}: {c.subject} — " + ("、".join(parts) if zh else ", ".join(parts)) + note + by)
        for said in print_sentences(entry.prints, result.grid_names, lang):
            out.append(f"{head}: {said}{by}")
        for path, what in entry.other_files:
            if not ((any(sealed.values()) or files_sealed) and path == RECIPIENTS):  # the line above says it
                out.append(f"{head}: {file_sentence(path, what, lang)}{by}")
    if result.truncated:
        out.append("(浅克隆: 更早的历史不在本仓库中)" if zh else "(shallow clone: older history is not here)")
    if not out:
        out.append("没有变更" if zh else "no changes")
    return "\n".join(mask_text(line) for line in out) + "\n"


def log_json(result: ChangeLog, lang: str) -> str:
    items = []
    for entry in result.entries:
        c = entry.commit
        items.append(
            {
                "commit": c.sha,
                "author": c.author,
                "email": c.email,
                "date": c.date,
                "subject": mask_text(c.subject),
                "merge": len(c.parents) > 1,
                "changes": [
                    {
                        "id": ch.id,
                        "kind": ch.kind,
                        "what": ch.what,
                        "sentence": mask_text(sentence(ch, result.grid_names, lang)),
                    }
                    for ch in entry.changes
                ],
                "other_files": [{"path": p, "what": w} for p, w in entry.other_files],
                "printed": [
                    {"what": w, "grid": g, "sentence": said}
                    for w, g in entry.prints
                    for said in print_sentences([(w, g)], result.grid_names, lang)
                ],
                "bulk": [{"kind": k, "what": w, "files": n} for (k, w), n in entry.bulk.items()],
                **_approval_json(result.approvals.get(c.sha), c.sha),
            }
        )
    return json.dumps({"commits": items, "truncated": result.truncated}, ensure_ascii=False, indent=2) + "\n"


def _approval_json(approval: Approval | None, sha: str) -> dict[str, Any]:
    """`approved_by`: who let the commit into the ledger (null: no approval brought it); an approval's
    own merge says which commits it `approves`."""
    if approval is None:
        return {"approved_by": None}
    said: dict[str, Any] = {"approved_by": {"name": approval.reviewer, "commit": approval.merge, "date": approval.date}}
    if approval.merge == sha:
        said["approves"] = list(approval.brought)
    return said


def diff_text(changes: list[RecordChange], names: Mapping[str, str], lang: str, reveal: bool) -> str:
    zh = lang == "zh"
    out = []
    for what, words in SEALED_WORDS.items():
        n = sum(c.what == what for c in changes)
        if n:
            out.append(f"{MARK[what]} {words(lang, n)}")
    for change in changes:
        if change.what in SEALED_WORDS:
            continue
        said = sentence(change, names, lang)  # an event's title or a name may quote a mobile
        out.append(f"{MARK[change.what]} {said if reveal else mask_text(said)}")
        b, a = change.before, change.after
        if change.what in ("changed", "moved", "renumbered", "retired", "reinstated"):
            out.extend(_field_lines(change.changes, change.kind, reveal, lang))
        elif change.what == "added" and a is not None:
            out.append(f"    {quoted_path(a.file)}")
        elif change.what == "removed" and b is not None:
            out.append(f"    {quoted_path(b.file)}")
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.what] = counts.get(change.what, 0) + 1
    if zh:
        summary = "、".join(f"{WHAT_ZH[k]} {v}" for k, v in counts.items()) or "没有记录变更"
    else:
        summary = ", ".join(f"{v} {k}" for k, v in counts.items()) or "no record changes"
    out.append(summary)
    return "\n".join(out) + "\n"


def diff_json(changes: list[RecordChange], reveal: bool) -> str:
    items = [
        {
            "id": c.id,
            "kind": c.kind,
            "kind_zh": KIND_ZH.get(c.kind, c.kind),
            "what": c.what,
            "file_before": c.before.file if c.before else None,
            "file_after": c.after.file if c.after else None,
            "changes": [
                {"field": f.field, "old": o, "new": n} for f in c.changes for o, n in [shown(f, c.kind, reveal)]
            ],
        }
        for c in changes
    ]
    return json.dumps({"changes": items}, ensure_ascii=False, indent=2, default=_plain) + "\n"
