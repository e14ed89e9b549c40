"""Ids added on both sides of a merge: two records, never one record changed two ways.

Two clones that number new records alike (two office PCs set up without --worker, or two branches of
one clone) each add H000041 offline. Merged by id, the two families became one household whose fields
"were changed two ways", and settling it kept one family and lost the other. So before a merge
gridctl gives this side's record (mine) the next free id, and every reference this side makes to it
follows, in one commit of its own; the other side's record keeps its id (other clones may hold it
already). Grids are named by their code, not numbered: the same code on both sides is one grid; and
one family (place, …) typed in on both sides is one record too, merged field by field
(gridctl.merge.same says what "the same" is for each kind).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.gitrepo import GitFailed, run_git
from gridctl.ledger.message import RENUMBERED, Author, Message, renumbered_words
from gridctl.merge.same import one_record


@dataclass
class Collision:
    """One id both sides added for different records; `new` is the id mine's record gets."""

    kind: str
    old: str
    mine: Any
    theirs: Any
    """The two records as their files hold them (told by `describe`, never shown whole)."""
    new: str = ""
    file: str = ""


def describe(kind: str, data: Any, lang: str = "zh") -> str:
    """A record as the clerk knows it, without personal numbers: a household by its address and
    head, a person by name, anything else by its name or title."""
    if not isinstance(data, dict):
        return ""
    if kind == "household":
        from gridctl.model.address import address_text

        members = [m for m in data.get("members") or [] if isinstance(m, dict)]
        heads = [str(m.get("name")) for m in members if m.get("relation") == "户主" and m.get("name")]
        parts = [address_text(data.get("address") or {})]
        if heads:
            parts.append(("户主 " if lang == "zh" else "head ") + heads[0])
        return ("，" if lang == "zh" else ", ").join(x for x in parts if x)
    for key in ("name", "title", "type"):
        if data.get(key):
            return str(data[key])
    return ""


def _base(root: Path, head: str, other: str) -> str | None:
    try:
        return run_git(root, "merge-base", head, other).decode().strip() or None
    except GitFailed:
        return None


def _load(root: Path, rev: str) -> Any:
    from gridctl.ledger.files import GitTree
    from gridctl.ledger.index import load

    ledger, _problems = load(root, GitTree(root, rev))
    return ledger


_ADDED_ID = re.compile(rb"^\+[ \t]*(?:-[ \t]+)?id:[ \t]*[\"']?([A-Za-z0-9_-]+)", re.MULTILINE)


def _added(root: Path, base: str, tip: str) -> set[bytes]:
    """Ids on lines `tip` added since `base` (a cheap first look: most merges add no id twice)."""
    out = run_git(root, "diff", "-U0", "--no-renames", "--no-color", base, tip, "--", "*.yaml", "*.yml")
    return set(_ADDED_ID.findall(out))


def find(root: Path, head: str, other: str, mine: Any = None) -> list[Collision]:
    """Ids of records that both `head` and `other` added since their common commit, for different records."""
    base = _base(root, head, other)
    if base is None or base in (head, other) or not (_added(root, base, head) & _added(root, base, other)):
        return []
    mine = mine if mine is not None else _load(root, head)
    theirs, before = _load(root, other), _load(root, base)
    if mine is None or theirs is None:
        return []
    known = set(before.by_id) if before is not None else set()
    found: list[Collision] = []
    for rid in sorted(set(mine.by_id) & set(theirs.by_id) - known):
        ours, their = mine.by_id[rid], theirs.by_id[rid]
        if len(ours) != 1 or len(their) != 1:
            continue
        m, t = ours[0], their[0]
        a, b = m.written(), t.written()
        if m.kind == t.kind and (a == b or one_record(m.kind, a, b)):
            continue  # the same record reached both sides, or was added on both (merged field by field)
        found.append(Collision(m.kind, rid, a, b, file=m.source.file))
    return found


def _mentions(root: Path, head: str, ids: list[str]) -> list[str]:
    """Files at `head` that hold any of `ids` as a word (git grep: no file read that need not be)."""
    args = ["-c", "core.quotepath=off", "grep", "-l", "-w", "-F"]
    for rid in ids:
        args += ["-e", rid]
    try:
        out = run_git(root, *args, head, "--", "*.yaml", "*.yml").decode("utf-8", "replace")
    except GitFailed:  # nothing found
        return []
    return sorted({line.split(":", 1)[1] for line in out.splitlines() if ":" in line})


def _replace(node: Any, renamed: dict[str, str]) -> bool:
    """Every value that is exactly an old id becomes the new one (keys and free text stay)."""
    changed = False
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(items):
        if isinstance(value, str) and value in renamed:
            node[key] = type(value)(renamed[value]) if type(value) is not str else renamed[value]
            changed = True
        elif isinstance(value, dict | list):
            changed = _replace(value, renamed) or changed
    return changed


class Sealed(GridctlError):
    """Personal values sealed to the record's id (an encrypted ledger): a new id would not open them."""


def _refuse_sealed(docs: list[Any], rel: str, merging: bool) -> None:
    """`merging`: a merge is under way (resolve --renumber mine), to give up first; else (sync) none
    was started and nothing moved."""
    from gridctl.ledger.sealing import holds_sealed

    if not any(holds_sealed(d) for d in docs):
        return
    zh = f"在本机删除这条新增的记录 (从 {rel} 中删去并提交)，用 gridctl add 重新新增 (会得到新编号)，再同步"
    en = (
        f"take this clone's new record out of {rel} and commit, add it again with gridctl add (it gets a new id), "
        "then sync"
    )
    hint = (
        Text(f"git merge --abort 放弃这次合并；然后{zh}", f"git merge --abort to give up this merge; then {en}")
        if merging
        else Text(f"台账和 git 均未改动 (合并未开始)。{zh}", f"ledger and git unchanged (no merge was started): {en}")
    )
    raise Sealed(
        Text(
            f"{rel} 中的个人信息已加密，并与记录编号绑定，不能自动换编号",
            f"{rel} holds personal values encrypted for its record ids: its ids cannot be changed here",
        ),
        hint=hint,
    )


def plan(
    root: Path, ledger: Any, head: str, other: str, found: list[Collision], merging: bool = False
) -> dict[str, bytes | None]:
    """The files of `head` with mine's colliding records under new ids, and every reference to them
    (`merging`: a git merge is under way, which a refusal's hint says to give up first)."""
    from gridctl.ledger.clock import Clock
    from gridctl.ledger.ids import ids_left, next_id, unseen_ids, worker_slot
    from gridctl.ledger.yamlfile import dump_rt, edit_text, load_rt

    theirs = _load(root, other)
    taken = set(ledger.by_id) | set(theirs.by_id if theirs is not None else ()) | ids_left(root) | unseen_ids(ledger)
    today = Clock.system(ledger.settings.timezone).today()
    slot = worker_slot(root)
    for c in found:
        fmt = ledger.settings.id_formats.get(c.kind)
        if fmt is None:
            raise GridctlError(
                Text(f"gridctl.yaml 没有{c.kind}的编号格式，无法换编号", f"gridctl.yaml has no id format for {c.kind}")
            )
        c.new = next_id(fmt, taken, today if "{" in fmt else dt.date(2000, 1, 1), 1, slot)[0]
        taken.add(c.new)
    renamed = {c.old: c.new for c in found}
    changes: dict[str, bytes | None] = {}
    for rel in _mentions(root, head, list(renamed)):
        text = edit_text(ledger.read(rel))
        docs = [d for d in load_rt(text)]
        if not _replace(docs, renamed):
            continue
        _refuse_sealed([d for d in docs if d is not None], rel, merging)
        target = rel
        stem = Path(rel).stem
        if stem in renamed and sum(1 for d in docs if isinstance(d, dict)) == 1:
            moved = str(Path(rel).with_name(renamed[stem] + Path(rel).suffix).as_posix())
            if not ledger.source.exists(moved) and (theirs is None or not theirs.source.exists(moved)):
                target = moved
                changes[rel] = None
        changes[target] = dump_rt(text, docs)
    return changes


def message(found: list[Collision], command: str) -> Message:
    """The commit: which ids changed and why, in the ledger's language (no names, no numbers)."""
    from gridctl.messages import KIND_ZH

    pairs = "，".join(f"{KIND_ZH.get(c.kind, c.kind)} {c.old} → {c.new}" for c in found)
    reason = "对方也新增了编号相同的另一条记录: 对方的保留原编号，本方的换用新编号，两条都保留"
    renumbered = ((RENUMBERED, renumbered_words({c.old: c.new for c in found})),)  # history follows a record across it
    return Message(f"编号冲突：本方新增的记录换用新编号 ({pairs})", reason, command, renumbered)


def _diverged(root: Path, head: str | None, other: str) -> bool:
    """Both sides have commits of their own, and both added an id the other added too."""
    if head is None:
        return False
    base = _base(root, head, other)
    return base is not None and base not in (head, other) and bool(_added(root, base, head) & _added(root, base, other))


@dataclass
class Renumbered:
    """This side's records given new ids before a merge: `commit` (on `before`) holds the new ids."""

    found: list[Collision]
    before: str = ""
    commit: str = ""


def renumber_mine(root: Path, other: str, author: Author, command: str, wait: float | None = None) -> Renumbered:
    """Before merging `other`: mine's records whose ids `other` also added get new ids, in one
    validated commit on HEAD (design.md §3: decided under the lock, against HEAD). `found` is []
    when none; the commit is the merge's first half, taken back (`take_back`) if the merge fails."""
    from gridctl.merge.conflicts import rev_of
    from gridctl.ops.write import transaction

    if not _diverged(root, rev_of(root, "HEAD"), other):
        return Renumbered([])
    with transaction(root, command, wait) as txn:
        head = txn.head
        if head is None or not _diverged(root, head, other):
            return Renumbered([])
        ledger = txn.ledger()
        found = find(root, head, other, ledger)
        if not found:
            return Renumbered([])
        changes = plan(root, ledger, head, other, found)
        done = txn.commit(changes, message(found, command), author)
    return Renumbered(found, head, done.commit or "")


def take_back(root: Path, done: Renumbered, command: str, wait: float | None = None) -> bool:
    """The renumber commit undone, the branch back where it was before the merge began, when the
    merge it was made for failed (design.md §3: a write is whole or nothing). False when it cannot
    be (the branch moved on since, a merge is still under way): then it stays, valid on its own."""
    from gridctl.ledger.gitrepo import Repo
    from gridctl.ledger.lock import ledger_lock
    from gridctl.ledger.transaction import recover, step_back

    if not done.commit or not done.before:
        return False
    repo = Repo(root)
    try:
        with ledger_lock(repo.git_dir, command, wait):
            recover(repo)
            if repo.head() != done.commit or (repo.git_dir / "MERGE_HEAD").exists():
                return False
            step_back(repo, done.before, done.commit, "编号冲突：合并未进行，本方记录的编号不换")
    except GridctlError:
        return False
    return True


def said(found: list[Collision], lang: str) -> str:
    """What the clerk is told: which record got which new id, and why."""
    from gridctl.messages import KIND_ZH

    out = []
    for c in found:
        mine, theirs = describe(c.kind, c.mine, lang) or "-", describe(c.kind, c.theirs, lang) or "-"
        if lang == "zh":
            kind = KIND_ZH.get(c.kind, c.kind)
            out.append(
                f"编号冲突: 本方新增的{kind} {c.old} ({mine}) 与对方新增的{kind} {c.old} "
                f"({theirs}) 编号相同，是两条不同的记录，都已保留: 对方的仍为 {c.old}，本方的改为 {c.new}\n"
            )
        else:
            out.append(
                f"id collision: this side's new {c.kind} {c.old} ({mine}) and the other side's new "
                f"{c.kind} {c.old} ({theirs}) are two different records; both kept: theirs stays "
                f"{c.old}, this side's is now {c.new}\n"
            )
    return "".join(out)


def renumber_merge(root: Path, given: str, author: Author, command: str, wait: float | None = None) -> Any:
    """`gridctl resolve ID --renumber mine` in a merge under way (a plain `git merge` or `git pull` that
    stopped on an id collision): the merge is undone, this side's colliding records get new ids in a
    commit of their own, and the same commit is merged again. A MergeResult, `renumbered` filled in."""
    from gridctl.ledger.gitrepo import Repo
    from gridctl.ledger.lock import ledger_lock
    from gridctl.merge import conflicts as store
    from gridctl.merge.gitmerge import merge_into_head

    repo = Repo(root)
    head, other = store.rev_of(root, "HEAD"), store.rev_of(root, "MERGE_HEAD")
    if head is None or other is None:
        raise GridctlError(Text("当前没有进行中的合并", "no merge is under way"))
    with ledger_lock(repo.git_dir, command, wait):
        found = find(root, head, other)
        ids = {c.old for c in found}
        if given not in ids:
            listed = ", ".join(sorted(ids)) or "-"
            raise GridctlError(
                Text(
                    f"{given} 不是这次合并中的编号冲突 (编号冲突: {listed})",
                    f"{given} is not an id collision of this merge (collisions: {listed})",
                ),
                hint=Text("gridctl sync 列出未解决的冲突", "gridctl sync shows the open conflicts"),
            )
        mine = _load(root, head)
        plan(root, mine, head, other, found, merging=True)  # refused here (an encrypted record) before anything moves
        try:
            text = (repo.git_dir / "MERGE_MSG").read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        subject = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "合并")
        run_git(root, "merge", "--abort")
        store.forget(root)
    return merge_into_head(root, other, Message(subject, None, command), author, wait)  # renumbers, then merges
