"""Who a re-imported register leaves out: the records its export listed that no row names any more.

A clerk who exports the register, deletes the row of a resident who moved away and imports it back
reads "未变 2" and believes the person gone. An import never deletes (注销 needs a day and a reason:
`gridctl retire`), so it says whom the register no longer lists and how to retire them. Only a
register with gridctl's export stamp is compared: it listed every active record of its kind when
it was made, so a missing row was taken out; any other register is a batch of some records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gridctl.excel.export import exported_ids
from gridctl.excel.rows import Layout, ParsedRow

ID_COLUMN = {"household": "person_id"}
"""The column whose ids an export lists, one per row (a household's register: one row per person)."""


def absent(
    root: Path,
    kind: str,
    base: str,
    head: str | None,
    ledger: Any,
    lay: Layout,
    rows: list[ParsedRow],
    named: set[str] | None = None,
) -> list[tuple[str, str]]:
    """(id, name) of each record the export made at `base` listed, that no row names and that is
    still active in `ledger` (HEAD before the import), in the export's order. `named`: the records
    the rows were matched to by any column (a staff, place or org register without its 编号)."""
    key = ID_COLUMN.get(kind, "id")
    if not lay.has(key) and named is None:
        return []  # the clerk deleted the id column: rows are matched by ID number and name, not by id
    listed = {str(row.values[key]) for row in rows if row.values.get(key) is not None} | (named or set())
    named = {str(row.values["name"]).strip() for row in rows if row.values.get(key) is None and row.values.get("name")}
    now = exported_ids(ledger, kind)
    left = {rid for rid in now if rid not in listed}
    if not left:
        return []  # every record is on the register: the export's commit need not be read
    then = now if base == head else exported_ids(_at(root, base), kind)
    # a row whose id was emptied is matched by ID number and name: one with the record's name may be it
    return [(rid, name) for rid, name in then.items() if rid in left and name not in named]


def _at(root: Path, commit: str) -> Any:
    from gridctl.ledger.files import GitTree
    from gridctl.ledger.index import load

    ledger, _problems = load(root, GitTree(root, commit))
    return ledger
