"""Write households/110105001001001/H000002.yaml in GBK, as Notepad saves it after an Excel export."""

from pathlib import Path

TEXT = """\
# 从 Excel 导出后用记事本另存
kind: household
id: H000002
grid: "110105001001001"
address:
  estate: 永安里小区
  building: 3号楼
  unit: 2单元
  room: "502"
housing: 租住
members:
  - id: P0000003
    name: 周海燕
    gender: 女
    relation: 户主
    residence: 流动
"""


def make(ledger_dir: Path) -> None:
    path = ledger_dir / "households/110105001001001/H000002.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(TEXT.encode("gbk"))
