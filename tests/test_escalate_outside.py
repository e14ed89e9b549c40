"""上报上级: --to is a grid above the event's grid (id, name or level), nothing else; a body outside
the ledger (派出所, 街道综治中心) is named with --outside, and such an event stays on `due`."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest
import yaml

from tests.conftest import AUTHOR_ENV, GRID, make_ledger, make_repo, write

OWN = "110105001001001"
SIBLING = "110105001001002"
EVENT = "E202603-0001"


@pytest.fixture
def ledger_with_event(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    root = make_ledger(tmp_path / "ledger")
    write(root, f"grids/{SIBLING}.yaml", GRID.replace(OWN, SIBLING).replace("第一网格", "第二网格"))
    make_repo(root, "2026-01-05T09:00:00")
    report = ("event", "report", "--grid", "第一网格", "--type", "安全隐患", "--title", "楼道堆放杂物", "--by", "李强")
    assert run(cli, root, "2026-03-02 09:00", *report).exit_code == 0
    assert run(cli, root, "2026-03-02 09:30", "event", "accept", EVENT, "--by", "王芳").exit_code == 0
    return root


def run(cli, root: Path, at: str, *args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    when = at[:10] + "T18:00:00+08:00"
    env = {**AUTHOR_ENV, "GRIDCTL_TODAY": at, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    result = cli("-C", str(root), "--lang", lang, *args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def timeline(root: Path) -> list[dict]:  # type: ignore[type-arg]
    return yaml.safe_load((root / f"events/2026/03/{EVENT}.yaml").read_text(encoding="utf-8"))["timeline"]


def head(root: Path) -> str:
    return git.Repo(root).head.commit.hexsha


def test_to_names_a_grid_above_and_nothing_else(cli, ledger_with_event: Path) -> None:
    root = ledger_with_event
    before = head(root)
    for to in (SIBLING, "第二网格", OWN, "第一网格", "派出所", "幸福里社"):
        r = run(cli, root, "2026-03-03 10:00", "event", "escalate", EVENT, "--by", "王芳", "--to", to, "--reason", "x")
        assert r.exit_code == 2, (to, r.output)
        assert "Traceback" not in r.output and "上级: 幸福里社区 (110105001001)" in r.output, (to, r.output)
        assert head(root) == before
    r = run(
        cli,
        root,
        "2026-03-03 10:00",
        "event",
        "escalate",
        EVENT,
        "--by",
        "王芳",
        "--to",
        "派出所",
        "--reason",
        "x",
        lang="en",
    )
    assert "--to 派出所 is not a grid or level above grid 110105001001001" in r.output
    assert 'to escalate to a body outside the ledger (街道综治中心, 派出所, 教育局) give --outside "NAME"' in r.output
    up = ("--to", "幸福里社区", "--reason", "需物业配合")  # by name
    assert run(cli, root, "2026-03-03 10:00", "event", "escalate", EVENT, "--by", "王芳", *up).exit_code == 0
    assert timeline(root)[-1]["to"] == "110105001001"


def test_an_event_escalated_outside_the_ledger_stays_on_due(cli, ledger_with_event: Path) -> None:
    root = ledger_with_event
    before = head(root)
    both = ("--to", "幸福里社区", "--outside", "派出所", "--reason", "x")
    r = run(cli, root, "2026-03-03 10:00", "event", "escalate", EVENT, "--by", "王芳", *both)
    assert r.exit_code == 1 and "--to 和 --outside 只能给一个" in r.output
    r = run(cli, root, "2026-03-03 10:00", "event", "dispatch", EVENT, "--by", "王芳", "--outside", "派出所")
    assert r.exit_code == 1 and "--outside 只用于上报上级 (escalate)，不用于派遣" in r.output
    assert head(root) == before
    out = ("--outside", "北京市公安局朝阳分局建外派出所", "--reason", "涉嫌违法占道")
    done = run(cli, root, "2026-03-03 10:00", "event", "escalate", EVENT, "--by", "王芳", *out)
    assert done.exit_code == 0, done.output
    step = timeline(root)[-1]
    assert step["action"] == "上报上级" and "to" not in step
    assert step["note"] == "至 北京市公安局朝阳分局建外派出所；原因：涉嫌违法占道"
    items = json.loads(run(cli, root, "2026-03-04 08:00", "due", "--format", "json").stdout)["items"]
    mine = [i for i in items if i["record"] == EVENT]
    assert len(mine) == 1 and not mine[0]["overdue"], items
    assert "已上报北京市公安局朝阳分局建外派出所（台账外），由本网格跟进，原期限 2026-03-05" in mine[0]["zh"]
    late = run(cli, root, "2026-03-09 08:00", "due", "--format", "json", lang="en")
    mine = [i for i in json.loads(late.stdout)["items"] if i["record"] == EVENT]
    # past its deadline still a reminder: the grid handed it up in time, the police station's pace is not its lateness
    assert len(mine) == 1 and not mine[0]["overdue"] and mine[0]["days_late"] is None, mine
    assert (
        "escalated to 北京市公安局朝阳分局建外派出所 (outside the ledger), to follow up, first due 2026-03-05"
        in mine[0]["en"]
    )
    # the grid takes it on again when it comes back: accepted by its own chief
    assert run(cli, root, "2026-03-10 09:00", "event", "accept", EVENT, "--by", "王芳").exit_code == 0
