"""Paste the whole household register into one file of about 3 MB (over the size limit)."""

from pathlib import Path

HOUSEHOLD = """\
---
kind: household
id: H{n:06d}
grid: "110105001001001"
address: {{estate: 永安里小区, building: {b}号楼, unit: 1单元, room: "{r}"}}
housing: 自有
members:
  - id: P{n:07d}
    name: {name}
    relation: 户主
    residence: 户籍
"""


SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ("秀英", "桂兰", "建国", "志强", "海燕", "丽华", "国庆", "春梅", "德明", "淑珍")


def _name(n: int) -> str:
    return SURNAMES[n % 10] + GIVEN[n // 10 % 10]


def make(ledger_dir: Path) -> None:
    path = ledger_dir / "households/110105001001001/全部住户.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [HOUSEHOLD.format(n=n, b=n // 100 + 1, r=n % 100 + 101, name=_name(n)) for n in range(1, 13_001)]
    path.write_text("".join(parts), encoding="utf-8")
