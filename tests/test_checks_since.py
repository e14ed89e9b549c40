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


def test_a_validate_after_a_hand_edit_says_what_a_cold_one_says(demo: Path) -> None:
    """Through the command: a warm validate keeps each check's findings; the next, after a hand edit
    that breaks a reference, prints what a validate with nothing kept prints."""
    runner = CliRunner()

    def validate(cold: bool) -> tuple[int, str]:
        cache_module._OPEN.clear()
        env = {"GRIDCTL_NO_CACHE": "1" if cold else ""}
        done = runner.invoke(app, ["-C", str(demo), "--lang", "en", "validate", "-f", "json"], env=env)
        return done.exit_code, done.output

    validate(cold=False)
    edit(demo / "households" / GRID / "H000002.yaml", 'assigned_to: "S0005"', 'assigned_to: "S0999"')
    warm = validate(cold=False)
    assert warm == validate(cold=True)
    assert warm[0] == 1 and "S0999" in warm[1]
