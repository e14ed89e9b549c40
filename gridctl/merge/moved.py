"""One record moved to a different grid on each side of a merge (`gridctl move` in two clones).

A moved record's file moves to its new grid's folder, so git sees the same file renamed two ways
(rename/rename): the old path deleted on both sides, the new one "added by us", the other "added by
them". Said as it was, that was three conflicts (a grid changed two ways, and two files deleted on
one side and changed on the other) and two files holding one id (GC201, GC240) until the clerk
untangled it with git. Here it becomes the record's own conflicts, in this side's file: the grid (and
any other field both sides changed), settled by `gridctl resolve ID grid --take mine|theirs|GRID`;
once settled, the file goes to the folder of the grid chosen (`place`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from gridctl.errors import GridctlError
from gridctl.ledger.gitrepo import GitFailed, run_git
from gridctl.merge import conflicts as store

NULL = "0" * 40


class Stage(NamedTuple):
    mode: str
    blob: str


def _unmerged(root: Path) -> dict[str, dict[str, Stage]]:
    """Each unmerged path and its index stages (1 base, 2 ours, 3 theirs) with their blobs."""
    out = run_git(root, "-c", "core.quotepath=off", "ls-files", "-u", "-z").decode("utf-8", "replace")
    found: dict[str, dict[str, Stage]] = {}
    for item in out.split("\0"):
        meta, tab, path = item.partition("\t")
        if tab:
            mode, blob, stage = meta.split(" ")
            found.setdefault(path, {})[stage] = Stage(mode, blob)
    return found


def _blob(root: Path, blob: str) -> bytes:
    return run_git(root, "cat-file", "blob", blob)


def _as_committed(root: Path, rev: str, path: str, stage: Stage) -> Stage:
    """A side's own version of a moved file, as its commit `rev` holds it. git merges the contents of a
    file renamed two ways and, when the merge differs from this side's file (the other side also edited
    it after its move), puts that merge in both sides' stages: the other side's grid was gone from the
    index, the two stages alike, and the move merged as if both had made the same one."""
    try:
        blob = run_git(root, "rev-parse", "--verify", "-q", f"{rev}:{path}").decode("ascii").strip()
    except GitFailed:
        return stage  # no such commit (a rebase, a cherry-pick): git's stage, as it is
    return Stage(stage.mode, blob) if blob else stage


def _record(data: bytes) -> tuple[str, str] | None:
    """(id, kind) of a file holding exactly one record, else None."""
    from gridctl.ledger.yamlfile import load_rt

    try:
        docs = [d for d in load_rt(data.decode("utf-8-sig")) if d is not None]
    except Exception:  # a file that is not YAML gridctl reads: git's own conflict, as before
        return None
    if len(docs) != 1 or not isinstance(docs[0], dict) or not docs[0].get("id"):
        return None
    return str(docs[0]["id"]), str(docs[0].get("kind") or "")


def settle(root: Path) -> list[dict[str, Any]]:
    """Turn every record moved two ways in the merge under way into its own conflicts, in this side's
    file (the clerk's values kept there, both sides' versions in git's stages 2 and 3 of it), and
    return them. Nothing else is touched: a merge without such a record is left as it is."""
    try:
        unmerged = _unmerged(root)
    except GitFailed:
        return []
    gone = [p for p, s in unmerged.items() if set(s) == {"1"}]
    ours = {p: s["2"] for p, s in unmerged.items() if set(s) == {"2"}}
    theirs = {p: s["3"] for p, s in unmerged.items() if set(s) == {"3"}}
    if not (gone and ours and theirs):
        return []
    merging = (store.git_dir(root) / "MERGE_HEAD").exists()
    if merging:
        ours = {p: _as_committed(root, "HEAD", p, s) for p, s in ours.items()}
        theirs = {p: _as_committed(root, "MERGE_HEAD", p, s) for p, s in theirs.items()}
    found: list[dict[str, Any]] = []
    for old in gone:
        base = unmerged[old]["1"]
        rid = _record(_blob(root, base.blob))
        if rid is None:
            continue
        mine = [p for p, s in ours.items() if _record(_blob(root, s.blob)) == rid]
        their = [p for p, s in theirs.items() if _record(_blob(root, s.blob)) == rid]
        if len(mine) == 1 and len(their) == 1:
            found += _settle_one(root, old, base, (mine[0], ours[mine[0]]), (their[0], theirs[their[0]]))
    return found


def _settle_one(
    root: Path, old: str, base: Stage, mine: tuple[str, Stage], theirs: tuple[str, Stage]
) -> list[dict[str, Any]]:
    from gridctl.ledger.transaction import atomic_write
    from gridctl.merge.sealed import settle_tokens
    from gridctl.merge.threeway import merge_text

    (here, ours), (there, other) = mine, theirs
    versions = settle_tokens(root, here, [_blob(root, s.blob) for s in (base, ours, other)])
    merged = merge_text(here, *versions)
    if merged.data is None:
        return []
    # this side's path holds the record, with the three versions git knew under three paths
    lines = [f"0 {NULL}\t{p}" for p in (old, here, there)]
    lines += [f"{s.mode} {s.blob} {n}\t{here}" for n, s in (("1", base), ("2", ours), ("3", other))]
    run_git(root, "update-index", "--index-info", input=("\n".join(lines) + "\n").encode("utf-8"))
    atomic_write(root / here, merged.data)
    (root / there).unlink(missing_ok=True)  # theirs: git's copy of the other side's file, in stage 3 now
    store.drop_files(root, {old, here, there})
    if not merged.conflicts:  # moved alike after all: nothing to choose
        run_git(root, "add", "-A", "--", here)
        return []
    return store.record(root, merged.conflicts, moved=there)


def place(root: Path, rel: str, entry: dict[str, Any]) -> str:
    """The settled file of a record moved two ways, staged in the folder of the grid it now names (the
    one the clerk chose: a side's, or a grid of the ledger); its path."""
    from gridctl.ledger.layout import path_for
    from gridctl.ledger.transaction import atomic_write
    from gridctl.ledger.yamlfile import load_rt

    path = root / rel
    data = path.read_bytes() if path.is_file() else b""
    docs = [d for d in load_rt(data.decode("utf-8-sig")) if d is not None] if data else []
    grid = docs[0].get("grid") if len(docs) == 1 and isinstance(docs[0], dict) else None
    target = rel
    known = {str(entry.get(k)) for k in ("base", "mine", "theirs")}
    if grid and (str(grid) in known or (root / "grids" / f"{grid}.yaml").is_file()):
        # a grid no one knows stays put: validate refuses it there, and resolve takes the choice back
        try:
            target = path_for(str(entry.get("kind") or ""), {"id": entry["record"], "grid": str(grid)})
        except (ValueError, GridctlError):  # an unsafe grid typed as a value: validate names it
            target = rel
    if target != rel and not (root / target).exists():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(root / target, data)
        path.unlink()
        run_git(root, "add", "-A", "--", rel, target)
        return target
    run_git(root, "add", "-A", "--", rel)
    return rel
