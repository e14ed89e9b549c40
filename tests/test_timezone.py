"""One clock in the ledger's zone: a clerk's PC in China and CI in UTC give the same answers.

The same ledger is read and changed under TZ=UTC and TZ=Asia/Shanghai; every output and every
committed byte is the same, and the dates are those of Asia/Shanghai (the ledger's `timezone:`).
Commits at 20:00 UTC belong to the next day in the ledger; GRIDCTL_TODAY given with an offset is
converted, never cut.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_ENV, gridctl, make_ledger, make_repo

LATE_UTC = "2026-03-01T20:00:00+00:00"
"""A commit's time: 1 March in UTC, 2 March 04:00 in the ledger's zone."""
PINNED = "2026-03-01T18:00:00+00:00"
"""GRIDCTL_TODAY: 1 March 18:00 in UTC, 2 March 02:00 in the ledger's zone."""


def commit_at(root: Path, message: str, when: str) -> None:
    env = {**os.environ, **AUTHOR_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env=env)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_ledger(tmp_path_factory.mktemp("tz") / "ledger")
    staff = root / "staff/S0002.yaml"
    staff.write_text(staff.read_text(encoding="utf-8") + "contract_end: 2026-03-01\n", encoding="utf-8")
    make_repo(root)
    subprocess.run(
        ["git", "commit", "-q", "--amend", "--no-edit", "--date", "2026-02-20T10:00:00+08:00"],
        cwd=root,
        check=True,
        env={**os.environ, **AUTHOR_ENV, "GIT_COMMITTER_DATE": "2026-02-20T10:00:00+08:00"},
    )
    household = root / "households/110105001001001/H000001.yaml"
    household.write_text(household.read_text(encoding="utf-8").replace('"501"', '"502"'), encoding="utf-8")
    commit_at(root, "入户核实: 房号", LATE_UTC)
    return root


def session(template: Path, folder: Path, zone: str) -> list[str]:
    """A clerk's commands on a copy of the ledger, on a computer set to `zone`."""
    root = folder / "ledger"
    shutil.copytree(template, root)
    fixed = {"GRIDCTL_TODAY": PINNED, "GIT_AUTHOR_DATE": PINNED, "GIT_COMMITTER_DATE": PINNED}
    env = {**AUTHOR_ENV, "TZ": zone, "LANG": "C.UTF-8"}
    out: list[str] = []

    def run(*args: str, pinned: bool = True, expect: int = 0) -> str:
        code, text, err = gridctl("--lang", "en", *args, cwd=root, env={**env, **(fixed if pinned else {})})
        assert code == expect, f"{zone} {args}: {text}{err}"
        out.append(text.replace(str(root), "LEDGER"))
        return text

    run("--as-of", "2026-03-01", "show", "H000001", pinned=False)
    run("--as-of", "2026-03-02", "show", "H000001", pinned=False)
    run("log", "--since", "2026-03-02", "--until", "2026-03-02", pinned=False)
    run("log", "--until", "2026-03-01", pinned=False)
    run("history", "H000001", pinned=False)
    run("validate", "--strict", "--format", "json", expect=1)
    run("status")
    run("due", "--format", "json", expect=1)
    run("retire", "P0000001", "--reason", "迁出")
    event = ("--grid", "110105001001001", "--type", "矛盾纠纷", "--title", "漏水", "--by", "S0002")
    run("event", "report", *event, "--at", "2026-03-01T17:30:00+00:00")  # 2 March 01:30 there, before "now"
    out.append((root / "households/110105001001001/H000001.yaml").read_text(encoding="utf-8"))
    events = sorted((root / "events").rglob("*.yaml"))
    out.append("\n".join(f"{p.relative_to(root)}\n{p.read_text(encoding='utf-8')}" for p in events))
    out.append(subprocess.run(["git", "log", "--format=%H %s"], cwd=root, capture_output=True, text=True).stdout)
    out.append(subprocess.run(["git", "cat-file", "-p", "HEAD~1"], cwd=root, capture_output=True, text=True).stdout)
    return out


def test_the_same_answers_in_utc_and_in_china(template: Path, tmp_path: Path) -> None:
    utc = session(template, tmp_path / "utc", "UTC")
    china = session(template, tmp_path / "china", "Asia/Shanghai")
    for i, (a, b) in enumerate(zip(utc, china, strict=True)):
        assert a == b, f"output {i} differs:\nUTC:\n{a}\nAsia/Shanghai:\n{b}"

    as_of_1, as_of_2, on_2nd, until_1st, history, validated, _status, due, _retire, _event, household, event, *_ = utc
    assert "room: '501'" in as_of_1  # the edit at 20:00 UTC was on 2 March in the ledger's zone
    assert "room: '502'" in as_of_2
    assert on_2nd == "2026-03-02 王芳: changed household H000001: address\n"
    assert "household H000001: address" not in until_1st and until_1st.startswith("2026-02-20 ")
    assert "2026-03-02 04:00  王芳" in history
    codes = [p["code"] for p in json.loads(validated)["problems"]]
    assert codes == ["GC241"]  # the contract ended on 1 March; the ledger's day is already 2 March
    assert json.loads(due)["date"] == "2026-03-02"
    assert "retired:\n      date: 2026-03-02\n" in household  # GRIDCTL_TODAY, converted into the zone
    assert "events/2026/03/E202603-0001.yaml" in event
    assert "  at: 2026-03-02 01:30:00\n" in event  # --at 17:30 UTC on 1 March, converted


def test_an_offset_in_a_record_is_converted_into_the_ledgers_zone(tmp_path: Path) -> None:
    from pydantic import TypeAdapter

    from gridctl.ledger.index import load
    from gridctl.model.types import Moment

    root = make_ledger(tmp_path / "ledger")
    settings = root / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "timezone: Asia/Urumqi\n", encoding="utf-8")
    ledger, problems = load(root)
    assert ledger is not None and not problems
    adapter = TypeAdapter(Moment)
    at = adapter.validate_python("2026-03-05T01:30:00+00:00", context=ledger.settings.vocabulary_context())
    assert str(at) == "2026-03-05 07:30:00"  # Urumqi is UTC+6


def test_an_unknown_zone_is_a_settings_problem(tmp_path: Path, cli) -> None:
    root = make_ledger(tmp_path / "ledger")
    settings = root / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "timezone: Asia/Beijing\n", encoding="utf-8")
    result = cli("-C", str(root), "--lang", "en", "validate")
    assert result.exit_code == 1
    assert "GC014" in result.output and "unknown time zone Asia/Beijing" in result.output
    result = cli("-C", str(root), "--lang", "en", "log")
    assert result.exit_code == 2 and "unknown time zone" in result.output and "Asia/Shanghai" in result.output
