"""Encryption at rest of residents' personal fields, in the manner of sops.

- One random 256-bit **data key** per ledger. It is never stored in the clear: `.gridctl/recipients`
  (committed) holds it wrapped with age (pyrage) once for each recipient's X25519 public key.
- Each personal value is sealed alone with AES-256-GCM under the data key, a fresh 96-bit nonce, and
  **associated data = the record id and the field** (`P0000012` + `id_number`), so a value copied
  onto another person or into another field no longer opens. In the file it reads
  `ENC[AES256_GCM,key:1a2b3c4d,data:…,type:str]`: the key id says which data key sealed it.
- Beside an ID number stands `id_hash`, an HMAC-SHA256 (key derived from the data key) of the number:
  one person one record, and import's matching, compare hashes without decrypting anything.
- A user's **identity** (the age secret key) lives in their own config folder (platformdirs), or in
  GRIDCTL_IDENTITY (the key itself, or the path of a file holding it); never in the ledger.

Without an identity that opens the data key, the vault still knows the key id (the structure can
be checked) but opens and seals nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.model.masking import SEALED_PREFIX, is_sealed

RECIPIENTS = ".gridctl/recipients"
"""The committed file of recipients: each one's age public key and the ledger's data key wrapped for it."""
IDENTITY_ENV = "GRIDCTL_IDENTITY"
CONTEXT_KEY = "vault"
"""Where the validation context carries the ledger's vault (gridctl.ledger.index.Ledger.context)."""
TOKEN = re.compile(r"^ENC\[AES256_GCM,key:([0-9a-f]{8}),data:([A-Za-z0-9+/]+={0,2}),type:(str|date)\]$")
NONCE = 12


class SealBroken(ValueError):
    """A sealed value that does not open: another data key, moved to another record or field, or damaged."""


class NeedsKey(GridctlError):
    """A change that must seal personal data on an encrypted ledger, with no identity that opens its data key."""


@dataclass(frozen=True)
class Recipient:
    name: str
    public_key: str
    wrapped: str
    """The data key, age-encrypted for `public_key`, base64."""


@dataclass
class Vault:
    key_id: str
    recipients: list[Recipient]
    key: bytes | None = None
    fields: tuple[str, ...] = ("id_number", "phones", "tags", "birth_date")
    _aead: Any = field(default=None, repr=False)
    _mac: bytes | None = field(default=None, repr=False)

    @property
    def can_open(self) -> bool:
        return self.key is not None

    def _cipher(self) -> Any:
        if self.key is None:
            raise NeedsKey(
                "this change writes residents' personal data, which this ledger keeps encrypted, and no key here "
                "opens it / 台账已加密，本机没有能解开它的密钥，不能写入个人信息",
                hint="gridctl keys init (once), then ask someone who holds a key: gridctl keys add YOUR_NAME "
                "YOUR_PUBLIC_KEY; or set GRIDCTL_IDENTITY",
            )
        if self._aead is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._aead = AESGCM(self.key)
        return self._aead

    def seal(self, value: Any, record: str, name: str) -> str:
        """`value` (text, or a date) sealed for this record's field."""
        import datetime as dt

        kind = "date" if isinstance(value, dt.date) else "str"
        plain = (value.isoformat() if isinstance(value, dt.date) else str(value)).encode("utf-8")
        nonce = os.urandom(NONCE)
        data = nonce + self._cipher().encrypt(nonce, plain, associated(record, name))
        return f"ENC[AES256_GCM,key:{self.key_id},data:{base64.b64encode(data).decode('ascii')},type:{kind}]"

    def open(self, token: str, record: str, name: str) -> Any:
        """The value a token holds (a date for `type:date`); SealBroken when it does not open here."""
        import datetime as dt

        m = TOKEN.match(token)
        if m is None:
            raise SealBroken("not a sealed value")
        if m.group(1) != self.key_id:
            raise SealBroken(f"sealed with data key {m.group(1)}, not this ledger's {self.key_id}")
        try:
            data = base64.b64decode(m.group(2), validate=True)
            plain = self._cipher().decrypt(data[:NONCE], data[NONCE:], associated(record, name))
        except NeedsKey:
            raise
        except Exception:
            raise SealBroken("does not open for this record and field (moved, copied or damaged)") from None
        text = plain.decode("utf-8")
        return dt.date.fromisoformat(text) if m.group(3) == "date" else text

    def index(self, number: str) -> str:
        """The keyed hash of an ID number (capitals): equal numbers, equal hashes; nothing to reverse."""
        if self._mac is None:
            self._cipher()
            assert self.key is not None
            self._mac = hmac.digest(self.key, b"gridctl id_number index v1", "sha256")
        return hmac.digest(self._mac, number.strip().upper().encode("utf-8"), "sha256")[:16].hex()


def associated(record: str, name: str) -> bytes:
    """What a sealed value is bound to: its record's id and its field (a list's items share the field)."""
    return f"gridctl:{record}\x1f{name}".encode()


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(b"gridctl data key id\0" + key).hexdigest()[:8]


# -- the recipients file ------------------------------------------------------------------------------


def parse_recipients(data: bytes) -> tuple[str, list[Recipient]]:
    import yaml_rs

    try:
        doc = yaml_rs.loads(data.decode("utf-8-sig"))
        key_id = str(doc["key_id"])
        people = [
            Recipient(str(r["name"]), str(r["public_key"]), str(r["data_key"])) for r in doc.get("recipients") or []
        ]
    except Exception:
        raise GridctlError(
            Text(f"{RECIPIENTS} 无法读取", f"{RECIPIENTS} cannot be read"),
            hint=Text(
                f"从 git 恢复: git checkout -- {RECIPIENTS}", f"restore it from git: git checkout -- {RECIPIENTS}"
            ),
        ) from None
    return key_id, people


def recipients_text(key_id: str, people: list[Recipient]) -> bytes:
    lines = [
        "# 加密台账的收件人 (gridctl keys add / keys remove)。每人一份用其 age 公钥加密的数据密钥；",
        "# 私钥从不放在台账里。Recipients of this ledger's data key, each wrapped with age for their public key.",
        f'key_id: "{key_id}"',
        "recipients:",
    ]
    for r in people:
        lines += [f"  - name: {_quoted(r.name)}", f'    public_key: "{r.public_key}"', f'    data_key: "{r.wrapped}"']
    return ("\n".join(lines) + "\n").encode("utf-8")


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def wrap(key: bytes, public_key: str) -> str:
    import pyrage

    try:
        recipient = pyrage.x25519.Recipient.from_str(public_key.strip())
    except Exception:
        raise GridctlError(
            Text(f"不是有效的 age 公钥: {public_key}", f"not an age public key: {public_key}"),
            hint=Text(
                "公钥以 age1 开头 (gridctl keys init 会显示你的公钥)",
                "a public key starts with age1 (gridctl keys init prints yours)",
            ),
        ) from None
    return base64.b64encode(pyrage.encrypt(key, [recipient])).decode("ascii")


def unwrap(people: list[Recipient], identities: list[Any]) -> bytes | None:
    import pyrage

    publics = {str(i.to_public()) for i in identities}
    ordered = sorted(people, key=lambda r: r.public_key not in publics)
    for r in ordered:
        try:
            return pyrage.decrypt(base64.b64decode(r.wrapped), identities)
        except Exception:
            continue
    return None


# -- identities -----------------------------------------------------------------------------------------


def identity_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("gridctl", appauthor=False)) / "identity.txt"


def identities() -> list[Any]:
    """The user's age identities: GRIDCTL_IDENTITY (a key, or a file of keys), else the config folder's file."""
    from pyrage import x25519

    given = os.environ.get(IDENTITY_ENV, "").strip()
    if given.startswith("AGE-SECRET-KEY-"):
        texts = [given]
    else:
        path = Path(given) if given else identity_path()
        try:
            texts = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []
    out = []
    for line in texts:
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-"):
            try:
                out.append(x25519.Identity.from_str(line))
            except Exception:
                continue
    return out


# -- the vault of a ledger ---------------------------------------------------------------------------

_OPENED: dict[tuple[str, bytes, tuple[str, ...]], Vault] = {}


def vault_of(files: Any, fields: tuple[str, ...] | None = None) -> Vault | None:
    """The ledger's vault as `files` hold it (None for a plain-text ledger), opened when an identity here can."""
    try:
        if not files.exists(RECIPIENTS):
            return None
        data = files.read(RECIPIENTS)
    except (OSError, KeyError):
        return None
    return vault_from(data, fields)


def tags_closed(ledger: Any) -> bool:
    """Care-group tags kept encrypted that no key here opens: nobody can be chosen or counted by them.

    A list or register that chose by tag anyway would read "nobody" (an empty list) where there are people.
    """
    if "tags" not in ledger.settings.privacy.encrypt or ledger.source is None:
        return False
    vault = vault_of(ledger.source)
    return vault is not None and not vault.can_open


def vault_from(data: bytes, fields: tuple[str, ...] | None = None) -> Vault:
    fields = fields or ("id_number", "phones", "tags", "birth_date")
    given = os.environ.get(IDENTITY_ENV, "")
    cache_key = (given, data, fields)
    if cache_key not in _OPENED:
        key_id, people = parse_recipients(data)
        key = unwrap(people, identities()) if people else None
        if key is not None and key_id_of(key) != key_id:
            key = None  # a recipient entry that does not belong to this key id: trust nothing from it
        _OPENED[cache_key] = Vault(key_id, people, key, fields)
    return _OPENED[cache_key]


def record_context(settings: Any, files: Any) -> dict[str, Any]:
    """What records are validated with: the settings' vocabularies and, on an encrypted ledger, its vault.

    One place for the index and the worker processes of a cold validate (gridctl.prefetch) alike:
    a worker without the vault would find every sealed value unreadable."""
    context = settings.vocabulary_context()
    vault = vault_of(files, tuple(settings.privacy.encrypt))
    if vault is not None:
        context[CONTEXT_KEY] = vault
    return context


def mark(files: Any) -> str:
    """What the cache must key on besides gridctl.yaml: the recipients file and whether a key opens it."""
    vault = vault_of(files)
    if vault is None:
        return ""
    return f"{vault.key_id}:{'open' if vault.can_open else 'closed'}"


__all__ = ["RECIPIENTS", "SEALED_PREFIX", "NeedsKey", "SealBroken", "Vault", "is_sealed", "vault_of"]
