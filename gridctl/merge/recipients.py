"""`.gridctl/recipients` changed on both sides of a merge (keys add / keys remove in two clones).

git merges the file as lines: the result wraps one data key under another's key id, keeps a
recipient the other side removed, or stops in conflict, and then no command reads the ledger.
Merged here instead, by public key: everyone either side added, no one either side removed. The
data key is one that no removed recipient ever held (a side's own rotated key), else a new one;
it is wrapped for each recipient, and the values sealed with another key are sealed again before
the merge commit (gridctl.merge.sealed.reseal_merged). That needs a key that opens both sides.
"""

from __future__ import annotations

import os
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.gitrepo import GitFailed, run_git
from gridctl.ledger.vault import RECIPIENTS, Recipient, Vault, key_id_of, recipients_text, vault_from, wrap

NEEDS_KEY = Text(
    "两边都改了台账的收件人 (keys add / keys remove)；合并它们要重新包装数据密钥，本机没有能解开两边的密钥。"
    "合并已撤销，台账和 git 都没有变化",
    "both sides changed the ledger's recipients (keys add / keys remove); merging them wraps the data key anew, "
    "and no key here opens both sides. The merge was undone: ledger and git unchanged",
)
NEEDS_KEY_HINT = Text(
    "请在有密钥的电脑上运行 gridctl sync (gridctl keys list 列出收件人)",
    "run gridctl sync on a computer whose key opens this ledger (gridctl keys list names the recipients)",
)


def _stage(root: Path, n: int) -> Vault | None:
    try:
        data = run_git(root, "show", f":{n}:{RECIPIENTS}")
    except GitFailed:
        return None
    return vault_from(data)


def merged(base: Vault, mine: Vault, theirs: Vault) -> Vault | None:
    """The merged recipients and their data key; None when no key here opens what is needed."""
    gone = {r.public_key for r in base.recipients} - (
        {r.public_key for r in mine.recipients} & {r.public_key for r in theirs.recipients}
    )
    people: dict[str, Recipient] = {}
    for r in (*mine.recipients, *theirs.recipients):
        if r.public_key not in gone and r.public_key not in people:
            people[r.public_key] = r

    def clean(v: Vault) -> bool:
        """A side's data key no removed recipient holds: not wrapped for one, and rotated if anyone left
        (a recipient cut out of the file by hand still holds the key the base had)."""
        return v.can_open and not gone & {r.public_key for r in v.recipients} and not (gone and v.key_id == base.key_id)

    keep = next((v for v in (mine, theirs) if clean(v)), None)
    if keep is None and not (gone and mine.can_open and theirs.can_open):
        return None  # a new data key needs the values of both sides to open here, to be sealed again
    key = keep.key if keep is not None else os.urandom(32)
    assert key is not None
    key_id = key_id_of(key)
    holders = {r.public_key: r for r in (keep.recipients if keep is not None else [])}
    wrapped = [holders.get(pk) or Recipient(r.name, r.public_key, wrap(key, r.public_key)) for pk, r in people.items()]
    return Vault(key_id, wrapped, key, mine.fields)


def settle_recipients(root: Path) -> bool:
    """Write and stage the merged recipients when git left them in conflict; False when it did not.

    Raises NEEDS_KEY (the caller undoes the merge) when no key here can merge them."""
    from gridctl.ledger.transaction import atomic_write

    base, mine, theirs = (_stage(root, n) for n in (1, 2, 3))
    if base is None or mine is None or theirs is None:
        return False  # deleted on one side, or encrypted on both: git's own question
    result = merged(base, mine, theirs)
    if result is None:
        raise GridctlError(NEEDS_KEY, hint=NEEDS_KEY_HINT)
    atomic_write(root / RECIPIENTS, recipients_text(result.key_id, result.recipients))
    run_git(root, "add", "--", RECIPIENTS)
    return True
