"""After a few files changed, the ledger-wide checks are redone from each check's kept findings
(gridctl.checks.since): the checks that read none of the changed kinds are not run again, and the
result is exactly what running every check gives. Real ledgers, real hand edits, real reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from gridctl.checks import GLOBAL, run_each
from gridctl.checks.since import checks_since
from gridctl.cli.main import app
from gridctl.ledger import cache as cache_module
from gridctl.ledger.index import load
from gridctl.problem import Problem

TODAY = dt.date(2026, 4, 15)
GRID = "110105017006001"


def read(root: Path):
    cache_module._OPEN.clear()  # as a new process reads the packs
    ledger, _ = load(root)
    assert ledger is not None
    return ledger


def same(a: list[Problem], b: list[Problem]) -> bool:
    return sorted(a, key=Problem.sort_key) == sorted(b, key=Problem.sort_key)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_household_edit_reruns_only_the_checks_that_read_households(demo: Path) -> None:
    before = read(demo)
    kept = run_each(before, GLOBAL, TODAY)
    path = demo / "households" / GRID / "H000001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# 入户核实过\n", encoding="utf-8")
    after = read(demo)
    found = checks_since(after, before.cols, kept, TODAY)
    assert found is not None
    assert found["timeline_history"] is kept["timeline_history"]  # reads events only: not run again
    assert found["grid_tree"] is kept["grid_tree"]
    whole = run_each(after, GLOBAL, TODAY)
    assert all(same(found[name], whole[name]) for name, _check in GLOBAL)


def test_a_staff_id_changed_by_hand_finds_the_grid_that_names_it(demo: Path) -> None:
    """The id S0004 goes: every record naming it (its grid, an event, a place) is found again,
    though none of those files changed."""
    before = read(demo)
    kept = run_each(before, GLOBAL, TODAY)
    edit(demo / "staff" / "S0004.yaml", 'id: "S0004"', 'id: "S0094"')
    after = read(demo)
    found = checks_since(after, before.cols, kept, TODAY)
    assert found is not None
    whole = run_each(after, GLOBAL, TODAY)
    assert all(same(found[name], whole[name]) for name, _check in GLOBAL)
    named = {p.file for name in found for p in found[name] if p.severity == "error"}
    assert f"grids/{GRID}.yaml" in named


def validate(root: Path, cold: bool) -> tuple[int, str]:
    cache_module._OPEN.clear()
    env = {"GRIDCTL_NO_CACHE": "1" if cold else ""}
    done = CliRunner().invoke(app, ["-C", str(root), "--lang", "en", "validate", "-f", "json"], env=env)
    return done.exit_code, done.output


def test_a_validate_after_a_hand_edit_says_what_a_cold_one_says(demo: Path) -> None:
    """Through the command: a warm validate keeps each check's findings; the next, after a hand edit
    that breaks a reference, prints what a validate with nothing kept prints."""
    validate(demo, cold=False)
    edit(demo / "households" / GRID / "H000002.yaml", 'assigned_to: "S0005"', 'assigned_to: "S0999"')
    warm = validate(demo, cold=False)
    assert warm == validate(demo, cold=True)
    assert warm[0] == 1 and "S0999" in warm[1]


PLACE = """kind: place
id: "PL09999"
grid: "110105017006001"
type: 楼栋
name: 幸福里小区99号楼
address: 北京市朝阳区安和街道幸福里社区幸福里小区99号楼
responsible: "S0026"
"""


def test_an_id_added_by_hand_clears_the_reference_that_named_it(demo: Path) -> None:
    """An event names a place no file holds (GC202); a place of that id is then added as a second
    document of another place's file. The id is new to the ledger, so no finding elsewhere could
    be added, but the event's finding goes (found by an adversarial test: the warm run kept it)."""
    edit(demo / "events" / "2026" / "03" / "E202603-0002.yaml", 'places: ["PL00008"]', 'places: ["PL00008", "PL09999"]')
    assert "PL09999" in validate(demo, cold=False)[1]
    path = demo / "places" / GRID / "PL00001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "---\n" + PLACE, encoding="utf-8")
    warm = validate(demo, cold=False)
    assert warm == validate(demo, cold=True)
    assert "PL09999" not in warm[1]


def test_a_file_turned_unreadable_excuses_the_reference_to_its_name(demo: Path) -> None:
    """A file named for the place an event names holds no record (GC010), then turns into broken
    YAML: the records it may hold are unknown, so the reference is no longer reported."""
    edit(demo / "events" / "2026" / "03" / "E202603-0002.yaml", 'places: ["PL00008"]', 'places: ["PL00008", "PL09999"]')
    path = demo / "places" / GRID / "PL09999.yaml"
    path.write_text("hello\n", encoding="utf-8")
    assert "missing place PL09999" in validate(demo, cold=False)[1]
    path.write_text('kind: place\nid: "PL09999\n  bad: [\n', encoding="utf-8")
    warm = validate(demo, cold=False)
    assert warm == validate(demo, cold=True)
    assert "missing place PL09999" not in warm[1]


def test_two_documents_of_one_id_swapped_change_the_kind_it_answers_to(demo: Path) -> None:
    """A file holds place PL00008 and a household of the same id (GC201); its documents swapped,
    the id answers as a household first, and every reference to the place breaks."""
    path = demo / "places" / "110105017006002" / "PL00008.yaml"
    place = path.read_text(encoding="utf-8")
    house = (
        'kind: household\nid: "PL00008"\ngrid: "110105017006002"\naddress:\n  community: 幸福里社区\n'
        '  estate: 幸福里小区\n  building: 8号楼\n  unit: 1单元\n  room: "201"\nhousing: 自有\n'
        'assigned_to: "S0010"\nmembers:\n  - id: "P0009998"\n    name: 李明\n    gender: 男\n'
        "    birth_date: 1960-01-01\n    ethnicity: 汉族\n    relation: 户主\n    residence: 户籍\n"
    )
    path.write_text(place + "---\n" + house, encoding="utf-8")
    before = validate(demo, cold=False)
    path.write_text(house + "---\n" + place, encoding="utf-8")
    warm = validate(demo, cold=False)
    assert warm == validate(demo, cold=True)
    assert warm[1].count("GC202") > before[1].count("GC202")
