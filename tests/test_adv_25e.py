"""Merges under stress, the cache's checksums and the history of merges: each test failed before its fix.

A damaged settings.pickle under .git/gridctl/cache (one changed digit, still a valid pickle) was
trusted: the notice boards printed a supervision line the ledger does not hold.
"""

from __future__ import annotations

from pathlib import Path


def test_a_damaged_settings_pickle_is_never_trusted(demo: Path, cli) -> None:
    """One changed digit in the kept settings (a failing disk, a bad copy of .git) still unpickled, and
    every board printed 010-65071299 for the ledger's 010-65071234."""
    assert cli("-C", str(demo), "status").exit_code == 0
    kept = demo / ".git" / "gridctl" / "cache" / "settings.pickle"
    raw = kept.read_bytes()
    assert raw.count(b"010-65071234") == 1
    kept.write_bytes(raw.replace(b"010-65071234", b"010-65071299"))
    result = cli("-C", str(demo), "print", "board", "--all", "--no-record")
    assert result.exit_code == 0, result.output
    assert "010-65071234" in result.output and "010-65071299" not in result.output
