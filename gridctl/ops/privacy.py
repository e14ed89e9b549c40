"""What free text the ledger keeps may hold: a reason (-m) never holds a resident's ID number or mobile.

A reason becomes the body of a commit: every clone and every `history` shows it, forever, and it
cannot be masked after the fact. So it is refused, with the value named (masked), before anything
is written. Staff and organisation phones (notice boards print them) are public and allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.model.masking import mobiles_in, personal_data


def public_phones(ledger: Any) -> set[str]:
    """Phones the ledger itself makes public: staff, organisation contacts, the supervision line. Not a
    landlord's: a private person's (often a resident's own) mobile, masked as a resident's is."""
    out: set[str] = set()
    for _entry, staff in ledger.rows("staff"):
        if staff.get("phone"):
            out.add(str(staff.get("phone")))
    for _entry, org in ledger.rows("org"):
        for part in ("contact", "first_responsible"):
            contact = org.get(part)
            if contact is not None and contact.get("phone"):
                out.add(str(contact.get("phone")))
    phone = getattr(ledger.settings, "supervision_phone", None)
    if phone:
        out.add(str(phone))
    return out


def public_digits(ledger: Any) -> set[str]:
    """The public phones as the 11 digits a mobile found in text is read as (+86, hyphens and spaces gone)."""
    import re

    return {re.sub(r"\D", "", p)[-11:] for p in public_phones(ledger)}


def refuse_personal(reason: str | None, public: Iterable[str] = ()) -> None:
    """Refuse a reason that holds a valid ID number or a mobile that is not one of the ledger's public phones."""
    found = personal_data(reason or "", public)
    if not found:
        return
    shown = "、".join(found)
    raise GridctlError(
        Text(
            f"修改原因 (-m) 中有个人信息 ({shown})，写入后会永久留在每一份台账的历史里",
            f"the reason (-m) holds personal data ({shown}); it would stay in the history of every copy of the ledger",
        ),
        hint=Text(
            "原因中不要写身份证号码或手机号码，这些信息在记录中已有",
            "write the reason without ID numbers or phone numbers (the record itself holds them)",
        ),
    )


def has_mobile(text: str | None) -> bool:
    return any(mobiles_in(text or ""))


def refuse_inside_ledger(root: Path, out: Path) -> None:
    """An export never lands where `git add -A` would commit it: outside the ledger, or in a folder git ignores."""
    try:
        rel = out.resolve().relative_to(root.resolve())
    except ValueError:
        return  # outside the ledger's work tree
    if (root / ".git").exists() and _ignored(root, rel.as_posix()):
        return
    suggestion = root.resolve().parent / f"{root.resolve().name}-导出" / out.name
    raise GridctlError(
        Text(
            f"{out} 在台账文件夹内，一次提交就会把居民信息带进每一份台账的历史",
            f"{out} is inside the ledger folder, where a commit would carry residents' data into every copy of the "
            "ledger",
        ),
        hint=Text(
            f"导出到台账文件夹以外，如 -o {suggestion} (或 .gitignore 中列出的文件夹)",
            f"write it outside the ledger, e.g. -o {suggestion} (or into a folder listed in .gitignore)",
        ),
    )


def _ignored(root: Path, rel: str) -> bool:
    import subprocess

    from gridctl.ledger.tools import git_exe

    try:
        proc = subprocess.run([git_exe(), "check-ignore", "-q", "--no-index", rel], cwd=root, capture_output=True)
    except OSError:
        return False
    return proc.returncode == 0
