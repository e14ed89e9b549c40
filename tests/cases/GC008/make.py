"""Link staff/S0003.yaml to a copy on a USB stick, outside the ledger."""

import os
from pathlib import Path

TARGET = "/mnt/u盘/社区台账备份/S0003.yaml"


def make(ledger_dir: Path) -> None:
    os.symlink(TARGET, ledger_dir / "staff" / "S0003.yaml")
