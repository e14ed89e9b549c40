"""The per-record checks (checks.LOCAL) run on many files at once find, file by file, exactly what
they find run on each file alone: on every golden case's ledger, and when a check crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridctl import checks
from gridctl.checks import LOCAL, run, run_local
from gridctl.ledger.cache import Cache
from gridctl.ledger.files import WorkTree
from gridctl.ledger.index import Ledger, load

CASES = Path(__file__).parent / "cases"


def each_alone(ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    """What a ledger of one file's records finds, for every file: the way they ran before."""
    out = {}
    for rel in ledger.cols.files:
        alone = Ledger(ledger.root, ledger.settings)
        for entry in ledger.entries_of(rel):
            alone.add(entry)
        out[rel] = [said(p) for p in run(alone, checks.LOCAL)]
    return out


def together(ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    files = [(rel, ledger.entries_of(rel)) for rel in ledger.cols.files]
    found = run_local(lambda: Ledger(ledger.root, ledger.settings), files)
    return {rel: [said(p) for p in problems] for rel, problems in found.items()}


def said(p: object) -> tuple[object, ...]:
    return (p.code, p.file, repr(p.args), p.path, p.record, p.doc)  # type: ignore[attr-defined]


def loaded(root: Path) -> Ledger:
    ledger, _ = load(root, WorkTree(root), Cache(None, ""))
    assert ledger is not None
    return ledger


def test_every_golden_case_finds_the_same_file_by_file_together_as_alone() -> None:
    found_any = set()
    for case in sorted(CASES.iterdir()):
        root = case / "ledger"
        if not (root / "gridctl.yaml").is_file():
            continue
        ledger, _ = load(root, WorkTree(root), Cache(None, ""))
        if ledger is None:
            continue  # its gridctl.yaml is the case: no record is read
        alone = each_alone(ledger)
        assert together(ledger) == alone, case.name
        found_any |= {p[0] for problems in alone.values() for p in problems}
    # the cases plant findings of the per-record checks in files of their own: the comparison means something
    assert {"GC260", "GC262", "GC263", "GC264"} <= found_any, found_any


def test_a_check_that_crashes_on_one_record_crashes_for_its_file_alone(demo: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Run together, a crash (GC900, which names no file) would stand for every file of the run and
    cut the findings after it short; it is run again file by file, as before."""
    original = checks.households.households_without_head

    def fragile(ledger, settings):  # type: ignore[no-untyped-def]
        yield from original(ledger, settings)
        if any(e.id == "H000003" for e in ledger.entries):
            raise ValueError("a record this check cannot read")

    swapped = [(name, fragile if name == "households_without_head" else check) for name, check in LOCAL]
    monkeypatch.setattr(checks, "LOCAL", swapped)
    ledger = loaded(demo)
    alone = each_alone(ledger)
    crashed = [rel for rel, problems in alone.items() if any(p[0] == "GC900" for p in problems)]
    assert crashed == ["households/110105017006001/H000003.yaml"]
    assert together(ledger) == alone


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_cold_validate_finds_the_per_record_findings_in_one_process_or_on_workers(
    workers: str, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A cold read checks its files in chunks, on the workers or here; both print the same."""
    import shutil

    from typer.testing import CliRunner

    from gridctl.cli.main import app

    root = tmp_path / "ledger"
    shutil.copytree(CASES / "GC264" / "ledger", root)
    monkeypatch.setattr("gridctl.prefetch.MIN_FILES", 1)
    env = {"GRIDCTL_NO_CACHE": "1", "GRIDCTL_WORKERS": workers}
    result = CliRunner().invoke(app, ["-C", str(root), "--lang", "en", "validate"], env=env)
    assert result.exit_code == 1, result.output
    assert "GC264" in result.output
