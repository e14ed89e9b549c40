"""A report is computed from who was responsible for each grid, and when: an error validate finds there
(a `former` tenure ending before it began, GC234; a 网格员 who is not in the ledger, GC202, or retired,
GC233) left the April assessment without 李强, exit 0, and `--publish` committed and tagged that report.
The report now names such errors (`errors` in its JSON), exits 1, and is not published."""

from __future__ import annotations

from pathlib import Path

import pytest
from teamwork import git, run
from test_report_unread import json_of, report_schema
from test_units import unit

from conftest import id_number

GRID_FILE = "grids/110105001001001.yaml"
MONTH = ("--month", "2026-03", "--date", "2026-03-31")
REPORTS = {
    "monthly": ("report", "monthly", *MONTH),
    "assessment": ("report", "assessment", "--period", "2026-03", "--date", "2026-03-31"),
}
BROKEN = {
    "GC234": (
        GRID_FILE,
        "    duties: [每天巡查网格一次, 采集更新基础信息]\n",
        "    duties: [每天巡查网格一次, 采集更新基础信息]\n"
        "former:\n  - {role: 网格员, staff: S0001, since: 2026-03-01, until: 2026-02-01}\n",
    ),
    "GC202": (GRID_FILE, "staff: S0002", "staff: S0009"),
    "GC233": ("staff/S0002.yaml", "employment: 专职\n", "employment: 专职\nactive: false\n"),
}


def hand_edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "手工修改")


@pytest.mark.parametrize("code", sorted(BROKEN))
@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_a_report_names_the_errors_of_the_grids_it_is_computed_from_and_exits_1(
    tmp_path: Path, kind: str, code: str
) -> None:
    ledger = unit(tmp_path / "xingfuli", "幸福里社区", id_number(seq="123"))
    args = REPORTS[kind]
    status, doc, _err = json_of(ledger, *args)
    assert status == 0 and doc["errors"] == [], doc["errors"]  # a clean ledger: nothing to say
    hand_edit(ledger, *BROKEN[code])
    status, out = run(ledger, *args)
    assert status == 1, out
    assert f"error[{code}]" in out and "可能不对" in out, out
    status, doc, err = json_of(ledger, *args)
    assert status == 1
    report_schema().validate(doc)
    assert code in [e["code"] for e in doc["errors"]], doc["errors"]
    assert {e["file"] for e in doc["errors"]} <= {GRID_FILE, "staff/S0002.yaml"}
    assert doc["unread"] == []  # read, but wrong: not the same thing as left out
    assert "可能不对" in err


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_a_report_computed_from_grids_with_errors_is_not_published(tmp_path: Path, code: str) -> None:
    ledger = unit(tmp_path / "xingfuli", "幸福里社区", id_number(seq="123"))
    hand_edit(ledger, *BROKEN[code])
    head = git(ledger, "rev-parse", "HEAD")
    for args in REPORTS.values():
        status, out = run(ledger, "-m", "三月", *args, "--publish")
        assert status == 1, out
        assert "不能发布" in out and code in out and GRID_FILE in out, out
    assert git(ledger, "rev-parse", "HEAD") == head and git(ledger, "tag") == ""
    assert git(ledger, "status", "--porcelain") == ""


def test_errors_elsewhere_do_not_stop_a_report(tmp_path: Path) -> None:
    """A household's unquoted room number is validate's business (and the registers'), not the assessment's."""
    ledger = unit(tmp_path / "xingfuli", "幸福里社区", id_number(seq="123"))
    hand_edit(ledger, "households/110105001001001/H000001.yaml", 'room: "501"', "room: 0501")
    assert run(ledger, "validate")[0] == 1
    status, doc, _err = json_of(ledger, *REPORTS["assessment"])
    assert status == 0 and doc["errors"] == [], doc["errors"]
