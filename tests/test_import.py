"""`gridctl import`: a clerk's register in, one validated commit or nothing, every bad row named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import git
import yaml
from openpyxl import Workbook, load_workbook

from conftest import gridctl, id_number, write

GRID = "110105001001001"
HEADERS = [
    "姓名",
    "性别",
    "公民身份号码",
    "出生日期",
    "联系电话",
    "与户主关系",
    "所属网格",
    "小区",
    "楼栋",
    "单元",
    "房号",
]
LIU = id_number(born="19900101", seq="121")  # 男
CHEN = id_number(born="19920202", seq="242")  # 女
SUN = id_number(born="20150606", seq="031")  # 男
ZHAO = id_number(region="110108", born="19850505", seq="042")  # 女
ZHAO_X = next(id_number(region="110108", born="19850505", seq=f"{n:03d}") for n in range(2, 999, 2)
              if id_number(region="110108", born="19850505", seq=f"{n:03d}").endswith("X"))  # fmt: skip


def xlsx(path: Path, rows: list[list[object]], merged: tuple[str, ...] = (), title: str = "户籍登记表") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for cells in merged:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def register(tmp_path: Path, name: str = "户籍登记表.xlsx") -> Path:
    """Two households; the 户主 of the first is listed after his wife, a blank row between them."""
    return xlsx(
        tmp_path / name,
        [
            HEADERS,
            ["陈静", "女", CHEN, dt.datetime(1992, 2, 2), "13612345678", "配偶", GRID, "阳光小区", "5", "1", "101"],
            ["刘洋", "男", LIU, "1990-01-01", 13512345678, "户主", GRID, "阳光小区", 5, 1, 101],
            ["刘小宝", "男", SUN, "2015/6/6", None, "子", GRID, "阳光小区", "5", "1", "101"],
            [],
            ["赵敏", "女", ZHAO, "1985年5月5日", "13712345678", "户主", GRID, "阳光小区", "6", "2", "202"],
        ],
    )


def log(root: Path) -> list[git.Commit]:
    return list(git.Repo(root).iter_commits())


def snapshot(root: Path) -> tuple[str, str, dict[str, bytes]]:
    """HEAD, git status and every file: what all-or-nothing must leave exactly as it was."""
    r = git.Repo(root)
    files = {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    return r.head.commit.hexsha, r.git.status("--porcelain"), files


def changed_files(root: Path) -> list[str]:
    return git.Repo(root).git.show("--name-only", "--format=", "HEAD").split()


def load(root: Path, rel: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def run_import(cli, repo: Path, *args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", lang, "--author", "李娜 <lina@example.cn>", "import", *args)


def test_a_register_becomes_households_in_one_commit(repo: Path, cli, tmp_path: Path) -> None:
    sheet = register(tmp_path)
    result = cli(
        "-C", str(repo), "--lang", "zh", "--author", "李娜 <lina@example.cn>", "-m", "2026年入户走访登记",
        "import", "household", str(sheet),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    head = log(repo)[0]
    assert result.output == f"已导入并提交 {head.hexsha[:10]}: 新增 2 户 4 人, 更新 0, 未变 0, 拒绝 0\n"
    assert len(log(repo)) == 2
    subject, reason, trailer = head.message.rstrip("\n").split("\n\n")
    assert subject == "导入户 户籍登记表.xlsx: 新增 2 户 4 人, 更新 0, 未变 0, 拒绝 0"
    assert reason == "2026年入户走访登记"
    assert trailer.startswith("Gridctl-Command: gridctl ") and "import household" in trailer
    assert (head.author.name, head.author.email) == ("李娜", "lina@example.cn")
    assert changed_files(repo) == [f"households/{GRID}/H000002.yaml", f"households/{GRID}/H000003.yaml"]
    text = (repo / f"households/{GRID}/H000002.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/household.schema.json\n")
    liu = load(repo, f"households/{GRID}/H000002.yaml")
    assert liu["address"] == {"estate": "阳光小区", "building": "5", "unit": "1", "room": "101"}
    assert [(m["id"], m["name"], m["relation"]) for m in liu["members"]] == [
        ("P0000002", "刘洋", "户主"),  # the 户主 first, whatever the row order
        ("P0000003", "陈静", "配偶"),
        ("P0000004", "刘小宝", "子"),
    ]
    assert liu["members"][0]["phones"] == ["13512345678"]  # a number cell, kept as text
    assert [m["birth_date"] for m in liu["members"]] == [dt.date(1990, 1, 1), dt.date(1992, 2, 2), dt.date(2015, 6, 6)]
    assert load(repo, f"households/{GRID}/H000003.yaml")["members"][0]["birth_date"] == dt.date(1985, 5, 5)
    assert git.Repo(repo).git.status("--porcelain") == ""
    assert gridctl("-C", str(repo), "validate")[0] == 0


def test_a_real_clerks_workbook(repo: Path, cli, tmp_path: Path) -> None:
    """A title merged across the top, 住址 merged over 小区/楼号/单元/门牌号, blank rows, an extra
    column, a lower-case x, dates as a datetime, an Excel serial, 1990年1月1日 and 19900101."""
    liu_born = (dt.date(1990, 1, 1) - dt.date(1899, 12, 30)).days  # the serial Excel stores
    sheet = xlsx(
        tmp_path / "登记表.xlsx",
        [
            ["幸福里社区户籍人口登记表"],
            [
                "序号",
                "姓名",
                "性别",
                "身份证号",
                "出生日期",
                "手机号",
                "与户主关系",
                "住址",
                None,
                None,
                None,
                "政治面貌",
            ],
            [None, None, None, None, None, None, None, "小区", "楼号", "单元", "门牌号", None],
            [],
            [1, "刘洋", "男", LIU, liu_born, 13512345678, "户主", "阳光小区", 5, 1, 101, "群众"],
            [2, "陈静", "女", CHEN, dt.datetime(1992, 2, 2), "13612345678", "配偶", "阳光小区", 5, 1, 101, "中共党员"],
            [None, None, None, None, None, None, None, None, None, None, None, None],
            [3, "赵敏", "女", ZHAO_X.lower(), "1985年5月5日", None, "户主", "阳光小区", 6, 2, 202, None],
            [4, "孙悦", "男", SUN, 20150606, None, "子", "阳光小区", 6, 2, 202, None],
        ],
        merged=("A1:L1", "H2:K2", *(f"{c}2:{c}3" for c in "ABCDEFGL")),
    )
    result = run_import(cli, repo, "household", str(sheet), "--grid", "第一网格")
    assert result.exit_code == 0, result.output
    assert "新增 2 户 4 人, 更新 0, 未变 0, 拒绝 0" in result.output
    first = load(repo, f"households/{GRID}/H000002.yaml")
    assert first["address"] == {"estate": "阳光小区", "building": "5", "unit": "1", "room": "101"}
    liu, chen = first["members"]
    assert (liu["birth_date"], liu["phones"], liu["extra"]) == (
        dt.date(1990, 1, 1),
        ["13512345678"],
        {"政治面貌": "群众"},
    )
    assert (chen["birth_date"], chen["extra"]) == (dt.date(1992, 2, 2), {"政治面貌": "中共党员"})
    zhao, sun = load(repo, f"households/{GRID}/H000003.yaml")["members"]
    assert zhao["id_number"] == ZHAO_X  # lower-case x became X
    assert (zhao["birth_date"], sun["birth_date"]) == (dt.date(1985, 5, 5), dt.date(2015, 6, 6))
    assert "序号" not in str(zhao)


def test_an_id_number_stored_as_a_number_is_named_by_row_and_column(repo: Path, cli, tmp_path: Path) -> None:
    sheet = xlsx(
        tmp_path / "户籍登记表.xlsx",
        [
            ["身份证号", *HEADERS[:2], *HEADERS[3:]],
            [LIU, "刘洋", "男", "1990-01-01", "13512345678", "户主", GRID, "阳光小区", "5", "1", "101"],
            [int(CHEN), "陈静", "女", "1992-02-02", "13612345678", "配偶", GRID, "阳光小区", "5", "1", "101"],
        ],
    )
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "户籍登记表.xlsx:row 3: 列 身份证号: 单元格存成了数字，18 位号码超过 Excel 的 15 位有效数字，后几位已丢失；"
        "请把该列设为“文本”格式，对照原件重新录入",
        "未写入: 1 行有误 (共 2 行)，台账和 git 均未改动；改正后重新导入，或加 --skip-invalid 只导入无误的行",
    ]
    assert snapshot(repo) == before
    english = run_import(cli, repo, "household", str(sheet), lang="en")
    assert english.output.splitlines()[0] == (
        "户籍登记表.xlsx:row 3: column 身份证号: the cell holds a number: Excel keeps only 15 significant digits, "
        "so the last digits of the 18-digit number are lost; format the column as Text and re-enter it from the ID card"
    )


def test_every_bad_row_is_reported_and_nothing_is_written(repo: Path, cli, tmp_path: Path) -> None:
    wrong_check = LIU[:17] + ("0" if LIU[17] != "0" else "1")
    sheet = xlsx(
        tmp_path / "户籍登记表.xlsx",
        [
            HEADERS,
            ["刘洋", "男", wrong_check, "1990-01-01", "13512345678", "户主", GRID, "阳光小区", "5", "1", "101"],
            ["陈静", "F", CHEN, "1992-02-02", "13612345678", "配偶", GRID, "阳光小区", "5", "1", "101"],
            ["赵敏", "女", ZHAO, "1985-13-05", "12345", "户主", GRID, "阳光小区", "6", "2", "202"],
            ["孙悦", "男", SUN, "2015-06-06", None, "子", GRID, "阳光小区", "6", "2", "202"],
        ],
    )
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"户籍登记表.xlsx:row 2: 列 公民身份号码: 公民身份号码校验位错误: {wrong_check[:6]}************",
        "户籍登记表.xlsx:row 3: 列 性别: “F”不在性别词表 (genders) 中 (可选值: 男、女)",
        "户籍登记表.xlsx:row 4: 列 出生日期: 1985年13月5日不是有效日期",
        "户籍登记表.xlsx:row 4: 列 联系电话: 电话号码无效: *****",  # every error of a row at once
        "未写入: 3 行有误 (共 4 行)，台账和 git 均未改动；改正后重新导入，或加 --skip-invalid 只导入无误的行",
    ]
    assert snapshot(repo) == before
    revealed = run_import(cli, repo, "household", str(sheet), "--reveal")
    assert f"公民身份号码校验位错误: {wrong_check}" in revealed.output


def test_re_importing_the_same_sheet_changes_nothing(repo: Path, cli, tmp_path: Path) -> None:
    sheet = register(tmp_path)
    assert run_import(cli, repo, "household", str(sheet)).exit_code == 0
    after_first = snapshot(repo)
    again = run_import(cli, repo, "household", str(sheet))
    assert again.exit_code == 0
    assert again.output == "没有变化，未提交: 新增 0 户 0 人, 更新 0, 未变 4, 拒绝 0\n"
    assert snapshot(repo) == after_first
    assert len(log(repo)) == 2


def test_changed_rows_edit_the_existing_file_keeping_comments(repo: Path, cli, tmp_path: Path) -> None:
    """张伟 (H000001, matched by his ID number) has a new phone and a new wife; the file's comment stays."""
    rel = f"households/{GRID}/H000001.yaml"
    before = (repo / rel).read_text(encoding="utf-8")
    zhang, wife = id_number(), id_number(born="19820404", seq="222")
    sheet = xlsx(
        tmp_path / "更新.xlsx",
        [
            ["姓名", "身份证号", "联系电话", "与户主关系", "性别"],
            ["张伟", zhang, "13912345679", "户主", "男"],
            ["王丽", wife, None, "配偶", "女"],
        ],
    )
    result = run_import(cli, repo, "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert "新增 0 户 1 人, 更新 1, 未变 0, 拒绝 0" in result.output
    assert changed_files(repo) == [rel]
    after = (repo / rel).read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert new_lines[0] == "# 2026年3月入户核实"
    assert new_lines[: len(old_lines)] == [
        line.replace('phones: ["13912345678"]', 'phones: ["13912345679"]') for line in old_lines
    ]
    assert new_lines[len(old_lines) :] == [
        "  - id: P0000002",
        "    name: 王丽",
        f'    id_number: "{wife}"',  # quoted as the file quotes
        "    gender: 女",
        f"    birth_date: {wife[6:10]}-{wife[10:12]}-{wife[12:14]}",  # a person added: read off the number
        "    relation: 配偶",
    ]


def test_skip_invalid_imports_the_good_rows_and_writes_the_rest_next_to_the_file(
    repo: Path, cli, tmp_path: Path
) -> None:
    sheet = xlsx(
        tmp_path / "户籍登记表.xlsx",
        [
            HEADERS,
            ["刘洋", "男", LIU, "1990-01-01", "13512345678", "户主", GRID, "阳光小区", "5", "1", "101"],
            ["陈静", "女", int(CHEN), "1992-02-02", "13612345678", "配偶", GRID, "阳光小区", "5", "1", "101"],
            ["赵敏", "女", ZHAO, "1985-05-05", "1371234", "户主", GRID, "阳光小区", "6", "2", "202"],
        ],
    )
    result = run_import(cli, repo, "household", str(sheet), "--skip-invalid")
    assert result.exit_code == 1  # rows were rejected, even though the good ones went in
    rejected = tmp_path / "户籍登记表.rejected.xlsx"
    head = log(repo)[0]
    assert result.output.splitlines()[-2:] == [
        f"已导入并提交 {head.hexsha[:10]}: 新增 1 户 1 人, 更新 0, 未变 0, 拒绝 2",
        f"未导入的 2 行及原因已写入 {rejected} (个人信息已脱敏：按行号在原表中更正；用 --reveal 写出完整的行)",
    ]
    assert "户籍登记表.xlsx:row 4: 列 联系电话: 电话号码无效: *******" in result.output  # masked
    assert head.message.startswith("导入户 户籍登记表.xlsx: 新增 1 户 1 人, 更新 0, 未变 0, 拒绝 2\n")
    assert changed_files(repo) == [f"households/{GRID}/H000002.yaml"]
    ws = load_workbook(rejected).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == [*HEADERS, "原因"]
    assert [r[0] for r in rows[1:]] == ["陈静", "赵敏"]
    assert rows[1][
        -1
    ] == "第 3 行 列 公民身份号码: 单元格存成了数字，18 位号码超过 Excel 的 15 位有效数字，后几位已丢失；" + (
        "请把该列设为“文本”格式，对照原件重新录入"
    )
    assert rows[2][-1] == "第 4 行 列 联系电话: 电话号码无效: *******"
    assert rows[2][2:5] == [ZHAO[:6] + "*" * 12, "1985-**-**", "*******"]  # without --reveal nothing can be rebuilt
    assert ZHAO not in str(rows) and "1371234" not in str(rows) and "13612345678" not in str(rows)
    # with --reveal the rows are written whole, to be corrected and imported again
    again = run_import(cli, repo, "household", str(sheet), "--skip-invalid", "--reveal")
    assert again.output.splitlines()[-1] == f"未导入的 2 行及原因已写入 {rejected}"
    ws = load_workbook(rejected).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[2][2] == ZHAO and ws.cell(3, 3).number_format == "@"
    # the clerk corrects the rows and imports the rejected file: the reason column is not data
    ws.cell(2, 3).value = CHEN
    ws.cell(3, 5).value = "13712345678"
    ws.parent.save(rejected)
    fixed = run_import(cli, repo, "household", str(rejected))
    assert fixed.exit_code == 0, fixed.output
    assert "新增 1 户 2 人, 更新 0, 未变 0, 拒绝 0" in fixed.output
    chen = load(repo, f"households/{GRID}/H000002.yaml")["members"][1]
    assert (chen["name"], chen.get("extra")) == ("陈静", None)


def test_a_dry_run_says_what_would_happen_and_writes_nothing(repo: Path, cli, tmp_path: Path) -> None:
    sheet = register(tmp_path)
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "新增 (2):",
        "  第2行 H000002 阳光小区5号楼1单元101: 刘洋、陈静、刘小宝",
        "  第6行 H000003 阳光小区6号楼2单元202: 赵敏",
        "试运行，未写入: 新增 2 户 4 人, 更新 0, 未变 0, 拒绝 0",
    ]
    assert snapshot(repo) == before


def test_csv_in_gbk_and_in_utf8_with_bom(repo: Path, tmp_path: Path) -> None:
    lines = [
        ",".join(HEADERS),
        f"刘洋,男,{LIU},1990/1/1,13512345678,户主,{GRID},阳光小区,5,1,101",
        f"陈静,女,{CHEN},19920202,13612345678,配偶,{GRID},阳光小区,5,1,101",
    ]
    gbk = tmp_path / "户籍.csv"
    gbk.write_bytes("\r\n".join(lines).encode("gbk"))
    code, out, err = gridctl("-C", str(repo), "--lang", "zh", "import", "household", str(gbk))
    assert (code, err) == (0, ""), out
    assert out.startswith("已导入并提交 ") and out.endswith(": 新增 1 户 2 人, 更新 0, 未变 0, 拒绝 0\n")
    bom = tmp_path / "户籍-utf8.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    code, out, _err = gridctl("-C", str(repo), "--lang", "zh", "import", "household", str(bom))
    assert (code, out) == (0, "没有变化，未提交: 新增 0 户 0 人, 更新 0, 未变 2, 拒绝 0\n")
    # GB18030 beyond GBK: a rare character in a name
    rare = tmp_path / "gb18030.csv"
    renamed = lines[1].replace("刘洋", "刘䶮").replace("1990/1/1", "1990-01-01 00:00:00")  # as pandas writes dates
    rare.write_bytes("\r\n".join([lines[0], renamed]).encode("gb18030"))
    code, out, _err = gridctl("-C", str(repo), "--lang", "zh", "import", "household", str(rare))
    assert code == 1 and "在台账中是 刘洋 (P0000002)，表中为 刘䶮" in out  # the same ID number, another name
    code, out, _err = gridctl("-C", str(repo), "--lang", "zh", "import", "household", str(rare), "--accept-renames")
    assert code == 0, out
    assert "  第2行 刘洋 P0000002: 姓名 刘洋 → 刘䶮  [已确认]" in out.splitlines()
    assert load(repo, f"households/{GRID}/H000002.yaml")["members"][0]["name"] == "刘䶮"


def test_a_mapping_file_names_the_columns(repo: Path, cli, tmp_path: Path) -> None:
    sheet = xlsx(
        tmp_path / "自制表.xlsx",
        [
            ["户主姓名", "证件号", "关系", "楼", "房间", "填表说明"],
            ["刘洋", LIU, "户主", "5", "101", "本人签字"],
        ],
    )
    mapping = write(
        tmp_path,
        "map.yaml",
        "# 本社区自制表的表头\n姓名: 户主姓名\nid_number: 证件号\nrelation: [关系]\n"
        "address.building: 楼\naddress.room: 房间\nignore: [填表说明]\n",
    )
    result = run_import(cli, repo, "household", str(sheet), "--mapping", str(mapping), "--grid", GRID)
    assert result.exit_code == 0, result.output
    member = load(repo, f"households/{GRID}/H000002.yaml")["members"][0]
    assert (member["name"], member["id_number"], member["relation"], member.get("extra")) == ("刘洋", LIU, "户主", None)
    bad = write(tmp_path, "bad.yaml", "身高: 身高\n")
    result = run_import(cli, repo, "household", str(sheet), "--mapping", str(bad), "--grid", GRID)
    assert result.exit_code == 2
    assert "映射文件中的字段“身高”不存在" in result.output


def test_usage_errors_are_messages_with_exit_2(repo: Path, tmp_path: Path) -> None:
    code, out, err = gridctl("-C", str(repo), "import", "household", str(tmp_path / "无.xlsx"))
    assert (code, out) == (2, "")
    assert err.startswith(f"gridctl: no such file: {tmp_path / '无.xlsx'}\n") and "Traceback" not in err
    sheet = register(tmp_path)
    code, _out, err = gridctl("-C", str(repo), "import", "household", str(sheet), "--sheet", "Sheet9")
    assert code == 2
    assert err == (
        "gridctl: 户籍登记表.xlsx: no sheet named 'Sheet9'\n  hint: sheets in this workbook: 户籍登记表\n"
    )
    code, _out, err = gridctl("-C", str(repo), "--lang", "zh", "import", "household", str(sheet), "--sheet", "Sheet9")
    assert err == "gridctl: 户籍登记表.xlsx: 没有名为“Sheet9”的工作表\n  提示: 该工作簿中的工作表: 户籍登记表\n"
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    code, _out, err = gridctl("-C", str(repo), "--lang", "zh", "import", "household", str(broken))
    assert code == 2 and "无法读取该 Excel 文件" in err and "Traceback" not in err
    no_grid = xlsx(tmp_path / "无网格.xlsx", [["姓名", "与户主关系", "房号"], ["刘洋", "户主", "101"]])
    code, out, _err = gridctl("-C", str(repo), "--lang", "zh", "import", "household", str(no_grid))
    assert code == 1
    assert out.splitlines()[0] == "无网格.xlsx:row 2: 缺少所属网格：新增记录需要填写“所属网格”列，或用 --grid 指定网格"


def test_what_only_the_whole_ledger_sees_is_traced_back_to_the_row(repo: Path, cli, tmp_path: Path) -> None:
    """A household put in the community itself (not a leaf grid): the write's ledger-wide check refuses it."""
    sheet = xlsx(
        tmp_path / "户籍登记表.xlsx",
        [
            HEADERS,
            ["刘洋", "男", LIU, "1990-01-01", "13512345678", "户主", "110105001001", "阳光小区", "5", "1", "101"],
        ],
    )
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "户籍登记表.xlsx:row 2: 列 所属网格: 户应归属到最末级网格，幸福里社区 (110105001001) 下还有子网格"
    )
    assert snapshot(repo) == before


def test_rows_group_by_address_and_by_their_household_head(repo: Path, cli, tmp_path: Path) -> None:
    """Two families at one address (each with its 户主); rows without an address follow their 户主."""
    sheet = xlsx(
        tmp_path / "登记.xlsx",
        [
            ["姓名", "与户主关系", "房号", "身份证号"],
            ["刘洋", "户主", "101", LIU],
            ["陈静", "配偶", "101", CHEN],
            ["赵敏", "户主", "101", ZHAO],
            ["周一", "户主", None, None],
            ["周二", "子", None, None],
        ],
    )
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 0, result.output
    homes = [load(repo, f"households/{GRID}/H00000{n}.yaml") for n in (2, 3, 4)]
    assert [[m["name"] for m in h["members"]] for h in homes] == [["刘洋", "陈静"], ["赵敏"], ["周一", "周二"]]
    again = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert again.output == "没有变化，未提交: 新增 0 户 0 人, 更新 0, 未变 5, 拒绝 0\n"


def test_skip_invalid_rejects_the_rows_that_follow_a_rejected_household_head(repo: Path, cli, tmp_path: Path) -> None:
    """Without an address a member belongs to the 户主 row above; if that row is rejected, so is the member."""
    bad = LIU[:17] + ("0" if LIU[17] != "0" else "1")
    sheet = xlsx(
        tmp_path / "登记.xlsx",
        [["姓名", "与户主关系", "身份证号"], ["周一", "户主", bad], ["周二", "子", None], ["吴三", "户主", ZHAO]],
    )
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID, "--skip-invalid")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:2] == [
        f"登记.xlsx:row 2: 列 身份证号: 公民身份号码校验位错误: {bad[:6]}************",
        "登记.xlsx:row 3: 所在户的户主行 (第 2 行) 被拒绝，此行一并拒绝",
    ]
    assert lines[2].endswith(": 新增 1 户 1 人, 更新 0, 未变 0, 拒绝 2；1 人的出生日期/性别按身份证号补填")
    assert [m["name"] for m in load(repo, f"households/{GRID}/H000002.yaml")["members"]] == ["吴三"]


def test_an_id_number_excel_saved_into_a_csv_as_1_1e17_is_refused(repo: Path, cli, tmp_path: Path) -> None:
    sheet = tmp_path / "另存.csv"
    sheet.write_bytes("姓名,身份证号,与户主关系\r\n刘洋,1.10105E+17,户主\r\n".encode("gbk"))
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID, lang="en")
    assert result.exit_code == 1
    assert result.output.startswith("另存.csv:row 2: column 身份证号: the cell holds a number: Excel keeps only 15")


def test_staff_places_and_orgs(repo: Path, cli, tmp_path: Path) -> None:
    staff = xlsx(
        tmp_path / "工作人员.xlsx",
        [
            ["姓名", "性别", "手机号", "职务", "用工形式", "是否党员"],
            ["王芳", "女", 13800138000, "网格长", "专职", "是"],  # matched by phone: gains a position
            ["赵六", "男", "13800138002", "网格员", "专职", "否"],
        ],
    )
    result = run_import(cli, repo, "staff", str(staff))
    assert result.exit_code == 0, result.output
    assert "新增 1, 更新 1, 未变 0, 拒绝 0" in result.output
    assert sorted(changed_files(repo)) == ["staff/S0001.yaml", "staff/S0003.yaml"]
    assert load(repo, "staff/S0001.yaml")["position"] == "网格长"
    assert load(repo, "staff/S0003.yaml")["party_member"] is False
    places = xlsx(
        tmp_path / "出租房屋.xlsx",
        [
            ["场所名称", "类型", "地址", "房东", "房东电话", "管理类别", "责任人"],
            ["阳光小区5-1-101", "出租房屋", "阳光小区5号楼1单元101", "刘洋", "13512345678", "放心户", "李强"],
        ],
    )
    result = run_import(cli, repo, "place", str(places), "--grid", "第一网格")
    assert result.exit_code == 0, result.output
    place = load(repo, f"places/{GRID}/PL00001.yaml")
    assert (place["rental"]["category"], place["responsible"]) == ("放心户", "S0002")
    orgs = xlsx(
        tmp_path / "组织.xlsx",
        [
            ["单位名称", "组织类型", "所属网格", "统一社会信用代码", "联系人", "联系电话"],
            ["阳光物业", "物业公司", GRID, "123", "孙七", "13712345678"],
        ],
    )
    result = run_import(cli, repo, "org", str(orgs))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "组织.xlsx:row 2: 列 统一社会信用代码: 统一社会信用代码无效: 123 (长度应为 18 位)"
    )


def test_a_killed_import_leaves_head_before_or_after_and_the_next_write_finishes(repo: Path, tmp_path: Path) -> None:
    """kill -9 at several moments of a 300-row import: HEAD is before or after, the ledger validates."""
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    rows: list[list[object]] = [["姓名", "身份证号", "与户主关系", "房号"]]
    for n in range(150):
        born = f"19{60 + n % 40:02d}0{1 + n % 9}1{n % 10}"
        rows += [[f"住户{n}", id_number(born=born, seq=f"{n % 1000:03d}"), "户主", str(1000 + n)]]
        rows += [[f"家属{n}", id_number(born=born, seq=f"{(n + 500) % 1000:03d}"), "配偶", str(1000 + n)]]
    sheet = xlsx(tmp_path / "大表.xlsx", rows)
    command = [sys.executable, "-m", "gridctl", "-C", "{root}", "import", "household", str(sheet), "--grid", GRID]
    before = git.Repo(repo).head.commit.hexsha

    def start(root: Path) -> subprocess.Popen[bytes]:
        args = [a.replace("{root}", str(root)) for a in command]
        return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    whole = tmp_path / "whole"
    shutil.copytree(repo, whole)
    began = time.monotonic()
    assert start(whole).wait(timeout=120) == 0
    took = time.monotonic() - began
    for share in (0.5, 0.8, 0.9, 0.97):
        root = tmp_path / f"killed-{share}"
        shutil.copytree(repo, root)
        proc = start(root)
        time.sleep(took * share)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        head = git.Repo(root).head.commit
        assert head.hexsha == before or (head.parents[0].hexsha == before and "import household" in head.message)
        assert gridctl("-C", str(root), "validate")[0] == 0
        (root / ".git" / "gridctl.lock").unlink(missing_ok=True)  # a stale lock: the clerk clears it, as told
        code, out, _err = gridctl("-C", str(root), "import", "household", str(sheet), "--grid", GRID)
        assert code == 0, out
        assert len(list(git.Repo(root).iter_commits())) == 2
        assert git.Repo(root).git.status("--porcelain") == ""
        assert len(list((root / "households" / GRID).glob("*.yaml"))) == 151
