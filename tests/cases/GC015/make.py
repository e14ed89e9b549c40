"""Make households/110105001001002 a link to the 第一网格 folder (a shortcut a clerk made)."""

import os
from pathlib import Path


def make(ledger_dir: Path) -> None:
    os.symlink("110105001001001", ledger_dir / "households" / "110105001001002")
