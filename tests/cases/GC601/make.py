"""The community ledgers in units/ as git repositories, fetched into the town's (tests/townunits.py)."""

from pathlib import Path

from townunits import make_town


def make(ledger_dir: Path) -> None:
    make_town(ledger_dir, Path(__file__).parent / "units")
