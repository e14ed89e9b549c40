"""What a commit to the print manifest printed, read from both versions of the manifest.

`gridctl print board|cards|chart` notes each print in `.gridctl/printed.json` (gridctl.render.manifest)
and commits it. The log tells such a commit as the print it was (打印网格公示牌 110105017006003 (第三网格)),
not as 修改文件 .gridctl/printed.json; like every other sentence of the log it is derived from the
content, so a print committed by an older gridctl or by hand reads the same.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from gridctl.i18n import Text

MANIFEST = ".gridctl/printed.json"
"""Where prints are noted: gridctl.render.manifest writes it, the log reads it (without the renderer)."""
WHAT_ZH = {"board": "网格公示牌", "cards": "服务联系卡", "chart": "网格管理责任图"}
WHAT_EN = {"board": ("notice board", "notice boards"), "cards": ("contact cards", "contact cards")}
WHAT_EN["chart"] = ("responsibility chart", "responsibility charts")
SHOWN = 3
"""Items named in one sentence; a print of every grid names the first and counts the rest."""

Print = tuple[str, str]
"""(board|cards|chart, the grid printed; "all" for a chart of the whole tree)."""


CONFLICT_MARK = "<<<<<<<"


def conflicted(blob: bytes) -> bool:
    """Whether `blob` holds git's conflict markers: a merge of two sides' prints left unsettled."""
    return any(line.startswith(CONFLICT_MARK.encode()) for line in blob.splitlines())


def damage(blob: bytes) -> Text | None:
    """Why `blob` is not a manifest gridctl could have written (a merge's conflict markers, a cut-off
    or garbled file); None when it is one. Read as "nothing printed", it made every print look current."""
    found = damage_at(blob)
    return found.why if found is not None else None


class Damage(NamedTuple):
    """Why a manifest cannot be read, and where (line 1 when no one line is to blame)."""

    why: Text
    line: int = 1
    column: int = 1
    width: int = 1


def damage_at(blob: bytes) -> Damage | None:
    """`damage` with where it is, for validate to point at (GC019)."""
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Damage(Text("不是 UTF-8 文本", "it is not UTF-8 text"), blob[: exc.start].count(b"\n") + 1)
    for n, line in enumerate(text.splitlines() if CONFLICT_MARK in text else (), 1):  # one search, most of the time
        if line.startswith(CONFLICT_MARK):
            why = Text(
                f"第 {n} 行有合并冲突标记 {CONFLICT_MARK}", f"line {n} holds a merge conflict marker {CONFLICT_MARK}"
            )
            return Damage(why, n, 1, len(CONFLICT_MARK))
    if not text.strip():
        return Damage(Text("文件是空的", "the file is empty"))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        why = Text(
            f"第 {exc.lineno} 行第 {exc.colno} 列不是有效的 JSON",
            f"line {exc.lineno} column {exc.colno} is not valid JSON",
        )
        return Damage(why, exc.lineno, exc.colno)
    except (ValueError, RecursionError):
        return Damage(Text("不是有效的 JSON", "it is not valid JSON"))
    if not isinstance(data, dict) or not isinstance(data.get("printed"), dict):
        return Damage(Text('没有 "printed" 一项，不是打印记录', 'it has no "printed" object: not a record of prints'))
    odd = next((key for key, entry in data["printed"].items() if not isinstance(entry, dict)), None)
    if odd is not None:
        return Damage(Text(f'"{odd}" 不是一条打印记录', f'"{odd}" is not the record of a print'), _line_of(text, odd))
    return None


def _line_of(text: str, key: str) -> int:
    """The line that names `key` (as gridctl writes it, one key a line); 1 when none does."""
    names = (json.dumps(key, ensure_ascii=False), json.dumps(key))
    return next((n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(names)), 1)


MERGE_HINT = Text(
    "两边的打印在合并时冲突。合并还没提交: gridctl sync 把两边的打印记录合在一起并完成合并，"
    "或 git merge --abort，运行 gridctl setup (此后打印记录按条目合并) 再合并；"
    f"已经提交了: 从 git 取回两边的版本 (git log -p -- {MANIFEST})，把两边的条目都留下",
    "prints made on both sides conflicted in a merge. Merge not committed yet: gridctl sync merges both sides' "
    "prints and finishes the merge, or git merge --abort, run gridctl setup (prints then merge entry by entry) "
    f"and merge again; already committed: take both versions from git (git log -p -- {MANIFEST}) and keep the "
    "entries of both",
)
REPAIR_HINT = Text(
    f"从 git 取回完好的一版: git log -p -- {MANIFEST}；git checkout 提交 -- {MANIFEST}",
    f"take a sound version from git: git log -p -- {MANIFEST}; git checkout COMMIT -- {MANIFEST}",
)


def repair(blob: bytes) -> Text:
    """What to do about a damaged manifest: settle the merge that left markers, else take a sound version."""
    return MERGE_HINT if conflicted(blob) else REPAIR_HINT


def dump(manifest: Mapping[str, Any]) -> bytes:
    """The manifest's bytes, as every print (and every merge of prints) writes them."""
    return (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _entries(blob: bytes | None) -> dict[str, Any] | None:
    """The manifest's items by key; None when it is not a manifest gridctl could have written."""
    if not blob:
        return {}
    try:
        data = json.loads(blob.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    printed = data.get("printed") if isinstance(data, dict) else None
    return printed if isinstance(printed, dict) else None


def printed(old: bytes | None, new: bytes | None) -> list[Print] | None:
    """The items whose entry `new` adds or replaces (each print rewrites its entry: revision, date).

    None when nothing reads as a print (the file removed, damaged, or an entry only taken out by
    hand): the commit is then told as a changed file, as before."""
    before, after = _entries(old), _entries(new)
    if before is None or after is None or not new:
        return None
    out = []
    for key, entry in after.items():
        if before.get(key) == entry or not isinstance(entry, dict):
            continue
        what, gid = entry.get("what"), entry.get("id")
        if what in WHAT_ZH and isinstance(gid, str) and gid:
            out.append((what, gid))
    return out or None


def sentences(prints: Sequence[Print], names: Mapping[str, str], lang: str) -> list[str]:
    """One sentence per kind printed: 打印网格公示牌 110105017006003 (第三网格)、… 等 5 项."""
    zh = lang == "zh"
    out = []
    for what in dict.fromkeys(w for w, _ in prints):
        ids = [gid for w, gid in prints if w == what]
        named = [_grid(gid, names, zh) for gid in ids[:SHOWN]]
        rest = len(ids) - len(named)
        if zh:
            out.append(f"打印{WHAT_ZH[what]} " + "、".join(named) + (f" 等 {len(ids)} 项" if rest else ""))
        else:
            noun = WHAT_EN[what][len(ids) > 1]
            out.append(f"printed {noun} " + ", ".join(named) + (f" and {rest} more" if rest else ""))
    return out


def _grid(gid: str, names: Mapping[str, str], zh: bool) -> str:
    if gid == "all":
        return "全部网格" if zh else "(all grids)"
    return f"{gid} ({names[gid]})" if names.get(gid) else gid
