"""`gridctl resolve ID FIELD --take mine|theirs|VALUE`: settle one conflict a merge left.

The file keeps the clerk's value while a conflict is open; taking theirs copies the other side's
node from git's stage 3 (so its type and comments come along), a VALUE is typed by the record's
model as `--set` types it. When a file has no conflict left it is staged; when no conflict is
left at all, the merge is validated and committed (gitmerge.finish).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.crash import crash_point
from gridctl.ledger.gitrepo import GitFailed, run_git
from gridctl.ledger.message import Author
from gridctl.ledger.transaction import atomic_write
from gridctl.ledger.yamlfile import dump_rt, edit_text, load_rt
from gridctl.merge import conflicts as store
from gridctl.merge.gitmerge import MergeResult, finish_locked
from gridctl.ops.write import WriteRejected

_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")
WHOLE = ("", "-")


@dataclass
class Resolved:
    entry: dict[str, Any]
    left: list[dict[str, Any]]
    merged: MergeResult | None = None


def _steps(label: str) -> list[tuple[str, str]]:
    """`address.room` → [("key","address"), ("key","room")]; `[X]` selects the list item with id X."""
    return [("id", ident) if ident else ("key", name) for name, ident in _STEP.findall(label)]


def _locate(docs: list[Any], rid: str) -> tuple[Any, Any] | None:
    """(list holding the record, the record) for a document or a household member with this id."""
    for doc in docs:
        if isinstance(doc, dict) and str(doc.get("id")) == rid:
            return docs, doc
    for doc in docs:
        members = doc.get("members") if isinstance(doc, dict) else None
        for member in members if isinstance(members, list) else ():
            if isinstance(member, dict) and str(member.get("id")) == rid:
                return members, member
    return None


def _household_of(docs: list[Any], rid: str) -> str | None:
    for doc in docs:
        members = doc.get("members") if isinstance(doc, dict) else None
        if isinstance(members, list) and any(isinstance(m, dict) and str(m.get("id")) == rid for m in members):
            return str(doc.get("id"))
    return None


def _walk(node: Any, steps: list[tuple[str, str]]) -> Any:
    for how, name in steps:
        if node is None:
            return None
        if how == "key":
            node = node.get(name) if isinstance(node, dict) else None
        else:
            node = next((x for x in node or () if isinstance(x, dict) and str(x.get("id")) == name), None)
    return node


def _theirs(root: Path, rel: str, stage: int = 3) -> list[Any]:
    try:
        text = run_git(root, "show", f":{stage}:{rel}").decode("utf-8-sig")
    except GitFailed:
        return []  # the other side deleted the file
    return [d for d in load_rt(text) if d is not None]


def _take_theirs(root: Path, rel: str, docs: list[Any], entry: dict[str, Any], stage: int = 3) -> None:
    rid, label = str(entry["record"]), str(entry.get("field") or "")
    their_docs = _theirs(root, rel, stage)
    theirs = _locate(their_docs, rid)
    mine = _locate(docs, rid)
    if label in WHOLE:
        if theirs is None:
            if mine is not None:
                mine[0].remove(mine[1])
            return
        if mine is not None:
            mine[0][mine[0].index(mine[1])] = theirs[1]
            return
        household = _household_of(their_docs, rid)
        home = _locate(docs, household) if household else None
        (home[1].setdefault("members", []) if home else docs).append(theirs[1])
        return
    if mine is None:
        raise GridctlError(
            Text(
                f"{rid} 已不在 {rel} 中；请先取整条记录",
                f"{rid} is not in {rel} any more; take the whole record first",
            )
        )
    steps = _steps(label)
    parent = _walk(mine[1], steps[:-1])
    their_parent = _walk(theirs[1], steps[:-1]) if theirs else None
    how, last = steps[-1]
    if how != "key" or parent is None:
        raise GridctlError(
            Text(
                f"{label} 不能取对方的值；请直接给出值",
                f"cannot take theirs for {label}; give the value instead",
            )
        )
    if their_parent is None or last not in their_parent:
        parent.pop(last, None)
    else:
        parent[last] = their_parent[last]


def _keep_mine(root: Path, rel: str, entry: dict[str, Any]) -> None:
    """This side's value (git's stage 2) back in the file where an earlier choice, killed before the
    conflict was marked settled, had written another: `--take mine` left the file as it found it."""
    path = root / rel
    if not path.is_file():
        return
    raw = path.read_bytes()
    text = edit_text(raw)
    docs = [d for d in load_rt(text) if d is not None]
    try:
        _take_theirs(root, rel, docs, entry, stage=2)
    except GridctlError:
        return  # a value no side can give back (a list item): the file as it is, as before
    data = dump_rt(text, docs)
    if docs and data != text.encode("utf-8"):
        atomic_write(path, _sealed(root, rel, data))


def _set_value(docs: list[Any], entry: dict[str, Any], raw: str) -> None:
    from gridctl.ops.fields import coerce, parse_path, set_in
    from gridctl.ops.records import model_of

    rid, label = str(entry["record"]), str(entry.get("field") or "")
    if label in WHOLE or "[" in label:
        raise GridctlError(
            Text(
                "整条记录或列表中的一项，只能用 --take mine 或 --take theirs 解决",
                "a whole record or a list item is settled with --take mine or --take theirs",
            )
        )
    found = _locate(docs, rid)
    if found is None:
        raise GridctlError(
            Text(
                f"{rid} 不在 {entry['file']} 中；用 --take theirs 取回",
                f"{rid} is not in {entry['file']}; take theirs to bring it back",
            )
        )
    path = parse_path(label)
    set_in(found[1], path, coerce(model_of(str(entry.get("kind") or "person")), path, raw))


def _sealed(root: Path, rel: str, data: bytes) -> bytes:
    """An encrypted ledger: a value typed to settle a conflict is sealed like any other write (needs the key)."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.sealing import seal_changes
    from gridctl.ledger.vault import vault_of

    return seal_changes({rel: data}, vault_of(WorkTree(root)))[rel] or data


def _named(root: Path, value: str, live: list[dict[str, Any]]) -> str:
    """The id of the conflicted record that `value` is or names (张桂英户, 王芳), as every command takes
    names; the records are named as this side (HEAD) has them."""
    ids = {str(e.get("record")) for e in live}
    if value in ids or not ids:
        return value
    from gridctl.ledger.files import GitTree
    from gridctl.ledger.index import load
    from gridctl.ledger.names import UnknownName, names_of, pick

    ledger, _problems = load(root, GitTree(root, "HEAD"))
    if ledger is None:
        return value
    people = any(e.get("kind") == "person" for e in live)
    entries = {rid: ledger.get(rid) for rid in sorted(ids)}
    candidates = {rid: names_of(entry, people) if entry is not None else [] for rid, entry in entries.items()}
    kinds = sorted({str(e.get("kind") or "person") for e in live})
    try:
        return pick(value, candidates, kinds)
    except UnknownName:
        return value  # then the open conflicts are listed


def _field_of(live: list[dict[str, Any]], record: str, field: str) -> str:
    """The conflicted field `field` names: its own name, or its Chinese one as `edit` takes it (所属网格)."""
    from gridctl.model.labels import field_path

    fields = {str(e.get("field") or ""): str(e.get("kind") or "") for e in live if str(e.get("record")) == record}
    if field in fields:
        return field
    return next((f for f, kind in fields.items() if f and field_path(kind, field) == f), field)


def _grid_chosen(root: Path, entry: dict[str, Any], take: str) -> str:
    """The grid a `grid` conflict is settled with, as its id: a grid's name as every command takes it
    (第二网格 was read as a code, GC112). A retired grid can take no record: refused before anything is
    written, the conflict open as it was (taken, the file went to its folder, the merge was refused,
    and git's index was left with the conflict gone)."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load
    from gridctl.ledger.names import UnknownName
    from gridctl.ledger.names import resolve as by_name
    from gridctl.ops.gridretire import open_grid

    ledger, _problems = load(root, WorkTree(root))
    if ledger is None:
        return take
    chosen = str(entry.get(take)) if take in ("mine", "theirs") else take
    if take not in ("mine", "theirs"):
        try:
            chosen = take = by_name(ledger, take, ["grid"])
        except UnknownName:
            return take  # no such grid: refused as before, when the merged ledger is checked
    open_grid(ledger, chosen)
    return take


def resolve(root: Path, record: str, field: str, take: str, author: Author, wait: float | None = None) -> Resolved:
    """Settle one conflict under the ledger's lock, from reading the open conflicts to the merge commit:
    two resolves at once each read the file before the other wrote it, and the merge was committed
    with one clerk's choice lost, though both were told it was settled."""
    from gridctl.ledger.lock import ledger_lock

    with ledger_lock(store.git_dir(root), f"gridctl resolve {record} {field}", wait):
        return _resolve(root, record, field, take, author)


def _resolve(root: Path, record: str, field: str, take: str, author: Author) -> Resolved:
    from gridctl.merge.moved import place, settle

    settle(root)  # a plain `git merge` that stopped on a record moved to two grids: said as its own conflict
    live = store.live(root)
    record = _named(root, record, live)
    wanted = "" if field in WHOLE else _field_of(live, record, field)
    matches = [e for e in live if str(e.get("record")) == record and str(e.get("field") or "") == wanted]
    if not matches:
        listed = "; ".join(f"{e.get('record')} {e.get('field') or '-'}" for e in live)
        settled = not live and (store.git_dir(root) / "MERGE_HEAD").exists() and not store.unmerged(root)
        raise GridctlError(
            Text(
                f"没有 {record} {field} 这个冲突；未解决的: {listed or '无'}",
                f"no open conflict for {record} {field}; open: {listed or 'none'}",
            ),
            hint=Text(  # every conflict settled, the merge not committed (a resolve stopped before its commit)
                "冲突都已解决，合并还没有提交: 运行 gridctl sync 校验并提交合并",
                "every conflict is settled but the merge is not committed: gridctl sync checks and commits it",
            )
            if settled
            else Text("gridctl sync 会列出未解决的冲突", "gridctl sync shows the open conflicts"),
        )
    entry = matches[0]
    if entry.get("collision"):
        raise GridctlError(
            Text(
                f"{record} 是编号冲突: 两边各自新增了一条，是两条不同的记录，取任何一方都会丢掉另一条",
                f"{record} is an id collision: each side added its own record, and taking either side loses the other",
            ),
            hint=Text(
                f"gridctl resolve {record} --renumber mine (本方的记录换用新编号，两条都保留)",
                f"gridctl resolve {record} --renumber mine (this side's record gets a new id; both are kept)",
            ),
        )
    if wanted == "grid":
        take = _grid_chosen(root, entry, take)
    rel = str(entry["file"])
    path = root / rel
    kept = path.read_bytes() if path.is_file() else None
    if take == "mine":
        if entry.get("kind") == "event" and wanted == "status" and kept is not None:
            _status_follows(root, entry, [d for d in load_rt(edit_text(kept)) if d is not None], take)
        _keep_mine(root, rel, entry)
    else:
        text = edit_text(path.read_bytes()) if path.is_file() else ""
        docs = [d for d in load_rt(text) if d is not None] if text.strip() else []
        if take == "theirs":
            _take_theirs(root, rel, docs, entry)
        else:
            _set_value(docs, entry, take)
        if entry.get("kind") == "event" and wanted == "status":
            _status_follows(root, entry, docs, take)
        if docs:
            atomic_write(path, _sealed(root, rel, dump_rt(text, docs)))
        else:
            path.unlink(missing_ok=True)
    crash_point("settled")
    store.forget(root, [entry])
    left = [e for e in store.live(root) if e is not entry and e != entry]
    if not any(e["file"] == rel for e in left):
        if entry.get("moved"):
            place(root, rel, entry)  # to the folder of the grid chosen
        else:
            run_git(root, "add", "-A", "--", rel)
    merged = None
    merging = (store.git_dir(root) / "MERGE_HEAD").exists()  # not a rebase or cherry-pick: git continues those
    if merging and not left and not store.unmerged(root):
        try:
            merged = finish_locked(root, author, abort=False)
        except WriteRejected:
            _unsettle(root, rel, kept, entry)  # this choice alone is taken back: the others stay made
            raise
    return Resolved(entry, left, merged)


def _status_follows(root: Path, entry: dict[str, Any], docs: list[Any], take: str) -> None:
    """An event's status taken in a merge follows its merged timeline (gridctl.supervision.status): two
    clones' steps (回退, 处置) conflicted on status, and `--take 已结案` closed the overdue event with no
    结案 step by anyone. Refused before anything is written; the conflict stays open."""
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.files import WorkTree
    from gridctl.supervision.status import statuses_after

    settings, _problems = load_settings(WorkTree(root))
    lc = settings.supervision.lifecycle if settings is not None else None
    found = _locate(docs, str(entry["record"]))
    if lc is None or found is None or not isinstance(found[1], dict):
        return
    event = found[1]
    timeline = event.get("timeline") if isinstance(event.get("timeline"), list) else []
    steps = [(s.get("at"), s.get("action")) for s in timeline if isinstance(s, dict)]
    allowed = statuses_after(lc, steps)
    status = str(event.get("status"))
    if allowed is None or status in allowed:
        return
    rid, given = entry["record"], status if take == status else f"{take} ({status})"
    raise GridctlError(
        Text(
            f"{rid} 的状态不能取 {given}：合并后的处置记录最后一步之后是 {'或'.join(sorted(allowed))}；"
            "状态随办理环节而定",
            f"{rid}'s status cannot take {given}: after the merged timeline's last step it is "
            f"{' or '.join(sorted(allowed))}; a status follows the steps taken",
        ),
        hint=Text(
            f"gridctl resolve {rid} status --take {sorted(allowed)[0]}；"
            f"要结案等请合并后再办理 (gridctl event steps {rid})",
            f"gridctl resolve {rid} status --take {sorted(allowed)[0]}; to close it or take another step, "
            f"do so after the merge (gridctl event steps {rid})",
        ),
    )


def _unsettle(root: Path, rel: str, kept: bytes | None, entry: dict[str, Any]) -> None:
    """The conflict as it was before a choice that made the merged ledger invalid: its file, unmerged
    in git's index again, and open in the store."""
    run_git(root, "update-index", "--unresolve", rel)  # (it takes no "--": a ledger path never starts with "-")
    path = root / rel
    if kept is None:
        path.unlink(missing_ok=True)
    else:
        atomic_write(path, kept)
    store.reopen(root, entry)
