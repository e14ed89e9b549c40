"""A clone's grid worker: whose review branch it sends to, and which range its new ids come from."""

from __future__ import annotations

from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.ledger.gitrepo import run_git
from gridctl.ledger.ids import SLOT_KEY, WORKER_KEY, slot_of
from gridctl.merge.setup import attributes
from gridctl.ops.records import Change


def set_worker(root: Path, given: str) -> tuple[str, int]:
    """Record the worker (staff id, or a staff member's unique name) in this clone's git config."""
    from gridctl.ledger.index import load
    from gridctl.model import Staff

    ledger, _ = load(root)
    if ledger is None:
        raise GridctlError("gridctl.yaml has errors / gridctl.yaml 有误", hint="run gridctl validate and fix it first")
    staff = [s for s, _src in ledger.records(Staff)]
    found = [s for s in staff if s.id == given] or [s for s in staff if s.name == given]
    if not found:
        raise GridctlError(f"no staff member {given} / 没有工作人员 {given}", hint="gridctl list staff")
    if len(found) > 1:
        ids = ", ".join(s.id for s in found)
        raise GridctlError(f"{given} names {len(found)} staff members ({ids}) / 重名，请用编号", hint="--worker S0004")
    slot = slot_of(found[0].id)
    if slot <= 0:
        raise GridctlError(f"staff id {found[0].id} has no number to make an id range from / 编号不含数字")
    run_git(root, "config", "--local", WORKER_KEY, found[0].id)
    run_git(root, "config", "--local", SLOT_KEY, str(slot))
    return found[0].id, slot


def attributes_change(root: Path) -> Change | None:
    """The commit that adds the merge lines to .gitattributes, or None when they are there."""
    path = root / ".gitattributes"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    new = attributes(text)
    if new is None:
        return None
    return Change("setup: merge ledger files by record (.gitattributes)", {".gitattributes": new.encode("utf-8")})
