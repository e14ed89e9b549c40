"""注销网格, second round: a retired grid still counts for the days it served, takes nothing new,
can be taken back when retired by mistake, and leaves the policy warnings."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from tests.conftest import AUTHOR_ENV, GRID, make_ledger, make_repo, write

OLD = "110105001001001"  # 第一网格, merged away
NEW = "110105001001002"  # 第二网格, takes its households
ENV = {**AUTHOR_ENV, "GRIDCTL_TODAY": "2026-05-10"}


@pytest.fixture
def two_grids(tmp_path: Path) -> Path:
    root = make_ledger(tmp_path / "ledger")
    write(root, f"grids/{NEW}.yaml", GRID.replace(OLD, NEW).replace("第一网格", "第二网格"))
    return make_repo(root, "2026-01-05T09:00:00")


def gc(cli, root: Path, *args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    result = cli("-C", str(root), "--lang", lang, *args, env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def head(root: Path) -> str:
    return git.Repo(root).head.commit.hexsha


def retire(cli, root: Path, date: str = "2026-04-15") -> None:  # type: ignore[no-untyped-def]
    """第一网格 emptied into 第二网格 and retired on `date`."""
    assert gc(cli, root, "move", "H000001", "--to", "第二网格").exit_code == 0
    done = gc(cli, root, "retire", "第一网格", "--reason", "并入第二网格", "--date", date)
    assert done.exit_code == 0, done.output


def report(cli, root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = gc(cli, root, "report", *args, "-f", "json")
    return json.loads(result.stdout)


def rows(doc: dict, key: str) -> list[dict]:  # type: ignore[type-arg]
    return next(s["rows"] for s in doc["sections"] if s.get("key") == key)


def test_a_retired_grid_counts_in_past_reports_up_to_the_day_before_its_retirement(cli, two_grids: Path) -> None:
    march = report(cli, two_grids, "monthly", "--month", "2026-03")
    retire(cli, two_grids, "2026-04-15")
    assert report(cli, two_grids, "monthly", "--month", "2026-03")["totals"] == march["totals"]
    april = report(cli, two_grids, "monthly", "--month", "2026-04")
    days = {r["grid"]: r["due_days"] for r in rows(april, "grids")}
    assert days == {OLD: 9, NEW: 21}  # 04-01..04-14 less 清明: nine working days served
    assert april["totals"]["due_days"] == 30
    scores = rows(report(cli, two_grids, "assessment", "--period", "2026-04"), "scores")
    assert [(r["staff"], r["grids"], r["inspection_rate"]) for r in scores] == [
        ("S0002", "第一网格、第二网格", {"done": 0, "total": 30})
    ]
    may = report(cli, two_grids, "monthly", "--month", "2026-05")
    assert [r["grid"] for r in rows(may, "grids")] == [NEW]  # not served in May at all
    due = gc(cli, two_grids, "due")
    assert OLD not in due.output and "第一网格" not in due.output
