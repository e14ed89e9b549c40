"""Every --format json output of gridctl against its JSON Schema in schemas/output/, in both languages.

Machines read these: field names as keys, typed values (numbers, booleans, ISO dates, null), and the
same keys whatever the language a clerk reads messages in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import git
import pytest
from jsonschema import Draft202012Validator, FormatChecker

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "output"
TODAY = {"GRIDCTL_TODAY": "2026-11-30 09:00"}

RUNS: list[tuple[str, tuple[str, ...]]] = [
    *[
        (f"list-{kind}", ("list", kind, "-f", "json"))
        for kind in ("grid", "staff", "household", "person", "place", "org", "thing", "event", "inspection", "visit")
    ],
    ("status", ("status", "-f", "json")),
    ("show", ("show", "H000001", "-f", "json")),
    ("show", ("show", "P0000001", "-f", "json")),
    ("due", ("due", "-f", "json")),
    ("report", ("report", "monthly", "--month", "2026-11", "-f", "json")),
    ("report", ("report", "assessment", "--period", "2026-11", "-f", "json")),
    ("report", ("report", "registers", "-f", "json")),
    ("report", ("spot-check", "--month", "2026-11", "--sample", "2", "--seed", "1", "-f", "json")),
    ("history", ("history", "H000001", "-f", "json")),
    ("log", ("log", "-f", "json")),
    ("diff", ("diff", "-f", "json")),
    ("validate", ("validate", "-f", "json")),
    ("validate", ("check-files", "staff/S0001.yaml", "-f", "json")),
    ("export", ("export", "staff", "-f", "json", "-o", "-")),
    ("doctor", ("doctor", "-f", "json")),
    ("stale", ("print", "stale", "-f", "json")),
    ("audit", ("audit", "reveals", "-f", "json")),
]


def keys(node: Any, path: str = "") -> set[str]:
    """Every key path in a document (list items merged), to compare two languages' outputs."""
    out: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            out.add(f"{path}.{k}")
            out |= keys(v, f"{path}.{k}")
    elif isinstance(node, list):
        for v in node:
            out |= keys(v, f"{path}[]")
    return out


def run(cli, root: Path, lang: str, args: tuple[str, ...]) -> Any:  # type: ignore[no-untyped-def]
    result = cli("-C", str(root), "--lang", lang, *args, env=TODAY)
    assert result.exit_code in (0, 1), (args, result.output)
    return json.loads(result.stdout)


def test_every_json_output_matches_its_schema_in_both_languages(cli, demo: Path) -> None:
    (demo / "staff" / "S0001.yaml").write_text(
        (demo / "staff" / "S0001.yaml").read_text(encoding="utf-8").replace("position:", "position: 主任 #", 1),
        encoding="utf-8",
    )  # a change in the files, for diff
    checked = {name for name, _args in RUNS}
    for name, args in RUNS:
        check(cli, demo, name, args)
    school = {name for name, _args in SCHOOL_RUNS} | {name for name, _args in HOURS_RUNS}
    elsewhere = {"import", "status-units", "unit-list"}  # checked in test_import.py, test_units.py, test_adv_26d.py
    assert checked | school == {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")} - elsewhere


def check(cli, root: Path, name: str, args: tuple[str, ...]) -> Any:  # type: ignore[no-untyped-def]
    """`gridctl ARGS` in both languages against schemas/output/NAME.schema.json, the same keys in both."""
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    zh, en = run(cli, root, "zh", args), run(cli, root, "en", args)
    for doc in (zh, en):
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        assert not errors, f"{' '.join(args)}: {errors[0].message} at {list(errors[0].path)}"
    assert keys(zh) == keys(en), f"{' '.join(args)}: the keys differ between languages"
    return en


SCHOOL_RUNS: list[tuple[str, tuple[str, ...]]] = [
    ("list-activity", ("list", "activity", "-f", "json")),
    ("list-document", ("list", "document", "-f", "json")),
    ("due", ("due", "-f", "json", "--date", "2026-03-20")),
    ("report", ("report", "monthly", "--month", "2026-03", "-f", "json")),
    ("report", ("report", "registers", "-f", "json")),
    ("report", ("report", "bulletin", "--period", "2026-03", "-f", "json")),
]


def test_a_school_ledgers_json_matches_its_schemas(cli, tmp_path: Path) -> None:
    """Activities, documents, the morning list of a plan and the bulletin (通报): a school's ledger has them."""
    from gridctl.demo import create_demo

    root = tmp_path / "school"
    create_demo(root, "school-safety")
    for name, args in SCHOOL_RUNS:
        doc = check(cli, root, name, args)
        assert doc or not name.startswith("list"), f"{' '.join(args)}: the example has none"
    registers = run(cli, root, "en", SCHOOL_RUNS[-2][1])
    held = [row for s in registers["sections"] if s["key"].endswith("/activities") for row in s["rows"]]
    assert held and all(isinstance(r["participants"], int | None) for r in held)  # a number or nothing, never ""
    bulletin = run(cli, root, "en", SCHOOL_RUNS[-1][1])
    ranking = next(s for s in bulletin["sections"] if s["key"] == "ranking")
    assert ranking["rows"] and all(
        isinstance(r["score"], int | float) and isinstance(r["rank"], int) for r in ranking["rows"]
    )
    assert all(0 <= v <= 1 for r in ranking["rows"] for k, v in r.items() if k.endswith("_rate"))


def test_import_json_matches_its_schema(cli, repo: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "工作人员.csv"
    sheet.write_text("姓名,性别,联系电话\n赵六,男,13800138002\n", encoding="utf-8")
    schema = json.loads((SCHEMAS / "import.schema.json").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        result = cli("-C", str(repo), "--lang", lang, "import", "staff", str(sheet), "--dry-run", "-f", "json")
        assert result.exit_code == 0, result.output
        Draft202012Validator(schema).validate(json.loads(result.stdout))


def test_reports_give_data_not_formatted_strings(cli, demo: Path) -> None:
    monthly = run(cli, demo, "en", ("report", "monthly", "--month", "2026-11", "-f", "json"))
    grids = next(s for s in monthly["sections"] if s["key"] == "grids")
    row = grids["rows"][0]
    assert {"grid", "name", "due_days", "done_days", "rate"} <= set(row)
    assert isinstance(row["due_days"], int) and isinstance(row["rate"], float) and 0 <= row["rate"] <= 1
    assert grids["headers"]["rate"] == "完成率"  # the header a page prints, beside the data
    assert isinstance(monthly["totals"]["due_days"], int)
    scores = next(
        s
        for s in run(cli, demo, "en", ("report", "assessment", "--period", "2026-11", "-f", "json"))["sections"]
        if s["key"] == "scores"
    )
    measured = [v for v in scores["rows"][0].values() if isinstance(v, dict)]
    assert measured and all(set(m) == {"done", "total"} for m in measured)  # 2 of 22, not "2/22"


def test_due_gives_dates_and_days_late(cli, demo: Path) -> None:
    items = run(cli, demo, "en", ("due", "-f", "json"))["items"]
    late = [i for i in items if i["overdue"]]
    assert late and all(i["days_late"] > 0 and i["due"] < "2026-11-30" for i in late)


@pytest.mark.parametrize("fmt", ["xml", "csv"])
def test_a_format_a_command_does_not_have_is_refused(cli, demo: Path, fmt: str) -> None:
    result = cli("-C", str(demo), "due", "-f", fmt, env=TODAY)
    assert result.exit_code == 2 and not result.stdout.strip().startswith(("{", "["))


def test_a_retirement_and_a_reinstatement_match_the_history_log_and_diff_schemas(cli, demo: Path) -> None:
    """History tells them apart ([注销], [撤销注销]): `what` has a value for each, and the schema knows it."""
    for args in (("retire", "P0000001", "--reason", "迁出"), ("-m", "迁回", "edit", "P0000001", "--unset", "retired")):
        assert cli("-C", str(demo), *args).exit_code == 0
    history = check(cli, demo, "history", ("history", "P0000001", "-f", "json"))
    assert [v["what"] for v in history["versions"]][:2] == ["reinstated", "retired"]
    log = check(cli, demo, "log", ("log", "-f", "json"))
    assert [c["changes"][0]["what"] for c in log["commits"][:2]] == ["reinstated", "retired"]
    diff = check(cli, demo, "diff", ("diff", "HEAD~1", "HEAD", "-f", "json"))
    assert [c["what"] for c in diff["changes"]] == ["reinstated"]


HOURS = (  # a 4h limit and a 2h 上报上级 limit for a 一般 安全隐患
    "supervision:\n  time_limits:\n    by_type:\n      安全隐患: {一般: 4h}\n"
    "    escalate_within:\n      安全隐患: {一般: 2h}\n"
)
HOURS_RUNS: list[tuple[str, tuple[str, ...]]] = [
    ("list-event", ("list", "event", "-f", "json")),
    ("status", ("status", "-f", "json")),
    ("show", ("show", "E202611-0001", "-f", "json")),
    ("due", ("due", "-f", "json")),
    ("event-steps", ("event", "steps", "E202611-0001", "-f", "json")),
    ("event-steps", ("event", "steps", "E202611-0002", "-f", "json")),
    ("event-steps", ("event", "steps", "E202603-0001", "-f", "json")),
    ("history", ("history", "E202611-0001", "-f", "json")),
    ("log", ("log", "-f", "json")),
    ("diff", ("diff", "HEAD~3", "HEAD", "-f", "json")),
    ("report", ("report", "monthly", "--month", "2026-11", "-f", "json")),
    ("report", ("report", "registers", "-f", "json")),
    ("validate", ("validate", "-f", "json")),
]


def test_an_hours_deadline_and_steps_known_by_their_day_match_the_schemas(cli, demo: Path) -> None:
    """An hours limit gives a deadline with a time (2026-11-27T04:00:00), and a report or step entered with
    `--date` alone is a day (2026-11-27): `list event` allowed only a day, and `event steps` had no schema."""
    settings = demo / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + HOURS, encoding="utf-8")
    git.Repo(demo).git.commit("-qam", "时限")
    grid = "110105017006001"
    for typed, args in [
        ("2026-11-28 15:30", ("report", "--type", "安全隐患", "--title", "井盖缺失", "--date", "2026-11-27")),
        ("2026-11-28 16:00", ("accept", "E202611-0001", "--by", "S0001", "--date", "2026-11-28")),
        ("2026-11-29 15:30", ("report", "--type", "矛盾纠纷", "--title", "邻里噪音", "--date", "2026-11-29")),
    ]:
        more = ("--grid", grid, "--by", "S0004") if args[0] == "report" else ()
        done = cli("-C", str(demo), "event", *args, *more, env={"GRIDCTL_TODAY": typed})
        assert done.exit_code == 0, done.output
    listed = check(cli, demo, "list-event", HOURS_RUNS[0][1])
    assert {"2026-11-27T04:00:00", "2026-12-07"} <= {e["deadline"] for e in listed}
    for name, args in HOURS_RUNS[1:]:
        check(cli, demo, name, args)
    steps = run(cli, demo, "en", ("event", "steps", "E202611-0001", "-f", "json"))
    assert steps["deadline"] == "2026-11-27T04:00:00" and steps["deadlines"][0]["from"] == "2026-11-27"
