"""入户走访: visits are records, one commit each, counted per worker and grid in the monthly report."""

from __future__ import annotations

import json
from pathlib import Path

import git

from conftest import AUTHOR_ENV, gridctl


def test_a_visit_is_one_commit_and_counts_in_the_monthly_report(repo: Path) -> None:
    env = {**AUTHOR_ENV, "GRIDCTL_TODAY": "2026-03-20 10:00"}
    code, out, err = gridctl(
        "--lang",
        "zh",
        "visit",
        "H000001",
        "--by",
        "S0002",
        "--date",
        "2026-03-05",
        "--purpose",
        "慰问",
        cwd=repo,
        env=env,
    )
    assert code == 0, out + err
    assert "新增走访记录 V202603-0001" in out or "add visit V202603-0001" in out
    text = (repo / "visits/2026/03/V202603-0001.yaml").read_text(encoding="utf-8")
    assert "household: H000001" in text and "by: S0002" in text and "date: 2026-03-05" in text
    assert list(git.Repo(repo).head.commit.stats.files) == ["visits/2026/03/V202603-0001.yaml"]
    assert gridctl("visit", "H000001", "--by", "S0002", "--date", "2026-03-09", cwd=repo, env=env)[0] == 0
    code, out, _ = gridctl("report", "monthly", "--month", "2026-03", "--format", "json", cwd=repo, env=env)
    assert code == 0
    report = json.loads(out)
    sections = {s["key"]: s for s in report["sections"]}
    workers = {row["staff"]: row for row in sections["workers"]["rows"]}
    assert workers["S0002"]["visited_households"] == 1  # two visits, one household
    assert sections["workers"]["headers"]["visited_households"] == "走访户数"
    grids = {row["grid"]: row for row in sections["grids"]["rows"]}
    assert grids["110105001001001"]["visited_households"] == 1
    assert (report["totals"]["visits"], report["totals"]["visited_households"]) == (2, 1)
    assert "入户走访 2 次，1 户。" in sections["summary"]["notes"]


def test_a_visit_to_an_unknown_household_is_refused(repo: Path) -> None:
    code, _out, err = gridctl("visit", "H999999", "--by", "S0002", cwd=repo, env=AUTHOR_ENV)
    assert code == 2 and "H999999" in err
    assert len(list(git.Repo(repo).iter_commits())) == 1
