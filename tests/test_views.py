"""show, list and status: what a clerk reads, personal data masked unless --reveal."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import gridctl, household, id_number, write

NUMBER = id_number()


def test_show_masks_a_person_unless_revealed(ledger: Path, cli) -> None:
    out = cli("-C", str(ledger), "show", "P0000001").output
    assert "household: H000001" in out and "name: 张伟" in out
    assert "id_number: 110105************" in out and NUMBER not in out
    assert "birth_date: 1980-**-**" in out and "1980-03-15" not in out  # the date would give the number away
    assert "139****5678" in out and "13912345678" not in out
    revealed = cli("-C", str(ledger), "show", "P0000001", "--reveal").output
    assert NUMBER in revealed and "13912345678" in revealed


def test_show_names_a_members_own_extra_fields_by_their_own_words(ledger: Path, cli) -> None:
    """A member's extra: {备注: …} was shown as 其他信息: 家庭成员·其他信息·备注: …, the path said twice
    under its own heading; a household's extra fields already read 备注."""
    extra = "    extra: {备注: 常住女儿家, 原单位: 第一机床厂}\n"  # under the (only) member
    write(ledger, "households/110105001001001/H000001.yaml", household(extra=extra))
    out = cli("-C", str(ledger), "--lang", "zh", "show", "H000001").output
    assert "    其他信息:\n      备注: 常住女儿家\n      原单位: 第一机床厂\n" in out, out
    assert "家庭成员·其他信息" not in out


def test_show_a_grid_as_json(ledger: Path, cli) -> None:
    data = json.loads(cli("-C", str(ledger), "show", "110105001001001", "-f", "json").output)
    assert data["name"] == "第一网格"
    assert [r["role"] for r in data["responsible"]] == ["网格长", "网格员"]


def test_show_unknown_id(ledger: Path, cli) -> None:
    result = cli("-C", str(ledger), "--lang", "zh", "show", "H999999")
    assert result.exit_code == 2
    assert "没有编号为 H999999 的记录" in result.output


def test_list_people_as_csv_masked(ledger: Path, cli) -> None:
    write(ledger, "households/110105001001001/H000001.yaml", household(extra="    tags: [空巢老人]\n"))
    out = cli("-C", str(ledger), "list", "person", "--format", "csv").output.splitlines()
    assert out[0] == "编号,姓名,性别,出生日期,公民身份号码,电话,人员类型,标签,户,与户主关系,注销"
    assert out[1] == "P0000001,张伟,男,1980-**-**,110105************,139****5678,户籍,***,H000001,户主,否"


def test_list_by_care_group_counts_unless_revealed(ledger: Path, cli) -> None:
    write(ledger, "households/110105001001001/H000001.yaml", household(extra="    tags: [空巢老人]\n"))
    result = cli("-C", str(ledger), "list", "person", "--tag", "空巢老人", "--format", "csv")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["网格,户数,人数", "第一网格,1,1"]  # how many, never who
    revealed = cli("-C", str(ledger), "list", "person", "--tag", "空巢老人", "--reveal").output
    assert "张伟" in revealed and "P0000001" in revealed
    rows = json.loads(cli("-C", str(ledger), "list", "person", "--tag", "空巢老人", "--reveal", "-f", "json").output)
    assert [r["id"] for r in rows] == ["P0000001"]
    assert rows[0]["tags"] == ["空巢老人"]
    rows = json.loads(cli("-C", str(ledger), "list", "person", "--tag", "残疾人", "--reveal", "-f", "json").output)
    assert rows == []


def test_list_table_and_grid_filter(ledger: Path, cli) -> None:
    out = cli("-C", str(ledger), "--lang", "zh", "list", "staff").output
    assert "王芳" in out and "李强" in out and "2 条" in out
    rows = json.loads(cli("-C", str(ledger), "list", "grid", "--grid", "110105001001", "-f", "json").output)
    assert [r["id"] for r in rows] == ["110105001001001"]


def test_status_on_one_screen(ledger: Path, cli) -> None:
    out = cli("-C", str(ledger), "--lang", "zh", "status").output
    assert out.splitlines() == [
        "幸福里社区",
        "  网格: 社区 1、网格 1",
        "  户: 1    人: 1",
        "  人员类型: 户籍 1",
        "  重点人群: -",
        "  工作人员: 2    出租房屋: 0",
        "  未结事件: -",
        "  校验: 0 个错误、0 个警告",
        "  待办 (公示牌):",
        "    - 公示牌缺监督电话: 在 gridctl.yaml 中写 supervision_phone",
        "    - 幸福里社区 (110105001001) 的公示牌缺四至: "
        "gridctl edit 110105001001 --set 四至=东至…，西至…，南至…，北至…",
        "    - 幸福里社区 (110105001001) 的公示牌缺 王芳 (S0001) 的照片: gridctl photo S0001 照片文件",
        "    - 第一网格 (110105001001001) 的公示牌缺 李强 (S0002) 的照片: gridctl photo S0002 照片文件",
    ]
    en = cli("-C", str(ledger), "--lang", "en", "status").output
    assert "to do (notice boards):" in en and "lacks the photo of 李强 (S0002): gridctl photo S0002 FILE" in en


RETIRED = """  - id: P0000002
    name: 张丽
    gender: 女
    birth_date: 1982-05-01
    relation: 配偶
    residence: 户籍
    retired: {date: 2026-10-01, reason: 迁出}
  - id: P0000003
    name: 张明
    gender: 男
    birth_date: 2010-05-01
    relation: 子
    residence: 户籍
"""


def test_list_and_status_count_only_people_who_live_here(ledger: Path, cli) -> None:
    write(ledger, "households/110105001001001/H000001.yaml", household(extra=RETIRED))
    moved = household("H000002", "P0000009", id_number(seq="222")) + "retired: {date: 2026-09-01, reason: 整户迁出}\n"
    write(ledger, "households/110105001001001/H000002.yaml", moved)
    rows = json.loads(cli("-C", str(ledger), "list", "household", "-f", "json").output)
    assert {r["id"]: r["members"] for r in rows} == {"H000001": 2, "H000002": 1}
    assert {r["id"]: r["retired"] for r in rows} == {"H000001": False, "H000002": True}  # said, not left to guess
    people = json.loads(cli("-C", str(ledger), "list", "person", "-f", "json").output)
    assert {p["id"]: p["retired"] for p in people}["P0000009"] is True  # moved out with the household
    assert sum(not p["retired"] for p in people) == 2  # as status counts
    status = json.loads(cli("-C", str(ledger), "status", "-f", "json").output)
    assert (status["households"], status["people"]) == (1, 2)  # not the retired person, not the retired household
    assert "  户: 1    人: 2" in cli("-C", str(ledger), "--lang", "zh", "status").output


def test_list_grid_names_the_chief_and_counts_households(ledger: Path, cli) -> None:
    path = ledger / "grids/110105001001001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "households_declared: 600\n", encoding="utf-8")
    rows = {r["id"]: r for r in json.loads(cli("-C", str(ledger), "list", "grid", "-f", "json").output)}
    grid = rows["110105001001001"]
    assert grid["chiefs"] == ["王芳"] and grid["chief_ids"] == ["S0001"]
    assert (grid["households"], grid["households_declared"]) == (1, 600)
    assert rows["110105001001"]["households"] == 1  # the community counts the households of its grids
    table = cli("-C", str(ledger), "--lang", "zh", "list", "grid").output.splitlines()
    assert table[0].split() == ["编号", "名称", "层级", "类型", "上级", "网格长", "户数", "申报户数", "注销"]
    assert table[2].split()[-4:] == ["王芳", "1", "600", "否"]  # the declared figure beside the real one
    assert table[1].split()[-3:] == ["王芳", "1", "否"]  # no declared figure: nothing beside it


def test_list_people_says_who_has_died_or_moved_out(demo: Path) -> None:
    """A person retired (病故), and the people of a household that moved out, are marked 注销 in `list person`,
    as `list household` marks their household: the table listed them as residents, with nothing to tell."""
    env = {"GRIDCTL_TODAY": "2026-12-03", "GRIDCTL_PAGER": "cat"}
    assert gridctl("retire", "P0000001", "--reason", "病故", "--date", "2026-12-02", cwd=demo, env=env)[0] == 0
    assert gridctl("retire", "H000002", "--reason", "迁出至朝阳区", cwd=demo, env=env)[0] == 0
    code, out, err = gridctl("--lang", "zh", "list", "person", cwd=demo, env=env)
    assert code == 0, err
    head, *rows = out.splitlines()
    assert head.split()[-1] == "注销"
    retired = {r.split()[0]: r.split()[-1] for r in rows if r.startswith("P")}
    assert retired["P0000001"] == "是" and retired["P0000002"] == "是" and retired["P0000006"] == "否"
    code, out, _ = gridctl("--lang", "en", "list", "person", "--format", "csv", cwd=demo, env=env)
    assert out.splitlines()[1].endswith(",H000001,户主,是")


def test_list_people_says_each_ones_relation_to_the_head(demo: Path) -> None:
    """A roster (花名册) names each resident's 与户主关系: list person showed who lived in which household
    but not who was the 户主 and who the spouse or child; JSON gives it as relation."""
    code, out, err = gridctl("--lang", "zh", "list", "person", "--format", "csv", cwd=demo)
    assert code == 0, err
    rows = {r.split(",")[0]: r.split(",") for r in out.splitlines()}
    assert rows["编号"][-2] == "与户主关系"
    assert rows["P0000002"][-2] == "户主" and rows["P0000003"][-2] == "配偶", out
    code, out, err = gridctl("list", "person", "--format", "json", cwd=demo)
    people = {p["id"]: p for p in json.loads(out)}
    assert people["P0000003"]["relation"] == "配偶"


def test_show_an_inspection_says_its_results_in_chinese(demo: Path) -> None:
    """Each item of a recorded inspection read 结果: ok / hazard / na to the zh clerk; JSON keeps the codes."""
    env = {"GRIDCTL_TODAY": "2026-12-09", "GRIDCTL_PAGER": "cat"}
    args = ("inspect", "第一网格", "--by", "S0004", "--na", "3", "--hazard", "4: 3号楼监控损坏", "--all-ok")
    assert gridctl(*args, cwd=demo, env=env)[0] == 0
    inspection = next((demo / "inspections/2026/12").glob("I*.yaml")).stem
    code, out, err = gridctl("--lang", "zh", "show", inspection, cwd=demo, env=env)
    assert code == 0, err
    results = [ln.strip() for ln in out.splitlines() if "结果:" in ln]
    assert results == ["结果: 正常"] * 2 + ["结果: 不适用", "结果: 有隐患"] + ["结果: 正常"] * 3
    data = json.loads(gridctl("--lang", "zh", "show", inspection, "-f", "json", cwd=demo, env=env)[1])
    assert [i["result"] for i in data["items"]][:4] == ["ok", "ok", "na", "hazard"]


def test_list_grid_takes_the_grids_below_it(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """`list household --grid 社区` listed 0 rows for a 社区 of 40 households (only records naming the
    社区 itself), and `list staff --grid` listed nobody: staff name no grid, the grid names them."""

    def rows(*args: str) -> list[str]:
        out = json.loads(cli("-C", str(demo), "list", *args, "-f", "json").output)
        return [r["id"] for r in out]

    every = rows("household")
    assert len(every) == 40
    assert sorted(rows("household", "--grid", "110105017006")) == sorted(every)
    assert sorted(rows("household", "--grid", "幸福里社区")) == sorted(every)  # by name too
    first = rows("household", "--grid", "第一网格")
    assert 0 < len(first) < 40 and set(first) <= set(every)
    people = rows("person", "--grid", "110105017006")
    assert len(people) == len(rows("person"))
    assert sorted(rows("grid", "--grid", "110105017006")) == [f"11010501700600{n}" for n in range(1, 5)]
    assert rows("grid", "--grid", "110105017006001") == []
    staff = rows("staff", "--grid", "第一网格")
    grid = (demo / "grids/110105017006001.yaml").read_text(encoding="utf-8")
    assert staff and all(f'"{s}"' in grid for s in staff)
    assert "S0003" not in staff  # 街道's 社区建设科科长: responsible for no grid
    one = cli("-C", str(demo), "--lang", "en", "list", "org", "--grid", "110105017006001").output
    assert one.endswith("\n1 row\n"), one
