"""A town's `report monthly --units --publish` wrote its file and exited 0, with no commit, no tag and no
word: the clerk took the month for published. Each unit publishes its own report in its own ledger;
the town's combined view is refused with words (as `--township` is), nothing written, nothing committed."""

from __future__ import annotations

from pathlib import Path

import pytest
from teamwork import git, run
from test_units import town

MONTH = ("--month", "2026-03", "--date", "2026-03-31")


@pytest.mark.parametrize(
    "args",
    [("report", "monthly", "--units", *MONTH), ("report", "assessment", "--units", "--period", "2026-03")],
    ids=["monthly", "assessment"],
)
def test_a_towns_units_report_is_not_published_without_a_word(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = town(tmp_path)
    assert run(root, "sync", "--units")[0] == 0
    head = git(root, "rev-parse", "HEAD")
    out_file = root / "town.html"
    code, out = run(root, "-m", "三月", *args, "--publish", "-f", "html", "-o", str(out_file))
    assert code == 2, out
    assert "不能发布" in out and "各单位" in out, out
    assert not out_file.exists()
    assert git(root, "rev-parse", "HEAD") == head and git(root, "tag") == ""
    assert git(root, "status", "--porcelain") == ""
    assert run(root, *args)[0] == 0  # the view itself is there, as before
