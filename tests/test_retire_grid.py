"""注销网格: a grid merged into its neighbour is retired once empty, keeps its history, leaves the
boards, and no record can be put into it again; a hand edit that does is GC223."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import git
import pytest
import yaml
from openpyxl import Workbook

from tests.conftest import AUTHOR_ENV, GRID, id_number, make_ledger, make_repo, write

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


def load(root: Path, rel: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def retired(cli, root: Path) -> None:  # type: ignore[no-untyped-def]
    """第一网格 emptied into 第二网格 and retired on 2026-05-01."""
    assert gc(cli, root, "move", "H000001", "--to", "第二网格").exit_code == 0
    done = gc(cli, root, "retire", "第一网格", "--reason", "并入第二网格", "--date", "2026-05-01")
    assert done.exit_code == 0, done.output


def test_a_grid_still_holding_a_household_is_not_retired_and_what_is_in_it_is_named(cli, two_grids: Path) -> None:
    before = head(two_grids)
    text = (two_grids / f"grids/{OLD}.yaml").read_bytes()
    result = gc(cli, two_grids, "retire", OLD, "--reason", "并入第二网格", "--date", "2026-05-01")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"网格 {OLD} 第一网格 还有 1 条在用的记录，不能注销" in result.output
    assert "户 H000001 阳光小区3号楼2单元501: 迁到现有网格: gridctl move H000001 --to 网格" in result.output
    assert head(two_grids) == before and (two_grids / f"grids/{OLD}.yaml").read_bytes() == text
    # a child grid under a community keeps the community alive
    result = gc(cli, two_grids, "retire", "幸福里社区", "--reason", "撤销", lang="en")
    assert result.exit_code == 2
    assert f"grid {OLD} 第一网格: move it under a grid in use" in result.output
    assert head(two_grids) == before


def test_an_emptied_grid_is_retired_keeps_its_history_and_leaves_the_boards(cli, two_grids: Path) -> None:
    retired(cli, two_grids)
    commit = git.Repo(two_grids).head.commit
    assert commit.summary == f"注销网格 {OLD}：并入第二网格"
    record = load(two_grids, f"grids/{OLD}.yaml")
    assert record["retired"] == {"date": dt.date(2026, 5, 1), "reason": "并入第二网格"}
    assert "responsible" not in record  # nobody holds it now ...
    assert [(f["role"], f["staff"], str(f["until"])) for f in record["former"]] == [
        ("网格长", "S0001", "2026-05-01"),  # ... and who held it until then is kept
        ("网格员", "S0002", "2026-05-01"),
    ]
    assert gc(cli, two_grids, "validate").exit_code == 0
    listed = gc(cli, two_grids, "list", "grid")
    line = next(x for x in listed.output.splitlines() if x.startswith(OLD))
    assert "注销" in listed.output.splitlines()[0] and line.rstrip().endswith("是")
    rows = json.loads(gc(cli, two_grids, "list", "grid", "--format", "json").stdout)
    assert {r["id"]: r["retired"] for r in rows} == {"110105001001": False, OLD: True, NEW: False}
    for what in (("board", "--all"), ("cards", "--all"), ("chart",)):
        page = gc(cli, two_grids, "print", *what, "--no-record")
        assert page.exit_code == 0, page.output
        assert "第二网格" in page.stdout and "第一网格" not in page.stdout, what
    told = gc(cli, two_grids, "history", OLD).output  # its history stays
    assert f"{OLD}: 2 个版本" in told and "[注销]" in told and "注销原因 并入第二网格" in told
    for what in ("board", "cards"):  # asked for by its id: said as retired, not "no grid in the ledger"
        page = gc(cli, two_grids, "print", what, OLD, "--no-record")
        assert page.exit_code == 2 and f"网格 {OLD} 第一网格 已于 2026-05-01 注销" in page.output, page.output
        assert f"gridctl history {OLD}" in page.output


def test_nothing_can_be_put_into_a_retired_grid(cli, two_grids: Path, tmp_path: Path) -> None:
    retired(cli, two_grids)
    before = head(two_grids)
    said = f"网格 {OLD} 第一网格 已于 2026-05-01 注销 (并入第二网格)，不能再放入记录或指定责任人"
    tries = [
        ("move", "H000001", "--to", "第一网格"),
        ("add", "household", "--set", f"grid={OLD}", "--set", "housing=自有"),
        ("add", "place", "--set", "grid=第一网格", "--set", "name=便民超市", "--set", "type=商铺"),
        ("assign", "第一网格", "--role", "网格员", "--staff", "S0002", "--duty", "巡查"),
        ("event", "report", "--grid", "第一网格", "--type", "安全隐患", "--title", "楼道堆物", "--by", "S0001"),
    ]
    for args in tries:
        result = gc(cli, two_grids, *args)
        assert result.exit_code == 2 and said in result.output, (args, result.output)
        assert "Traceback" not in result.output
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "公民身份号码", "出生日期", "与户主关系", "所属网格", "小区", "楼栋", "单元", "房号"])
    liu = id_number(born="19900101", seq="121")
    ws.append(["刘洋", "男", liu, "1990-01-01", "户主", OLD, "阳光小区", "5", "1", "101"])
    wb.save(tmp_path / "登记表.xlsx")
    result = gc(cli, two_grids, "import", "household", str(tmp_path / "登记表.xlsx"))
    assert result.exit_code == 1, result.output
    assert f"row 2: 列 所属网格: 户 H000002 阳光小区5号楼1单元101 在已注销的网格 第一网格 ({OLD}) 中" in result.output
    assert head(two_grids) == before
    assert not (two_grids / f"households/{OLD}").exists() or not any((two_grids / f"households/{OLD}").iterdir())


def test_a_hand_edit_putting_a_household_back_into_a_retired_grid_is_gc223(cli, two_grids: Path) -> None:
    retired(cli, two_grids)
    path = two_grids / f"households/{NEW}/H000001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(NEW, OLD), encoding="utf-8")
    grid = two_grids / f"grids/{OLD}.yaml"
    grid.write_text(
        grid.read_text(encoding="utf-8") + "responsible:\n  - {role: 网格员, staff: S0002, duties: [巡查]}\n",
        encoding="utf-8",
    )
    result = gc(cli, two_grids, "validate", lang="en")
    assert result.exit_code == 1
    out = result.output
    assert (
        f"households/{NEW}/H000001.yaml:4:7: error[GC223] household H000001 阳光小区3号楼2单元501 is in grid 第一网格 "
        f"({OLD}), retired on 2026-05-01"
    ) in out
    fix = "move it to a grid in use: gridctl move H000001 --to GRID; if the grid was retired by mistake, reinstate it"
    assert f"{fix}: gridctl edit {OLD} --unset retired" in out
    assert f"error[GC223] responsible 网格员 S0002 李强 is in grid 第一网格 ({OLD})" in out
    assert f"gridctl unassign {OLD} --role 网格员 --staff S0002 --date DATE" in out


def test_one_day_written_to_many_places_is_written_out_each_time() -> None:
    """retire GRID gave nine people's `until:` and the grid's `retired.date` one date object, which
    ruamel wrote as `&id001` and eight `*id001`: a clerk correcting one person's day by hand changed
    all nine. gridctl writes no anchor of its own; one the file had stays."""
    import datetime as dt

    from gridctl.ledger.yamlfile import dump_rt, load_rt

    text = 'kind: grid\nid: "G1"\nresponsible:\n  - staff: "S1"\n  - staff: "S2"\nbase: &b {x: 1}\nalso: *b\n'
    docs = load_rt(text)
    day = dt.date(2026, 3, 20)
    for person in docs[0]["responsible"]:
        person["until"] = day
    docs[0]["retired"] = {"date": day, "reason": "并入第三网格"}
    out = dump_rt(text, docs).decode("utf-8")
    assert out.count("2026-03-20") == 3 and "*id" not in out and "&id" not in out, out
    assert "base: &b {x: 1}" in out and "also: *b" in out, out  # the file's own anchor, as it was
