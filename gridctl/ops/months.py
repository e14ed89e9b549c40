"""An edit that sets a dated record's date files it in that date's month (design.md §2:
events/<yyyy>/<mm>/, inspections/…, visits/…, activities/…), as a move files a household in its
grid's folder.

The date the clerk sets is the one meant: a date corrected to another month takes the file along
(the month's folder and the monthly report then agree), and a date set again as it is puts back a
file dragged into another month's folder (validate's GC222 sends the clerk here). An edit of any
other field leaves the file where it is.
"""

from __future__ import annotations

from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.files import WorkTree
from gridctl.ledger.index import Entry, Ledger
from gridctl.ledger.layout import BY_MONTH, DATED_BY, month_folder, path_for
from gridctl.model.chars import quoted_path
from gridctl.ops.moving import in_the_way
from gridctl.ops.records import kind_label


def sets_date(kind: str, paths: list[tuple[str | int, ...]]) -> bool:
    """Whether an edit of these fields sets the date a record of `kind` is filed by (or a part of it)."""
    field = DATED_BY.get(kind)
    return field is not None and any(p[: len(field)] == field[: len(p)] for p in paths)


def refiled(ledger: Ledger, entry: Entry, rel: str, data: bytes, docs: int) -> str | None:
    """Where the file `rel` (as committed), edited into `data`, goes for its record's new date;
    None when it stays (its folder is the date's month, or the edited record is not valid: the
    write's validation names what is wrong). `docs`: how many documents the file holds."""
    _still_where_committed(ledger, entry, rel)
    record = _typed(ledger, entry, rel, data)
    if record is None:
        return None
    folder = month_folder(entry.kind, record)
    if rel.rpartition("/")[0] == folder:
        return None
    if docs > 1:
        raise GridctlError(
            Text(
                f"{quoted_path(rel)} 含有多条记录；新日期要把 {entry.id} 放进 {folder}/，请先拆分 (每条记录一个文件)",
                f"{quoted_path(rel)} holds several records; the new date files {entry.id} in {folder}/: split "
                "the file first (one record per file)",
            )
        )
    new_rel = path_for(entry.kind, {**record, "id": entry.id})
    if WorkTree(ledger.root).exists(new_rel):
        raise in_the_way(ledger, new_rel)
    return new_rel


def moved(rel: str, new_rel: str) -> tuple[str, str]:
    """What the commit subject adds (zh, en) for a file the edit moved."""
    folder, new_folder = rel.rpartition("/")[0], new_rel.rpartition("/")[0]
    return f"（文件 {folder} → {new_folder}）", f" (file {folder} → {new_folder})"


def _typed(ledger: Ledger, entry: Entry, rel: str, data: bytes) -> dict[str, Any] | None:
    """The edited record as its model reads it (a time with an offset is in the ledger's zone), dumped."""
    from gridctl.ledger.reader import parse
    from gridctl.ledger.schema import validate_document

    docs, problems = parse(rel, data.decode("utf-8"))
    found = [d for d in docs if d.index == entry.source.doc]
    if problems or not found:
        return None
    record, _found = validate_document(rel, entry.source.doc, found[0].data, ledger.context())
    return None if record is None else record.model_dump()


def _still_where_committed(ledger: Ledger, entry: Entry, rel: str) -> None:
    """The edit starts from the file as committed. Dragged since into another month's folder and not
    committed, it cannot be moved from where it no longer is: say what happened (the refusal of a
    file with uncommitted changes would send the clerk to `git checkout` it, leaving two of it)."""
    root = ledger.root
    if WorkTree(root).exists(rel):
        return
    top = BY_MONTH[entry.kind]
    found = sorted(quoted_path(p.relative_to(root).as_posix()) for p in (root / top).glob(f"*/*/{entry.id}.yaml"))
    folder = quoted_path(rel.rpartition("/")[0])
    rel = quoted_path(rel)  # as committed: a name git holds may have a control character in it
    if not found:
        raise GridctlError(
            Text(
                f"{entry.id} 的文件 {rel} 被删除了 (还没有提交)",
                f"the file of {entry.id}, {rel}, was deleted (not committed)",
            ),
            hint=Text(f"恢复它: git checkout HEAD -- {rel}", f"restore it: git checkout HEAD -- {rel}"),
        )
    kind = kind_label(entry.kind, "zh")
    raise GridctlError(
        Text(
            f"{kind} {entry.id} 的文件在已提交的台账中是 {rel}；它被手工移到了 {found[0]}，还没有提交",
            f"{entry.kind} {entry.id} is in {rel} as committed; its file was moved by hand to {found[0]} "
            "and not committed",
        ),
        hint=Text(
            f"先把文件移回 {folder}/ 文件夹，再运行这条命令 (或: git checkout HEAD -- {rel}，再删除 {found[0]})",
            f"move the file back into {folder}/ first, then run this command again (or: git checkout HEAD -- {rel}, "
            f"then delete {found[0]})",
        ),
    )
