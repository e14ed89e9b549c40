"""A clerk's month on a Windows PC, end to end: each test failed before its fix.

A register's 合计 row was imported as a person named "4人" in the last household; `--set grid=第一网格`
and `--set parent=幸福里社区` were refused while every option that asks for a grid takes its name; the
command list of `gridctl --help` showed `due` in English under zh, and `due` and `setup` cut off
mid-sentence.
"""

from __future__ import annotations

import json
from pathlib import Path

import git

from gridctl.cli.commands import COMMANDS, HIDDEN
from gridctl.cli.localize import zh_help

from conftest import id_number

GBK = {"PYTHONIOENCODING": "gbk", "TZ": "Asia/Shanghai", "GRIDCTL_TODAY": "2026-11-30T23:50"}


def _register(path: Path, footer: list[str]) -> None:
    a, b = id_number(born="19810315", seq="135"), id_number(born="19700101", seq="133")
    rows = [
        "幸福里社区户籍人口登记表,,,,,,,,,",
        "填表单位：幸福里社区居委会,,,,填表日期：2026年11月30日,,,,,",
        "序号,姓名,性别,公民身份号码,出生日期,联系电话,与户主关系,人员类型,所属网格,小区,楼栋,单元,房号",
        f"1,赵六,男,{a},1981/3/15,13912345678,本人,户籍人口,第一网格,阳光小区,7,2,501",
        f"2,王五,男,{b},1970.01.01,13612345678,户主,流动人口,第一网格,阳光小区,8,1,101",
        *footer,
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))


def test_a_totals_row_and_a_signature_line_are_not_people(repo: Path, cli, tmp_path: Path) -> None:
    sheet = tmp_path / "户籍 登记表.csv"
    _register(sheet, ["合计,2人,,,,,,,,,,,", ",填表人：王芳,,,审核人：李强,,,,,,,,"])
    head = git.Repo(repo).head.commit.hexsha
    dry = cli("-C", str(repo), "--lang", "zh", "import", "household", str(sheet), "--format", "json", "--dry-run")
    doc = json.loads(dry.stdout)
    assert doc["summary"]["added_people"] == 2 and doc["footer_rows"] == [6, 7], dry.stdout
    done = cli("-C", str(repo), "--lang", "zh", "import", "household", str(sheet), env=GBK)
    assert done.exit_code == 0, done.output
    assert "第 6、7 行是合计或签名行，未导入" in done.output
    commit = git.Repo(repo).head.commit
    assert commit.parents[0].hexsha == head
    files = [b.path for b in commit.tree.traverse() if b.path.startswith("households/") and b.type == "blob"]
    text = "".join((repo / f).read_text(encoding="utf-8") for f in files)
    assert "2人" not in text and "王芳" not in text and text.count("name: ") == 3  # 张伟, 赵六, 王五


def _add(cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", "zh", *args)


def test_set_a_reference_by_its_name(repo: Path, cli) -> None:
    grid = _add(cli, repo, "add", "grid", "--set", "id=110105001001002", "--set", "name=第二网格",
                "--set", "level=网格", "--set", "type=基础网格", "--set", "parent=幸福里社区")  # fmt: skip
    assert grid.exit_code == 0, grid.output
    assert "parent: '110105001001'" in (repo / "grids/110105001001002.yaml").read_text(encoding="utf-8")
    house = _add(cli, repo, "add", "household", "--set", "grid=第一网格", "--set", "housing=自有")
    assert house.exit_code == 0, house.output
    assert (repo / "households/110105001001001/H000002.yaml").is_file()
    moved = _add(cli, repo, "edit", "110105001001002", "--set", "parent=第一网格")  # a name, then checked
    assert moved.exit_code == 1 and "GC" in moved.output
    head = git.Repo(repo).head.commit.hexsha
    unknown = _add(cli, repo, "add", "household", "--set", "grid=第九网格", "--set", "housing=自有")
    assert unknown.exit_code == 2 and "台账中没有网格“第九网格”" in unknown.output
    assert git.Repo(repo).head.commit.hexsha == head and not git.Repo(repo).is_dirty(untracked_files=True)


def test_the_command_list_is_whole_sentences_in_both_languages() -> None:
    for name, (_module, short) in COMMANDS.items():
        if name in HIDDEN:
            continue
        assert short.endswith((".", ")")), f"{name}: {short!r} stops mid-sentence"
        assert zh_help(short), f"{name}: no Chinese for {short!r}"
