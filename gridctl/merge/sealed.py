"""Sealed values in a three-way merge: compared by what they hold, never written opened.

Each side seals a value with a fresh nonce, and `keys remove` re-seals every value with a new data
key, so two versions of one phone differ as text even when they hold the same number. Before the
merge (gridctl.merge.threeway, which compares text), every sealed value that holds the same thing
for the same record and field in base, mine and theirs is written as one token: the one sealed
with the data key the merged ledger will have (mine's first). A value sealed only with the other
data key (mine edited while theirs rotated the key) is sealed again with that key. Opened values
live in memory only; what reaches the file is always a token.

Without a key that opens the values, nothing changes: the merge compares the tokens as text (a
value re-sealed on one side then reads as changed, which is still never silently wrong).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gridctl.ledger.gitrepo import GitFailed, run_git
from gridctl.ledger.sealing import slots
from gridctl.ledger.vault import RECIPIENTS, TOKEN, Vault, vault_from
from gridctl.model.masking import is_sealed

FIELDS = ("id_number", "phones", "tags", "birth_date")


def settle_tokens(root: Path, rel: str, versions: list[bytes]) -> list[bytes]:
    """base, mine, theirs with each sealed value written as one token per (record, field, content)."""
    if not any(b"ENC[" in v for v in versions):
        return versions
    target, vaults = _vaults(root)
    if not vaults:
        return versions
    groups: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    for side, data in enumerate(versions):
        for record, name, token in _tokens(rel, data):
            content = _open(vaults, token, record, name)
            if content is not None:
                groups.setdefault((record, name, content), []).append((side, token))
    swap: list[dict[str, str]] = [{}, {}, {}]
    numbers: list[dict[str, str]] = [{}, {}, {}]
    for (record, name, content), tokens in groups.items():
        one = _chosen(tokens, target, record, name, content)
        for side, token in tokens:
            if token != one:
                swap[side][token] = one
            if name == "id_number":
                numbers[side][record] = content
    if target is not None and target.can_open:  # id_hash is keyed by the data key: the merged key's, on every side
        for side, data in enumerate(versions):
            for record, digest in _hashes(rel, data):
                if record in numbers[side] and digest != target.index(numbers[side][record]):
                    swap[side][digest] = target.index(numbers[side][record])
    return [_swapped(data, swap[side]) for side, data in enumerate(versions)]


def _chosen(tokens: list[tuple[int, str]], target: Vault | None, record: str, name: str, content: str) -> str:
    """The token for a value: one sealed with the merged ledger's data key (mine's first), else one sealed anew."""
    order = sorted(tokens, key=lambda t: {1: 0, 0: 1, 2: 2}[t[0]])
    if target is None:
        return order[0][1]
    for _side, token in order:
        if f"key:{target.key_id}," in token:
            return token
    if not target.can_open:
        return order[0][1]
    import datetime as dt

    kind = TOKEN.match(order[0][1])
    value: Any = dt.date.fromisoformat(content) if kind is not None and kind.group(3) == "date" else content
    return target.seal(value, record, name)


def _swapped(data: bytes, swap: dict[str, str]) -> bytes:
    for old, new in swap.items():
        data = data.replace(old.encode("ascii"), new.encode("ascii"))  # a token is unique, random, ASCII
    return data


def _documents(rel: str, data: bytes) -> list[Any]:
    from gridctl.ledger.reader import parse

    try:
        docs, _problems = parse(rel, data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return []
    return [d.data for d in docs]


def _tokens(rel: str, data: bytes) -> list[tuple[str, str, str]]:
    return [(r, n, str(v)) for d in _documents(rel, data) for _p, r, n, v in slots(d, FIELDS) if is_sealed(v)]


def _hashes(rel: str, data: bytes) -> list[tuple[str, str]]:
    """(person id, id_hash) of each member whose ID number has its keyed hash beside it."""
    return [
        (str(m["id"]), str(m["id_hash"]))
        for d in _documents(rel, data)
        if isinstance(d, dict) and isinstance(d.get("members"), list)
        for m in d["members"]
        if isinstance(m, dict) and m.get("id") is not None and m.get("id_hash")
    ]


def _open(vaults: list[Vault], token: str, record: str, name: str) -> str | None:
    for vault in vaults:
        if f"key:{vault.key_id}," in token:
            try:
                value = vault.open(token, record, name)
            except Exception:  # does not open (moved, damaged): compared as text
                return None
            return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return None


def _vaults(root: Path) -> tuple[Vault | None, list[Vault]]:
    """The data key the merged ledger will have, and every vault a key here opens (mine's, theirs', the base's)."""
    from gridctl.errors import GridctlError
    from gridctl.merge.conflicts import other_head

    other = other_head(root)
    mine, theirs = _recipients(root, "HEAD"), _recipients(root, other)
    base = _recipients(root, _merge_base(root, other))
    if mine is None and (root / RECIPIENTS).is_file():
        mine = (root / RECIPIENTS).read_bytes()
    try:
        found = {x: vault_from(x) for x in (mine, theirs, base) if x}
    except GridctlError:  # a recipients file that does not read: compare tokens as text
        return None, []
    target = found.get(mine) if mine else None
    if theirs and mine and base and mine == base and theirs != mine:
        target = found[theirs]  # only theirs changed the recipients (a key rotated there): the merge takes it
    return target, [v for v in found.values() if v.can_open]


def _merge_base(root: Path, theirs: str | None) -> str | None:
    if theirs is None:
        return None
    try:
        return run_git(root, "merge-base", "HEAD", theirs).decode().strip() or None
    except GitFailed:
        return None


def _recipients(root: Path, rev: str | None) -> bytes | None:
    if rev is None:
        return None
    try:
        return run_git(root, "show", f"{rev}:{RECIPIENTS}")
    except GitFailed:
        return None


def reseal_merged(root: Path) -> list[str]:
    """Before a merge commit: files holding values sealed with a data key the merge replaced, sealed again.

    The driver runs only for files both sides changed; a household one side added while the other
    removed a recipient (the data key rotated) still holds the old key's values. With a key here for
    both, they are sealed with the merged ledger's key and staged; the files changed, by path.
    """
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.sealing import seal_file
    from gridctl.ledger.transaction import atomic_write
    from gridctl.ledger.vault import SealBroken, vault_of
    from gridctl.merge.conflicts import other_head

    vault = vault_of(WorkTree(root))
    if vault is None or not vault.can_open:
        return []
    olds = [v for v in (_vault_at(root, rev) for rev in ("HEAD", other_head(root))) if v is not None]
    olds = [v for v in olds if v.can_open and v.key_id != vault.key_id]
    if not olds:
        return []
    patterns = [a for old in olds for a in ("-e", f"key:{old.key_id},")]
    try:  # the merged files (the index) that still hold an old key's value, whichever side they came from
        listed = run_git(root, "grep", "--cached", "-l", "-z", "-F", *patterns, "--", "households")
    except GitFailed:  # none found (git grep says so with exit 1)
        return []
    done = []
    for rel in filter(None, listed.decode("utf-8", "replace").split("\0")):
        path = root / rel
        if not path.is_file():
            continue
        data = before = path.read_bytes()
        for old in olds:
            if f"key:{old.key_id},".encode() in data:
                try:
                    data = seal_file(data, vault, old)
                except SealBroken:  # does not open with that key either: validate names it
                    continue
        if data != before:
            atomic_write(path, data)
            run_git(root, "add", "--", rel)
            done.append(rel)
    return done


def _vault_at(root: Path, rev: str | None) -> Vault | None:
    from gridctl.errors import GridctlError

    data = _recipients(root, rev)
    try:
        return vault_from(data) if data else None
    except GridctlError:
        return None
