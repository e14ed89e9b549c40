"""Everywhere an id is asked for, its name works too: an event or a document by its title, an
inspection by its grid and day, a household by its own address (never by its building's), and two
records of one name are listed so the clerk can tell them apart and write the id."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from conftest import STAFF, write


def run(cli, repo: Path, *args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", lang, "--author", "王芳 <wf@example.cn>", *args)


def commit(repo: Path, message: str) -> str:
    r = git.Repo(repo)
    r.git.add(A=True)
    r.git.commit("-qm", message)
    return r.head.commit.hexsha


def head(repo: Path) -> str:
    return git.Repo(repo).head.commit.hexsha


def test_two_staff_of_one_name_are_told_apart(repo: Path, cli) -> None:
    """“李强”对应 2 名工作人员 listed `S0002 李强; S0003 李强`: nothing to choose by."""
    write(repo, "staff/S0003.yaml", STAFF.format(id="S0003", name="李强", gender="男", phone="13700137000"))
    before = commit(repo, "另一位李强")
    result = run(cli, repo, "assign", "第一网格", "--role", "楼栋长", "--staff", "李强", "--duty", "3号楼")
    assert result.exit_code == 2 and head(repo) == before, result.output
    assert "“李强”对应 2 名工作人员，请写编号" in result.output
    assert "S0002 李强 (网格员 第一网格；电话 139****9000)" in result.output, result.output
    assert "S0003 李强 (未在网格任职；电话 137****7000)" in result.output, result.output
    assert "13700137000" not in result.output and "13900139000" not in result.output
    english = run(cli, repo, "show", "李强", lang="en")
    assert english.exit_code == 2 and "'李强' names 2 staff members; give the id" in english.output
    assert "S0003 李强 (no role in a grid; phone 137****7000)" in english.output, english.output


def test_an_event_is_named_by_its_title(repo: Path, cli) -> None:
    """`gridctl show 楼道堆放杂物` said 没有编号为 楼道堆放杂物 的记录; event steps, the steps and history the same."""
    reported = run(cli, repo, "event", "report", "--grid", "第一网格", "--type", "安全隐患", "--title", "楼道堆放杂物",
                   "--by", "李强", "--date", "2026-03-02")  # fmt: skip
    assert reported.exit_code == 0, reported.output
    event = reported.output.split("上报事件 ")[1].split("：")[0]
    shown = run(cli, repo, "show", "楼道堆放杂物")
    assert shown.exit_code == 0 and f"编号: {event}" in shown.output, shown.output
    steps = run(cli, repo, "event", "steps", "楼道堆放杂物")
    assert steps.exit_code == 0 and "accept" in steps.output, steps.output
    accepted = run(cli, repo, "event", "accept", "楼道堆放杂物", "--by", "王芳", "--date", "2026-03-02")
    assert accepted.exit_code == 0, accepted.output
    subject = git.Repo(repo).head.commit.message.splitlines()[0]
    assert subject == f"受理事件 {event}：楼道堆放杂物", subject  # the id, not the title typed
    history = run(cli, repo, "history", "楼道堆放杂物")
    assert history.exit_code == 0 and history.output.startswith(f"{event}: 2 个版本"), history.output

    again = run(cli, repo, "event", "report", "--grid", "第一网格", "--type", "安全隐患", "--title", "楼道堆放杂物",
                "--by", "李强", "--date", "2026-03-03")  # fmt: skip
    other = again.output.split("上报事件 ")[1].split("：")[0]
    before = head(repo)
    both = run(cli, repo, "event", "accept", "楼道堆放杂物", "--by", "王芳", "--date", "2026-03-03")
    assert both.exit_code == 2, both.output
    assert "“楼道堆放杂物”对应 2 个事件，请写编号" in both.output, both.output
    assert f"{event} 楼道堆放杂物 (第一网格，2026-03-02 上报，已受理)" in both.output, both.output
    assert f"{other} 楼道堆放杂物 (第一网格，2026-03-03 上报，已上报)" in both.output, both.output
    assert "Traceback" not in both.output and head(repo) == before
    english = run(cli, repo, "show", "楼道堆放杂物", lang="en")
    assert english.exit_code == 2 and "'楼道堆放杂物' names 2 events; give the id" in english.output, english.output
    assert f"{other} 楼道堆放杂物 (第一网格, reported 2026-03-03, 已上报)" in english.output, english.output


def test_a_document_is_named_by_its_title(repo: Path, cli) -> None:
    added = run(cli, repo, "document", "add", "第一网格", "--type", "实施方案", "--title", "消防安全网格化管理实施方案",
                "--due", "2026-08-20")  # fmt: skip
    assert added.exit_code == 0, added.output
    doc = added.output.split("录入文件 ")[1].split("：")[0]
    scan = repo.parent / "方案.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    submitted = run(cli, repo, "document", "submit", "消防安全网格化管理实施方案", "--file", str(scan),
                    "--date", "2026-08-18")  # fmt: skip
    assert submitted.exit_code == 0, submitted.output
    assert (repo / f"documents/110105001001001/{doc}.pdf").is_file()  # the file is named by the id
    assert not list((repo / "documents").rglob("消防*"))
    shown = run(cli, repo, "show", "消防安全网格化管理实施方案")
    assert shown.exit_code == 0 and f"编号: {doc}" in shown.output and "2026-08-18" in shown.output, shown.output


def test_an_activity_and_a_thing_are_named_too(repo: Path, cli) -> None:
    held = run(cli, repo, "activity", "第一网格", "--type", "应急演练", "--title", "春季消防疏散演练", "--by", "王芳",
               "--date", "2026-03-20")  # fmt: skip
    assert held.exit_code == 0, held.output
    shown = run(cli, repo, "show", "春季消防疏散演练")
    assert shown.exit_code == 0 and "记录类别: 活动记录" in shown.output, shown.output
    fields = ("grid=第一网格", "type=灭火器", "name=一号楼灭火器", "location=3号楼一层")
    added = run(cli, repo, "add", "thing", *(x for f in fields for x in ("--set", f)))
    assert added.exit_code == 0, added.output
    edited = run(cli, repo, "edit", "一号楼灭火器", "--set", "status=过期")
    assert edited.exit_code == 0, edited.output
    assert "status: 过期" in next((repo / "things").rglob("*.yaml")).read_text(encoding="utf-8")


def test_an_inspection_is_named_by_its_grid_and_day(repo: Path, cli) -> None:
    done = run(cli, repo, "inspect", "第一网格", "--by", "李强", "--all-ok", "--date", "2026-03-02")
    assert done.exit_code == 0, done.output
    inspection = next(p.stem for p in (repo / "inspections").rglob("*.yaml"))
    for name in ("第一网格 2026-03-02", "第一网格2026-03-02", "第一网格 2026年3月2日"):
        shown = run(cli, repo, "show", name)
        assert shown.exit_code == 0 and f"编号: {inspection}" in shown.output, (name, shown.output)
    form = run(cli, repo, "print", "form", "--inspection", "第一网格 2026-03-02")
    assert form.exit_code == 0 and "<html" in form.output.lower(), form.output[:400]
    second = run(cli, repo, "inspect", "第一网格", "--by", "王芳", "--all-ok", "--date", "2026-03-02",
                 "--checklist", "社区日常巡查")  # fmt: skip
    assert second.exit_code == 0, second.output
    both = run(cli, repo, "show", "第一网格 2026-03-02")
    assert both.exit_code == 2 and "对应 2 条检查记录，请写编号" in both.output, both.output
    assert "检查人 李强" in both.output and "检查人 王芳" in both.output, both.output


def home(hid: str, pid: str, name: str, address: str) -> str:
    return f"""\
kind: household
id: {hid}
grid: "110105001001001"
address: {address}
members:
  - id: {pid}
    name: {name}
    relation: 户主
    residence: 户籍
"""


@pytest.fixture
def building(repo: Path) -> Path:
    """幸福里3幢: a place (楼栋) of that name, two households with rooms in it, one written without a
    room, one whose 现住址 is the building; a house elsewhere known by its written 现住址 alone."""
    houses = {
        "H000002": ("P0000002", "赵敏", '{estate: 幸福里, building: 3幢, unit: 2单元, room: "101"}'),
        "H000003": ("P0000003", "钱进", '{estate: 幸福里, building: 3幢, unit: 2单元, room: "102"}'),
        "H000004": ("P0000004", "孙立", "{estate: 幸福里, building: 3幢}"),
        "H000005": ("P0000005", "周平", "{text: 幸福里3幢}"),
        "H000006": ("P0000006", "吴刚", "{text: 光明街12号院3排5号}"),
    }
    for hid, (pid, name, address) in houses.items():
        write(repo, f"households/110105001001001/{hid}.yaml", home(hid, pid, name, address))
    write(repo, "places/110105001001001/PL00001.yaml", """\
kind: place
id: PL00001
grid: "110105001001001"
type: 楼栋
name: 幸福里3幢
address: 北京市朝阳区幸福里3幢
""")  # fmt: skip
    commit(repo, "幸福里3幢")
    return repo


def test_a_household_is_named_by_its_own_address(building: Path, cli) -> None:
    """`gridctl show 幸福里3幢2单元101` said there was no such record: a household took its id or 户主 only."""
    checked = run(cli, building, "validate")
    assert " 0 个错误" in checked.output, checked.output
    for name, rid in (("幸福里3幢2单元101", "H000002"), ("阳光小区3号楼2单元501", "H000001"),
                      ("光明街12号院3排5号", "H000006")):  # fmt: skip
        shown = run(cli, building, "show", name)
        assert shown.exit_code == 0 and f"编号: {rid}" in shown.output, (name, shown.output)
    edited = run(cli, building, "edit", "幸福里3幢2单元102", "--set", "housing=租住")
    assert edited.exit_code == 0, edited.output
    assert "housing: 租住" in (building / "households/110105001001001/H000003.yaml").read_text(encoding="utf-8")
    visited = run(cli, building, "visit", "幸福里3幢2单元101", "--by", "李强", "--date", "2026-03-02")
    assert visited.exit_code == 0, visited.output
    assert "household: H000002" in next((building / "visits").rglob("*.yaml")).read_text(encoding="utf-8")


def test_a_buildings_address_is_never_one_household(building: Path, cli) -> None:
    """The building's name is the place's; where a household is asked for, its households are listed."""
    shown = run(cli, building, "show", "幸福里3幢")
    assert shown.exit_code == 0 and "编号: PL00001" in shown.output and "H00000" not in shown.output, shown.output
    before = head(building)
    visit = run(cli, building, "visit", "幸福里3幢", "--by", "李强", "--date", "2026-03-02")
    assert visit.exit_code == 2, visit.output
    assert "“幸福里3幢”是楼栋、单元或小区的地址，不是一户的门牌；其中有 4 户" in visit.output, visit.output
    for line in ("H000002 赵敏户 幸福里3幢2单元101 (第一网格)", "H000003 钱进户 幸福里3幢2单元102 (第一网格)",
                 "H000004 孙立户 幸福里3幢 (第一网格)", "H000005 周平户 幸福里3幢 (第一网格)"):  # fmt: skip
        assert line in visit.output, visit.output
    assert "Traceback" not in visit.output and head(building) == before and not (building / "visits").exists()
    unit = run(cli, building, "show", "幸福里3幢2单元")
    assert unit.exit_code == 2 and "其中有 2 户" in unit.output and "H000004" not in unit.output, unit.output
    place_address = run(cli, building, "show", "北京市朝阳区幸福里3幢")
    assert place_address.exit_code == 2 and "H00000" not in place_address.output, place_address.output
    english = run(cli, building, "visit", "幸福里3幢", "--by", "李强", lang="en")
    assert english.exit_code == 2 and "is the address of a building, unit or estate, not of one household" \
        in english.output, english.output  # fmt: skip

    (building / "places/110105001001001/PL00001.yaml").unlink()
    commit(building, "楼栋记录删除")
    alone = run(cli, building, "show", "幸福里3幢")
    assert alone.exit_code == 2 and "其中有 4 户" in alone.output, alone.output
    for hid in ("H000003", "H000005"):  # a building with one household left is still not its name
        (building / f"households/110105001001001/{hid}.yaml").unlink()
    (building / "households/110105001001001/H000002.yaml").unlink()
    commit(building, "只剩一户")
    one = run(cli, building, "show", "幸福里3幢")
    assert one.exit_code == 2 and "其中有 1 户" in one.output and "H000004 孙立户" in one.output, one.output


ASKING = ["show", "edit", "move", "retire", "history", "event steps", "event accept", "document submit"]


@pytest.mark.parametrize("command", ASKING)
def test_every_id_argument_says_a_name_works(cli, command: str) -> None:
    zh = cli("--lang", "zh", *command.split(), "--help")
    assert zh.exit_code == 0 and ("编号或名称" in zh.output or "编号或标题" in zh.output), zh.output
    en = cli("--lang", "en", *command.split(), "--help")
    assert "id or name" in en.output or "id or title" in en.output, en.output
