"""Where the sealed values of a document are, opening them for reading and sealing them for writing.

Only households hold personal fields: the household's `tags`, and each member's `id_number`,
`phones`, `tags`, `birth_date` (those `privacy.encrypt` in gridctl.yaml lists). A person's values
are bound to the person's id (so moving a person to another household keeps them valid), the
household's tags to the household's id.

Reading never changes the parsed document (the cache keeps it, ciphertext and all): `opened`
returns a copy with the values opened, and the places that did not open.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gridctl.ledger.vault import SealBroken, Vault
from gridctl.model.masking import SEALED_SHOWN, is_sealed

Path = tuple[str | int, ...]
LISTS = ("phones", "tags")


@dataclass
class Opened:
    data: Any
    opened: set[Path] = field(default_factory=set)
    """Paths of the fields whose values were sealed (opened or not): their values never enter a cache."""
    broken: list[tuple[Path, str]] = field(default_factory=list)
    plain: list[Path] = field(default_factory=list)
    """Personal values in plain text on an encrypted ledger (GC701)."""
    hashes: list[tuple[Path, str]] = field(default_factory=list)
    """ID numbers whose id_hash is missing or wrong (GC703): (path of id_hash or id_number, 'missing'|'wrong')."""


def slots(data: Any, fields: tuple[str, ...]) -> Iterator[tuple[Path, str, str, Any]]:
    """(path, record id, field, value) of every personal value a household document holds."""
    if not isinstance(data, dict) or data.get("kind") != "household":
        return
    hid = str(data.get("id"))
    if "tags" in fields and isinstance(data.get("tags"), list):
        for i, value in enumerate(data["tags"]):
            yield ("tags", i), hid, "tags", value
    members = data.get("members")
    if not isinstance(members, list):
        return
    for m, member in enumerate(members):
        if not isinstance(member, dict) or member.get("id") is None:
            continue
        pid = str(member["id"])
        for name in fields:
            value = member.get(name)
            if name in LISTS and isinstance(value, list):
                for i, item in enumerate(value):
                    yield ("members", m, name, i), pid, name, item
            elif name not in LISTS and value is not None:
                yield ("members", m, name), pid, name, value


def holds_sealed(data: Any) -> bool:
    """Any personal value sealed (asked of every household of a plain ledger: a plain loop, no generator)."""
    if not isinstance(data, dict) or data.get("kind") != "household":
        return False
    tags = data.get("tags")
    if isinstance(tags, list) and any(is_sealed(t) for t in tags):
        return True
    members = data.get("members")
    for member in members if isinstance(members, list) else ():
        if not isinstance(member, dict):
            continue
        for name in ("id_number", "birth_date"):
            if is_sealed(member.get(name)):
                return True
        for name in LISTS:
            values = member.get(name)
            if isinstance(values, list) and any(is_sealed(v) for v in values):
                return True
    return False


def opened(data: Any, vault: Vault) -> Opened:
    """A copy of `data` with its sealed values opened (when the vault can); what did not open, and what is plain."""
    found = list(slots(data, vault.fields))
    if not found:
        return Opened(data)
    out = Opened(_copy(data) if vault.can_open else data)  # without a key nothing is opened, nothing changes
    for path, record, name, value in found:
        if not is_sealed(value):
            if value not in (None, ""):
                out.plain.append(path)
            continue
        out.opened.add(path)
        if not vault.can_open:
            if f"key:{vault.key_id}," not in value:  # another data key's: it cannot open here, key or not
                out.broken.append((path, f"sealed with another data key, not this ledger's {vault.key_id}"))
            continue
        try:
            _put(out.data, path, vault.open(value, record, name))
        except SealBroken as exc:
            out.broken.append((path, str(exc)))
    _check_hashes(out, data, vault)
    return out


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    """A copy deep enough to open values in (the household, its members, their lists), never the parsed original."""
    out = dict(data)
    if isinstance(out.get("tags"), list):
        out["tags"] = list(out["tags"])
    if isinstance(out.get("members"), list):
        members = []
        for member in out["members"]:
            if isinstance(member, dict):
                member = dict(member)
                for name in LISTS:
                    if isinstance(member.get(name), list):
                        member[name] = list(member[name])
            members.append(member)
        out["members"] = members
    return out


def _check_hashes(out: Opened, raw: Any, vault: Vault) -> None:
    if "id_number" not in vault.fields:
        return
    for m, member in enumerate(raw.get("members") or []):
        if not isinstance(member, dict) or not is_sealed(member.get("id_number")):
            continue
        given = member.get("id_hash")
        if given is None:
            out.hashes.append((("members", m, "id_number"), "missing"))
        elif vault.can_open:
            number = out.data["members"][m].get("id_number")
            if isinstance(number, str) and not is_sealed(number) and str(given) != vault.index(number):
                out.hashes.append((("members", m, "id_hash"), "wrong"))


def _put(data: Any, path: Path, value: Any) -> None:
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def scrub(args: dict[str, Any]) -> dict[str, Any]:
    """A problem's arguments about a sealed field: no opened value may reach the cache or the screen."""
    hidden = ("value", "nearest", "birth_date", "id_birth", "region")
    out = {k: (SEALED_SHOWN if k in hidden else v) for k, v in args.items()}
    if "suggest" in args:
        out |= {"suggest": "", "suggest_zh": ""}
    return out


# -- writing -----------------------------------------------------------------------------------------


def seal_file(raw: bytes, vault: Vault, old: Vault | None = None) -> bytes:
    """A record file with every personal value sealed (and each ID number's id_hash written).

    `old`: re-seal values sealed with another data key (a recipient removed: the data key rotates).
    Only the values change; the clerk's comments, order and quoting stay (a round-trip edit).
    """
    from gridctl.ledger.reader import parse
    from gridctl.ledger.yamlfile import dump_rt, edit_text, load_rt

    try:
        found, _problems = parse("", raw.decode("utf-8-sig")) if b"members" in raw or b"tags" in raw else ([], [])
    except UnicodeDecodeError:
        return raw  # not text: validate reports it; nothing to seal
    parsed = [d.data for d in found]
    if not any(_needs(doc, vault, old) for doc in parsed):
        return raw
    text = edit_text(raw)
    docs = load_rt(text)
    for doc in docs:
        _seal_document(doc, vault, old)
    return dump_rt(text, docs)


def _needs(doc: Any, vault: Vault, old: Vault | None) -> bool:
    for _path, _record, _name, value in slots(doc, vault.fields):
        if not is_sealed(value) or (old is not None and f"key:{vault.key_id}," not in str(value)):
            return True
    if isinstance(doc, dict) and doc.get("kind") == "household":
        for member in doc.get("members") or []:
            if isinstance(member, dict) and is_sealed(member.get("id_number")) and member.get("id_hash") is None:
                return vault.can_open
            if isinstance(member, dict) and member.get("id_number") is None and member.get("id_hash") is not None:
                return True
    return False


def _seal_document(doc: Any, vault: Vault, old: Vault | None) -> None:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    for path, record, name, value in list(slots(doc, vault.fields)):
        if value is None or value == "":
            continue
        if is_sealed(value):
            if old is None or f"key:{vault.key_id}," in value:
                continue
            value = old.open(value, record, name)
        node = doc
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = DoubleQuotedScalarString(vault.seal(value, record, name))
    for member in doc.get("members") or [] if isinstance(doc, dict) else []:
        if not isinstance(member, dict):
            continue
        token = member.get("id_number")
        if token is None:
            member.pop("id_hash", None)
        elif is_sealed(token) and vault.can_open:
            number = vault.open(str(token), str(member.get("id")), "id_number")
            digest = DoubleQuotedScalarString(vault.index(number))
            if member.get("id_hash") != digest:
                if "id_hash" in member:
                    member["id_hash"] = digest
                else:
                    member.insert(list(member).index("id_number") + 1, "id_hash", digest)


def seal_changes(changes: dict[str, bytes | None], vault: Vault | None) -> dict[str, bytes | None]:
    """A write's files with personal values sealed, on an encrypted ledger (a plain ledger: unchanged)."""
    if vault is None:
        return changes
    return {
        rel: (seal_file(data, vault) if data is not None and rel.startswith("households/") else data)
        for rel, data in changes.items()
    }
