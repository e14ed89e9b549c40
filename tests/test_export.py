"""`gridctl export`: the register a clerk opens in Excel, masked unless --reveal, read back unchanged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import git
from openpyxl import load_workbook

from conftest import count_built, gridctl, id_number, write

GRID = "110105001001001"
ZHANG = id_number()  # the fixture's 张伟
WIFE = id_number(born="19820404", seq="222")

HOUSEHOLD_HEADERS = [
    "户编号", "人员编号", "所属网格", "网格名称", "小区", "楼栋", "单元", "房号", "现住址", "住房性质", "家庭类别",
    "姓名", "与户主关系", "性别", "证件类型", "公民身份号码", "出生日期", "民族", "联系电话", "人员类型",
    "重点人群类别", "管理类别", "户籍地址", "备注",
]  # fmt: skip

TRICKY = f"""\
kind: household
id: H000002
grid: "{GRID}"
address: {{estate: 阳光小区, building: "5", unit: "1", room: "0101", text: "=HYPERLINK(\\"http://x\\")"}}
tags: [低保家庭]
members:
  - id: P0000002
    name: 王丽
    id_number: "{WIFE}"
    gender: 女
    relation: 户主
    phones: ["+8613612345678", "010-12345678"]
    tags: [空巢老人]
    extra: {{备注: "@SUM(A1)", 户籍地址: "-北京市朝阳区", 政治面貌: 群众}}
"""


def with_tricky_household(repo: Path) -> Path:
    write(repo, f"households/{GRID}/H000002.yaml", TRICKY)
    r = git.Repo(repo)
    r.git.add(A=True)
    r.index.commit("王丽户")
    return repo


def fresh_copy(repo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    git.Repo.clone_from(repo, copy)
    return copy


def export(cli, repo: Path, out: Path, *args: str):  # type: ignore[no-untyped-def]
    result = cli("-C", str(repo), "--lang", "zh", "export", "household", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return result


def import_(cli, repo: Path, sheet: Path):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", "zh", "--author", "王芳 <wf@example.cn>", "import", "household", str(sheet))


def test_xlsx_round_trip_changes_nothing(repo: Path, cli, tmp_path: Path) -> None:
    with_tricky_household(repo)
    write(repo, f"households/{GRID}/H000003.yaml", f'kind: household\nid: H000003\ngrid: "{GRID}"\nmembers: []\n')
    git.Repo(repo).git.add(A=True)
    git.Repo(repo).index.commit("空户")
    out = tmp_path / "户籍.xlsx"
    result = export(cli, repo, out, "--reveal")
    assert result.output == f"已导出 3 条户记录到 {out}\n"
    ws = load_workbook(out).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == [*HOUSEHOLD_HEADERS[:-1], "政治面貌", "备注"]  # the ledger's own fields, then 备注
    assert rows[1][:4] == ["H000001", "P0000001", GRID, "第一网格"]
    number = ws.cell(2, HOUSEHOLD_HEADERS.index("公民身份号码") + 1)
    assert (number.value, number.data_type, number.number_format) == (ZHANG, "s", "@")  # text, all 18 digits
    room = ws.cell(3, HOUSEHOLD_HEADERS.index("房号") + 1)
    assert (room.value, room.number_format) == ("0101", "@")
    copy = fresh_copy(repo, tmp_path)
    commits = len(list(git.Repo(copy).iter_commits()))
    again = import_(cli, copy, out)
    assert (again.exit_code, again.output) == (0, "没有变化，未提交: 新增 0 户 0 人, 更新 0, 未变 3, 拒绝 0\n")
    assert len(list(git.Repo(copy).iter_commits())) == commits


def test_csv_round_trip_through_a_subprocess(repo: Path, tmp_path: Path) -> None:
    with_tricky_household(repo)
    out = tmp_path / "户籍.csv"
    code, _out, err = gridctl("-C", str(repo), "export", "household", "--format", "csv", "-o", str(out), "--reveal")
    assert (code, err) == (0, "")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    copy = fresh_copy(repo, tmp_path)
    code, text, _err = gridctl(
        "-C", str(copy), "--lang", "zh", "--author", "王芳 <wf@example.cn>", "import", "household", str(out)
    )
    assert (code, text) == (0, "没有变化，未提交: 新增 0 户 0 人, 更新 0, 未变 2, 拒绝 0\n")


def test_csv_neutralises_formulas_and_keeps_numbers_as_text(repo: Path, cli, tmp_path: Path) -> None:
    with_tricky_household(repo)
    out = tmp_path / "户籍.csv"
    export(cli, repo, out, "--reveal")
    stamp, *rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert stamp == [f"# gridctl export {git.Repo(repo).head.commit.hexsha} {git_time(repo)}"]
    wang = dict(zip(rows[0], rows[2], strict=True))
    assert wang["现住址"] == '\'=HYPERLINK("http://x")'
    assert wang["备注"] == "'@SUM(A1)"
    assert wang["户籍地址"] == "'-北京市朝阳区"
    assert wang["联系电话"] == "'+8613612345678、010-12345678"
    assert wang["公民身份号码"] == "\t" + WIFE  # a leading tab: Excel keeps the 18 digits as text
    assert wang["房号"] == "\t0101"
    assert wang["政治面貌"] == "群众"


def test_xlsx_formula_cells_are_text(repo: Path, cli, tmp_path: Path) -> None:
    with_tricky_household(repo)
    out = tmp_path / "户籍.xlsx"
    export(cli, repo, out, "--reveal")
    ws = load_workbook(out).active
    cell = ws.cell(3, HOUSEHOLD_HEADERS.index("现住址") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://x")', "s", True)


def test_export_masks_personal_data_unless_revealed(repo: Path, cli, tmp_path: Path) -> None:
    with_tricky_household(repo)
    masked, revealed = tmp_path / "masked.xlsx", tmp_path / "full.xlsx"
    result = export(cli, repo, masked)
    assert result.output == f"已导出 2 条户记录到 {masked} (个人信息已脱敏；用 --reveal 导出完整信息)\n"
    export(cli, repo, revealed, "--reveal")

    def cells(path: Path) -> str:
        return "\n".join(str(v) for row in load_workbook(path).active.iter_rows(values_only=True) for v in row)

    hidden, shown = cells(masked), cells(revealed)
    for secret in (ZHANG, WIFE, "13912345678", "空巢老人", "低保家庭"):
        assert secret not in hidden
        assert secret in shown
    assert ZHANG[:6] + "*" * 12 in hidden and "139****5678" in hidden
    # a masked export read back changes nothing: a masked cell means "as before"
    assert import_(cli, repo, masked).output == "没有变化，未提交: 新增 0 户 0 人, 更新 0, 未变 2, 拒绝 0\n"


def test_json_export_is_one_masked_document(repo: Path, cli, tmp_path: Path) -> None:
    with_tricky_household(repo)
    out = tmp_path / "户籍.json"
    export(cli, repo, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["kind"] == "household" and [h["id"] for h in doc["records"]] == ["H000001", "H000002"]
    wang = doc["records"][1]["members"][0]
    assert wang["id_number"] == WIFE[:6] + "*" * 12
    assert wang["phones"] == ["+86*******5678", "010*****5678"]
    assert wang["tags"] == ["***"] and doc["records"][1]["tags"] == ["***"]
    assert ZHANG not in out.read_text(encoding="utf-8")


def test_staff_export_reads_back_unchanged(repo: Path, cli, tmp_path: Path) -> None:
    out = tmp_path / "工作人员.csv"
    result = cli("-C", str(repo), "--lang", "zh", "export", "staff", "-o", str(out))
    assert result.exit_code == 0, result.output
    _stamp, *rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:4] == ["编号", "姓名", "性别", "联系电话"]
    assert rows[1][:4] == ["S0001", "王芳", "女", "\t13800138000"]  # a staff phone is public: not masked
    again = cli("-C", str(repo), "--lang", "zh", "--author", "王芳 <wf@example.cn>", "import", "staff", str(out))
    assert (again.exit_code, again.output) == (0, "没有变化，未提交: 新增 0, 更新 0, 未变 2, 拒绝 0\n")


def test_export_usage_errors(repo: Path, cli, tmp_path: Path) -> None:
    assert cli("-C", str(repo), "export", "event", "-o", str(tmp_path / "x.xlsx")).exit_code == 2
    result = cli("-C", str(repo), "--lang", "zh", "export", "household", "-o", "-", "--format", "xlsx")
    assert result.exit_code == 2 and "xlsx 不能输出到终端" in result.output
    result = cli("-C", str(repo), "--lang", "en", "export", "household", "-o", "-", "--format", "xlsx")
    assert result.exit_code == 2 and "xlsx cannot go to stdout" in result.output


def git_time(repo: Path) -> str:
    return git.Repo(repo).git.log("-1", "--format=%cI")


def test_an_export_reads_the_kept_rows_and_says_the_same(repo: Path, cli, tmp_path: Path, monkeypatch) -> None:
    """The register is made from the rows the cache keeps, not from typed records (100,000
    households took 1.9 GB and 106 s); a retired member, a retired household, an empty text
    cell and the member order are as before, and the empty ID-number cell is a text cell."""
    from gridctl.ledger import cache as cache_module

    with_tricky_household(repo)
    text = (repo / f"households/{GRID}/H000002.yaml").read_text(encoding="utf-8")
    extra = "  - id: P0000009\n    name: 王老\n    gender: 男\n    relation: 父亲\n"
    extra += "    retired: {date: 2026-01-02, reason: 死亡}\n"
    (repo / f"households/{GRID}/H000002.yaml").write_text(text + extra, encoding="utf-8")
    write(repo, f"households/{GRID}/H000003.yaml", f'kind: household\nid: H000003\ngrid: "{GRID}"\nmembers: []\n'
          "retired: {date: 2026-01-02, reason: 迁出}\n")  # fmt: skip
    write(repo, f"households/{GRID}/H000004.yaml", f'kind: household\nid: H000004\ngrid: "{GRID}"\nmembers: []\n')
    git.Repo(repo).git.add(A=True)
    git.Repo(repo).index.commit("注销")
    monkeypatch.delenv("GRIDCTL_NO_CACHE", raising=False)
    cache_module._OPEN.clear()
    assert cli("-C", str(repo), "status").exit_code == 0  # the rows kept
    built = count_built(monkeypatch)
    out = tmp_path / "户籍.xlsx"
    result = export(cli, repo, out, "--reveal")
    assert result.exit_code == 0, result.output
    assert [b for b in built if b.startswith(("H", "P"))] == [], built
    ws = load_workbook(out).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert [r[:2] for r in rows[1:]] == [["H000001", "P0000001"], ["H000002", "P0000002"], ["H000004", None]]
    number = ws.cell(4, HOUSEHOLD_HEADERS.index("公民身份号码") + 1)
    assert (number.value, number.number_format) == (None, "@")  # typed in by the clerk, it stays 18 digits
    born = ws.cell(2, HOUSEHOLD_HEADERS.index("出生日期") + 1)
    assert born.number_format == "yyyy-mm-dd" and born.value.year > 1900


def test_as_of_exports_the_register_as_it_was_stamped_with_that_commit(repo: Path, cli, tmp_path: Path) -> None:
    """`gridctl --as-of DATE export` wrote today's register, stamped with HEAD: --as-of was not
    read, so the clerk who asked for May's register got November's without a word."""
    before = git.Repo(repo).head.commit.hexsha
    edited = cli("-C", str(repo), "--author", "王芳 <wf@example.cn>", "edit", "P0000001", "--set", "phones=13800138000")
    assert edited.exit_code == 0, edited.output
    out = tmp_path / "五月.csv"
    result = cli("-C", str(repo), "--as-of", before[:10], "export", "household", "--reveal", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("utf-8-sig")
    assert text.startswith(f"# gridctl export {before} ") and "13912345678" in text and "13800138000" not in text
    now = tmp_path / "十一月.csv"
    assert cli("-C", str(repo), "export", "household", "--reveal", "-o", str(now)).exit_code == 0
    assert "13800138000" in now.read_text(encoding="utf-8-sig")
    wrong = cli("-C", str(repo), "--lang", "en", "--as-of", "nosuch", "export", "household", "-o", str(now))
    assert wrong.exit_code == 2 and "no such revision: nosuch" in wrong.output


def test_a_text_longer_than_an_excel_cell_stops_the_xlsx_and_leaves_nothing(repo: Path, tmp_path: Path) -> None:
    """Excel holds 32,767 characters in a cell: a longer note was cut without a word, and importing
    the register back would have cut the record. An xlsx export stopped half-way also left the
    rows written so far (residents' data) in the system's temporary folder."""
    with_tricky_household(repo)
    rel = f"households/{GRID}/H000002.yaml"
    text = (repo / rel).read_text(encoding="utf-8").replace('备注: "@SUM(A1)"', "备注: " + "长" * 40_000)
    (repo / rel).write_text(text, encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "很长的备注")
    scratch = tmp_path / "temp"
    scratch.mkdir()
    out = tmp_path / "户籍.xlsx"
    code, _out, err = gridctl("-C", str(repo), "--lang", "zh", "export", "household", "-o", str(out),
                              env={"TMPDIR": str(scratch)})  # fmt: skip
    assert code == 2 and "H000002 的“备注”有 40000 字" in err and "--format csv" in err, err
    assert not out.exists() and list(scratch.iterdir()) == []
    code, _out, err = gridctl("-C", str(repo), "export", "household", "-o", str(tmp_path / "户籍.csv"))
    assert code == 0 and "长" * 40_000 in (tmp_path / "户籍.csv").read_text(encoding="utf-8-sig"), err
