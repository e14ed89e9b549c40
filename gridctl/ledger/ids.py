"""Allocating the next id in the ledger's format: ids are stable for life and never reused.

"Never reused" includes ids of retired records and ids that only survive in git history (a
household file deleted, a person removed from a household), so the next number is one past the
highest ever seen in the ledger's files *and* its history. The history is read once and then
incrementally: the ids that left the ledger are cached under .git by the commits already read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from gridctl.i18n import Text
from gridctl.model.settings import id_format_regex

if TYPE_CHECKING:
    from gridctl.ledger.index import Ledger

CACHE = "gridctl/ids-left.json"
_REMOVED_ID = re.compile(rb"^-[ \t]*(?:-[ \t]+)?id:[ \t]*[\"']?([A-Za-z0-9_-]+)", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z0-9_-]+")


def _prefix(fmt: str, when: dt.date) -> tuple[str, int]:
    """The literal text before the `#` run (dates filled in) and the run's width."""
    filled = fmt.replace("{yyyy}", f"{when.year:04d}").replace("{mm}", f"{when.month:02d}")
    filled = filled.replace("{dd}", f"{when.day:02d}")
    m = re.search(r"#+$", filled)
    assert m is not None  # Settings guarantees formats end in #
    return filled[: m.start()], m.end() - m.start()


def next_id(
    fmt: str, existing: Iterable[str], when: dt.date | None = None, count: int = 1, slot: int = 0
) -> list[str]:
    """`count` fresh ids after the highest existing one with the same prefix, inside `slot`'s range.

    Slot 0 (the office's clone) numbers within the format's width: H000001 … H999999. A grid
    worker's clone has its own slot n (see worker_slot) and numbers in [n·10^w, (n+1)·10^w):
    worker 4 adds H4000001, H4000002 … — so workers adding records offline at the same time never
    pick the same id, and an id never changes once a resident or a paper form has it.

    A format with a date in it ({yyyy}{mm}{dd}) needs `when`, the ledger's day (gridctl.ledger.clock):
    the computer's date would differ from CI's for eight hours a day.
    """
    if when is None:
        if "{" in fmt:
            raise ValueError(f"the id format {fmt} has a date: give the ledger's day")
        when = dt.date(2000, 1, 1)  # not used: the format has no date
    prefix, width = _prefix(fmt, when)
    pattern = id_format_regex(fmt)
    low, high_bound = slot * 10**width, (slot + 1) * 10**width
    taken: set[int] = set()
    high = low
    for rid in existing:
        if rid.startswith(prefix) and pattern.match(rid):
            tail = rid[len(prefix) :]
            if tail.isdigit():
                n = int(tail)
                taken.add(n)
                if low <= n < high_bound:
                    high = max(high, n)
    out: list[str] = []
    n = high + 1
    while len(out) < count:
        if n not in taken:
            out.append(f"{prefix}{n:0{width}d}")
        n += 1
    return out


WORKER_KEY = "gridctl.worker"
SLOT_KEY = "gridctl.idslot"


def worker_slot(root: Path | str) -> int:
    """This clone's id range (git config gridctl.idslot, set by `gridctl setup --worker`); 0 for the office."""
    from gridctl.ledger.gitrepo import GitFailed, run_git

    try:
        value = run_git(Path(root), "config", "--get", SLOT_KEY).decode().strip()
    except GitFailed:
        return 0
    return int(value) if value.isdigit() else 0


def slot_of(staff_id: str) -> int:
    """A worker's slot: the number in their staff id (S0004 → 4), unique because staff ids are."""
    digits = re.search(r"(\d+)$", staff_id)
    return int(digits.group(1)) if digits else 0


def ids_left(root: Path | str) -> set[str]:
    """Every id that a commit of the ledger's history removed (a deleted file, a removed member)."""
    from gridctl.errors import GridctlError
    from gridctl.ledger.gitrepo import GitFailed, Repo
    from gridctl.ledger.transaction import common_dir

    root = Path(root)
    try:
        repo = Repo(root)
    except Exception:  # not a git ledger: no history
        return set()
    if (common_dir(repo.git_dir) / "shallow").exists():
        raise GridctlError(
            Text(
                "这是浅克隆，历史不完整，无法确定哪些编号已用过，所以这里不分配编号",
                "this clone holds only part of the ledger's history (a shallow clone): ids used earlier cannot be "
                "known, so no id is given here",
            ),
            hint=Text("取回完整历史一次: git fetch --unshallow", "fetch the whole history once: git fetch --unshallow"),
        )
    tips = _tips(repo)
    if not tips:
        return set()
    cache = repo.git_dir / CACHE
    seen_tips, ids = _read_cache(cache)
    if set(tips) <= seen_tips:
        return ids
    args = ["log", "--all", "-p", "-U0", "--no-renames", "--no-color", "--format=", "--", "*.yaml", "*.yml"]
    known = [t for t in seen_tips if t]
    try:
        out = _log(repo, args, known)
    except GitFailed:  # a tip read before is gone (history rewritten): read it all again
        ids, out = set(), _log(repo, args, [])
    ids |= {m.decode("ascii") for m in _REMOVED_ID.findall(out)}
    _write_cache(cache, set(tips), ids)  # the tips cover every commit before them
    return ids


def _tips(repo: object) -> list[str]:
    out = repo.git(  # type: ignore[attr-defined]
        "for-each-ref", "--format=%(objectname)", "refs/heads", "refs/remotes", "refs/tags"
    )
    head = repo.head()  # type: ignore[attr-defined]
    return sorted({*out.split(), *([head] if head else [])})


def _log(repo: object, args: list[str], exclude: list[str]) -> bytes:
    from gridctl.ledger.gitrepo import run_git

    if not exclude:
        return run_git(repo.root, *args)  # type: ignore[attr-defined]
    stdin = ("\n".join(f"^{sha}" for sha in exclude) + "\n").encode()
    i = args.index("--")
    return run_git(repo.root, *args[:i], "--stdin", *args[i:], input=stdin)  # type: ignore[attr-defined]


def _read_cache(path: Path) -> tuple[set[str], set[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") == 1:
            return set(map(str, data["tips"])), set(map(str, data["ids"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return set(), set()


def _write_cache(path: Path, tips: set[str], ids: set[str]) -> None:
    from gridctl.ledger.transaction import atomic_write

    data = json.dumps({"version": 1, "tips": sorted(tips), "ids": sorted(ids)}).encode()
    with contextlib.suppress(OSError):
        atomic_write(path, data, 0o600)


def unseen_ids(ledger: Ledger) -> set[str]:
    """Every word of the files the ledger could not read (saved as GBK or UTF-16, a tab in the
    indentation, or named H000002.yaml.txt: GC017): the records in them exist, unseen, and their
    ids must not be given again."""
    from gridctl.ledger.columns import UNREADABLE

    files, c = ledger.source, ledger.cols
    unread = [rel for rel, flags in zip(c.files, c.flags, strict=True) if flags & UNREADABLE]
    strays = getattr(files, "strays", None)
    words: set[str] = set()
    for rel in [*unread, *(strays() if strays is not None else ())]:
        words.add(rel.rsplit("/", 1)[-1].split(".", 1)[0])
        try:
            raw = files.read(rel) if files is not None else b""
        except OSError:
            continue
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        words.update(_WORD.findall(raw.decode("utf-16" if utf16 else "utf-8", "replace")))
    return words
