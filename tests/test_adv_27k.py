"""Attacks on the register, privacy and supervision changes of test_adv_27c/27d/27f: each test here
failed before its fix."""

from __future__ import annotations

from pathlib import Path

import git
from test_adv_27c import GRID, HEADERS, gbk_csv, head, members, run

from conftest import id_number

NEW = id_number(born="19850505", seq="131")  # 男, 1985-05-05


def test_stars_for_a_care_group_or_category_no_one_has_are_refused(repo: Path, cli, tmp_path: Path) -> None:
    """*** in 重点人群类别 / 管理类别 / 家庭类别 means "as before" for a person who has one; typed into a
    new person's row (copied from a masked export) it stood for nothing and was dropped without a word: the
    person went in with no care group and the summary said all was imported. It is refused, as a masked
    ID number there is, with row and column."""
    sheet = gbk_csv(tmp_path / "登记.csv", [
        [*HEADERS, "家庭类别"],
        ["赵六", "男", NEW, "", "户主", GRID, "阳光小区", "9", "1", "101", "户籍", "***", "***", "***"],
    ])  # fmt: skip
    before = head(repo)
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 1, result.output
    for column in ("管理类别", "重点人群类别", "家庭类别"):
        assert f"row 2: 列 {column}: " in result.output, result.output
    assert head(repo) == before and not (repo / f"households/{GRID}/H000002.yaml").exists()
    out = tmp_path / "导出.csv"  # 张伟 has neither a care group nor a category: *** stands for nothing there too
    assert run(cli, repo, "export", "household", "-o", str(out), "--reveal").exit_code == 0
    text = out.read_bytes().decode("utf-8-sig").replace(",户籍,,,,", ",户籍,***,***,,")
    out.write_bytes(text.encode("utf-8-sig"))
    result = run(cli, repo, "import", "household", str(out))
    assert result.exit_code == 1, result.output
    assert "列 管理类别" in result.output and "列 重点人群类别" in result.output, result.output
    assert head(repo) == before


def test_stars_keep_a_known_persons_care_group_by_id_number_alone(repo: Path, cli, tmp_path: Path) -> None:
    """A row found by its ID number (no 人员编号 column) whose person has a care group: *** is as before."""
    rel = repo / f"households/{GRID}/H000001.yaml"
    rel.write_text(rel.read_text(encoding="utf-8") + "    tags: [独居老人]\n    category: 重点人员\n", encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "类别")
    sheet = gbk_csv(tmp_path / "登记.csv", [
        HEADERS,
        ["张伟", "男", id_number(), "1980-03-15", "户主", GRID, "阳光小区", "3", "2", "501", "户籍", "***", "***"],
    ])  # fmt: skip
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0 and "没有变化" in result.output, result.output
    zhang = members(repo, "H000001")[0]
    assert (zhang["tags"], zhang["category"]) == (["独居老人"], "重点人员")


def test_an_import_of_a_register_named_after_a_resident_does_not_print_the_id_number(
    repo: Path, cli, tmp_path: Path
) -> None:
    """A register saved as 赵六110105198505051313.csv (a file per person): its commit and a missing file's
    error masked the ID number of the name, yet every rejected row began with it whole (FILE:row 2: ...), and
    the JSON's file and the note on the rejected rows' file gave it too. Masked there as well, unless --reveal."""
    sheet = gbk_csv(tmp_path / f"赵六{NEW}.csv", [
        HEADERS,
        ["赵六", "男", NEW + "1", "", "户主", GRID, "阳光小区", "9", "1", "101", "户籍", "", ""],
    ])  # fmt: skip
    shown = f"赵六{NEW[:6]}{'*' * 12}.csv"
    for args in ((), ("-f", "json"), ("--skip-invalid",)):
        result = run(cli, repo, "import", "household", str(sheet), *args)
        assert result.exit_code == 1, result.output
        assert NEW not in result.output and shown in result.output, result.output
    result = run(cli, repo, "import", "household", str(sheet), "--reveal")
    assert f"赵六{NEW}.csv:row 2: 列 公民身份号码" in result.output, result.output


def test_status_counts_an_hours_deadline_overdue_from_the_minute_due_does(repo: Path, cli) -> None:
    """status compared deadlines as text ("2026-03-10T13:00:00" < "2026-03-10" is false): a hazard due at
    13:00 was overdue in `due` at 15:00 and not in `status` until the next day. The status is kept per
    day, so the same day read again after 13:00 must count it too."""
    import json

    from conftest import AUTHOR_ENV

    settings = repo / "gridctl.yaml"
    limits = "supervision:\n  time_limits:\n    by_type:\n      安全隐患: {一般: 4h}\n"
    settings.write_text(settings.read_text(encoding="utf-8") + limits, encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "4 小时")

    def at(when: str, *args: str):  # type: ignore[no-untyped-def]
        return cli("-C", str(repo), "--lang", "zh", *args, env={**AUTHOR_ENV, "GRIDCTL_TODAY": when})

    hazard = ("event", "report", "--grid", "第一网格", "--type", "安全隐患", "--title", "楼道堆物", "--by", "S0002")
    assert at("2026-03-10 09:00", *hazard).exit_code == 0
    for when, late in (("2026-03-10 12:00", False), ("2026-03-10 15:00", True), ("2026-03-11 08:00", True)):
        items = json.loads(at(when, "due", "-f", "json").output)["items"]
        assert [i["overdue"] for i in items if i["record"] == "E202603-0001"] == [late], (when, items)
        assert json.loads(at(when, "status", "-f", "json").output)["overdue"] == int(late), when
