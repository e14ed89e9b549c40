"""move: a record to another grid, as a Change for gridctl.ops.write.

Its file moves to the new grid's folder and its id stays, so history follows the id. A record that
shares its file with others leaves it for a file of its own; a file in the way is never written over.
"""

from __future__ import annotations

from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.files import WorkTree
from gridctl.ledger.index import Ledger
from gridctl.ledger.layout import BY_GRID, path_for
from gridctl.ledger.yamlfile import dump_apart
from gridctl.model.chars import quoted_path
from gridctl.ops.records import Change, Edit, find, kind_label


def move(ledger: Ledger, record_id: str, to_grid: str) -> Change:
    """A record to another grid: its file moves with it, its id stays. A record sharing its file with
    others leaves it for a file of its own in the new grid's folder (as an import moves one); the
    others stay where they are. The warnings it adds are listed (a household's 包户人 may serve no
    grid of it now: GC236)."""
    change = _move(ledger, record_id, to_grid)
    change.warn = True
    return change


def _move(ledger: Ledger, record_id: str, to_grid: str) -> Change:
    from gridctl.ledger.names import resolve

    entry = find(ledger, record_id)
    record_id = entry.id
    grids = ledger.grids()
    to_grid = resolve(ledger, to_grid, ["grid"])
    from gridctl.ops.gridretire import open_grid

    open_grid(ledger, to_grid)
    if entry.kind == "person":
        raise GridctlError(
            Text("人员迁入的是户，不是网格", "a person moves to a household"),
            hint=f"gridctl move {record_id} --to-household H…",
        )
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    if entry.kind == "grid":
        old = node.get("parent")
        node["parent"] = to_grid
        return Change(
            _moved("grid", record_id, _grid_name(grids, old), grids[to_grid].name), {doc.rel: doc.dump()}, record_id
        )
    if entry.kind not in BY_GRID:
        raise GridctlError(
            Text(
                f"{kind_label(entry.kind, 'zh')}不按网格存放；请修改它的 grid 字段",
                f"a {entry.kind} does not live in a grid folder; edit its grid field",
            )
        )
    held = doc.held()
    old = str(node.get("grid"))
    new_rel = path_for(entry.kind, {"id": record_id, "grid": to_grid})
    if held > 1 and doc.rel.rpartition("/")[0] == new_rel.rpartition("/")[0]:
        # its file, shared with others, lies in that grid's folder already: the record stays in it
        if old == to_grid:
            raise _already_there(ledger, entry.kind, record_id, to_grid, doc.rel)
        node["grid"] = to_grid
        subject = _moved(entry.kind, record_id, _grid_name(grids, old), grids[to_grid].name)
        return Change(subject, {doc.rel: doc.dump()}, record_id)
    if new_rel != doc.rel and WorkTree(ledger.root).exists(new_rel):
        raise in_the_way(ledger, new_rel)
    if old == to_grid:
        if new_rel == doc.rel:
            raise _already_there(ledger, entry.kind, record_id, to_grid, doc.rel)
        subject = _put_back(entry.kind, record_id, doc.rel, new_rel)
    else:
        node["grid"] = to_grid
        subject = _moved(entry.kind, record_id, _grid_name(grids, old), grids[to_grid].name)
    if held == 1:
        return Change(subject, {doc.rel: None, new_rel: doc.dump()}, record_id)
    kept, own = dump_apart(doc.text, doc.docs, {entry.source.doc: new_rel})
    change = Change(subject, {doc.rel: kept, **own}, record_id)
    change.shown = _left(record_id, doc.rel, new_rel, held - 1)
    return change


def _left(record_id: str, rel: str, new_rel: str, others: int) -> Text:
    """A record that leaves a file it shared for a file of its own: the clerk is told where it went
    and that the others stay (the commit message says so too)."""
    return Text(
        f"{record_id} 从 {rel} 拆出，单独存为 {new_rel}；其余 {others} 条记录留在原文件",
        f"{record_id} left {rel} for a file of its own, {new_rel}; the {others} other record(s) stay there",
    )


def _already_there(ledger: Ledger, kind: str, record_id: str, grid: str, rel: str) -> GridctlError:
    """The record is in `grid` as committed. Its file may have been dragged elsewhere since, and not
    committed: then "已在" was a dead end (validate's GC221 sends the clerk here); say what happened."""
    if WorkTree(ledger.root).exists(rel):
        return GridctlError(Text(f"{record_id} 已在 {grid}", f"{record_id} is already in {grid}"))
    top = BY_GRID[kind]
    found = sorted(
        quoted_path(p.relative_to(ledger.root).as_posix()) for p in (ledger.root / top).glob(f"*/{record_id}.yaml")
    )
    folder = rel.rpartition("/")[0]
    if not found:
        return GridctlError(
            Text(
                f"{record_id} 在已提交的台账中就在 {grid}，但它的文件 {rel} 被删除了 (还没有提交)",
                f"{record_id} is in {grid} as committed, but its file {rel} was deleted (not committed)",
            ),
            hint=Text(f"恢复它: git checkout HEAD -- {rel}", f"restore it: git checkout HEAD -- {rel}"),
        )
    return GridctlError(
        Text(
            f"{record_id} 在已提交的台账中就在 {grid}；它的文件被手工移到了 {found[0]}，还没有提交，不需要迁移",
            f"{record_id} is in {grid} as committed; its file was moved by hand to {found[0]} and not committed: "
            "there is nothing to move",
        ),
        hint=Text(
            f"把文件移回 {folder}/ 文件夹即可 (或: git checkout HEAD -- {rel}，再删除 {found[0]})",
            f"move the file back into {folder}/ (or: git checkout HEAD -- {rel}, then delete {found[0]})",
        ),
    )


def _put_back(kind: str, record_id: str, rel: str, new_rel: str) -> Text:
    """A file moved by hand into another grid's folder goes back to the folder of the grid it names."""
    folder, new_folder = rel.rpartition("/")[0], new_rel.rpartition("/")[0]
    return Text(
        f"归位{kind_label(kind, 'zh')} {record_id}：文件 {folder} → {new_folder}",
        f"put back {kind} {record_id}: file {folder} → {new_folder}",
    )


def in_the_way(ledger: Ledger, rel: str) -> GridctlError:
    """A move onto a file that is there already (a household file renamed or dropped there by hand)
    would overwrite it, and the records in it would be gone with validate clean."""
    held = [e.id for e in ledger.entries_of(rel) if e.kind != "person"]
    zh, en = (f" (其中是 {'、'.join(held)})", f" (holding {', '.join(held)})") if held else ("", "")
    return GridctlError(
        Text(f"{rel} 已经存在{zh}，迁移会覆盖它", f"{rel} is there already{en}: the move would overwrite it"),
        hint=Text(
            "先看看那个文件：把它改名为其中记录的编号，不需要就删除它",
            "look at that file first: name it after the record it holds, or delete it if it is not wanted",
        ),
    )


def _moved(kind: str, record_id: str, old: str, new: str) -> Text:
    return Text(f"迁移{kind_label(kind, 'zh')} {record_id}：{old} → {new}", f"move {kind} {record_id}: {old} → {new}")


def _grid_name(grids: dict[str, Any], gid: Any) -> str:
    grid = grids.get(str(gid)) if gid is not None else None
    return grid.name if grid else str(gid)
