"""One address formatter, right for every combination of filled and empty parts, used by every output."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from gridctl.model.address import address_text

ESTATES = ("", "阳光小区")
BUILDINGS = (("", ""), ("3", "3号楼"), ("1号楼", "1号楼"), ("5栋", "5栋"), ("A座", "A座"), ("12A", "12A号楼"))
UNITS = (("", ""), ("2", "2单元"), ("2单元", "2单元"), ("东单元", "东单元"))
ROOMS = ("", "501")
TEXTS = ("", "幸福路8号院")


@pytest.mark.parametrize(
    ("estate", "building", "unit", "room", "text"),
    list(itertools.product(ESTATES, BUILDINGS, UNITS, ROOMS, TEXTS)),
)
def test_every_combination_of_parts(estate: str, building: tuple, unit: tuple, room: str, text: str) -> None:  # type: ignore[type-arg]
    given = {"estate": estate, "building": building[0], "unit": unit[0], "room": room, "text": text}
    parts = building[0] or unit[0] or room
    want = (estate + building[1] + unit[1] + room) if parts or not text else text
    for form in (given, {f"address.{k}": v for k, v in given.items()}, {k: v or None for k, v in given.items()}):
        assert address_text(form) == want


def test_the_issues_examples() -> None:
    assert address_text({"building": "1号楼", "unit": "2单元", "room": "501"}) == "1号楼2单元501"
    assert address_text({"building": "3", "unit": "2", "room": "501"}) == "3号楼2单元501"
    assert address_text({"estate": "阳光小区", "building": "3", "unit": "2", "room": "501"}) == "阳光小区3号楼2单元501"
    assert address_text(None) == "" and address_text({}) == ""
    assert address_text({"building": "３", "unit": "２"}) == "３号楼２单元"  # full-width digits are bare too


def test_every_output_writes_it_the_same_way(cli, repo: Path) -> None:
    """list, the commit subject of add, and the import finding all use the one formatter."""
    import json

    add = cli(
        "-C", str(repo), "--lang", "zh", "add", "household", "--set", "grid=110105001001001",
        "--set", "address.estate=阳光小区", "--set", "address.building=1号楼", "--set", "address.unit=2",
        "--set", "address.room=501",
    )  # fmt: skip
    assert add.exit_code == 0, add.output
    assert "阳光小区1号楼2单元501" in add.output and "号楼号楼" not in add.output
    rows = json.loads(cli("-C", str(repo), "list", "household", "-f", "json").stdout)
    assert {r["address"] for r in rows} == {"阳光小区3号楼2单元501", "阳光小区1号楼2单元501"}


def test_an_address_typed_whole_replaces_its_parts(cli, repo: Path) -> None:
    """`--set 地址=幸福路3号` was refused with a hint about 四至; as 详细地址 beside the old parts, it never showed."""
    done = cli("edit", "H000001", "--set", "address=阳光小区3号楼2单元501", "-C", str(repo))
    assert done.exit_code == 0, done.output
    done = cli("edit", "H000001", "--set", "地址=幸福路3号院", "-C", str(repo))
    assert done.exit_code == 0, done.output
    listed = cli("list", "household", "--format", "json", "-C", str(repo))
    assert [h["address"] for h in json.loads(listed.output) if h["id"] == "H000001"] == ["幸福路3号院"]
    wrong = cli("--lang", "zh", "edit", "H000001", "--set", "地址=小区：阳光，3栋", "-C", str(repo))
    assert wrong.exit_code == 2
    assert "看不懂“3栋”" in wrong.output and "--set 地址=社区：…，小区：…" in wrong.output
    assert "四至" not in wrong.output
