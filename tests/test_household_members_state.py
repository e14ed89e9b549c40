"""A household as its people leave it: all of them retired (病故, 迁出), or its 户主 gone.

validate warns (GC263) at the household's members line until the clerk retires the household or
names a new head.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import AUTHOR_ENV, make_repo, write


def run(cli, root: Path, *args: str, day: str = "2026-11-25"):  # type: ignore[no-untyped-def]
    env = {**AUTHOR_ENV, "GRIDCTL_TODAY": day}
    result = cli("-C", str(root), *args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def problems(cli, root: Path, code: str) -> list[dict]:  # type: ignore[type-arg]
    out = run(cli, root, "--lang", "en", "validate", "--format", "json").stdout
    return [p for p in json.loads(out)["problems"] if p["code"] == code]


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text)


def git_head(root: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout


def test_a_household_whose_people_all_died_is_warned_at_its_members_line(cli, demo: Path) -> None:
    assert problems(cli, demo, "GC263") == []
    assert run(cli, demo, "retire", "P0000001", "--reason", "病故", "--date", "2026-11-20").exit_code == 0
    head = git_head(demo)
    result = run(cli, demo, "--lang", "zh", "validate")
    assert result.exit_code == 0  # a warning: the clerk may be on the way to retire the household
    file = demo / "households/110105017006001/H000001.yaml"
    where = f"households/110105017006001/H000001.yaml:{line_of(file, 'members:')}:1: warning[GC263]"
    assert f"{where} 户 H000001 的成员均已注销 (P0000001)，户内已无在册人员" in result.stdout
    assert "gridctl retire H000001 --reason 原因" in result.stdout
    [found] = problems(cli, demo, "GC263")
    assert (found["record"], found["field"], found["severity"]) == ("H000001", "members", "warning")
    assert "has no one living in it: every member is retired (P0000001)" in found["message"]
    assert git_head(demo) == head  # validate changed nothing

    assert run(cli, demo, "retire", "H000001", "--reason", "户内人员均已病故").exit_code == 0
    assert problems(cli, demo, "GC263") == []


def test_a_household_whose_head_died_is_warned_until_a_new_head_is_named(cli, demo: Path) -> None:
    assert run(cli, demo, "retire", "P0000002", "--reason", "病故").exit_code == 0
    result = run(cli, demo, "--lang", "zh", "validate")
    assert "warning[GC263] 户 H000002 没有在册的户主 (原户主 P0000002 已注销)" in result.stdout
    assert "gridctl edit 人员编号 --set relation=户主" in result.stdout
    [found] = problems(cli, demo, "GC263")
    assert found["message"] == "household H000002 has no living 户主 (the head, P0000002, is retired)"

    assert run(cli, demo, "edit", "P0000003", "--set", "relation=户主", "-m", "户主病故，配偶为新户主").exit_code == 0
    assert problems(cli, demo, "GC263") == []


def test_a_head_who_moved_out_leaves_the_household_without_one(cli, demo: Path) -> None:
    """The head moved to another household: no retired head in the record, still no head."""
    assert (
        run(
            cli, demo, "move", "P0000002", "--to-household", "H000003", "--relation", "配偶", "-m", "婚后迁入"
        ).exit_code
        == 0
    )
    [found] = problems(cli, demo, "GC263")
    assert found["record"] == "H000002"
    assert found["message"] == "household H000002 has no 户主 (no member's relation is 户主)"


def test_a_register_without_relations_is_not_asked_for_a_head(cli, ledger: Path) -> None:
    """Nothing in such a household says who the head was: only a household with no one in it is warned."""
    write(
        ledger,
        "households/110105001001001/H000002.yaml",
        'kind: household\nid: H000002\ngrid: "110105001001001"\nmembers:\n'
        "  - {id: P0000002, name: 李娜}\n  - {id: P0000003, name: 赵敏}\n",
    )
    write(ledger, "households/110105001001001/H000003.yaml", 'kind: household\nid: H000003\ngrid: "110105001001001"\n')
    make_repo(ledger)
    found = problems(cli, ledger, "GC263")
    assert [(p["record"], p["field"], p["message"]) for p in found] == [
        ("H000003", "id", "household H000003 lists no members")
    ]


def counts(cli, root: Path) -> dict[str, object]:  # type: ignore[type-arg]
    """What status, list grid and the monthly reports say of households, people and 包户."""
    status = json.loads(run(cli, root, "status", "-f", "json").stdout)
    grids = {g["id"]: g["households"] for g in json.loads(run(cli, root, "list", "grid", "-f", "json").stdout)}
    november = json.loads(run(cli, root, "report", "monthly", "--month", "2026-11", "-f", "json").stdout)
    march = json.loads(run(cli, root, "report", "monthly", "--month", "2026-03", "-f", "json").stdout)
    workers = {r["staff"]: r for s in november["sections"] if s["key"] == "workers" for r in s["rows"]}
    visited = {r["grid"]: r["visited_households"] for s in march["sections"] if s["key"] == "grids" for r in s["rows"]}
    return {
        "households": status["households"],
        "people": status["people"],
        "community": grids["110105017006"],
        "grid": grids["110105017006001"],
        "S0004": (workers["S0004"]["assigned_households"], workers["S0004"]["household_allowance"]),
        "allowance": november["totals"]["allowance"],
        "visited in March": visited["110105017006001"],
    }


def test_a_household_no_one_lives_in_is_counted_as_a_retired_one(cli, demo: Path) -> None:
    """Not a household with people in status, list grid, the grid-size checks or the 包户 allowance;
    listed by list household (人数 0, not 注销) until the clerk retires it; its visits stay counted."""
    before = counts(cli, demo)
    assert run(cli, demo, "retire", "P0000001", "--reason", "病故", "--date", "2026-11-20").exit_code == 0
    after = counts(cli, demo)
    assert after == {
        **before,
        "households": before["households"] - 1,  # type: ignore[operator]
        "people": before["people"] - 1,  # type: ignore[operator]
        "community": before["community"] - 1,  # type: ignore[operator]
        "grid": before["grid"] - 1,  # type: ignore[operator]
        "S0004": (before["S0004"][0] - 1, before["S0004"][1] - 4),  # type: ignore[index]
        "allowance": round(before["allowance"] - 4, 2),  # type: ignore[operator]
    }
    rows = json.loads(run(cli, demo, "list", "household", "-f", "json").stdout)
    assert next(r for r in rows if r["id"] == "H000001") | {"address": None} == {
        "id": "H000001",
        "grid": "110105017006001",
        "address": None,
        "housing": "自有",
        "members": 0,
        "tags": [],
        "assigned_to": "S0004",
        "retired": False,
    }

    assert run(cli, demo, "retire", "H000001", "--reason", "户内人员均已病故").exit_code == 0
    assert counts(cli, demo) == after  # retiring it changes no number: it was counted as retired already


def test_a_care_group_household_whose_people_all_died_is_neither_due_nor_counted(cli, demo: Path) -> None:
    """H000006 is a 低保家庭 as a household: once its four people are retired, no visit is due and the
    care-group counts no longer hold it."""
    due = run(cli, demo, "--lang", "en", "due", "-f", "json").stdout
    assert "H000006" in {i["record"] for i in json.loads(due)["items"]}
    tagged = run(cli, demo, "--lang", "zh", "list", "household", "--tag", "低保家庭", "-f", "json").stdout
    assert {"grid": "第一网格", "households": 1, "people": 4} in json.loads(tagged)
    for person in ("P0000013", "P0000014", "P0000015", "P0000016"):
        assert run(cli, demo, "retire", person, "--reason", "迁出至朝阳区").exit_code == 0
    due = run(cli, demo, "--lang", "en", "due", "-f", "json").stdout
    assert "H000006" not in {i["record"] for i in json.loads(due)["items"]}
    tagged = run(cli, demo, "--lang", "zh", "list", "household", "--tag", "低保家庭", "-f", "json").stdout
    assert [r["grid"] for r in json.loads(tagged)] == ["第三网格"]


def on(day: str) -> dict[str, str]:
    """A clerk's day: the command's today and its commit's date (in the ledger's zone)."""
    when = f"{day}T10:00:00+08:00"
    return {**AUTHOR_ENV, "GRIDCTL_TODAY": day, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}


def visits_due(cli, root: Path, day: str, env: dict[str, str] | None = None) -> dict[str, dict]:  # type: ignore[type-arg]
    result = cli("-C", str(root), "--lang", "zh", "due", "--reveal", "-f", "json", env={**on(day), **(env or {})})
    assert result.exit_code in (0, 1), result.output
    return {i["record"]: i for i in json.loads(result.stdout)["items"] if i["section"] == "visit"}


def write_on(cli, root: Path, day: str, *args: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("-C", str(root), *args, env=on(day))
    assert result.exit_code == 0, result.output


def test_a_care_group_given_today_is_due_one_interval_later_not_from_the_grids_start(cli, demo: Path) -> None:
    """H000002 had no care group; 李婷 (P0000005) is found living alone on 2026-11-20: 独居老人 is visited
    weekly, so the first visit is due 2026-11-27 — not 500 days late from the grid's start in 2025."""
    assert "H000002" not in visits_due(cli, demo, "2026-11-20")
    write_on(cli, demo, "2026-11-20", "edit", "P0000005", "--add", "tags=独居老人", "-m", "入户核实，子女在外地")

    item = visits_due(cli, demo, "2026-11-25")["H000002"]
    assert (item["due"], item["overdue"], item["days_left"]) == ("2026-11-27", False, 2)
    assert item["zh"] == "H000002 第一网格 独居老人须于 2026-11-27 前走访（每 7 天一次，2026-11-20 起，尚无走访记录）"
    assert "H000002" not in visits_due(cli, demo, "2026-11-19")  # nothing was due before the group began

    item = visits_due(cli, demo, "2026-11-30")["H000002"]
    assert (item["due"], item["overdue"], item["days_late"]) == ("2026-11-27", True, 3)
    assert item["zh"].startswith("H000002 第一网格 独居老人走访已逾期 3 天（每 7 天一次，2026-11-20 起")

    # a group the ledger began with keeps counting from its last visit: H000014's 独居老人, last seen 03-27
    old = visits_due(cli, demo, "2026-11-25")["H000014"]
    assert (old["due"], old["days_late"]) == ("2026-04-03", 236)
    assert "起" not in old["zh"]

    write_on(cli, demo, "2026-11-29", "visit", "H000002", "--by", "S0005", "--purpose", "慰问")
    item = visits_due(cli, demo, "2026-12-03")["H000002"]
    assert (item["due"], item["overdue"]) == ("2026-12-06", False)
    assert "上次 2026-11-29" in item["zh"]


def test_the_day_a_group_began_follows_the_household_and_is_kept_between_runs(cli, demo: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A move to another grid changes the file, not the day; the history is read once per commit."""
    import gridctl.history.caregroups as caregroups

    walked: list[list[str]] = []
    real = caregroups.log

    def log(root, revs, *args, **kwargs):  # type: ignore[no-untyped-def]
        walked.append(list(revs))
        return real(root, revs, *args, **kwargs)

    monkeypatch.setattr(caregroups, "log", log)
    write_on(cli, demo, "2026-11-20", "edit", "P0000005", "--add", "tags=独居老人")
    assert visits_due(cli, demo, "2026-11-21")["H000002"]["due"] == "2026-11-27"
    assert len(walked) == 1 and ".." not in walked[0][0]  # the first time: the whole history
    assert visits_due(cli, demo, "2026-11-22")["H000002"]["due"] == "2026-11-27"
    assert len(walked) == 1  # the same HEAD: nothing read again

    write_on(cli, demo, "2026-11-23", "move", "H000002", "--to", "110105017006002", "-m", "网格调整")
    item = visits_due(cli, demo, "2026-11-24")["H000002"]
    assert item["due"] == "2026-11-27" and item["zh"].startswith("H000002 第二网格 独居老人须于 2026-11-27 前走访")
    assert len(walked) == 2 and ".." in walked[1][0]  # only the commits since

    write_on(cli, demo, "2026-11-24", "edit", "P0000005", "--remove", "tags=独居老人")
    write_on(cli, demo, "2026-11-26", "edit", "P0000005", "--add", "tags=独居老人", "-m", "复核后仍为独居")
    kept = visits_due(cli, demo, "2026-11-27")
    assert kept["H000002"]["due"] == "2026-12-03"  # the group began again on 11-26
    assert visits_due(cli, demo, "2026-11-27", env={"GRIDCTL_NO_CACHE": "1"}) == kept


def test_a_group_given_later_and_an_older_one_due_the_same_day(cli, demo: Path) -> None:
    """H000005's 空巢老人 (monthly) was visited 11-01, due 12-01; 独居老人 (weekly) given 11-24 is due 12-01
    too: one item, named by the tighter group, counted from its day."""
    write_on(cli, demo, "2026-11-01", "visit", "H000005", "--by", "S0008", "--purpose", "慰问")
    write_on(cli, demo, "2026-11-24", "edit", "P0000012", "--add", "tags=独居老人", "-m", "配偶住院，老人独居")
    item = visits_due(cli, demo, "2026-11-28")["H000005"]
    assert (item["due"], item["days_left"]) == ("2026-12-01", 3)
    assert (
        item["zh"] == "H000005 第一网格 独居老人须于 2026-12-01 前走访（每 7 天一次，2026-11-24 起，上次 2026-11-01）"
    )
