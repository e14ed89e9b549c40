"""Git as the audit trail: history by id, log sentences, semantic diff, --as-of, validate --rev."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import git
import pytest

from conftest import AUTHOR_ENV, gridctl, id_number, make_ledger, make_repo, write

GRID2 = "110105001001002"


def at(day: str, hour: int = 10) -> dict[str, str]:
    stamp = f"{day}T{hour:02d}:00:00+08:00"
    return {**AUTHOR_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "LANG": "zh_CN.UTF-8"}


def plain_commit(root: Path, message: str, day: str, who: tuple[str, str] = ("李娜", "lina@example.cn")) -> None:
    env = {
        **at(day),
        "GIT_AUTHOR_NAME": who[0],
        "GIT_AUTHOR_EMAIL": who[1],
        "GIT_COMMITTER_NAME": who[0],
        "GIT_COMMITTER_EMAIL": who[1],
    }
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=root, check=True, env={**__import__("os").environ, **env}
    )


@pytest.fixture(scope="module")
def story_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A month of a clerk's work, with a hand edit, a move between grids, a person changing household, a merge."""
    repo = make_repo(make_ledger(tmp_path_factory.mktemp("story") / "ledger"))
    r = git.Repo(repo)
    r.git.commit("--amend", "-q", "--no-edit", "--date=2026-05-01T09:00:00+08:00", env=at("2026-05-01", 9))
    grid2 = (repo / "grids/110105001001001.yaml").read_text(encoding="utf-8")
    write(repo, f"grids/{GRID2}.yaml", grid2.replace("110105001001001", GRID2).replace("第一网格", "第二网格"))
    plain_commit(repo, "划分第二网格", "2026-05-03")
    assert (
        gridctl(
            "-m", "户主换了手机", "edit", "P0000001", "--set", "phones=13912345679", cwd=repo, env=at("2026-05-05")
        )[0]
        == 0
    )
    assert gridctl("-m", "整户搬到第二网格", "move", "H000001", "--to", GRID2, cwd=repo, env=at("2026-05-10"))[0] == 0
    hh = repo / f"households/{GRID2}/H000001.yaml"
    hh.write_text(hh.read_text(encoding="utf-8").replace("housing: 自有", "housing: 租住"), encoding="utf-8")
    plain_commit(repo, "手工改住房性质", "2026-05-12")
    other = (
        f'kind: household\nid: H000002\ngrid: "{GRID2}"\nhousing: 自有\nmembers:\n'
        f'  - id: P0000002\n    name: 李梅\n    id_number: "{id_number(born="19850101", seq="222")}"\n'
        "    gender: 女\n    birth_date: 1985-01-01\n    relation: 户主\n    residence: 户籍\n"
    )
    write(repo, f"households/{GRID2}/H000002.yaml", other)
    plain_commit(repo, "新登记一户", "2026-05-15")
    assert (
        gridctl("move", "P0000001", "--to-household", "H000002", "--relation", "配偶", cwd=repo, env=at("2026-05-20"))[
            0
        ]
        == 0
    )
    # a branch and a merge
    r.git.checkout("-q", "-b", "fix")
    staff = repo / "staff/S0002.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("13900139000", "13900139001"), encoding="utf-8")
    plain_commit(repo, "更正李强电话", "2026-05-21", ("赵敏", "zhaomin@example.cn"))
    r.git.checkout("-q", "-")
    r.git.merge("--no-ff", "-q", "-m", "merge fix", "fix", env=at("2026-05-22"))
    return repo


@pytest.fixture
def story(story_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the story for each test (tests change files)."""
    target = tmp_path / "ledger"
    shutil.copytree(story_template, target, symlinks=True)
    return target


def test_history_follows_a_household_across_its_move(story: Path) -> None:
    code, out, err = gridctl("--lang", "zh", "history", "H000001", cwd=story)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "H000001: 5 个版本"
    heads = [ln for ln in lines if ln.startswith("2026-")]
    assert [h.split("[")[1] for h in heads] == ["修改]", "修改]", "迁移]", "修改]", "新建]"]
    assert "    家庭成员 P0000001 联系电话: [139****5678] → [139****5679]" in lines
    assert heads[0].startswith("2026-05-20 10:00  王芳")
    assert heads[1].startswith("2026-05-12 10:00  李娜 <lina@example.cn>")
    assert "    住房性质: 自有 → 租住" in out
    assert f"    所属网格: 110105001001001 → {GRID2}" in out
    assert f"    文件: households/110105001001001/H000001.yaml → households/{GRID2}/H000001.yaml" in out
    assert "原因: 整户搬到第二网格" in out
    assert "    家庭成员 移出: P0000001" in out


def test_history_of_a_person_who_changed_household(story: Path) -> None:
    code, out, _ = gridctl("--lang", "en", "history", "P0000001", "--format", "json", cwd=story)
    assert code == 0
    versions = json.loads(out)["versions"]
    assert [v["what"] for v in versions] == ["moved", "moved", "changed", "created"]
    assert (versions[0]["household_before"], versions[0]["household_after"]) == ("H000001", "H000002")
    assert versions[1]["file_after"] == f"households/{GRID2}/H000001.yaml"  # moved with its household
    assert versions[2]["changes"] == [{"field": "phones", "old": ["139****5678"], "new": ["139****5679"]}]
    revealed = json.loads(gridctl("history", "P0000001", "--format", "json", "--reveal", cwd=story)[1])
    assert revealed["versions"][2]["changes"][0]["new"] == ["13912345679"]


def test_log_reads_like_sentences(story: Path) -> None:
    code, out, _ = gridctl("--lang", "zh", "log", "--since", "2026-05-02", cwd=story)
    assert code == 0
    assert out.splitlines() == [
        "2026-05-21 赵敏: 修改工作人员 S0002 (李强): 联系电话",
        "2026-05-20 王芳: 人员 P0000001 从户 H000001 迁至户 H000002",
        "2026-05-15 李娜: 新增户 H000002，归属 第二网格",
        "2026-05-15 李娜: 新增人员 P0000002，加入户 H000002",
        "2026-05-12 李娜: 修改户 H000001: 住房性质",
        "2026-05-10 王芳: 户 H000001 从 第一网格 迁至 第二网格",
        "2026-05-05 王芳: 修改人员 P0000001: 联系电话",
        "2026-05-03 李娜: 新增网格 110105001001002 (第二网格)",
    ]


def test_log_filters(story: Path) -> None:
    out = gridctl("--lang", "zh", "log", "--kind", "person", cwd=story)[1].splitlines()
    assert all("人员" in ln for ln in out) and len(out) == 4
    out = gridctl("--lang", "zh", "log", "--by", "赵敏", cwd=story)[1].splitlines()
    assert out == ["2026-05-21 赵敏: 修改工作人员 S0002 (李强): 联系电话"]
    out = gridctl("--lang", "zh", "log", "--grid", "110105001001001", "--until", "2026-05-10", cwd=story)[1]
    assert "户 H000001 从 第一网格 迁至 第二网格" in out and "P0000002" not in out


def test_log_tells_a_print_as_the_print_it_was(repo: Path, tmp_path: Path) -> None:
    """A print notes itself in .gridctl/printed.json and commits: the log says what was printed
    (打印网格公示牌 …), not 修改文件 .gridctl/printed.json; --grid finds the print of that grid."""
    grid = "110105001001001"
    for args in (["board", grid], ["chart"], ["board", "--all"]):
        out = tmp_path / f"{'-'.join(args)}.html"
        assert gridctl("print", *args, "-o", str(out), cwd=repo, env=AUTHOR_ENV)[0] == 0
    code, out, _ = gridctl("--lang", "zh", "log", cwd=repo)
    assert code == 0
    lines = [ln.split(": ", 1)[1] for ln in out.splitlines()]
    assert lines[:3] == [
        "打印网格公示牌 110105001001 (幸福里社区)、110105001001001 (第一网格)",
        "打印网格管理责任图 全部网格",
        "打印网格公示牌 110105001001001 (第一网格)",
    ]
    assert "printed.json" not in out
    en = gridctl("--lang", "en", "log", cwd=repo)[1].splitlines()
    assert en[0].endswith(": printed notice boards 110105001001 (幸福里社区), 110105001001001 (第一网格)")
    assert en[1].endswith(": printed responsibility chart (all grids)")
    assert en[2].endswith(": printed notice board 110105001001001 (第一网格)")
    by_grid = gridctl("--lang", "zh", "log", "--grid", grid, cwd=repo)[1].splitlines()
    assert [ln.split(": ", 1)[1] for ln in by_grid[:2]] == [
        "打印网格公示牌 110105001001001 (第一网格)",
        "打印网格公示牌 110105001001001 (第一网格)",
    ]
    assert "打印" not in gridctl("--lang", "zh", "log", "--kind", "grid", cwd=repo)[1]
    told = json.loads(gridctl("log", "-f", "json", cwd=repo)[1])["commits"]
    assert told[0]["printed"][1] == {
        "what": "board",
        "grid": grid,
        "sentence": f"printed notice board {grid} (第一网格)",
    }
    assert told[0]["other_files"] == []


def test_a_manifest_edited_by_hand_is_told_as_a_changed_file(repo: Path, tmp_path: Path) -> None:
    """Nothing in it reads as a print (an entry taken out, or the file damaged): 修改文件, as before."""
    out = tmp_path / "board.html"
    assert gridctl("print", "board", "110105001001001", "-o", str(out), cwd=repo, env=AUTHOR_ENV)[0] == 0
    (repo / ".gridctl/printed.json").write_text('{"version": 1, "printed": {}}\n', encoding="utf-8")
    plain_commit(repo, "清空打印清单", "2026-05-03")
    (repo / ".gridctl/printed.json").write_text("{坏", encoding="utf-8")
    plain_commit(repo, "弄坏打印清单", "2026-05-04")
    lines = gridctl("--lang", "zh", "log", cwd=repo)[1].splitlines()
    assert [ln.split(": ", 1)[1] for ln in lines[:3]] == [
        "修改文件 .gridctl/printed.json",
        "修改文件 .gridctl/printed.json",
        "打印网格公示牌 110105001001001 (第一网格)",
    ]


def test_a_hand_written_retired_true_is_told_not_a_crash(repo: Path) -> None:
    """`retired: true` (a clerk's shorthand; validate names it, GC100) ended log and diff in an
    internal error (exit 3): the sentence read the retirement's reason from it as from a mapping."""
    staff = repo / "staff/S0002.yaml"
    staff.write_text(staff.read_text(encoding="utf-8") + "retired: true\n", encoding="utf-8")
    code, out, err = gridctl("--lang", "zh", "diff", cwd=repo)
    assert code == 0, err
    assert out.splitlines()[:2] == ["x 注销工作人员 S0002 (李强)", "    注销: (空) → 是"]
    plain_commit(repo, "李强离职", "2026-05-03")
    code, out, err = gridctl("--lang", "en", "log", cwd=repo)
    assert code == 0, err
    assert out.splitlines()[0].endswith(": retired staff S0002 (李强)")


def test_diff_between_revisions_and_against_the_files(story: Path) -> None:
    code, out, _ = gridctl("--lang", "zh", "diff", "2026-05-04", "2026-05-12", cwd=story)
    assert code == 0
    assert out.splitlines() == [
        "> 户 H000001 从 第一网格 迁至 第二网格",
        f"    所属网格: 110105001001001 → {GRID2}",
        "    住房性质: 自有 → 租住",
        "~ 修改人员 P0000001: 联系电话",
        "    联系电话: [139****5678] → [139****5679]",
        "迁移 1、修改 1",
    ]
    assert gridctl("--lang", "en", "diff", cwd=story)[1] == "no record changes\n"
    path = story / "staff/S0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("王芳", "王芳芳"), encoding="utf-8")
    data = json.loads(gridctl("diff", "--format", "json", cwd=story)[1])
    assert data["changes"] == [
        {
            "id": "S0001",
            "kind": "staff",
            "kind_zh": "工作人员",
            "what": "changed",
            "file_before": "staff/S0001.yaml",
            "file_after": "staff/S0001.yaml",
            "changes": [{"field": "name", "old": "王芳", "new": "王芳芳"}],
        }
    ]


def test_as_of_a_date_reads_the_past_without_touching_files(story: Path) -> None:
    before = git.Repo(story).git.status("--porcelain")
    code, out, _ = gridctl("--as-of", "2026-05-11", "show", "H000001", cwd=story)  # no commit on the 11th
    assert code == 0
    assert f"grid: '{GRID2}'" in out and "housing: 自有" in out
    code, out, _ = gridctl("--as-of", "2026-05-01", "list", "grid", "--format", "csv", cwd=story)
    assert code == 0 and GRID2 not in out
    code, _out, err = gridctl("--as-of", "2026-04-01", "status", cwd=story)
    assert code == 2 and "no commit on or before 2026-04-01" in err
    assert git.Repo(story).git.status("--porcelain") == before


def test_as_of_judges_what_was_due_on_that_day(demo: Path) -> None:
    """The example's E202603-0005 is due 2026-03-20: on the 15th it was not yet late, on the 25th it is.
    --as-of read the ledger of the 15th but judged it on today's clock: status counted 3 overdue, due
    put it 3 working days late under 2026-03-25, event steps said the same."""
    import os

    stamp = "2026-03-14T10:00:00+08:00"  # the example ledger as committed the day before
    dated = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "commit", "-q", "--amend", "--no-edit"], cwd=demo, check=True, env=dated)
    today = {"GRIDCTL_TODAY": "2026-03-25"}

    def run(*args: str) -> str:
        code, out, err = gridctl("--lang", "en", *args, cwd=demo, env=today)
        assert code in (0, 1) and "Traceback" not in err, err
        return out

    assert json.loads(run("status", "-f", "json"))["overdue"] == 3  # 0002, 0005, 0006: today
    assert json.loads(run("--as-of", "2026-03-15", "status", "-f", "json"))["overdue"] == 1  # 0002 alone
    assert json.loads(run("--as-of", "HEAD", "status", "-f", "json"))["overdue"] == 1  # the commit's time
    assert json.loads(run("--as-of", "2026-03-30", "status", "-f", "json"))["overdue"] == 3  # not yet: today

    due = json.loads(run("--as-of", "2026-03-19", "due", "-f", "json"))
    assert due["date"] == "2026-03-19"
    events = {i["record"]: i for i in due["items"] if i["section"] == "event"}
    assert events["E202603-0002"]["overdue"] and events["E202603-0002"]["days_late"] == 8
    assert not events["E202603-0005"]["overdue"] and events["E202603-0005"]["days_left"] == 1
    text = run("--as-of", "2026-03-19", "due")
    assert text.startswith("2026-03-19: ")
    assert "watch    E202603-0005 第一网格 " in text and "due 2026-03-20, 1 working day(s) left" in text
    steps = run("--as-of", "2026-03-19", "event", "steps", "E202603-0005")
    assert "deadline: 2026-03-20, 1 working day(s) left" in steps
    assert "deadline: 2026-03-20, 3 working day(s) late" in run("event", "steps", "E202603-0005")
    listed = json.loads(run("--as-of", "2026-03-15", "list", "event", "-f", "json"))
    assert {r["id"]: r["deadline"] for r in listed}["E202603-0005"] == "2026-03-20"


def test_as_of_reports_the_month_it_names(demo: Path) -> None:
    """report monthly, assessment and registers with --as-of 2026-03-15 but no --month reported the real
    month (April, counted to the 10th) from March's ledger; now March, counted to the 15th."""
    import os

    stamp = "2026-03-14T10:00:00+08:00"
    dated = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "commit", "-q", "--amend", "--no-edit"], cwd=demo, check=True, env=dated)
    today = {"GRIDCTL_TODAY": "2026-04-10"}
    code, out, err = gridctl("--lang", "zh", "--as-of", "2026-03-15", "report", "monthly", cwd=demo, env=today)
    assert code == 0, err
    assert "月报 2026-03" in out.splitlines()[0] and "统计至 2026-03-15" in out, out[:300]
    code, out, err = gridctl("--lang", "zh", "report", "monthly", cwd=demo, env=today)
    assert code == 0 and "月报 2026-04" in out.splitlines()[0], err
    for report, period in (("assessment", "2026-03"), ("registers", "2026-03-15")):
        code, out, err = gridctl("--as-of", "2026-03-15", "report", report, "-f", "json", cwd=demo, env=today)
        assert code == 0, err
        assert json.loads(out)["period"] == period, out[:300]


def test_as_of_refuses_writes(story: Path) -> None:
    code, _out, err = gridctl(
        "--as-of", "2026-05-11", "edit", "S0001", "--set", "phone=13800138009", cwd=story, env=AUTHOR_ENV
    )
    assert code == 2 and "--as-of is for reading" in err


def test_validate_a_revision_and_what_changed_since(story: Path) -> None:
    path = story / "staff/S0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("13800138000", "12345"), encoding="utf-8")
    assert gridctl("validate", "--rev", "HEAD", cwd=story)[0] == 0
    code, out, _ = gridctl("--lang", "en", "validate", "--changed-since", "HEAD", cwd=story)
    assert code == 1 and "staff/S0001.yaml" in out and "[GC108]" in out
    plain_commit(story, "bad phone", "2026-05-25")
    code, out, _ = gridctl("--lang", "en", "validate", "--rev", "HEAD", cwd=story)
    assert code == 1 and "[GC108]" in out
    assert gridctl("validate", "--rev", "HEAD~1", cwd=story)[0] == 0


def test_changed_since_reports_what_a_change_causes_elsewhere(story: Path) -> None:
    path = story / "staff/S0002.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "active: false\n", encoding="utf-8")
    code, out, _ = gridctl("--lang", "en", "validate", "--changed-since", "HEAD", cwd=story)
    assert code == 1
    assert "grids/110105001001001.yaml" in out and "[GC233]" in out


def test_shallow_clone_says_what_it_cannot_know(story: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{story}", str(clone)], check=True)
    code, out, _ = gridctl("--lang", "zh", "history", "H000002", cwd=clone)
    assert code == 0
    assert "更早的历史不在此克隆中" in out
    out = gridctl("--lang", "zh", "log", cwd=clone)[1]
    assert "浅克隆" in out


def test_unknown_record_and_revision(story: Path) -> None:
    code, _out, err = gridctl("history", "H999999", cwd=story)
    assert code == 2 and "H999999" in err
    code, _out, err = gridctl("diff", "nosuchrev", cwd=story)
    assert code == 2 and "no such revision" in err


def test_no_history_is_said_plainly(ledger: Path) -> None:
    """A ledger folder that is no git repository, or one without commits: a message, never git's."""
    for args in (("history", "H000001"), ("log",), ("diff",), ("--as-of", "2026-05-01", "status")):
        code, _out, err = gridctl(*args, cwd=ledger)
        assert code == 2, args
        assert "not a git repository" in err and "Traceback" not in err and "usage: git" not in err
    code, _out, err = gridctl("add", "staff", "--set", "name=甲", cwd=ledger, env=AUTHOR_ENV)
    assert code == 2 and "not a git repository" in err
    subprocess.run(["git", "init", "-q"], cwd=ledger, check=True)
    for args in (("history", "H000001"), ("log",), ("diff",)):
        code, _out, err = gridctl(*args, cwd=ledger)
        assert code == 2 and "no commits yet" in err, args
