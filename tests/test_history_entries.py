"""history and diff name the entries a change added or removed: an event's steps, a grid's responsible
people, a household's members — in the clerk's words, never the whole list twice as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import gridctl

DAY = {"GRIDCTL_TODAY": "2026-12-09", "GRIDCTL_PAGER": "cat"}


def run(demo: Path, *args: str, lang: str = "zh") -> str:
    code, out, err = gridctl("--lang", lang, *args, cwd=demo, env=DAY)
    assert code == 0, err
    return out


def test_an_event_step_reads_as_the_one_step_added(demo: Path) -> None:
    run(demo, "inspect", "第一网格", "--by", "S0004", "--hazard", "4: 3号楼监控损坏", "--all-ok")
    event = next((demo / "events/2026/12").glob("E*.yaml")).stem
    run(demo, "event", "accept", event, "--by", "王秀兰")
    run(demo, "event", "dispatch", event, "--by", "王秀兰", "--to", "李静")
    history = run(demo, "history", event)
    assert "    处置经过 新增: 时间 2026-12-09 00:00，经办人 S0001，环节 派遣，交办对象 S0004，说明 至 S0004" in history
    assert "    处置经过 新增: 时间 2026-12-09 00:00，经办人 S0001，环节 受理" in history
    assert history.count("环节 上报") == 0  # the step before is not repeated with each new one
    assert '"at"' not in history and '"action"' not in history
    diff = run(demo, "diff", "HEAD~1", "HEAD")
    assert diff.count("处置经过 新增") == 1 and "环节 派遣" in diff and "环节 受理" not in diff
    english = run(demo, "diff", "HEAD~1", "HEAD", lang="en")
    assert "    timeline added: at 2026-12-09 00:00, by S0001, action 派遣, to S0004, note 至 S0004" in english
    # JSON keeps field names and whole values, for programs
    data = json.loads(run(demo, "history", event, "--format", "json"))
    steps = next(c for c in data["versions"][0]["changes"] if c["field"] == "timeline")
    assert [s["action"] for s in steps["new"]] == ["上报", "受理", "派遣"]


def test_who_was_made_responsible_and_who_left(demo: Path) -> None:
    run(demo, "assign", "第二网格", "--role", "网格员", "--staff", "S0005", "--duty", "每日巡查")
    run(demo, "unassign", "第二网格", "--role", "楼栋长", "--staff", "S0033")
    history = run(demo, "history", "第二网格")
    assert "    责任人 新增: 责任角色 网格员，责任人员 S0005，职责 每日巡查，任职日期 2026-12-09" in history
    removed = [ln for ln in history.splitlines() if ln.startswith("    责任人 删除: ")]
    assert removed == ["    责任人 删除: 责任角色 楼栋长，责任人员 S0033，职责 " + removed[0].split("职责 ", 1)[1]]
    assert "S0010" not in history  # the people who stayed are not listed
    assert '"role"' not in history


def test_a_person_added_to_a_household_is_named_not_an_empty_list(demo: Path) -> None:
    run(demo, "add", "person", "--household", "H000003", "--set", "name=韩小雨", "--set", "relation=女")
    history = run(demo, "history", "H000003")
    assert "    家庭成员 新增: P0000101" in history
    assert "(空) →" not in history
    assert "    members added: P0000101" in run(demo, "history", "H000003", lang="en")


def test_diff_in_english_on_a_gbk_console_says_every_value_in_words(demo: Path) -> None:
    """A Chinese Windows console (GBK) showed an empty value as ? (∅ is not in GBK), a retirement as
    {"date": …, "reason": …} and a flag as Python's False; now (empty), date … reason …, no."""
    run(demo, "retire", "P0000003", "--reason", "病故")
    staff = demo / "staff/S0002.yaml"
    staff.write_text(staff.read_text(encoding="utf-8") + "active: false\n", encoding="utf-8")
    gbk = {**DAY, "PYTHONIOENCODING": "gbk"}
    for args in (("diff",), ("diff", "HEAD~1")):
        code, out, err = gridctl("--lang", "en", *args, cwd=demo, env=gbk, encoding="gbk")
        assert code == 0, err
        assert "    active: (empty) → no" in out.splitlines()
        assert "?" not in out and "False" not in out and "{" not in out
    code, out, err = gridctl("--lang", "en", "diff", "HEAD~1", cwd=demo, env=gbk, encoding="gbk")
    assert "    retired: (empty) → date 2026-12-09, reason 病故" in out.splitlines()
    zh = run(demo, "diff", "HEAD~1")
    assert "    注销: (空) → 注销日期 2026-12-09，注销原因 病故" in zh.splitlines()
    assert "    是否在岗: (空) → 否" in zh.splitlines()
    assert "    retired: (empty) → date 2026-12-09, reason 病故" in run(demo, "history", "P0000003", lang="en")
