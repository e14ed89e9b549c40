"""A town over its communities: unit ledgers fetched into the town's repository and read from git."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from teamwork import git, identity, run

from conftest import COMMUNITY, GRID, REPO, SETTINGS, STAFF, household, id_number, write

SCHEMAS = REPO / "schemas" / "output"


def unit(path: Path, name: str, number: str, staff_phone: str = "13800138000") -> Path:
    """A community ledger as its own git repository (the conftest ledger, renamed)."""
    write(path, "gridctl.yaml", SETTINGS.replace("幸福里社区", name))
    write(path, "grids/110105001001.yaml", COMMUNITY.replace("幸福里社区", name))
    write(path, "grids/110105001001001.yaml", GRID)
    write(path, "staff/S0001.yaml", STAFF.format(id="S0001", name="王芳", gender="女", phone=staff_phone))
    write(path, "staff/S0002.yaml", STAFF.format(id="S0002", name="李强", gender="男", phone="13900139000"))
    write(path, "households/110105001001001/H000001.yaml", household(number=number))
    git(path.parent, "init", "-q", "-b", "main", str(path))
    identity(path, "王芳")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "台账")
    return path


def town(tmp: Path) -> Path:
    unit(tmp / "xingfuli", "幸福里社区", id_number(seq="123"))
    unit(tmp / "heping", "和平里社区", id_number(seq="125"), staff_phone="13600136000")
    code, out = run(
        tmp,
        "--author",
        "镇综治中心 <zz@example.cn>",
        "init",
        str(tmp / "town"),
        "--name",
        "龙城镇",
        "--profile",
        "town",
    )
    assert code == 0, out
    root = tmp / "town"
    identity(root, "镇综治中心")
    for name in ("xingfuli", "heping"):
        code, out = run(root, "unit", "add", name, str(tmp / name))
        assert code == 0, out
    code, out = run(root, "sync", "--units")
    assert code == 0 and "xingfuli: 已获取" in out and "heping: 已获取" in out, out
    return root


def test_the_town_reads_its_units_without_checking_them_out(tmp_path: Path) -> None:
    root = town(tmp_path)
    assert not (root / "households").joinpath("110105001001001").exists()
    code, out = run(root, "status", "--units")
    assert code == 0, out
    assert "幸福里社区: 网格 2  户 1  人 1" in out and "和平里社区: 网格 2  户 1  人 1" in out
    assert "合计: 网格 4  户 2  人 2" in out
    code, out = run(root, "due", "--units", "--date", "2026-03-02")
    assert all(line.startswith(("幸福里社区: ", "和平里社区: ")) for line in out.splitlines() if line), out
    for args, schema in ((("status", "--units"), "status-units"), (("due", "--units", "--date", "2026-03-02"), "due")):
        code, out = run(root, *args, "-f", "json")  # data, as the town's own status and morning list give it
        Draft202012Validator(json.loads((SCHEMAS / f"{schema}.schema.json").read_text(encoding="utf-8"))).validate(
            json.loads(out)
        )
    assert [u["unit"] for u in json.loads(run(root, "status", "--units", "-f", "json")[1])["units"]] == [
        "幸福里社区",
        "和平里社区",
    ]
    code, out = run(root, "report", "monthly", "--units", "--month", "2026-03", "--date", "2026-03-31", "-f", "json")
    assert code == 0, out
    report = json.loads(out)
    units_in_rows = {row["unit"] for s in report["sections"] for row in s["rows"]}
    assert units_in_rows == {"幸福里社区", "和平里社区"}
    code, out = run(root, "report", "assessment", "--units", "--period", "2026-03", "--date", "2026-03-31")
    assert code == 0 and "幸福里社区" in out and "和平里社区" in out, out
    code, out = run(root, "print", "chart", "--units", "--layout", "table")
    assert code == 0 and "幸福里社区" in out and "和平里社区" in out, out
    code, out = run(root, "validate")
    assert code == 0, out


def test_one_person_in_two_communities_and_one_worker_in_two_places(tmp_path: Path) -> None:
    same = id_number(seq="123")
    unit(tmp_path / "xingfuli", "幸福里社区", same)
    unit(tmp_path / "heping", "和平里社区", same)
    root = tmp_path / "town"
    assert (
        run(tmp_path, "--author", "镇 <z@example.cn>", "init", str(root), "--name", "龙城镇", "--profile", "town")[0]
        == 0
    )
    identity(root, "镇综治中心")
    for name in ("xingfuli", "heping"):
        assert run(root, "unit", "add", name, str(tmp_path / name))[0] == 0
    assert run(root, "sync", "--units")[0] == 0
    code, out = run(root, "validate")
    assert code == 1, out
    assert "units/heping/households/110105001001001/H000001.yaml:" in out
    assert "error[GC600] 公民身份号码 110105********" in out and "在 和平里社区 和 幸福里社区 都有登记" in out
    assert "warning[GC601] 王芳 (电话 13800138000) 在 2 个单位担任责任人" in out
    assert same not in out  # masked
    code, out = run(root, "validate", "--no-units")
    assert "GC600" not in out


def _town_outputs(root: Path, cold: bool) -> list[tuple[int, str]]:
    """What the town's commands print, as a new process would (caches read from disk, or none)."""
    from typer.testing import CliRunner

    from gridctl.cli.main import app
    from gridctl.ledger import cache as cache_module

    cache_module._OPEN.clear()
    env = {"GRIDCTL_NO_CACHE": "1" if cold else ""}
    commands = [
        ["status", "--units"],
        ["due", "--units", "--date", "2026-03-02"],
        ["report", "monthly", "--units", "--month", "2026-03", "--date", "2026-03-31"],
        ["validate", "--units"],
    ]
    out = []
    for command in commands:
        result = CliRunner().invoke(app, ["-C", str(root), "--lang", "zh", *command], env=env)
        out.append((result.exit_code, result.output))
    return out


def test_each_unit_keeps_its_own_cache_and_a_warm_town_says_what_a_cold_one_says(tmp_path: Path) -> None:
    """The units' caches used to overwrite each other (one folder, a header per unit's settings), so
    every town command read every unit's files again: 49 s for `status --units` at 100,000 households."""
    root = town(tmp_path)
    cold = _town_outputs(root, cold=True)
    assert _town_outputs(root, cold=False) == cold  # fills each unit's cache
    kept = root / ".git" / "gridctl" / "cache" / "units"
    packs = {p: p.stat().st_mtime_ns for p in kept.rglob("*.bin")}
    assert {p.relative_to(kept).parts[0] for p in packs} == {"xingfuli", "heping"}
    assert {p.name for p in packs if p.parent.name == "heping"} >= {"columns.bin", "kindrows.bin"}
    assert any(p.parent.name == "results" and p.parent.parent.name == "heping" for p in packs)  # one per state
    assert _town_outputs(root, cold=False) == cold  # read back
    assert {p: p.stat().st_mtime_ns for p in kept.rglob("*.bin")} == packs, "a warm run rewrote a unit's cache"

    # a unit's new commit (fetched by the town) is read, never the unit as it was kept
    heping = tmp_path / "heping"
    write(heping, "households/110105001001001/H000002.yaml", household("H000002", "P0000002", id_number(seq="127")))
    git(heping, "add", "-A")
    git(heping, "commit", "-q", "-m", "新户")
    assert run(root, "sync", "--units")[0] == 0
    changed = _town_outputs(root, cold=True)
    assert "和平里社区: 网格 2  户 2  人 2" in changed[0][1], changed[0][1]
    assert _town_outputs(root, cold=False) == changed
    assert _town_outputs(root, cold=False) == changed


def test_as_of_reads_every_unit_as_it_was_then(tmp_path: Path) -> None:
    """`gridctl --as-of DAY status --units` read the town as it was and each unit as last fetched:
    a household a community added in January was counted in December's figures, without a word."""
    import datetime as dt
    import os
    import subprocess

    root = town(tmp_path)
    day = (dt.date.today() + dt.timedelta(days=10)).isoformat()  # after the town's commits, before the units' next
    at = f"{dt.date.today() + dt.timedelta(days=40)}T10:00:00+08:00"
    later = {**os.environ, "GIT_AUTHOR_DATE": at, "GIT_COMMITTER_DATE": at}
    xingfuli, heping = tmp_path / "xingfuli", tmp_path / "heping"
    added = household("H000002", "P0000002", number=id_number(seq="457"))
    added = added.replace('room: "501"', 'room: "502"').replace("13912345678", "13912345670").replace("张伟", "赵刚")
    write(xingfuli, "households/110105001001001/H000002.yaml", added)
    git(xingfuli, "add", "-A")
    subprocess.run(["git", "commit", "-qm", "一月新增"], cwd=xingfuli, check=True, env=later)
    subprocess.run(["git", "commit", "-q", "--amend", "--no-edit", "--reset-author"], cwd=heping, check=True, env=later)
    code, out = run(root, "sync", "--units")
    assert code == 0, out
    code, out = run(root, "status", "--units")
    assert code == 0 and "幸福里社区: 网格 2  户 2  人 2  工作人员 2  未结事件 0 (超期 0)  校验 0 错误" in out, out
    assert "和平里社区: 网格 2  户 1  人 1" in out, out
    code, out = run(root, "--as-of", day, "status", "--units")
    assert code == 0 and "幸福里社区: 网格 2  户 1  人 1" in out and "和平里社区" not in out.split("注意")[0], out
    assert f"注意: 单位 heping 在 {day} 之前没有提交" in out, out
    code, out = run(root, "--as-of", day, "validate")
    assert code == 0 and f"heping 在 {day} 之前没有提交" in out, out


def test_a_unit_is_removed_by_its_code_or_its_name(tmp_path: Path) -> None:
    """There was no `gridctl unit remove`: a unit listed by mistake had to be cut out of gridctl.yaml
    by hand, and its fetched copy stayed in the town's repository."""
    root = town(tmp_path)
    code, out = run(root, "unit", "remove", "张家村")
    assert code == 2 and "没有下级单位 张家村 (已列出: xingfuli、heping)" in out, out
    code, out = run(root, "unit", "remove", "和平里社区")
    assert code == 0 and "已提交" in out and "移除下级单位 heping" in out, out
    assert "heping" not in (root / "gridctl.yaml").read_text(encoding="utf-8")
    assert git(root, "for-each-ref", "refs/units/").count("refs/units/") == 1
    code, out = run(root, "status", "--units")
    assert code == 0 and "幸福里社区" in out and "和平里社区" not in out, out
    code, out = run(root, "unit", "remove", "xingfuli")
    assert code == 0, out
    assert "units:" not in (root / "gridctl.yaml").read_text(encoding="utf-8")
    assert run(root, "validate")[0] == 0


def test_a_unit_taken_out_by_hand_leaves_no_fetched_copy_behind(tmp_path: Path) -> None:
    """A unit cut out of gridctl.yaml by hand (or a `unit remove` stopped between its commit and the
    last step) left its fetched copy, residents' data, in the town's repository; `unit remove` said
    the unit was not listed and could not drop it."""
    root = town(tmp_path)
    settings = root / "gridctl.yaml"
    text = settings.read_text(encoding="utf-8")
    kept = [
        line for line in text.splitlines(keepends=True) if "heping" not in line and str(tmp_path / "heping") not in line
    ]
    settings.write_text("".join(kept), encoding="utf-8")
    git(root, "commit", "-qam", "去掉和平里")
    assert "refs/units/heping" in git(root, "for-each-ref", "refs/units/")
    code, out = run(root, "unit", "remove", "heping")
    assert code == 0 and "已删除下级单位 heping 的抓取副本" in out, out
    assert "refs/units/heping" not in git(root, "for-each-ref", "refs/units/")
    code, out = run(root, "unit", "remove", "heping")
    assert code == 2 and "没有下级单位 heping" in out, out


def test_a_report_of_all_units_keeps_the_unit_and_its_own_sub_unit_apart(tmp_path: Path) -> None:
    """An activity row names the unit inside the ledger that held it (单位); the report of all units puts
    the ledger in front, also as 单位 and `unit`: the text had two 单位 columns and each JSON row kept
    only one of the two values (the inner one overwrote the ledger's)."""
    xingfuli = tmp_path / "xingfuli"
    root = town(tmp_path)
    code, out = run(xingfuli, "activity", "110105001001", "--type", "工作例会", "--date", "2026-03-05",
                    "--title", "三月例会")  # fmt: skip
    assert code == 0, out
    assert run(root, "sync", "--units")[0] == 0
    code, out = run(root, "report", "monthly", "--units", "--month", "2026-03", "--date", "2026-03-31", "-f", "json")
    assert code == 0, out
    held = next(s for s in json.loads(out)["sections"] if s["key"] == "activities")
    assert held["rows"][0]["unit"] == "幸福里社区" and held["rows"][0]["sub_unit"] == "幸福里社区"
    assert held["headers"]["unit"] == "单位" and held["headers"]["sub_unit"] == "下属单位"
    code, out = run(root, "report", "monthly", "--units", "--month", "2026-03", "--date", "2026-03-31")
    assert code == 0 and "下属单位" in out, out


def unlist_heping_by_hand(root: Path) -> None:
    """和平里 taken out of gridctl.yaml by hand (its fetched copy stays in the repository)."""
    settings = root / "gridctl.yaml"
    text = settings.read_text(encoding="utf-8")
    start = text.index("- name: heping")
    settings.write_text(text[:start] + text[text.index("\n", text.index("url:", start)) + 1 :], encoding="utf-8")
    git(root, "commit", "-qam", "去掉和平里")


STUCK_DRIVER = """
import os, sys, time
from gridctl.units import rollup


def stuck(root, unit, sha, work):  # a unit whose reading never ends (a huge unit, a hung disk)
    os.write(1, b"paused 1\\n")  # one write: the workers' lines never run into each other (pausedpaused)
    time.sleep(600)


rollup._work = stuck
sys.argv = ["gridctl", "--lang", "en", *sys.argv[1:]]
from gridctl.cli.main import run

run()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes of a session: Linux /proc")
def test_ctrl_c_in_a_town_wide_read_ends_its_workers_without_a_traceback(tmp_path: Path) -> None:
    """Ctrl-C in status --units while the units were read on every core: each worker died of it with
    a traceback on the clerk's screen (Process ForkProcess-2: Traceback … KeyboardInterrupt), and one
    that does not die of it was waited for. They are now gridctl's to end: Aborted., nothing running."""
    from stopping import stopped

    root = town(tmp_path)
    code, err, left, _said = stopped(root, STUCK_DRIVER, ["status", "--units"], "Ctrl-C")
    assert code == 130 and err.endswith("Aborted.\n") and "Traceback" not in err, err
    assert left == []
