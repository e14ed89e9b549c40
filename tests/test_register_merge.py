"""The recurring register: imported every month, it never changes the wrong person or undoes newer work."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import git
from openpyxl import load_workbook
from test_import import GRID, changed_files, load, log, run_import, snapshot

from conftest import id_number

WANG = id_number(born="19700707", seq="131")  # 王志强, 男
ZHANG = id_number(born="19650505", seq="142")  # 张桂英, 女
LI = id_number(born="19880808", seq="151")  # 李明, 男
HEADERS = "姓名,性别,公民身份号码,出生日期,联系电话,与户主关系,人员类型,楼栋,单元,房号"


def gbk_register(tmp_path: Path, rows: list[str], name: str = "十一月登记.csv") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join([HEADERS, *rows]).encode("gbk"))
    return path


NOVEMBER = [
    f"王志强,男,{WANG},1970-07-07,13512345601,户主,户籍人口,1,1,101",
    f"张桂英,女,{ZHANG},1965/5/5,13612345602,户主,户籍人口,2,1,202",
    f"李明,男,{LI},19880808,13712345603,户主,流动人口,3,1,303",
]


def imported(repo: Path, cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    sheet = gbk_register(tmp_path, NOVEMBER)
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 0, result.output
    assert "新增 3 户 3 人" in result.output
    return sheet


def gridctl_cmd(cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    result = cli("-C", str(repo), "--lang", "zh", "--author", "王芳 <wf@example.cn>", *args)
    assert result.exit_code == 0, result.output
    return result


def test_aliases_read_the_registers_words_and_statistics_keep_one_category(repo: Path, cli, tmp_path: Path) -> None:
    imported(repo, cli, tmp_path)
    people = {m["name"]: m for n in (2, 3, 4) for m in load(repo, f"households/{GRID}/H00000{n}.yaml")["members"]}
    assert (people["王志强"]["residence"], people["李明"]["residence"]) == ("户籍", "流动")
    status = gridctl_cmd(cli, repo, "status").output
    assert "人员类型: 户籍 3、流动 1" in status


def test_a_stale_register_lists_its_reverts_and_writes_nothing(repo: Path, cli, tmp_path: Path) -> None:
    sheet = imported(repo, cli, tmp_path)
    # the clerk corrects the ledger through gridctl: 王志强 moves in with 张桂英 as her son, 李明 has a new phone
    gridctl_cmd(cli, repo, "move", "P0000002", "--to-household", "H000003", "--relation", "子")
    gridctl_cmd(cli, repo, "edit", "P0000004", "--set", "phones=13712349999")
    before = snapshot(repo)
    again = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert again.exit_code == 1
    # the day on the ledger's clock (Asia/Shanghai), not the computer's: from 16:00 UTC it is tomorrow there
    committed = git.Repo(repo).head.commit.committed_datetime
    day = committed.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    lines = again.output.splitlines()
    assert lines[0] == "回退 (3):"
    wait = "  [待定: --prefer ledger|register]"
    assert lines[1] == f"  第2行 王志强: 住址 表中 1号楼1单元101，台账 {day} 已迁入 H000003（张桂英户）{wait}"
    assert lines[2] == f"  第2行 王志强: 与户主关系 表中 户主 是旧值，台账 {day} 已改为 子{wait}"
    assert lines[3] == f"  第4行 李明: 联系电话 表中 137****5603 是旧值，台账 {day} 已改为 137****9999{wait}"
    assert lines[-1].startswith("未写入: 3 处需要确认")
    assert snapshot(repo) == before
    # the clerk has seen them: keep the ledger's newer work, take nothing old
    kept = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--prefer", "ledger")
    assert kept.exit_code == 0, kept.output
    assert kept.output.splitlines()[-1] == "没有变化，未提交: 新增 0 户 0 人, 更新 0, 未变 3, 拒绝 0, 回退 3"
    assert snapshot(repo) == before
    # or the register is right after all
    back = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--prefer", "register")
    assert back.exit_code == 0, back.output
    assert load(repo, f"households/{GRID}/H000004.yaml")["members"][0]["phones"] == ["13712345603"]
    assert [m["id"] for m in load(repo, f"households/{GRID}/H000002.yaml")["members"]] == ["P0000002"]
    assert gridctl_cmd(cli, repo, "validate").exit_code == 0


def test_the_same_id_number_with_another_name_is_a_conflict_never_an_update(repo: Path, cli, tmp_path: Path) -> None:
    imported(repo, cli, tmp_path)
    before = snapshot(repo)
    sheet = gbk_register(tmp_path, [f"重复人,男,{WANG},1970-07-07,13900000000,户主,户籍,9,9,909"], "重复.csv")
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 1
    masked = WANG[:6] + "*" * 12
    assert result.output.splitlines()[:2] == [
        "冲突 (1):",
        f"  第2行: 公民身份号码 {masked} 在台账中是 王志强 (P0000002)，表中为 重复人  [待定: --accept-renames]",
    ]
    assert WANG not in result.output
    assert snapshot(repo) == before
    as_json = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--format", "json")
    doc = json.loads(as_json.output)
    assert doc["written"] is False and doc["summary"]["open"] == 1
    conflict = doc["conflicts"][0]
    assert conflict["what"] == "identity" and conflict["record"] == "P0000002"
    assert conflict["fields"]["name"] == {"column": "姓名", "ledger": "王志强", "register": "重复人"}
    assert conflict["fields"]["id_number"]["register"] == masked


def test_a_known_person_into_another_household_is_a_move_applied_only_when_accepted(
    repo: Path, cli, tmp_path: Path
) -> None:
    imported(repo, cli, tmp_path)
    before = snapshot(repo)
    rows = [f"李明,男,{LI},19880808,13712345603,子,流动,2,1,202"]
    sheet = gbk_register(tmp_path, rows, "迁户.csv")
    dry = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--dry-run")
    assert dry.output.splitlines()[:4] == [
        "更新 (1):",
        "  第2行 李明 P0000004: 与户主关系 户主 → 子",
        "迁户 (1):",
        "  第2行 李明 P0000004: 住址 H000004（李明户） → H000003（张桂英户）  [待定: --accept-moves]",
    ]
    assert run_import(cli, repo, "household", str(sheet), "--grid", GRID).exit_code == 1
    assert snapshot(repo) == before
    done = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--accept-moves")
    assert done.exit_code == 0, done.output
    assert [m["name"] for m in load(repo, f"households/{GRID}/H000003.yaml")["members"]] == ["张桂英", "李明"]
    assert load(repo, f"households/{GRID}/H000004.yaml")["members"] == []
    assert sorted(changed_files(repo)) == [f"households/{GRID}/H000003.yaml", f"households/{GRID}/H000004.yaml"]


def test_an_export_read_back_is_three_way(repo: Path, cli, tmp_path: Path) -> None:
    """The export names its commit: what the ledger changed since is kept without a word; what the
    sheet changed goes in; a field both changed is a conflict."""
    imported(repo, cli, tmp_path)
    out = tmp_path / "导出.xlsx"
    gridctl_cmd(cli, repo, "export", "household", "--reveal", "-o", str(out))
    gridctl_cmd(cli, repo, "edit", "P0000004", "--set", "phones=13712349999")
    gridctl_cmd(cli, repo, "edit", "P0000003", "--set", "ethnicity=满族")
    wb = load_workbook(out)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    by_name = {row[headers.index("姓名")].value: row for row in ws.iter_rows(min_row=2)}
    by_name["王志强"][headers.index("联系电话")].value = "13512340000"  # the sheet's own correction
    by_name["张桂英"][headers.index("民族")].value = "回族"  # both changed 民族: a conflict
    wb.save(out)
    result = run_import(cli, repo, "household", str(out), "--dry-run")
    lines = result.output.splitlines()
    assert "  第3行 王志强 P0000002: 联系电话 135****5601 → 135****0000" in lines
    assert any(line.startswith("  第4行 张桂英: 民族 表中 回族，台账 ") and "改为 满族（导出时为 (空)）" in line
               for line in lines)  # fmt: skip
    assert "137****5603" not in result.output  # 李明's phone: the ledger is newer, the sheet kept it
    applied = run_import(cli, repo, "household", str(out), "--prefer", "ledger")
    assert applied.exit_code == 0, applied.output
    people = {m["name"]: m for n in (2, 3, 4) for m in load(repo, f"households/{GRID}/H00000{n}.yaml")["members"]}
    assert people["王志强"]["phones"] == ["13512340000"]
    assert (people["张桂英"]["ethnicity"], people["李明"]["phones"]) == ("满族", ["13712349999"])
    assert len(log(repo)) == 5


def test_an_xls_from_a_platform_with_title_rows(repo: Path, cli, tmp_path: Path) -> None:
    """Excel 97–2003 bytes (written by xlwt), a merged title and a 填表单位 line above the header."""
    import datetime as dt

    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("户籍人口")
    ws.write_merge(0, 0, 0, 6, "幸福里社区户籍人口登记表")
    ws.write(1, 0, "填表单位：幸福里社区居委会")
    ws.write(1, 4, "联系电话：")
    ws.write(1, 5, "填表日期：2026年11月30日")
    for c, h in enumerate(["序号", "姓名", "性别", "身份证号", "出生日期", "手机号", "政治面貌", "与户主关系", "房号"]):
        ws.write(2, c, h)
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate([1, "王志强", "男性", WANG, dt.date(1970, 7, 7), 13512345601, "群众", "本人", "101"]):
        ws.write(3, c, h, day if isinstance(h, dt.date) else xlwt.Style.default_style)
    path = tmp_path / "平台导出.xls"
    wb.save(str(path))
    result = run_import(cli, repo, "household", str(path), "--grid", GRID)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "平台导出.xls: 警告: 以下列未导入: 序号 (不导入)"
    member = load(repo, f"households/{GRID}/H000002.yaml")["members"][0]
    assert (member["name"], member["gender"], member["relation"], member["phones"], member["extra"]) == (
        "王志强",
        "男",
        "户主",
        ["13512345601"],
        {"政治面貌": "群众"},
    )


def test_every_error_of_a_row_at_once_in_column_order(repo: Path, cli, tmp_path: Path) -> None:
    """An unknown 人员类型 no longer hides the birth date, gender and phone of the same row; the unknown
    word's message names the nearest word and the gridctl.yaml line that would make it one."""
    sheet = gbk_register(tmp_path, [f"王志强,女,{WANG},1971-07-07,1351234,户主,本市户籍,1,1,101"], "错误.csv")
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 1
    assert result.output.splitlines()[:4] == [
        "错误.csv:row 2: 列 性别: 性别 女 与公民身份号码 (第 17 位为男性) 不一致",
        "错误.csv:row 2: 列 出生日期: 出生日期 1971-**-** 与公民身份号码中的 1970-**-** 不一致 (号码第 7–10 位)",
        "错误.csv:row 2: 列 联系电话: 电话号码无效: *******",
        "错误.csv:row 2: 列 人员类型: “本市户籍”不在人员类型词表 (residence_types) 中 "
        "(可选值: 户籍、流动、境外、未落户、人户分离；最接近“户籍”(若“本市户籍”就是“户籍”，在 gridctl.yaml 加一行 "
        "aliases: {residence_types: {本市户籍: 户籍}}))",
    ]
    settings = repo / "gridctl.yaml"
    line = "aliases: {residence_types: {本市户籍: 户籍}}\n"
    settings.write_text(settings.read_text(encoding="utf-8") + line, encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "本社区的词")
    fixed = gbk_register(tmp_path, [f"王志强,男,{WANG},1970-07-07,13512345601,户主,本市户籍,1,1,101"], "改正.csv")
    result = run_import(cli, repo, "household", str(fixed), "--grid", GRID)
    assert result.exit_code == 0, result.output
    assert load(repo, f"households/{GRID}/H000002.yaml")["members"][0]["residence"] == "户籍"


def test_a_mapping_that_would_drop_a_column_is_refused_naming_its_line(repo: Path, cli, tmp_path: Path) -> None:
    sheet = gbk_register(tmp_path, NOVEMBER[:1])
    mapping = tmp_path / "map.yaml"
    text = "# 平台表头\n姓名: 姓名\nresidence: {header: 人员类型, values: {户籍人口: 户籍}}\n"
    mapping.write_text(text, encoding="utf-8")
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--mapping", str(mapping))
    assert result.exit_code == 2
    assert "map.yaml:3: “residence”后面应写表头 (或表头列表)，不能是嵌套的内容" in result.output
    assert "gridctl.yaml 的 aliases" in result.output
    mapping.write_text("姓名: 姓名\n身高: 身高\n", encoding="utf-8")
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--mapping", str(mapping))
    assert result.exit_code == 2 and "map.yaml:2: 映射文件中的字段“身高”不存在" in result.output
    assert snapshot(repo) == before
    # a column mapped to nothing is not imported, and the clerk is told so
    mapping.write_text("residence: null\n", encoding="utf-8")
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--mapping", str(mapping))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "十一月登记.csv: 警告: 以下列未导入: 人员类型 (不导入)"
    member = load(repo, f"households/{GRID}/H000002.yaml")["members"][0]
    assert "residence" not in member and "extra" not in member


def test_title_rows_above_the_header_of_an_xlsx(repo: Path, cli, tmp_path: Path) -> None:
    """A merged title, then a 填表单位 line whose 联系电话： sits above a column the header leaves unknown."""
    from test_import import xlsx

    sheet = xlsx(
        tmp_path / "登记表.xlsx",
        [
            ["幸福里社区流动人口登记表"],
            ["填表单位：幸福里社区", None, None, None, "联系电话：", "填表日期：2026年11月30日"],
            ["姓名", "与户主关系", "公民身份号码", "房号", "政治面貌", "人员类型"],
            ["李明", "户主", LI, "303", "群众", "流动人口"],
        ],
        merged=("A1:F1",),
    )
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 0, result.output
    member = load(repo, f"households/{GRID}/H000002.yaml")["members"][0]
    assert (member["name"], member["residence"], member["extra"]) == ("李明", "流动", {"政治面貌": "群众"})


def test_list_fields_through_set_add_and_remove(repo: Path, cli) -> None:
    run = lambda *a: cli("-C", str(repo), "--lang", "zh", "edit", "P0000001", *a)  # noqa: E731

    def phones() -> list[str]:
        return load(repo, f"households/{GRID}/H000001.yaml")["members"][0]["phones"]

    assert run("--set", "phones=13612345678、13712345678").exit_code == 0
    assert phones() == ["13612345678", "13712345678"]
    assert run("--set", "phones=[13812345678, 13912345678]").exit_code == 0
    assert phones() == ["13812345678", "13912345678"]  # never the string '[138…'
    twice = run("--set", "phones=13612345678", "--set", "phones=13712345678")
    assert twice.exit_code == 2 and "--set phones 给了两次" in twice.output and "--add phones=B" in twice.output
    assert run("--add", "phones=13612345678").exit_code == 0
    assert run("--remove", "phones=13812345678").exit_code == 0
    assert phones() == ["13912345678", "13612345678"]
    before = snapshot(repo)
    bad = run("--add", "phones=[1361234]")
    assert bad.exit_code == 1 and "电话号码无效" in bad.output
    assert run("--remove", "phones=13000000000").exit_code == 2
    assert snapshot(repo) == before


def test_a_register_weighed_against_history_writes_each_file_out_once(
    repo: Path, cli, tmp_path: Path, monkeypatch
) -> None:
    """The rows that change fields are weighed against their records' history, then planned again:
    only the plan that is kept opens and writes its files (3.5 ms to parse a household with ruamel,
    1.5 ms to write it: a tenth of a 10,000-row register changed took 12.5 s, now 9.7 s)."""
    from gridctl.excel import edit

    imported(repo, cli, tmp_path)
    changed = [row.replace("1351234560", "1351234569").replace("1361234560", "1361234569") for row in NOVEMBER]
    sheet = gbk_register(tmp_path, changed, "十二月登记.csv")
    parsed: list[str] = []
    written: list[int] = []
    real_open, real_changes = edit.canonical, edit.FileEdits.changes

    def canonical(rel, text):  # type: ignore[no-untyped-def]  # every file opened is asked first
        parsed.append(text)
        return real_open(rel, text)

    def changes(self):  # type: ignore[no-untyped-def]
        out = real_changes(self)
        written.append(len(out))
        return out

    monkeypatch.setattr(edit, "canonical", canonical)
    monkeypatch.setattr(edit.FileEdits, "changes", changes)
    head = snapshot(repo)[0]
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 0, result.output
    assert snapshot(repo)[0] != head
    files = changed_files(repo)
    assert len(files) == 2 and all(f.startswith(f"households/{GRID}/") for f in files), files
    assert len(parsed) == 2 and written == [2], (len(parsed), written)  # two passes, one opened and written


def test_a_row_taken_out_of_an_export_is_named_never_retired(repo: Path, cli, tmp_path: Path) -> None:
    """The clerk deletes the row of a resident who moved away and imports the register back: the
    import said "未变" and nothing else, and the clerk believed them gone."""
    imported(repo, cli, tmp_path)
    out = tmp_path / "导出.xlsx"
    gridctl_cmd(cli, repo, "export", "household", "--reveal", "-o", str(out))
    gridctl_cmd(cli, repo, "retire", "P0000004", "--reason", "迁出至朝阳区", "--date", "2026-11-20")  # since the export
    wb = load_workbook(out)
    ws = wb.active
    names = [row[0].value for row in ws.iter_rows(min_row=2)]
    column = [c.value for c in ws[1]].index("姓名") + 1
    for name in ("李明", "张桂英"):  # 李明 already retired in the ledger; 张桂英 is still there
        rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == name]
        ws.delete_rows(rows[0])
    wb.save(out)
    assert names  # the export had rows
    result = run_import(cli, repo, "household", str(out))
    assert result.exit_code == 0, result.output
    assert (
        "导出.xlsx: 注意: 导出时的 1 条记录在登记表中没有了，台账中仍在 (导入不会注销): 张桂英 (P0000003)；"
        "已迁出或去世的，用 gridctl retire 编号 --reason 原因 注销"
    ) in result.output.splitlines()
    assert "李明" not in result.output
    as_json = run_import(cli, repo, "household", str(out), "--format", "json")
    assert json.loads(as_json.output)["absent"] == [{"id": "P0000003", "name": "张桂英"}]
    # a register that is not an export lists some households, not all: nobody is named
    again = run_import(cli, repo, "household", str(gbk_register(tmp_path, NOVEMBER[:1], "一户.csv")))
    assert "注意" not in again.output


def test_a_known_person_into_a_new_address_moves_with_their_record_whole(repo: Path, cli, tmp_path: Path) -> None:
    """李明 moves out of 张桂英's flat to one no household holds yet: a new household is made and his
    record goes with him as it was (id, what the register does not carry), not made again."""
    first = [
        f"张桂英,女,{ZHANG},1965-05-05,13612345602,户主,户籍,2,1,202",
        f"李明,男,{LI},1988-08-08,13712345603,子,流动,2,1,202",
    ]
    assert run_import(cli, repo, "household", str(gbk_register(tmp_path, first)), "--grid", GRID).exit_code == 0
    gridctl_cmd(cli, repo, "edit", "P0000003", "--set", "ethnicity=满族")
    rows = [f"李明,男,{LI},19880808,13712345603,户主,流动,9,1,909"]
    sheet = gbk_register(tmp_path, rows, "新址.csv")
    done = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--accept-moves")
    assert done.exit_code == 0, done.output
    assert "新户" in done.output
    assert [m["name"] for m in load(repo, f"households/{GRID}/H000002.yaml")["members"]] == ["张桂英"]
    new = load(repo, f"households/{GRID}/H000003.yaml")
    (li,) = new["members"]
    assert (li["id"], li["name"], li["ethnicity"], li["relation"]) == ("P0000003", "李明", "满族", "户主")
    assert li["phones"] == ["13712345603"]
    assert gridctl_cmd(cli, repo, "validate").exit_code == 0


def test_a_column_without_a_header_that_holds_something_is_named_by_its_letter(repo: Path, cli, tmp_path: Path) -> None:
    """A note typed beside the table (column K, no header) goes nowhere, and the clerk is told which column."""
    sheet = gbk_register(tmp_path, [NOVEMBER[0] + ",已核实", *NOVEMBER[1:]])
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "十一月登记.csv: 警告: 以下列未导入: K 列 (无表头)"
