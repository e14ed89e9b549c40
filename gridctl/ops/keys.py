"""Keys of an encrypted ledger: the user's identity, the recipients of the data key, encrypting a ledger.

Each change is one commit (a Change for gridctl.cli.common.change): encrypting writes
`.gridctl/recipients` and seals every household file; adding a recipient wraps the same data key
for one more public key; removing one rotates the data key (a new key, every value sealed again,
wrapped for those who remain), so the removed person cannot open anything written from then on.
What was committed before stays readable with the key that sealed it: git keeps old commits.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.ledger.sealing import seal_file
from gridctl.ledger.vault import (
    RECIPIENTS,
    Recipient,
    Vault,
    identities,
    identity_path,
    key_id_of,
    recipients_text,
    vault_of,
    wrap,
)
from gridctl.model.labels import label
from gridctl.ops.records import Change

NOT_ENCRYPTED = Text("台账未加密", "this ledger is not encrypted")


def init_identity() -> tuple[Path, str, bool]:
    """The user's identity file (made now unless it exists), its public key, and whether it was made now."""
    from pyrage import x25519

    found = identities()
    path = identity_path()
    if found:
        return path, str(found[0].to_public()), False
    if os.environ.get("GRIDCTL_IDENTITY"):
        raise GridctlError(
            Text("GRIDCTL_IDENTITY 中没有有效的密钥", "GRIDCTL_IDENTITY is set but holds no age identity"),
            hint=Text(
                "取消这个环境变量，或让它指向含 AGE-SECRET-KEY-… 的文件",
                "unset it, or point it at a file holding AGE-SECRET-KEY-…",
            ),
        )
    made = x25519.Identity.generate()
    public = str(made.to_public())
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        f"# gridctl identity, created {dt.date.today().isoformat()}: keep it secret, never put it in a ledger.\n"
        f"# public key: {public}\n{made}\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    from gridctl.ledger import vault

    vault._OPENED.clear()
    return path, public, True


def _opened(ledger: Ledger) -> Vault:
    found = vault_of(ledger._source, tuple(ledger.settings.privacy.encrypt))
    if found is None:
        raise GridctlError(
            NOT_ENCRYPTED, hint=Text("gridctl encrypt 可加密其个人信息", "gridctl encrypt encrypts its personal fields")
        )
    if not found.can_open:
        raise GridctlError(
            Text("本机没有能解开本台账数据密钥的密钥", "no key here opens this ledger's data key"),
            hint=Text(
                "请一位收件人 (gridctl keys list) 运行: gridctl keys add 你的名字 你的公钥",
                "ask a recipient (gridctl keys list) to run: gridctl keys add YOUR_NAME YOUR_PUBLIC_KEY",
            ),
        )
    return found


def _households(ledger: Ledger) -> list[str]:
    return sorted(rel for rel in ledger._source.paths() if rel.startswith("households/"))


def encrypt(ledger: Ledger, name: str, public_key: str) -> Change:
    """The whole ledger's personal fields sealed under a new data key, wrapped for `public_key`."""
    if vault_of(ledger._source) is not None:
        raise GridctlError(
            Text("台账已经加密", "this ledger is encrypted already"),
            hint=Text("gridctl keys add 名字 公钥 可增加收件人", "gridctl keys add NAME KEY adds a recipient"),
        )
    key = os.urandom(32)
    vault = Vault(key_id_of(key), [Recipient(name, public_key, wrap(key, public_key))], key,
                  tuple(ledger.settings.privacy.encrypt))  # fmt: skip
    files: dict[str, bytes | None] = {RECIPIENTS: recipients_text(vault.key_id, vault.recipients)}
    for rel in _households(ledger):
        sealed = seal_file(ledger.read(rel), vault)
        if sealed != ledger.read(rel):
            files[rel] = sealed
    count = len(files) - 1
    subject = Text(
        f"加密：{count} 个户文件的个人信息 ({'、'.join(label('person', [f]) for f in vault.fields)})",
        f"encrypt: personal fields of {count} household files ({', '.join(vault.fields)})",
    )
    change = Change(subject, files)
    change.note = Text(
        "此前的提交中这些信息仍是明文；从本次提交起加密保存。",
        "Commits before this one still hold these values in plain text; this commit encrypts them from now on.",
    )
    return change


def add(ledger: Ledger, name: str, public_key: str) -> Change:
    vault = _opened(ledger)
    if any(r.name == name for r in vault.recipients):
        raise GridctlError(Text(f"{name} 已是收件人", f"{name} is a recipient already"), hint="gridctl keys list")
    if any(r.public_key == public_key.strip() for r in vault.recipients):
        raise GridctlError(Text("该公钥已是收件人", "that public key is a recipient already"), hint="gridctl keys list")
    assert vault.key is not None
    people = [*vault.recipients, Recipient(name, public_key.strip(), wrap(vault.key, public_key))]
    subject = Text(f"密钥：增加收件人 {name}", f"keys: add {name}")
    return Change(subject, {RECIPIENTS: recipients_text(vault.key_id, people)})


def remove(ledger: Ledger, name: str) -> Change:
    """Rotate the data key: a new one, every value sealed again, wrapped for everyone but `name`."""
    old = _opened(ledger)
    left = [r for r in old.recipients if r.name != name]
    if len(left) == len(old.recipients):
        raise GridctlError(Text(f"{name} 不是收件人", f"{name} is not a recipient"), hint="gridctl keys list")
    if not left:
        raise GridctlError(
            Text(
                "不能移除最后一个收件人: 否则谁也打不开台账",
                "the last recipient cannot be removed: nobody could open the ledger",
            ),
            hint=Text(
                "先增加新的持有人: gridctl keys add 名字 公钥", "add the new holder first: gridctl keys add NAME KEY"
            ),
        )
    key = os.urandom(32)
    people = [Recipient(r.name, r.public_key, wrap(key, r.public_key)) for r in left]
    new = Vault(key_id_of(key), people, key, old.fields)
    files: dict[str, bytes | None] = {RECIPIENTS: recipients_text(new.key_id, people)}
    for rel in _households(ledger):
        raw = ledger.read(rel)
        sealed = seal_file(raw, new, old)
        if sealed != raw:
            files[rel] = sealed
    subject = Text(
        f"密钥：移除收件人 {name}，新数据密钥 {new.key_id} (原为 {old.key_id})",
        f"keys: remove {name}, new data key {new.key_id} (was {old.key_id})",
    )
    change = Change(subject, files)
    change.note = Text(
        f"{name} 从本次提交起无法解开任何信息；此前的提交仍可用旧密钥 {old.key_id} 解开。",
        f"{name} can no longer open anything from this commit on. Older commits stay readable with the old key "
        f"{old.key_id} by whoever held it.",
    )
    return change


def plain_mentions(ledger: Ledger) -> list[str]:
    """Lines of household files that still name a care group, an ID number or a mobile in plain text
    (a comment, a note): encryption covers fields, not the clerk's own words. `file:line: text`, masked.
    An id_hash line is no mention: its hex now and then holds a run of digits that reads as a mobile
    (the leak guard lets it pass for the same reason)."""
    from gridctl.leakguard import HASH_LINE
    from gridctl.model.masking import ids_in, mask_line, mobiles_in

    words = [w for w in ledger.settings.vocabularies.get("care_groups", []) if w]
    out = []
    for rel in _households(ledger):
        for number, line in enumerate(ledger.read(rel).decode("utf-8", "replace").splitlines(), 1):
            if "ENC[" in line or HASH_LINE.search(line):
                continue
            if any(w in line for w in words) or any(ids_in(line)) or any(mobiles_in(line)):
                out.append(f"{rel}:{number}: {mask_line(line.strip())}")
    return out
