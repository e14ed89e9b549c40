"""A clone's grid worker: whose review branch it sends to, and which range its new ids come from."""

from __future__ import annotations

from pathlib import Path

from gridctl.errors import GridctlError, settings_broken
from gridctl.i18n import Text
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
        raise settings_broken()
    staff = [s for s, _src in ledger.records(Staff)]
    found = [s for s in staff if s.id == given] or [s for s in staff if s.name == given]
    if not found:
        raise GridctlError(Text(f"没有工作人员 {given}", f"no staff member {given}"), hint="gridctl list staff")
    if len(found) > 1:
        ids = ", ".join(s.id for s in found)
        raise GridctlError(
            Text(
                f"{given} 对应 {len(found)} 位工作人员 ({ids})，请用编号",
                f"{given} names {len(found)} staff members ({ids})",
            ),
            hint="--worker S0004",
        )
    slot = slot_of(found[0].id)
    if slot <= 0:
        raise GridctlError(
            Text(
                f"人员编号 {found[0].id} 不含数字，无法据此分配编号段",
                f"staff id {found[0].id} has no number to make an id range from",
            )
        )
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
    subject = Text("设置：台账文件按记录合并 (.gitattributes)", "setup: merge ledger files by record (.gitattributes)")
    return Change(subject, {".gitattributes": new.encode("utf-8")})
