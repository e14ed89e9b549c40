"""Ids and codes become file and folder names: check them before any path is built.

An id like `../grids/evil` would write outside its folder (and git then refuses the tree:
`hasDotdot`); `CON` or `a.` cannot be created on Windows. So every value that becomes part of a
path is letters, digits, `-` and `_`, at most 64 characters, and not a Windows device name; and
every path a write touches must stay inside the ledger once symlinks are resolved.
"""

from __future__ import annotations

import re
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.model.patterns import SAFE_CODE

_SAFE = re.compile(SAFE_CODE)
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_PATH_PART = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class UnsafeName(GridctlError):
    """A value that would become part of a path is not safe as a file or folder name."""


def unsafe_reason(value: str) -> Text | None:
    """Why `value` cannot be a file or folder name, or None when it can."""
    if not _SAFE.match(value):
        return Text("只能用字母、数字、- 和 _ (最多 64 个)", "only letters, digits, - and _ (at most 64)")
    if value.upper() in _RESERVED:
        return Text("是 Windows 保留的设备名", "a reserved device name on Windows")
    return None


# What could make a path unsafe; a path it does not match (nearly all) needs no closer look.
_MAYBE_UNSAFE = re.compile(r"(?:^|/)(?:con|prn|aux|nul|com|lpt)|[. ](?:/|$)|[^\x20-\x7f]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f]")
"""Windows holds no control character in a name (a line break, a tab, an escape)."""
_CONTROL_LINES = re.compile(r"[\x00-\x09\x0b-\x1f]")
"""The same among paths joined by line breaks (a path with a line break in it is looked at alone)."""


_MAYBE_UNSAFE_LINES = re.compile(
    r"(?:^|/)(?:con|prn|aux|nul|com|lpt)|[. ](?:/|$)|[^\x0a\x20-\x7f]", re.IGNORECASE | re.MULTILINE
)


def windows_unsafe_among(rels: list[str]) -> dict[str, str]:
    """windows_unsafe of many paths at once (path → the part), with one search over all of them:
    a revision of 137,000 files, nearly all plain, has no path worth a second look."""
    if any("\n" in rel for rel in rels):
        return {rel: part for rel in rels if (part := windows_unsafe(rel)) is not None}
    text = "\n".join(rels)
    if text.isascii():  # the usual case: a few substring searches say no path needs a second look
        low = text.lower()
        names = ("con", "prn", "aux", "nul", "com", "lpt")
        if (
            not low.startswith(names)
            and not any(f"/{n}" in low or f"\n{n}" in low for n in names)
            and not any(h in text for h in ("./", " /", ".\n", " \n"))
            and not text.endswith((".", " "))
            and not _CONTROL_LINES.search(text)
        ):
            return {}
    out: dict[str, str] = {}
    for match in _MAYBE_UNSAFE_LINES.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        rel = text[start : end if end >= 0 else len(text)]
        if rel not in out:
            part = windows_unsafe(rel)
            if part is not None:
                out[rel] = part
    return out


def windows_unsafe(rel: str) -> str | None:
    """The part of a path that cannot exist on Windows (CON.yaml, `a.`, `b `, a tab in it), or None."""
    if _MAYBE_UNSAFE.search(rel) is None:
        return None
    for part in rel.split("/"):
        if part.split(".")[0].upper() in _RESERVED or part.endswith((".", " ")) or _CONTROL.search(part):
            return part
    return None


def safe_segment(value: object, what: str) -> str:
    """`value` as a path segment, or UnsafeName naming `what` (id, grid …) and the value."""
    text = str(value)
    reason = unsafe_reason(text)
    if reason is not None:
        raise UnsafeName(
            Text(f"{what} {text!r} 不可用: {reason.zh}", f"{what} {text!r} cannot be used: {reason.en}"),
            hint=Text(
                "编号和代码只用字母、数字、- 和 _，如 H000123 或 110105001001001",
                "ids and codes are letters, digits, - and _, e.g. H000123 or 110105001001001",
            ),
        )
    return text


def check_ledger_path(root: Path, rel: str) -> None:
    """A path a write will create, replace or delete: relative, plain parts, inside the ledger."""
    parts = rel.split("/")
    bad = (
        not rel
        or rel.startswith("/")
        or "\\" in rel
        or any(p in ("", ".", "..") or not _PATH_PART.match(p) or p.endswith(".") for p in parts)
        or any(p.split(".")[0].upper() in _RESERVED for p in parts)
    )
    if bad:
        from gridctl.model.chars import quoted_path

        shown = quoted_path(rel)  # a control character written out as git does; any other name as Python would
        shown = repr(rel) if shown == rel else shown
        raise UnsafeName(
            Text(
                f"拒绝写入 {shown}: 不是台账内的普通路径",
                f"refusing to write {shown}: not a plain path inside the ledger",
            )
        )
    base = root.resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(base):
        raise UnsafeName(
            Text(
                f"拒绝写入 {rel}: 它 (经符号链接？) 指向台账之外的 {target}",
                f"refusing to write {rel}: it leads outside the ledger (a symbolic link?) to {target}",
            ),
            hint=Text("把该链接换成台账内真正的文件夹", "replace the link with a real folder inside the ledger"),
        )
