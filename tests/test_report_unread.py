"""A report never silently leaves out a record it could not read, and a town's figures add up.

A household committed by hand with a typo (`membrs:`) fails its schema, so no report can count it:
its allowance, its people. The report still comes out (the rest of the month is right), but it says
which records it left out, by file and problem code, in text and JSON (`unread`), and exits 1, as
validate does: a figure sent up to the town is never short without a word.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from teamwork import git, identity, run
from test_units import town, unit
from typer.testing import CliRunner

from gridctl.cli.main import app

from conftest import GRID, REPO, household, id_number, write

SCHEMAS = REPO / "schemas" / "output"
BROKEN = "households/110105001001001/H000002.yaml"
MONTH = ("--month", "2026-03", "--date", "2026-03-31")


def typo(path: Path) -> None:
    """A second household, committed by hand with `membrs:` for `members:` (validate: GC101)."""
    text = household("H000002", "P0000002", id_number(seq="131")).replace("members:", "membrs:")
    write(path, BROKEN, text)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "手改 H000002")


def json_of(cwd: Path, *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, ["-C", str(cwd), "--lang", "zh", *args, "-f", "json"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, json.loads(result.stdout), result.stderr


def report_schema() -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / "report.schema.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "args",
    [
        ("report", "monthly", *MONTH),
        ("report", "assessment", "--period", "2026-03", "--date", "2026-03-31"),
        ("report", "bulletin", "--period", "2026-03", "--date", "2026-03-31"),
        ("report", "registers", "--date", "2026-03-31"),
        ("spot-check", "--month", "2026-03", "--sample", "2", "--seed", "7"),
    ],
    ids=["monthly", "assessment", "bulletin", "registers", "spot-check"],
)
def test_a_report_names_the_records_it_could_not_read_and_exits_1(tmp_path: Path, args: tuple[str, ...]) -> None:
    ledger = unit(tmp_path / "xingfuli", "幸福里社区", id_number(seq="123"))
    code, doc, _err = json_of(ledger, *args)
    assert code == 0 and doc["unread"] == [], doc["unread"]  # a clean ledger: nothing left out
    typo(ledger)
    code, out = run(ledger, *args)
    assert code == 1, out
    assert f"{BROKEN}:7:1: error[GC101]" in out and "H000002" in out, out
    assert "未计入本报表" in out, out
    code, doc, err = json_of(ledger, *args)
    assert code == 1
    report_schema().validate(doc)
    assert [(u["file"], u["code"], u["record"]) for u in doc["unread"]] == [(BROKEN, "GC101", "H000002")]
    assert doc["unread"][0]["line"] == 7 and "membrs" in doc["unread"][0]["message"]
    assert "未计入本报表" in err  # said where a program reading stdout does not look too


def test_a_report_in_english_says_it_too(tmp_path: Path) -> None:
    ledger = unit(tmp_path / "xingfuli", "幸福里社区", id_number(seq="123"))
    typo(ledger)
    result = CliRunner().invoke(app, ["-C", str(ledger), "--lang", "en", "report", "monthly", *MONTH])
    assert result.exit_code == 1, result.output
    assert "not counted in this report" in result.stdout and f"{BROKEN}:7:1: error[GC101]" in result.stdout


def test_a_town_report_names_each_units_unread_records(tmp_path: Path) -> None:
    root = town(tmp_path)
    typo(tmp_path / "heping")
    assert run(root, "sync", "--units")[0] == 0
    for args in (("report", "monthly", "--units", *MONTH),
                 ("report", "assessment", "--units", "--period", "2026-03", "--date", "2026-03-31")):  # fmt: skip
        code, out = run(root, *args)
        assert code == 1, out
        assert f"和平里社区: units/heping/{BROKEN}:7:1: error[GC101]" in out, out
        code, doc, _err = json_of(root, *args)
        assert code == 1
        report_schema().validate(doc)
        assert [(u["unit"], u["file"], u["code"], u["record"]) for u in doc["unread"]] == [
            ("和平里社区", f"units/heping/{BROKEN}", "GC101", "H000002")
        ]


def test_a_published_report_is_never_short_without_a_word(tmp_path: Path) -> None:
    """--publish sends the month up: a ledger with a record it cannot count is refused, nothing committed."""
    ledger = unit(tmp_path / "xingfuli", "幸福里社区", id_number(seq="123"))
    typo(ledger)
    head = git(ledger, "rev-parse", "HEAD")
    code, out = run(ledger, "report", "monthly", *MONTH, "--publish")
    assert code == 1, out
    assert BROKEN in out and "GC101" in out, out
    assert git(ledger, "rev-parse", "HEAD") == head and git(ledger, "tag") == ""


def listing(tmp: Path) -> Path:
    """The town over the units xingfuli and heping already made in `tmp`, fetched."""
    root = tmp / "town"
    assert run(tmp, "--author", "镇 <z@example.cn>", "init", str(root), "--name", "龙城镇", "--profile", "town")[0] == 0
    identity(root, "镇综治中心")
    for name in ("xingfuli", "heping"):
        assert run(root, "unit", "add", name, str(tmp / name))[0] == 0
    assert run(root, "sync", "--units")[0] == 0
    return root


def _validate_counts(root: Path) -> tuple[int, int]:
    _code, out = run(root, "validate")
    found = re.search(r"发现 (\d+) 个错误、(\d+) 个警告", out)
    assert found, out
    return int(found[1]), int(found[2])


def test_the_towns_status_counts_the_problems_validate_finds_across_units(tmp_path: Path) -> None:
    """One person in two communities (GC600, an error in each) and two workers in both (GC601, a
    warning in each): only the town sees them, and its status said 1 error, 0 warnings (和平里's typo)
    where validate said 3 and 4."""
    same = id_number(seq="123")
    unit(tmp_path / "xingfuli", "幸福里社区", same)
    unit(tmp_path / "heping", "和平里社区", same)
    typo(tmp_path / "heping")
    root = listing(tmp_path)
    errors, warnings = _validate_counts(root)
    assert (errors, warnings) == (3, 4)
    _code, out = run(root, "status", "--units")
    assert f"合计: 网格 4  户 2  人 2  工作人员 4  未结事件 0 (超期 0)  校验 {errors} 错误 {warnings} 警告" in out, out
    assert "和平里社区: 网格 2  户 1  人 1  工作人员 2  未结事件 0 (超期 0)  校验 2 错误 2 警告" in out, out
    _code, out = run(root, "status", "--units", "-f", "json")
    doc = json.loads(out)
    assert (doc["total"]["errors"], doc["total"]["warnings"]) == (errors, warnings)
    assert sum(u["errors"] for u in doc["units"]) == errors


def test_the_towns_monthly_report_has_the_towns_totals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """totals of all units: sums, and the completion rate recomputed from the summed days, not averaged
    (幸福里 has two grids to inspect, 和平里 one: the mean of their rates is not the town's)."""
    for var in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(var, "1772326800 +0800")  # 2026-03-01 09:00: the grids are supervised from March
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-31")
    xingfuli = tmp_path / "xingfuli"
    unit(xingfuli, "幸福里社区", id_number(seq="123"))
    second = GRID.replace("001001001", "001001002").replace("第一网格", "第二网格")
    write(xingfuli, "grids/110105001001002.yaml", second)
    git(xingfuli, "add", "-A")
    git(xingfuli, "commit", "-q", "-m", "第二网格")
    unit(tmp_path / "heping", "和平里社区", id_number(seq="125"), staff_phone="13600136000")
    root = listing(tmp_path)
    for day in ("2026-03-02", "2026-03-03"):
        code, out = run(xingfuli, "inspect", "110105001001001", "--by", "S0002", "--date", day, "--all-ok")
        assert code == 0, out
    assert run(root, "sync", "--units")[0] == 0
    units = [json_of(u, "report", "monthly", *MONTH)[1]["totals"] for u in (xingfuli, tmp_path / "heping")]
    code, doc, _err = json_of(root, "report", "monthly", "--units", *MONTH)
    assert code == 0
    report_schema().validate(doc)
    totals = doc["totals"]
    assert totals["due_days"] == units[0]["due_days"] + units[1]["due_days"] > 0
    assert totals["done_days"] == units[0]["done_days"] + units[1]["done_days"] == 2
    assert totals["rate"] == round(totals["done_days"] / totals["due_days"], 4)
    assert totals["rate"] != round((units[0]["rate"] + units[1]["rate"]) / 2, 4)  # weighted, not averaged
    assert totals["allowance"] == round(units[0]["allowance"] + units[1]["allowance"], 2)
    assert set(totals) == set(units[0])
    code, out = run(root, "report", "monthly", "--units", *MONTH)
    assert code == 0, out
    assert f"合计: 应巡查 {totals['due_days']}，已巡查 2，完成率 {100 * totals['rate']:.1f}%，" in out, out


def test_codes_the_town_switches_off_are_off_across_units_too(tmp_path: Path) -> None:
    """`disabled: [GC600, GC601]` in the town's gridctl.yaml: its validate and status still counted one
    person in two communities (GC600) and two workers in both (GC601), as a single ledger would not."""
    same = id_number(seq="123")
    unit(tmp_path / "xingfuli", "幸福里社区", same)
    unit(tmp_path / "heping", "和平里社区", same)
    root = listing(tmp_path)
    assert _validate_counts(root) == (2, 4)
    settings = root / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "disabled: [GC600, GC601]\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "关闭 GC600、GC601")
    code, out = run(root, "validate", "--units")
    assert code == 0 and "GC600" not in out and "GC601" not in out and "没有发现问题" in out, out
    _code, out = run(root, "status", "--units")
    assert "合计: 网格 4  户 2  人 2  工作人员 4  未结事件 0 (超期 0)  校验 0 错误 0 警告" in out, out
    doc = json.loads(run(root, "status", "--units", "-f", "json")[1])
    assert (doc["total"]["errors"], doc["total"]["warnings"]) == (0, 0), doc["total"]
    settings.write_text(settings.read_text(encoding="utf-8").replace("GC600, GC601", "GC601"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "只关闭 GC601")
    assert _validate_counts(root) == (2, 0)  # the other one still counts
