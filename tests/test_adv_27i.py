"""One vocabulary for the clerk, swept across every command: names for ids, help in zh, JSON typed."""

from __future__ import annotations

import json
from pathlib import Path

GRID = "110105017006001"  # 第一网格 in the example community


def _run(cli, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(root), "--lang", "zh", *args)


def test_a_chart_printed_by_the_grids_name_is_recorded_by_its_id(demo: Path, cli, tmp_path: Path) -> None:
    """`print chart --root 第一网格` noted the chart in the print manifest under the name; `print stale`
    then looked for a grid whose id is 第一网格, found none, and told the clerk to take the chart,
    still right, off the wall (网格已不存在或已注销，请取下)."""
    out = tmp_path / "chart.html"
    assert _run(cli, demo, "print", "chart", "--root", "第一网格", "--output", str(out)).exit_code == 0
    printed = json.loads((demo / ".gridctl" / "printed.json").read_text("utf-8"))["printed"]
    assert f"chart:{GRID}" in printed and printed[f"chart:{GRID}"]["id"] == GRID
    result = _run(cli, demo, "print", "stale", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stale"] == []


def test_a_chart_recorded_by_name_before_is_still_known(demo: Path, cli, tmp_path: Path) -> None:
    """A manifest written before the fix holds chart:第一网格: the chart is the grid's, not gone."""
    out = tmp_path / "chart.html"
    assert _run(cli, demo, "print", "chart", "--root", GRID, "--output", str(out)).exit_code == 0
    path = demo / ".gridctl" / "printed.json"
    data = json.loads(path.read_text("utf-8"))
    entry = data["printed"].pop(f"chart:{GRID}")
    data["printed"]["chart:第一网格"] = {**entry, "id": "第一网格"}
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = _run(cli, demo, "print", "stale", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stale"] == []


def _grid(cli, root: Path) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(_run(cli, root, "show", GRID, "--format", "json").stdout)


def test_a_list_of_ids_takes_names_as_a_single_id_does(demo: Path, cli) -> None:
    """`--set responsible=王秀兰` names the staff member, but `--add key_sites=幸福里小区1号楼` (a grid's key
    sites are place ids) was refused as no id (GC112), and `--set inspector=王秀兰` on an inspection too."""
    result = _run(cli, demo, "edit", "第一网格", "--add", "key_sites=幸福里小区1号楼")
    assert result.exit_code == 0, result.output
    assert _grid(cli, demo)["key_sites"] == ["PL00028", "PL00001"]
    result = _run(cli, demo, "edit", "第一网格", "--remove", "key_sites=幸福里小区1号楼")
    assert result.exit_code == 0, result.output
    assert _grid(cli, demo)["key_sites"] == ["PL00028"]
    result = _run(cli, demo, "edit", "第一网格", "--set", "key_sites=幸福里小区2号楼,PL00028")
    assert result.exit_code == 0, result.output
    assert _grid(cli, demo)["key_sites"] == ["PL00002", "PL00028"]
    result = _run(cli, demo, "edit", "I202603-0001", "--set", "inspector=王秀兰")
    assert result.exit_code == 0, result.output
    shown = json.loads(_run(cli, demo, "show", "I202603-0001", "--format", "json").stdout)
    assert shown["inspector"] == "S0001"
    result = _run(cli, demo, "edit", "第一网格", "--add", "key_sites=没有这个场所")
    assert result.exit_code == 2 and "没有场所“没有这个场所”" in result.output


def test_every_argument_is_named_in_chinese_in_zh_help(cli) -> None:
    """`gridctl assign --help --lang zh` read `用法: gridctl assign [选项] {grid}` and `grid <文本>`; so did
    demo {target}, diff [rev1] [rev2], keys add {name} {AGE_PUBLIC_KEY}, document submit {DOCUMENT}."""
    import re

    from conftest import commands

    found = []
    for path, command in commands():
        result = cli(*path.split(), "--help", "--lang", "zh")
        lines = result.output.splitlines()
        usage = next(line for line in lines if line.startswith("用法:")).split(path, 1)[1]
        names = [p for p in command.params if p.param_type_name == "argument"]  # type: ignore[attr-defined]
        section = lines[lines.index("参数:") + 1 :] if names else []
        section = section[: section.index("")] if "" in section else section
        shown = [line.split()[0] for line in section if line[2] != " "]
        found += [(path, text) for text in [usage, *shown] if re.search("[A-Za-z]", text)]
    assert not found, found


def test_a_time_reads_the_same_in_diff_history_and_show_json(demo: Path, cli) -> None:
    """`show --format json` wrote a step's time 2026-03-06T09:30:00; `diff` and `history --format json` wrote
    the same field 2026-03-06 09:30:00 (Python's str of a datetime): one field, two spellings for a script."""
    event = "E202603-0002"
    result = _run(cli, demo, "event", "handle", event, "--by", "郑伟", "--note", "已清理", "--at", "2026-03-06 09:30")
    assert result.exit_code == 0, result.output
    shown = json.loads(_run(cli, demo, "show", event, "--format", "json").stdout)
    stamp = shown["timeline"][-1]["at"]
    assert stamp == "2026-03-06T09:30:00"
    diff = json.loads(_run(cli, demo, "diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    timeline = next(c for c in diff["changes"][0]["changes"] if c["field"] == "timeline")
    assert timeline["new"][-1]["at"] == stamp
    assert all("T" in step["at"] for step in timeline["new"])
    history = json.loads(_run(cli, demo, "history", event, "--format", "json").stdout)
    steps = next(c for c in history["versions"][0]["changes"] if c["field"] == "timeline")["new"]
    assert steps[-1]["at"] == stamp
