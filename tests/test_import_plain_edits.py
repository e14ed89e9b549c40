"""A register imported again edits the files an import wrote (gridctl's own style) as plain data,
and writes the bytes a round-trip edit writes: field changes, a new field put where the model
lists it, a value cleared, a member added, a household moved to another grid. (A changed text that
needs quotes on one side and not the other is spelled in gridctl's style, as a new file is:
excel.edit.canonical; the data is the same.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest
from test_import import GRID, run_import

from gridctl.excel import edit

from conftest import GRID as GRID_TEXT
from conftest import id_number, write

WANG = id_number(born="19700707", seq="131")
ZHANG = id_number(born="19650505", seq="142")
LI = id_number(born="19880808", seq="151")
CHILD = id_number(born="20100101", seq="171")
OTHER = "110105001001002"


def register(folder: Path, name: str, rows: list[str], headers: str) -> Path:
    path = folder / name
    path.write_bytes("\r\n".join([headers, *rows]).encode("gbk"))
    return path


FIRST = "姓名,性别,公民身份号码,出生日期,联系电话,与户主关系,人员类型,所属网格,楼栋,单元,房号"
THEN = FIRST + ",民族"


@pytest.fixture
def imported(repo: Path, cli, tmp_path: Path) -> Path:
    write(repo, f"grids/{OTHER}.yaml", GRID_TEXT.replace(GRID, OTHER).replace("第一网格", "第二网格"))
    r = git.Repo(repo)
    r.git.add("-A")
    r.git.commit("-qm", "第二网格")
    rows = [
        f"王志强,男,{WANG},1970-07-07,13512345601,户主,户籍人口,第一网格,1,1,101",
        f"张桂英,女,{ZHANG},1965-05-05,13612345602,户主,户籍人口,第一网格,2,1,202",
        f"李明,男,{LI},1988-08-08,13712345603,户主,流动人口,第一网格,3,1,303",
    ]
    done = run_import(cli, repo, "household", str(register(tmp_path, "一月.csv", rows, FIRST)), "--grid", GRID)
    assert done.exit_code == 0, done.output
    return repo


def test_a_register_again_writes_what_a_round_trip_edit_writes(
    imported: Path, cli, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    rows = [
        f"王志强,男,{WANG},1970-07-07,13500000000,户主,户籍人口,第一网格,1,1,101,汉族",  # a phone, a new field
        f"王小明,男,{CHILD},2010-01-01,,子,户籍人口,第一网格,1,1,101,汉族",  # a member added
        f"张桂英,女,{ZHANG},1965-05-05,（清空）,户主,户籍人口,第一网格,2,1,202,",  # a phone cleared
        f"李明,男,{LI},1988-08-08,13712345603,户主,流动人口,第二网格,3,1,303,回族",  # moved to another grid
    ]
    sheet = register(tmp_path, "二月.csv", rows, THEN)
    round_trip = tmp_path / "round-trip"
    shutil.copytree(imported, round_trip)
    plain: list[str] = []
    real = edit.canonical

    def counted(rel: str, text: str):  # type: ignore[no-untyped-def]
        found = real(rel, text)
        if found is not None:
            plain.append(rel)
        return found

    monkeypatch.setattr(edit, "canonical", counted)
    fast = run_import(cli, imported, "household", str(sheet), "--accept-moves")
    assert fast.exit_code == 0, fast.output
    assert len(set(plain)) == 3  # every household file was one an import wrote
    monkeypatch.setattr(edit, "canonical", lambda rel, text: None)
    slow = run_import(cli, round_trip, "household", str(sheet), "--accept-moves")
    assert slow.exit_code == 0, slow.output
    trees = [git.Repo(root).head.commit.tree.hexsha for root in (imported, round_trip)]
    assert trees[0] == trees[1]
    moved = imported / f"households/{OTHER}"
    assert len(list(moved.glob("*.yaml"))) == 1  # the move was made, in both
    texts = "".join(p.read_text(encoding="utf-8") for p in (imported / "households").rglob("*.yaml"))
    assert "汉族" in texts and "回族" in texts and "13500000000" in texts and "13612345602" not in texts
    assert "王小明" in texts
