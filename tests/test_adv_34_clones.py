"""Worker clones: a record typed in twice is removed while unshared; one household moved two ways is one
conflict the clerk settles with `gridctl resolve`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from teamwork import git, run, team

from conftest import id_number

GRID = "110105001001001"


def _head(clone: Path) -> str:
    return git(clone, "rev-parse", "HEAD")


def test_remove_deletes_a_record_never_shared_and_refuses_one_that_was(tmp_path: Path) -> None:
    """A household added twice by mistake could only be retired: a record kept for ever, counted nowhere,
    of a family that never was. `remove` now deletes one this clone added and never synced, in one
    commit, and refuses one the shared repository has (the office's, or one sent for review), saying why."""
    t = team(tmp_path)
    w2 = t["w2"]
    add = ("add", "household", "--set", f"grid={GRID}", "--set", "housing=租住")
    assert run(w2, *add)[0] == 0  # H2000001
    code, out = run(w2, "sync")  # sent to review/S0002
    assert code == 0, out
    assert run(w2, *add)[0] == 0  # H2000002: the same family again, by mistake
    assert run(w2, *add)[0] == 0  # H2000003, with a person added twice
    person = ("add", "person", "--household", "H2000003", "--set", "name=刘洋", "--set", "gender=男")
    person += ("--set", "birth_date=1990-01-01", "--set", "residence=户籍")
    assert run(w2, *person, "--set", "relation=户主")[0] == 0
    assert run(w2, *person, "--set", "relation=其他")[0] == 0

    code, out = run(w2, "-m", "重复录入", "remove", "H2000002")
    assert code == 0 and "删除未共享的户 H2000002" in out, out
    assert not (w2 / "households" / GRID / "H2000002.yaml").exists()
    assert git(w2, "log", "-1", "--format=%s%n%n%b").startswith("删除未共享的户 H2000002\n\n重复录入")
    assert git(w2, "status", "--porcelain") == ""
    home = (w2 / "households" / GRID / "H2000003.yaml").read_text("utf-8")
    people = [line for line in home.splitlines() if "id: P" in line]
    code, out = run(w2, "remove", people[-1].split(":")[1].strip())
    assert code == 0, out
    assert "relation: 其他" not in (w2 / "households" / GRID / "H2000003.yaml").read_text("utf-8")
    assert run(w2, "validate")[0] == 0

    for shared, where in (("H2000001", "review/S0002"), ("H000001", "origin/main")):
        head = _head(w2)
        code, out = run(w2, "remove", shared)
        assert code == 2 and f"{shared} 已共享" in out and where in out and f"gridctl retire {shared}" in out, out
        assert "Traceback" not in out and _head(w2) == head and git(w2, "status", "--porcelain") == ""


def test_remove_of_a_new_household_keeps_a_shared_person_moved_into_it(tmp_path: Path) -> None:
    """A shared resident moved into a household this clone had just added went with it: removing the
    new household deleted P0000001 (in origin/main) without a word. It is refused, naming the member."""
    t = team(tmp_path)
    w2 = t["w2"]
    assert run(w2, "add", "household", "--set", f"grid={GRID}", "--set", "housing=租住")[0] == 0  # H2000001
    assert run(w2, "move", "P0000001", "--to-household", "H2000001", "--relation", "户主")[0] == 0
    head = _head(w2)
    code, out = run(w2, "remove", "H2000001")
    assert code == 2 and "户 H2000001 的成员 P0000001 已共享" in out and "origin/main" in out, out
    assert "gridctl move P0000001 --to-household" in out, out
    assert _head(w2) == head and git(w2, "status", "--porcelain") == ""
    assert "P0000001" in (w2 / "households" / GRID / "H2000001.yaml").read_text("utf-8")


def test_remove_without_an_upstream_cannot_tell_and_refuses(tmp_path: Path) -> None:
    t = team(tmp_path)
    w2 = t["w2"]
    git(w2, "branch", "--unset-upstream")
    assert run(w2, "add", "household", "--set", f"grid={GRID}", "--set", "housing=租住")[0] == 0
    head = _head(w2)
    code, out = run(w2, "remove", "H2000001")
    assert code == 2 and "没有上游分支" in out and "gridctl retire H2000001" in out, out
    assert _head(w2) == head


def test_gc240_advises_remove_for_a_record_typed_in_twice(tmp_path: Path) -> None:
    t = team(tmp_path)
    office = t["office"]
    number = id_number(seq="777")
    member = (
        'kind: household\nid: {hid}\ngrid: "110105001001001"\nhousing: 自有\nmembers:\n'
        '  - {{id: {pid}, name: 张伟, id_number: "{n}", gender: 男, birth_date: 1980-03-15, relation: 户主, '
        "residence: 户籍}}\n"
    )
    for hid, pid in (("H000101", "P0000101"), ("H000102", "P0000102")):
        (office / "households" / GRID / f"{hid}.yaml").write_text(member.format(hid=hid, pid=pid, n=number), "utf-8")
    code, out = run(office, "validate")
    assert code == 1 and "GC240" in out and "gridctl remove" in out, out


SECOND = """\
kind: grid
id: "110105001001002"
name: 第二网格
level: 网格
type: 基础网格
area: 城市
parent: "110105001001"
responsible:
  - role: 网格长
    staff: S0001
    duties: [负责网格内人、地、事、物、组织的全面管理]
  - role: 网格员
    staff: S0002
    duties: [每天巡查网格一次, 采集更新基础信息]
"""
THIRD = SECOND.replace("002", "003").replace("第二", "第三")


def _moved_two_ways(tmp_path: Path) -> dict[str, Path]:
    """The office moves H000001 to 第二网格 and shares it; 李强, offline, moved it to 第三网格."""
    t = team(tmp_path)
    office, w2 = t["office"], t["w2"]
    (office / "grids/110105001001002.yaml").write_text(SECOND, encoding="utf-8")
    (office / "grids/110105001001003.yaml").write_text(THIRD, encoding="utf-8")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "两个新网格")
    assert run(office, "sync")[0] == 0
    assert run(w2, "sync")[0] == 0
    assert run(office, "move", "H000001", "--to", "第二网格")[0] == 0
    assert run(office, "sync")[0] == 0
    assert run(w2, "move", "H000001", "--to", "第三网格")[0] == 0
    return t


def _files(clone: Path) -> list[str]:
    return sorted(p.relative_to(clone).as_posix() for p in (clone / "households").rglob("*.yaml"))


def test_one_household_moved_to_two_grids_is_one_conflict_settled_by_resolve(tmp_path: Path) -> None:
    """Two `gridctl move`s of one household were three conflicts (its grid, and two files "deleted on one
    side, changed on the other" to be settled with git), and the ledger held H000001 twice (GC201, GC240).
    Now it is one conflict, its grid, settled with `gridctl resolve H000001 grid --take theirs`: the file
    goes to the grid chosen, and the merge is committed."""
    t = _moved_two_ways(tmp_path)
    w2 = t["w2"]
    code, out = run(w2, "sync")
    assert code == 1 and "合并未完成: 1 处冲突" in out, out
    assert "冲突: 户 H000001 的 grid 两边改法不同" in out and "一方删除" not in out, out
    assert "本方 (李强" in out and ": 110105001001003" in out and "对方 (王芳" in out and ": 110105001001002" in out
    assert "gridctl resolve H000001 grid --take mine|theirs|新值" in out
    code, out = run(w2, "validate")
    assert "GC201" not in out and "GC240" not in out, out
    code, out = run(w2, "resolve", "H000001", "grid", "--take", "X999")  # no such grid: refused, still open
    assert code == 1 and "gridctl resolve H000001 grid --take" in out, out
    assert _files(w2) == [f"households/{GRID[:-1]}3/H000001.yaml"]
    code, out = run(w2, "resolve", "H000001", "grid", "--take", "theirs")
    assert code == 0 and "合并已提交" in out, out
    assert _files(w2) == [f"households/{GRID[:-1]}2/H000001.yaml"]
    assert git(w2, "status", "--porcelain") == ""
    assert git(w2, "diff", "HEAD^2", "HEAD", "--stat") == ""  # the office's move, as it made it
    assert run(w2, "validate")[0] == 0
    assert run(w2, "sync")[0] == 0


def test_a_plain_git_pull_of_a_household_moved_two_ways_is_settled_by_resolve_mine(tmp_path: Path) -> None:
    t = _moved_two_ways(tmp_path)
    w2 = t["w2"]
    git(w2, "fetch", "-q", "origin")
    proc = subprocess.run(["git", "merge", "--no-edit", "origin/main"], cwd=w2, capture_output=True)
    assert proc.returncode != 0
    code, out = run(w2, "resolve", "H000001", "grid", "--take", "mine")
    assert code == 0 and "合并已提交" in out, out
    assert _files(w2) == [f"households/{GRID[:-1]}3/H000001.yaml"]
    assert git(w2, "status", "--porcelain") == "" and len(git(w2, "log", "-1", "--format=%P").split()) == 2
    assert git(w2, "diff", "HEAD^1", "HEAD", "--stat") == ""  # 李强's move kept
    assert run(w2, "validate")[0] == 0
