"""The same id added on both sides of a merge: two records, both kept, never fused into one.

Two office PCs (set up without --worker) number new records alike: offline, each adds H000002 with
its head P0000002, for two different families.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import yaml_rs
from teamwork import encrypted_team, git, identity, run, team
from typer.testing import CliRunner

from gridctl.cli.main import app

from conftest import id_number

GRID = "households/110105001001001"
ZHANG = id_number(born="19770301", seq="006")
LI = id_number(born="19660606", seq="008")


def two_office_pcs(tmp: Path) -> dict[str, Path]:
    """team()'s office, and a second office PC cloned from the shared repository, set up plainly."""
    t = team(tmp)
    pc2 = tmp / "pc2"
    git(tmp, "clone", "-q", str(t["remote"]), str(pc2))
    identity(pc2, "陈静")
    assert run(pc2, "setup")[0] == 0
    t["pc2"] = pc2
    return t


def family(clone: Path, room: str, head: str, number: str, child: str | None = None) -> None:
    code, out = run(clone, "add", "household", "--set", "grid=110105001001001", f"--set=address.room={room}",
                    "--set", "housing=自有")  # fmt: skip
    assert code == 0, out
    person = ["--set", "gender=女", "--set", "residence=户籍"]
    code, out = run(clone, "add", "person", "--household", "H000002", f"--set=name={head}", f"--set=id_number={number}",
                    "--set", "relation=户主", *person)  # fmt: skip
    assert code == 0, out
    if child:
        code, out = run(clone, "add", "person", "--household", "H000002", f"--set=name={child}", "--set",
                        "relation=女", "--set", "birth_date=2015-01-01", *person)  # fmt: skip
        assert code == 0, out


def read(clone: Path, hid: str) -> dict:
    return yaml_rs.loads((clone / GRID / f"{hid}.yaml").read_text(encoding="utf-8"))


def names(clone: Path, hid: str) -> list[str]:
    return [m["name"] for m in read(clone, hid)["members"]]


def test_a_sync_keeps_both_families_and_gives_this_sides_the_next_free_ids(tmp_path: Path) -> None:
    t = two_office_pcs(tmp_path)
    family(t["office"], "101", "张三", ZHANG)
    family(t["pc2"], "502", "李四", LI, child="李小四")
    code, out = run(t["pc2"], "visit", "H000002", "--by", "S0002", "--purpose", "入户核实")
    assert code == 0, out
    assert run(t["office"], "sync")[0] == 0
    code, out = run(t["pc2"], "sync")
    assert code == 0, out
    assert "两边改法不同" not in out
    assert (
        "编号冲突: 本方新增的户 H000002 (502，户主 李四) 与对方新增的户 H000002 (101，户主 张三) 编号相同，"
        "是两条不同的记录，都已保留: 对方的仍为 H000002，本方的改为 H000003" in out
    ), out
    assert "本方新增的人员 P0000002 (李四) 与对方新增的人员 P0000002 (张三)" in out and "本方的改为 P0000004" in out
    assert LI not in out and ZHANG not in out
    assert names(t["pc2"], "H000002") == ["张三"]
    assert names(t["pc2"], "H000003") == ["李四", "李小四"]
    li = read(t["pc2"], "H000003")["members"]
    assert [m["id"] for m in li] == ["P0000004", "P0000003"] and li[0]["id_number"] == LI  # the daughter kept hers
    visits = list((t["pc2"] / "visits").rglob("*.yaml"))
    assert len(visits) == 1 and "household: H000003" in visits[0].read_text(encoding="utf-8")  # the visit followed
    assert run(t["pc2"], "validate")[0] == 0
    assert git(t["pc2"], "status", "--porcelain") == ""
    log = git(t["pc2"], "log", "--format=%B", "-3")
    assert "编号冲突：本方新增的记录换用新编号 (户 H000002 → H000003，人员 P0000002 → P0000004)" in log
    assert LI not in log and "李四" not in log
    code, out = run(t["office"], "sync")  # the office takes both families in
    assert code == 0, out
    assert names(t["office"], "H000002") == ["张三"] and names(t["office"], "H000003") == ["李四", "李小四"]


def test_english_says_which_record_got_which_id(tmp_path: Path) -> None:
    t = two_office_pcs(tmp_path)
    family(t["office"], "101", "张三", ZHANG)
    family(t["pc2"], "502", "李四", LI)
    assert run(t["office"], "sync")[0] == 0
    result = CliRunner().invoke(app, ["-C", str(t["pc2"]), "--lang", "en", "sync"])
    assert result.exit_code == 0, result.output
    assert (
        "id collision: this side's new household H000002 (502, head 李四) and the other side's new household "
        "H000002 (101, head 张三) are two different records; both kept: theirs stays H000002, this side's is now "
        "H000003" in result.output
    )


def test_a_plain_git_merge_names_an_id_collision_and_resolve_renumbers_mine(tmp_path: Path) -> None:
    t = two_office_pcs(tmp_path)
    family(t["office"], "101", "张三", ZHANG)
    family(t["pc2"], "502", "李四", LI, child="李小四")
    assert run(t["office"], "sync")[0] == 0
    git(t["pc2"], "fetch", "-q", "origin")
    proc = subprocess.run(["git", "merge", "--no-edit", "origin/main"], cwd=t["pc2"], capture_output=True)
    said = proc.stderr.decode()
    assert proc.returncode != 0
    assert "编号冲突: 两边各自新增了编号为 H000002 的户，是两条不同的记录" in said, said
    assert "本方 (陈静" in said and "502，户主 李四" in said and "对方 (王芳" in said and "101，户主 张三" in said
    assert "gridctl resolve H000002 --renumber mine" in said
    assert "两边改法不同" not in said and "--take" not in said and LI not in said and ZHANG not in said
    assert names(t["pc2"], "H000002") == ["李四", "李小四"]  # mine stays whole while the collision is open
    code, out = run(t["pc2"], "resolve", "H000002", "-", "--take", "mine")
    assert code == 2 and "H000002 是编号冲突" in out and "--renumber mine" in out, out
    code, out = run(t["pc2"], "resolve", "H000002", "--renumber", "theirs")
    assert code == 2 and "只能给本方的记录换编号" in out, out
    code, out = run(t["pc2"], "resolve", "H000002", "--renumber", "mine")
    assert code == 0, out
    assert "本方的改为 H000003" in out and "本方的改为 P0000004" in out and "合并已提交" in out, out
    assert names(t["pc2"], "H000002") == ["张三"] and names(t["pc2"], "H000003") == ["李四", "李小四"]
    assert git(t["pc2"], "status", "--porcelain") == ""
    assert len(git(t["pc2"], "log", "-1", "--format=%P").split()) == 2
    assert run(t["pc2"], "validate")[0] == 0


def test_a_grid_added_on_both_sides_is_one_grid_merged_by_field(tmp_path: Path) -> None:
    """A grid's id is its national code, not a number gridctl gave: the same code is the same grid."""
    t = two_office_pcs(tmp_path)
    grid = ["add", "grid", "--set", "id=110105001001002", "--set", "level=网格", "--set", "parent=110105001001"]
    assert run(t["office"], *grid, "--set", "name=第二网格")[0] == 0
    assert run(t["pc2"], *grid, "--set", "name=第2网格")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    code, out = run(t["pc2"], "sync")
    assert code == 1 and "冲突: 网格 110105001001002 的 name 两边改法不同" in out and "编号冲突" not in out, out


def test_setup_of_a_shared_clone_without_a_range_says_its_ids_may_be_renumbered(tmp_path: Path) -> None:
    t = team(tmp_path)
    pc2 = tmp_path / "pc2"
    git(tmp_path, "clone", "-q", str(t["remote"]), str(pc2))
    code, out = run(pc2, "setup")
    assert code == 0 and "本机没有自己的编号段 (未用 --worker)" in out and "gridctl setup --worker 人员编号" in out, out
    code, out = run(t["w2"], "setup", "--worker", "S0002")
    assert code == 0 and "编号段 (未用" not in out, out


def test_one_family_typed_in_on_both_sides_is_one_household_merged_by_field(tmp_path: Path) -> None:
    """The same 户主 (by ID number) under the same id: one record added twice, never renumbered."""
    t = two_office_pcs(tmp_path)
    family(t["office"], "101", "张三", ZHANG)
    family(t["pc2"], "101", "张三", ZHANG, child="张小三")
    code, out = run(t["pc2"], "edit", "H000002", "--set", "housing=租住")
    assert code == 0, out
    assert run(t["office"], "sync")[0] == 0
    mine = git(t["pc2"], "rev-parse", "HEAD")
    code, out = run(t["pc2"], "sync")
    assert code == 1, out
    assert "编号冲突" not in out and "GC240" not in out and "GC201" not in out, out
    assert "冲突: 户 H000002 的 housing 两边改法不同" in out and "合并未完成: 1 处冲突" in out, out
    assert git(t["pc2"], "rev-parse", "HEAD") == mine  # no renumber commit
    assert names(t["pc2"], "H000002") == ["张三", "张小三"]
    code, out = run(t["pc2"], "resolve", "H000002", "housing", "--take", "theirs")
    assert code == 0, out
    assert names(t["pc2"], "H000002") == ["张三", "张小三"] and read(t["pc2"], "H000002")["housing"] == "自有"
    assert not (t["pc2"] / GRID / "H000003.yaml").exists()
    assert run(t["pc2"], "validate")[0] == 0


def test_one_family_without_id_numbers_is_told_by_address_and_head(tmp_path: Path) -> None:
    """No ID numbers: the same address and 户主 name are one family; a plain git merge agrees with sync."""
    t = two_office_pcs(tmp_path)
    for clone, housing in ((t["office"], "自有"), (t["pc2"], "租住")):
        code, out = run(clone, "add", "household", "--set", "grid=110105001001001", "--set=address.room=101",
                        f"--set=housing={housing}")  # fmt: skip
        assert code == 0, out
        code, out = run(clone, "add", "person", "--household", "H000002", "--set=name=张三", "--set=relation=户主",
                        "--set=gender=男", "--set=birth_date=1977-03-01", "--set=residence=户籍")  # fmt: skip
        assert code == 0, out
    assert run(t["office"], "sync")[0] == 0
    git(t["pc2"], "fetch", "-q", "origin")
    proc = subprocess.run(["git", "merge", "--no-edit", "origin/main"], cwd=t["pc2"], capture_output=True)
    said = proc.stderr.decode()
    assert proc.returncode != 0 and "编号冲突" not in said and "户 H000002 的 housing 两边改法不同" in said, said
    assert "人员 P0000002" not in said, said  # the head: the same name and birth date, alike on both sides


def test_a_different_person_in_the_same_family_gets_the_next_id_in_it(tmp_path: Path) -> None:
    """The household is one (its head's ID number); the second member each side added under one id is
    two people: this side's gets the next free id, and the family holds all three."""
    t = two_office_pcs(tmp_path)
    family(t["office"], "101", "张三", ZHANG, child="张小红")
    family(t["pc2"], "101", "张三", ZHANG, child="张小明")
    assert run(t["office"], "sync")[0] == 0
    code, out = run(t["pc2"], "sync")
    assert code == 0, out
    assert "本方新增的人员 P0000003 (张小明) 与对方新增的人员 P0000003 (张小红)" in out and "本方的改为 P0000004" in out
    assert "户 H000002 (" not in out, out
    assert sorted(names(t["pc2"], "H000002")) == ["张三", "张小明", "张小红"]
    assert run(t["pc2"], "validate")[0] == 0


def test_a_place_added_on_both_sides_by_the_same_name_is_one_place(tmp_path: Path) -> None:
    t = two_office_pcs(tmp_path)
    place = ["add", "place", "--set", "grid=110105001001001", "--set", "type=商铺", "--set", "name=幸福超市"]
    assert run(t["office"], *place, "--set", "address=幸福路1号")[0] == 0
    assert run(t["pc2"], *place, "--set", "address=幸福路2号")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    code, out = run(t["pc2"], "sync")
    assert code == 1 and "编号冲突" not in out and "的 address 两边改法不同" in out, out


def office_sends_a_broken_record(office: Path) -> None:
    """The office's main gets a record that fails validation, committed past gridctl and its hooks."""
    (office / "staff" / "S0009.yaml").write_text(
        "kind: staff\nid: S0009\nname: 周七\nphone: '12345'\n", encoding="utf-8"
    )
    git(office, "add", "-A")
    git(office, "commit", "-q", "--no-verify", "-m", "手工添加")
    git(office, "push", "-q", "origin", "main")


def test_a_sync_whose_merge_is_refused_after_renumbering_leaves_the_branch_as_it_was(tmp_path: Path) -> None:
    t = two_office_pcs(tmp_path)
    family(t["office"], "101", "张三", ZHANG)
    family(t["pc2"], "502", "李四", LI)
    assert run(t["office"], "sync")[0] == 0
    office_sends_a_broken_record(t["office"])
    mine, before = git(t["pc2"], "rev-parse", "HEAD"), read(t["pc2"], "H000002")
    code, out = run(t["pc2"], "sync")
    assert code == 1 and "S0009" in out, out
    assert "未写入" in out and "台账和 git 均未改动" in out and "本方的改为" not in out and "已提交" not in out, out
    assert git(t["pc2"], "rev-parse", "HEAD") == mine  # no renumber commit left behind
    assert git(t["pc2"], "status", "--porcelain") == ""
    assert read(t["pc2"], "H000002") == before and not (t["pc2"] / GRID / "H000003.yaml").exists()
    assert "编号冲突" not in git(t["pc2"], "log", "--format=%s", "-5")
    assert run(t["pc2"], "validate")[0] == 0


def test_a_kill_while_the_renumber_is_taken_back_is_finished_by_the_next_command(tmp_path: Path) -> None:
    """Killed after the branch moved back (the second write's HEAD step), before the files: the next
    command finishes them from the journal, as after any write."""
    t = two_office_pcs(tmp_path)
    family(t["office"], "101", "张三", ZHANG)
    family(t["pc2"], "502", "李四", LI)
    assert run(t["office"], "sync")[0] == 0
    office_sends_a_broken_record(t["office"])
    mine, before = git(t["pc2"], "rev-parse", "HEAD"), read(t["pc2"], "H000002")
    env = {**os.environ, "GRIDCTL_TEST_CRASH": "head:2"}
    proc = subprocess.run([sys.executable, "-m", "gridctl", "sync"], cwd=t["pc2"], env=env, capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert git(t["pc2"], "rev-parse", "HEAD") == mine
    assert run(t["pc2"], "validate")[0] == 0
    assert git(t["pc2"], "status", "--porcelain") == ""
    assert read(t["pc2"], "H000002") == before and not (t["pc2"] / GRID / "H000003.yaml").exists()


def test_resolve_renumber_whose_merge_is_refused_leaves_no_renumber_commit(tmp_path: Path) -> None:
    t = two_office_pcs(tmp_path)
    family(t["office"], "101", "张三", ZHANG)
    family(t["pc2"], "502", "李四", LI)
    assert run(t["office"], "sync")[0] == 0
    office_sends_a_broken_record(t["office"])
    mine = git(t["pc2"], "rev-parse", "HEAD")
    git(t["pc2"], "fetch", "-q", "origin")
    proc = subprocess.run(["git", "merge", "--no-edit", "origin/main"], cwd=t["pc2"], capture_output=True)
    assert proc.returncode != 0 and "编号冲突" in proc.stderr.decode()
    code, out = run(t["pc2"], "resolve", "H000002", "--renumber", "mine")
    assert code == 1 and "S0009" in out, out
    assert "本方记录的编号未换，进行中的合并已撤销" in out and "本方的改为" not in out, out
    assert git(t["pc2"], "rev-parse", "HEAD") == mine
    assert git(t["pc2"], "status", "--porcelain") == "" and not (t["pc2"] / ".git" / "MERGE_HEAD").exists()
    assert names(t["pc2"], "H000002") == ["李四"] and not (t["pc2"] / GRID / "H000003.yaml").exists()


def test_a_merge_commit_refused_for_an_id_in_two_grids_folders_names_resolve_renumber(tmp_path: Path) -> None:
    """Each side's H000002 in its own grid's folder: git merges two files without a conflict, and the
    pre-merge-commit hook refuses the id twice (GC201); its hint says what settles it."""
    t = two_office_pcs(tmp_path)
    second = ["add", "grid", "--set", "id=110105001001002", "--set", "level=网格", "--set", "parent=110105001001",
              "--set", "name=第二网格", "--set", "type=基础网格", "--set", "area=城市"]  # fmt: skip
    assert run(t["office"], *second)[0] == 0
    for role, staff in (("网格长", "S0001"), ("网格员", "S0003")):
        assert run(t["office"], "assign", "110105001001002", "--role", role, "--staff", staff, "--duty", "巡查")[0] == 0
    assert run(t["office"], "sync")[0] == 0 and run(t["pc2"], "sync")[0] == 0
    for clone, grid, head, number in ((t["office"], "001", "张三", ZHANG), (t["pc2"], "002", "李四", LI)):
        code, out = run(clone, "add", "household", "--set", f"grid=110105001001{grid}", "--set=address.room=101",
                        "--set", "housing=自有")  # fmt: skip
        assert code == 0, out
        code, out = run(clone, "add", "person", "--household", "H000002", f"--set=name={head}",
                        f"--set=id_number={number}", "--set", "relation=户主", "--set", "gender=女")  # fmt: skip
        assert code == 0, out
    assert run(t["office"], "sync")[0] == 0
    git(t["pc2"], "fetch", "-q", "origin")
    env = {**os.environ, "GRIDCTL_LANG": "zh"}
    proc = subprocess.run(["git", "merge", "--no-edit", "origin/main"], cwd=t["pc2"], env=env, capture_output=True)
    said = proc.stderr.decode()
    assert proc.returncode != 0 and "error[GC201] id H000002 重复" in said, said
    assert (
        "= 提示: id 终身唯一；两边各自新增了编号为 H000002 的记录，git 视为两个文件而未报冲突: "
        "gridctl resolve H000002 --renumber mine (本方的记录换用下一个空闲编号，两条都保留)" in said
    ), said
    assert "gridctl resolve P0000002 --renumber mine" in said and "给其中一条分配新 id" not in said, said
    code, out = run(t["pc2"], "resolve", "H000002", "--renumber", "mine")
    assert code == 0 and "本方的改为 H000003" in out and "合并已提交" in out, out
    assert run(t["pc2"], "validate")[0] == 0


def test_on_an_encrypted_ledger_each_path_says_what_to_do(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Sealed ID numbers are bound to the person's id: neither sync nor resolve renumbers them, and
    each says what to do from where the clerk is (no merge started; a merge under way)."""
    t = encrypted_team(tmp_path, monkeypatch, pull=())
    pc2 = tmp_path / "pc2"
    git(tmp_path, "clone", "-q", str(t["remote"]), str(pc2))
    identity(pc2, "陈静")
    assert run(pc2, "setup")[0] == 0
    family(t["office"], "101", "张三", ZHANG)
    family(pc2, "502", "李四", LI)
    assert "ENC[" in (pc2 / GRID / "H000002.yaml").read_text(encoding="utf-8")
    assert run(t["office"], "sync")[0] == 0
    mine = git(pc2, "rev-parse", "HEAD")
    code, out = run(pc2, "sync")
    assert code == 2 and "个人信息已加密，并与记录编号绑定，不能自动换编号" in out, out
    assert "提示: 台账和 git 均未改动 (合并未开始)。在本机删除这条新增的记录" in out and "merge --abort" not in out, out
    assert git(pc2, "rev-parse", "HEAD") == mine and git(pc2, "status", "--porcelain") == ""
    assert not (pc2 / ".git" / "MERGE_HEAD").exists()
    proc = subprocess.run(["git", "merge", "--no-edit", "origin/main"], cwd=pc2, capture_output=True)
    assert proc.returncode != 0 and "编号冲突" in proc.stderr.decode()
    code, out = run(pc2, "resolve", "H000002", "--renumber", "mine")
    assert code == 2 and "提示: git merge --abort 放弃这次合并；然后在本机删除这条新增的记录" in out, out
    assert (pc2 / ".git" / "MERGE_HEAD").exists()  # the merge is still under way, to be given up as told
    result = CliRunner().invoke(app, ["-C", str(pc2), "--lang", "en", "resolve", "H000002", "--renumber", "mine"])
    assert "hint: git merge --abort to give up this merge; then take this clone's new record out" in result.output


def test_history_of_a_renumbered_record_reaches_back_past_its_new_id(tmp_path: Path) -> None:
    """Who added the family and who changed its room is the audit trail: a renumbering started it
    afresh, as if 李四's household had been made by the sync."""
    import json

    from jsonschema import Draft202012Validator

    t = two_office_pcs(tmp_path)
    family(t["office"], "101", "张三", ZHANG)
    family(t["pc2"], "502", "李四", LI, child="李小四")
    assert run(t["pc2"], "edit", "H000002", "--set", "address.room=503", "-m", "门牌核实")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    before = git(t["pc2"], "rev-parse", "HEAD").strip()
    assert run(t["pc2"], "sync")[0] == 0
    code, out = run(t["pc2"], "--lang", "en", "diff", before, "HEAD")  # what the sync did: two records, never one
    assert "> household H000002 renumbered as H000003\n" in out and "+ added household H000002" in out, out
    assert "changed" not in out and "张三" not in out, out
    code, out = run(t["pc2"], "history", "H000003")
    assert code == 0, out
    assert out.startswith("H000003: 5 个版本"), out  # added, its two members, the room, the new id
    assert "Gridctl-" not in out and "移出" not in out, out  # its people were renumbered, not moved out
    assert "[换编号]" in out and "编号: H000002 → H000003" in out and "门牌核实" in out and "[新建]" in out, out
    code, out = run(t["pc2"], "--lang", "en", "history", "P0000004", "--format", "json")
    assert code == 0, out
    told = json.loads(out)
    Draft202012Validator(json.loads((Path(__file__).parent.parent / "schemas/output/history.schema.json").read_text(
        encoding="utf-8"))).validate(told)  # fmt: skip
    steps = [(v["what"], v["id_before"], v["id_after"]) for v in told["versions"]]
    assert steps[0] == ("renumbered", "P0000002", "P0000004") and steps[-1] == ("created", None, "P0000002"), steps
    code, out = run(t["pc2"], "log")
    assert "户 H000002 换编号为 H000003\n" in out, out
    assert "人员 P0000002 换编号为 P0000004，所在户随之由 H000002 改为 H000003" in out, out
    assert "删除户 H000002" not in out and "新增户 H000003" not in out, out
    renumbering = git(t["pc2"], "log", "-1", "--format=%H", "--grep=编号冲突").strip()
    code, out = run(t["pc2"], "--lang", "en", "diff", f"{renumbering}~1", renumbering)
    assert code == 0 and "> household H000002 renumbered as H000003\n" in out and "removed" not in out, out
    assert run(t["office"], "sync")[0] == 0  # the office takes both families in by the merge
    code, out = run(t["office"], "history", "H000003")
    assert code == 0 and "[换编号]" in out and "[新建]" in out, out
