"""Conflicts a merge left, kept under .git until `gridctl resolve` settles them, and how to say them.

The merge driver runs once per file, inside `git merge` (or `git pull`, or gridctl's own sync); it
keeps the clerk's value in the file and records the conflict here, with who changed the field on
each side and when. Only conflicts of the merge under way count: an entry whose HEAD is no longer
HEAD, or whose file git no longer lists as unmerged, is stale.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridctl.ledger.gitrepo import GitFailed, run_git
from gridctl.merge.threeway import Conflict
from gridctl.messages import KIND_ZH
from gridctl.model.masking import is_sensitive_name, mask_any, mask_free, mask_value

STORE = "gridctl/conflicts.json"


@dataclass
class Side:
    """Who last changed the record's file on one side of the merge, and when."""

    name: str = ""
    date: str = ""


def git_dir(root: Path) -> Path:
    return Path(run_git(root, "rev-parse", "--absolute-git-dir").decode("utf-8", "replace").strip())


def rev_of(root: Path, rev: str) -> str | None:
    """The commit `rev` names, or None when it names none."""
    try:
        return run_git(root, "rev-parse", "--verify", "-q", rev).decode().strip() or None
    except GitFailed:
        return None


def other_head(root: Path) -> str | None:
    """The commit being merged in: MERGE_HEAD, or while git merge runs the driver, its GITHEAD_<sha>."""
    found = rev_of(root, "MERGE_HEAD")
    if found:
        return found
    for key in os.environ:
        if key.startswith("GITHEAD_") and len(key) == 48:
            return key[8:]
    return None


def last_change(root: Path, base: str | None, tip: str | None, path: str) -> Side:
    """The last commit on `base..tip` that touched `path` (who and when), or an empty Side."""
    if not tip:
        return Side()
    span = f"{base}..{tip}" if base else tip
    try:
        out = run_git(root, "log", "-1", "--format=%an%x09%aI", span, "--", path)
    except GitFailed:
        return Side()
    name, _, stamp = out.decode("utf-8", "replace").strip().partition("\t")
    if not stamp:
        return Side(name)
    from gridctl.history.revisions import ledger_clock

    # on the ledger's clock, as review and log say it: a 09:40 made on a computer set to UTC read 01:40
    return Side(name, f"{ledger_clock(root).moment_of(stamp):%Y-%m-%d %H:%M}")


def sides(root: Path, path: str) -> tuple[Side, Side]:
    head, other = rev_of(root, "HEAD"), other_head(root)
    base = None
    if head and other:
        with contextlib.suppress(GitFailed):
            base = run_git(root, "merge-base", head, other).decode().strip() or None
    return last_change(root, base, head, path), last_change(root, base, other, path)


def record(root: Path, conflicts: list[Conflict], moved: str | None = None) -> list[dict[str, Any]]:
    """Add the conflicts of one file to the store (replacing that file's earlier entries).

    `moved`: the other side keeps the record under this path (moved to another grid's folder there,
    gridctl.merge.moved): its side is told from that file's history, and the entries say so."""
    if not conflicts:
        return []
    mine, theirs = sides(root, conflicts[0].file)
    if moved is not None:
        theirs = sides(root, moved)[1]
    head = rev_of(root, "HEAD")
    extra = {"moved": moved} if moved is not None else {}
    entries = [
        {**c.as_json(), "head": head, "who": {"mine": vars(mine), "theirs": vars(theirs)}, **extra} for c in conflicts
    ]
    files = {c.file for c in conflicts}
    kept = [e for e in _read(root) if e.get("file") not in files and e.get("head") == head]
    _write(root, kept + entries)
    return entries


def unmerged(root: Path) -> set[str]:
    return set(stages(root))


def stages(root: Path) -> dict[str, set[str]]:
    """Each unmerged file and the index stages git holds for it (1 base, 2 ours, 3 theirs): a file
    without 2 or 3 was deleted on that side."""
    out = run_git(root, "-c", "core.quotepath=off", "ls-files", "-u", "-z").decode("utf-8", "replace")
    found: dict[str, set[str]] = {}
    for item in out.split("\0"):
        meta, tab, path = item.partition("\t")
        if tab:
            found.setdefault(path, set()).add(meta.rsplit(" ", 1)[-1])
    return found


def live(root: Path) -> list[dict[str, Any]]:
    """The conflicts of the merge under way that are not settled yet."""
    entries = _read(root)
    if not entries:
        return []
    head, files = rev_of(root, "HEAD"), unmerged(root)
    return [e for e in entries if e.get("head") == head and e.get("file") in files]


def forget(root: Path, drop: list[dict[str, Any]] | None = None) -> None:
    """Remove settled entries (all of them when `drop` is None)."""
    if drop is None:
        _write(root, [])
        return
    _write(root, [e for e in _read(root) if e not in drop])


def drop_files(root: Path, files: set[str]) -> None:
    """Forget every entry of these files (their conflicts were said again under another file)."""
    _write(root, [e for e in _read(root) if e.get("file") not in files])


def reopen(root: Path, entry: dict[str, Any]) -> None:
    """Put a settled entry back (a choice taken back)."""
    _write(root, [*(e for e in _read(root) if e != entry), entry])


def _read(root: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads((git_dir(root) / STORE).read_text(encoding="utf-8"))
        return list(data["entries"]) if data.get("version") == 1 else []
    except (OSError, ValueError, KeyError, TypeError, AttributeError, GitFailed):
        return []


def _write(root: Path, entries: list[dict[str, Any]]) -> None:
    from gridctl.ledger.transaction import atomic_write

    data = json.dumps({"version": 1, "entries": entries}, ensure_ascii=False, indent=1).encode("utf-8")
    atomic_write(git_dir(root) / STORE, data, 0o600)


def shown(field: str, value: Any, reveal: bool = False, lang: str = "zh", kind: str = "", base: bool = False) -> str:
    """A value as the clerk reads it: personal data masked, a missing value named (a member missing from
    one side's household may have moved to another household, not left the ledger: said so; one the
    common version lacks was never there, not deleted)."""
    if isinstance(value, Mapping) and value.get("missing") is True and len(value) == 1:
        if field == "retired":
            return "(未注销)" if lang == "zh" else "(not retired)"
        if base:
            return "(原来没有)" if lang == "zh" else "(not there before)"
        if kind == "person" or field.startswith("members"):
            gone = "(此户中已没有：迁往他户或已删除)", "(no longer in this household: moved or deleted)"
            return gone[0] if lang == "zh" else gone[1]
        return "(已删除)" if lang == "zh" else "(deleted)"
    zh = lang == "zh"
    if value is None:
        return "(空)" if zh else "(empty)"
    last = field.split(".")[-1] if field else ""
    if not reveal and field and (is_sensitive_name(last) or last == "phone"):
        if isinstance(value, list):
            return "[" + ", ".join(mask_any(last, value)) + "]"
        return mask_value(last, str(value))
    if isinstance(value, Mapping | list):
        if not reveal and field == "":
            return "(整条记录)" if zh else "(the whole record)"
        return json.dumps(value if reveal else _masked_part(field, value), ensure_ascii=False)
    if not reveal:
        return str(mask_free(value))
    return str(value)


def opener(root: Path) -> Any:
    """The vault that opens this ledger's sealed values here, or None (a plain ledger, or no key)."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.vault import vault_of

    vault = vault_of(WorkTree(root))
    return vault if vault is not None and vault.can_open else None


def _opened(value: Any, record: str, field: str, vault: Any) -> Any:
    """A sealed value opened in memory for the clerk who holds a key (shown masked like any other, so
    mine and theirs can be told apart); one that does not open stays sealed and reads (已加密)."""
    name = field.split(".")[-1]
    if vault is None or name not in vault.fields:
        return value
    if isinstance(value, list):
        return [_opened(v, record, field, vault) for v in value]
    if not isinstance(value, str) or not value.startswith("ENC["):
        return value
    try:
        got = vault.open(value, record, name)
    except Exception:  # another data key, moved or damaged: it stays sealed
        return value
    return got.isoformat() if hasattr(got, "isoformat") else str(got)


def explain(entry: Mapping[str, Any], lang: str = "zh", reveal: bool = False, vault: Any = None) -> str:
    """One conflict as a clerk reads it: record, field, both values, who and when, what to do.

    `vault` (conflicts.opener) opens sealed values of an encrypted ledger: with a key here the clerk
    reads 138****8111 against 138****8222, not (已加密) on both sides."""
    kind, rid, fld = str(entry.get("kind") or ""), str(entry.get("record") or ""), str(entry.get("field") or "")
    who = entry.get("who") or {}
    mine, theirs = who.get("mine") or {}, who.get("theirs") or {}
    if entry.get("collision"):
        return _collision(entry, kind, rid, _who(mine), _who(theirs), lang)
    target = fld or ("整条记录" if lang == "zh" else "the whole record")
    take = f"gridctl resolve {rid or '-'} {fld or '-'} --take mine|theirs|VALUE"
    values = {
        k: shown(fld, _opened(entry.get(k), rid, fld, vault), reveal, lang, kind, base=k == "base")
        for k in ("base", "mine", "theirs")
    }
    why = ""
    if entry.get("moved") and fld == "grid":  # gridctl.merge.moved
        why = (
            f"  (两边把它迁往不同的网格；对方的在 {entry['moved']}: 选定网格后，文件放到该网格的文件夹)\n"
            if lang == "zh"
            else f"  (each side moved it to another grid; theirs is at {entry['moved']}: the file goes to the "
            "folder of the grid chosen)\n"
        )
    if kind == "household" and fld == "retired":  # one side retired it, the other added someone to it
        why = (
            "  (一方注销了此户，另一方给此户新增了人员: 保留注销，新增的人就不计入任何统计)\n"
            if lang == "zh"
            else "  (one side retired it, the other added someone to it: kept retired, they count nowhere)\n"
        )
    if lang == "zh":
        return (
            f"冲突: {KIND_ZH.get(kind, kind)} {rid} 的 {target} 两边改法不同 ({entry.get('file')})\n{why}"
            f"  本方 {_who(mine)}: {values['mine']}\n"
            f"  对方 {_who(theirs)}: {values['theirs']}\n"
            f"  原值: {values['base']}\n"
            f"  处理: {take.replace('VALUE', '新值')}\n"
        )
    return (
        f"conflict: {kind} {rid}, {target} was changed two ways ({entry.get('file')})\n{why}"
        f"  mine {_who(mine)}: {values['mine']}\n"
        f"  theirs {_who(theirs)}: {values['theirs']}\n"
        f"  before: {values['base']}\n"
        f"  settle: {take}\n"
    )


def _collision(entry: Mapping[str, Any], kind: str, rid: str, mine: str, theirs: str, lang: str) -> str:
    """Two records under one id: named by address and head (or name), never by a personal number;
    settled by giving mine a new id, never by taking one side (that lost the other record)."""
    from gridctl.merge.collide import describe

    ours, their = (describe(kind, entry.get(k), lang) or "-" for k in ("mine", "theirs"))
    fix = f"gridctl resolve {rid} --renumber mine"
    if lang == "zh":
        return (
            f"编号冲突: 两边各自新增了编号为 {rid} 的{KIND_ZH.get(kind, kind)}，"
            f"是两条不同的记录 ({entry.get('file')})\n"
            f"  本方 {mine}: {ours}\n"
            f"  对方 {theirs}: {their}\n"
            f"  处理: {fix} (本方的记录换用下一个空闲编号，两条都保留)\n"
        )
    return (
        f"id collision: both sides added a {kind} with id {rid}; they are two different records ({entry.get('file')})\n"
        f"  mine {mine}: {ours}\n"
        f"  theirs {theirs}: {their}\n"
        f"  settle: {fix} (this side's record gets the next free id; both are kept)\n"
    )


def _who(side: Mapping[str, str]) -> str:
    text = " ".join(x for x in (side.get("name"), side.get("date")) if x)
    return f"({text})" if text else ""


def _masked_part(field: str, value: Any) -> Any:
    """A member or a list shown whole in a conflict: its personal fields masked like anywhere else."""
    from gridctl.model.sensitive import mask_record

    if field.startswith("members"):
        return mask_record(value, ("members", 0))
    return mask_record(value, tuple(field.split(".")) if field else ())
