"""A new community's first week, as the README leads a clerk through it: init, the first grids, the
register imported from GBK CSV and xlsx, 包户, what show, history and print say in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import git

from conftest import AUTHOR_ENV, gridctl, id_number

GBK = {"PYTHONIOENCODING": "gbk", "TZ": "Asia/Shanghai", "GRIDCTL_LANG": "zh"}


def _lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


def test_the_next_step_init_prints_runs_as_printed(tmp_path: Path, cli) -> None:
    """`gridctl init 光明里 --code 320506` said `下一步: … gridctl add grid --set name=… --set level=社区`;
    typed as shown, it failed: a community's grids have no id format, so a code must be given."""
    target = tmp_path / "光明里"
    code, out, err = gridctl("--lang", "zh", "init", str(target), "--name", "光明里社区网格化管理台账",
                             "--code", "320506", env=AUTHOR_ENV)  # fmt: skip
    assert code == 0, err
    step = next(ln for ln in out.splitlines() if ln.startswith("下一步:"))
    command = step.split("&& gridctl ", 1)[1]
    assert "--set id=…" in command, step
    assert "12 位" in out and "320506" in out.split(step, 1)[1], out  # what the code looks like
    args = command.replace("id=…", "id=320506001002").replace("name=…", "name=光明里社区").split()
    done = cli("-C", str(target), "--lang", "zh", *args, env=AUTHOR_ENV)
    assert done.exit_code == 0, done.output
    assert "新增网格 320506001002：光明里社区" in done.output
    school = tmp_path / "一中"  # a school plan allocates WG01 …: its line stays without an id
    code, out, err = gridctl("--lang", "zh", "init", str(school), "--name", "一中安全台账",
                             "--profile", "school-safety", env=AUTHOR_ENV)  # fmt: skip
    assert code == 0, err
    step = next(ln for ln in out.splitlines() if ln.startswith("下一步:"))
    args = step.split("&& gridctl ", 1)[1].replace("name=…", "name=龙城镇第一初级中学").split()
    assert "id=" not in step and cli("-C", str(school), *args, env=AUTHOR_ENV).exit_code == 0


def test_a_wrong_management_category_is_named_in_chinese(repo: Path, cli) -> None:
    """The hint of GC261 says `--set category=类别`; a wrong word was refused as
    “***”不在person_categories词表 (person_categories) 中: the vocabulary had no Chinese name."""
    result = cli("-C", str(repo), "--lang", "zh", "edit", "P0000001", "--set", "category=放心")
    assert result.exit_code == 1, result.output
    line = next(ln for ln in result.output.splitlines() if "GC102" in ln)
    assert "不在人员管理类别词表" in line and "person_categories词表" not in line, line
    assert "放心人员" in result.output  # the words there are
    assert cli("-C", str(repo), "edit", "P0000001", "--set", "管理类别=放心人员").exit_code == 0


def test_a_new_member_of_a_known_household_is_listed_before_it_is_written(repo: Path, tmp_path: Path) -> None:
    """The register back from the grid worker: 张伟's household has a newborn. `--dry-run` counted
    "新增 0 户 1 人" but listed nobody (only new households were listed), so the clerk could not see
    who the import would add; the JSON's `added` was empty too."""
    baby = id_number(born="20250601", seq="122")
    sheet = tmp_path / "第一网格户籍登记表.csv"
    rows = ["幸福里社区第一网格户籍人口登记表,,,,,,,,,",
            "序号,姓名,性别,公民身份号码,出生日期,与户主关系,小区,楼栋,单元,房号",
            f"1,张伟,男,{id_number()},1980/3/15,户主,阳光小区,3,2,501",
            f"2,张小雨,女,{baby},2025/6/1,孙女,阳光小区,3,2,501",
            "合计,2人,,,,,,,,"]  # fmt: skip
    sheet.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    code, out, err = gridctl("import", "household", str(sheet), "--dry-run", cwd=repo, env=GBK, encoding="gbk")
    assert code == 0, err
    assert "新增 0 户 1 人" in out, out
    added = out.split("新增 (", 1)[1].split("试运行", 1)[0] if "新增 (" in out else ""
    assert "张小雨" in added and "H000001" in added, out
    assert baby not in out  # masked as everywhere
    import json

    code, out, err = gridctl("import", "household", str(sheet), "--dry-run", "--format", "json", cwd=repo)
    listed = json.loads(out)["added"]
    assert [(a["row"], a["label"]) for a in listed] == [(4, "张小雨")], listed
    assert listed[0]["record"] == "P0000002" and "H000001" in listed[0]["fields"]["@household"]["register"]


def test_names_lined_up_with_spaces_in_the_register_are_the_name(repo: Path, tmp_path: Path, cli) -> None:
    """Registers line up two-character names with a full-width space (张　三). The name was stored with
    it, so next month's register, which writes 张三, was a rename waiting for --accept-renames."""
    sheet = tmp_path / "流动人口.csv"
    one, two = id_number(born="19700101", seq="333"), id_number(born="19880808", seq="111")
    rows = ["姓名,性别,公民身份号码,与户主关系,现住址",
            f"张　三,男,{one},户主,阳光小区16号楼3单元301",
            f"John Smith,男,{two},户主,阳光小区16号楼3单元302"]  # fmt: skip
    sheet.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    done = cli("-C", str(repo), "import", "household", str(sheet), "--grid", "第一网格")
    assert done.exit_code == 0, done.output
    files = "".join(p.read_text(encoding="utf-8") for p in (repo / "households").rglob("*.yaml"))
    assert "name: 张三" in files and "name: John Smith" in files, files
    sheet.write_bytes(sheet.read_bytes().replace("张　三".encode("gbk"), "张三".encode("gbk")))
    again = cli("-C", str(repo), "import", "household", str(sheet), "--grid", "第一网格")
    assert again.exit_code == 0 and "unchanged 2" in again.output, again.output


def test_show_names_the_kind_and_the_household_in_chinese(repo: Path, cli) -> None:
    """`show P0000001` under zh began `记录类别: person` / `household: H000001`: the README promises
    Chinese field names in show."""
    out = cli("-C", str(repo), "--lang", "zh", "show", "P0000001").output
    head = _lines(out)[:2]
    assert head == ["记录类别: 人员", "所在户: H000001"], head
    assert _lines(cli("-C", str(repo), "--lang", "zh", "show", "第一网格").output)[0] == "记录类别: 网格"
    en = _lines(cli("-C", str(repo), "--lang", "en", "show", "P0000001").output)[:2]
    assert en == ["kind: person", "household: H000001"], en


def test_history_on_a_gbk_console_shows_no_question_marks(repo: Path, cli) -> None:
    """On a Chinese Windows console (GBK) `history H000001` showed `包户人: ? → S0002`: the empty value
    was ∅, which GBK cannot show, so it looked like data."""
    assert cli("-C", str(repo), "edit", "H000001", "--set", "包户人=李强").exit_code == 0
    code, out, err = gridctl("history", "H000001", cwd=repo, env=GBK, encoding="gbk")
    assert code == 0, err
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("包户人:"))
    assert line.strip() == "包户人: (空) → S0002", line
    assert "?" not in out


def test_the_chart_is_committed_under_a_chinese_subject(repo: Path, cli, tmp_path: Path) -> None:
    """Printing the whole chart committed `打印网格管理责任图 all` in a Chinese ledger's history."""
    done = cli("-C", str(repo), "print", "chart", "--layout", "table", "-o", str(tmp_path / "责任图.html"))
    assert done.exit_code == 0, done.output
    subject = git.Repo(repo).head.commit.summary
    assert subject.startswith("打印网格管理责任图") and not re.search(r"\ball\b", subject), subject
    boards = cli("-C", str(repo), "print", "board", "--all", "-o", str(tmp_path / "公示牌.html"))
    assert boards.exit_code == 0, boards.output
    subject = git.Repo(repo).head.commit.summary
    assert subject.startswith("打印网格公示牌 ") and ", " not in subject, subject  # ids joined as 、
