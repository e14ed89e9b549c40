"""Grid workers' clones brought together, and numbers that must agree between commands: each test
failed before its fix.

A month with no inspection at all read 完成率 — (nothing to do) in the monthly report's sentence
while its table said 0.0%. A value settled in a merge (`gridctl resolve … --take 509`, or the other
side's value where both had changed it) was missing from `gridctl history`, whose newest version then
showed a value the record no longer held.
"""

from __future__ import annotations

import json
from pathlib import Path

TODAY = {"GRIDCTL_TODAY": "2026-11-30", "TZ": "Asia/Shanghai"}


def test_a_month_with_no_inspection_reads_zero_percent_in_the_sentence_as_in_the_table(demo: Path, cli) -> None:
    text = cli("-C", str(demo), "--lang", "zh", "report", "monthly", env=TODAY).output
    data = json.loads(cli("-C", str(demo), "report", "monthly", "--format", "json", env=TODAY).output)
    assert data["totals"]["due_days"] > 0 and data["totals"]["done_days"] == 0 and data["totals"]["rate"] == 0.0
    assert f"本月应巡查 {data['totals']['due_days']} 网格·天，实际 0，完成率 0.0%。" in text, text


def test_history_shows_the_value_a_merge_settled_and_who_settled_it(tmp_path: Path) -> None:
    from teamwork import run, team

    t = team(tmp_path)
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["office"], "sync")[0] == 0 and run(t["office"], "review", "S0002", "--approve")[0] == 0
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=503")[0] == 0
    assert run(t["w3"], "edit", "H000001", "--set", "housing=租住")[0] == 0
    assert run(t["w3"], "sync")[0] == 1  # 502 here, 503 there
    code, out = run(t["w3"], "resolve", "H000001", "address.room", "--take", "509")
    assert code == 0 and "合并已提交" in out, out
    code, out = run(t["w3"], "history", "H000001")
    newest = out.split("\n2026-")[1]
    assert "赵敏" in newest and "房号: 503 → 509" in newest, out
    assert out.count("房号") == 3 and "住房" in out  # 502 by 李强, 503 by 赵敏, 509 settled; the clean side not twice


def test_no_one_joins_a_household_that_moved_out(demo: Path, cli) -> None:
    """`add person --household H000003` and `move P… --to-household H000003` after H000003 was retired
    (整户迁出) were committed, and the person vanished from every count: status counts the living."""
    import git

    def run(*args: str):  # type: ignore[no-untyped-def]
        return cli("-C", str(demo), "--lang", "zh", *args)

    assert run("retire", "H000003", "--reason", "整户迁出", "--date", "2026-11-20").exit_code == 0
    head = git.Repo(demo).head.commit.hexsha
    for args in (
        ("add", "person", "--household", "H000003", "--set", "name=王小明", "--set", "gender=男",
         "--set", "relation=子", "--set", "residence=户籍"),
        ("move", "P0000001", "--to-household", "H000003"),
    ):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "户 H000003 已于 2026-11-20 注销 (整户迁出)，不能再加入人员" in result.output
        assert "gridctl edit H000003 --unset retired" in result.output
    assert git.Repo(demo).head.commit.hexsha == head
    assert run("edit", "H000003", "--unset", "retired").exit_code == 0
    assert run("move", "P0000001", "--to-household", "H000003", "--relation", "配偶").exit_code == 0


def test_a_write_during_an_unfinished_merge_points_to_resolve(demo: Path, cli) -> None:
    """The hint said "解决冲突后 git commit": a plain commit of a merge gridctl started skips its checks."""
    import git

    repo = git.Repo(demo)
    (Path(repo.git_dir) / "MERGE_HEAD").write_text(repo.head.commit.hexsha + "\n", encoding="utf-8")
    result = cli("-C", str(demo), "--lang", "zh", "edit", "H000003", "--set", "housing=自有")
    assert result.exit_code == 2, result.output
    assert "合并未完成" in result.output and "gridctl resolve 编号 字段 --take" in result.output
    assert "git commit" not in result.output


def test_a_conflict_over_a_member_the_other_side_moved_out_says_so(tmp_path: Path) -> None:
    """Worker 2 moves 张伟 to another household while worker 3 edits him: the conflict read "对方: (已删除)"
    and the clerk took him for deleted from the ledger."""
    from teamwork import run, team

    from conftest import household, id_number

    other = {"households/110105001001001/H000002.yaml": household("H000002", "P0000002", id_number(seq="222"))}
    t = team(tmp_path, households=other)
    assert run(t["w2"], "move", "P0000001", "--to-household", "H000002", "--relation", "配偶")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["office"], "sync")[0] == 0 and run(t["office"], "review", "S0002", "--approve")[0] == 0
    assert run(t["w3"], "edit", "P0000001", "--set", "residence=流动")[0] == 0
    code, out = run(t["w3"], "sync")
    assert code == 1, out
    assert "(此户中已没有：迁往他户或已删除)" in out and "(已删除)" not in out, out


def test_a_choice_that_breaks_the_merge_is_taken_back_alone(tmp_path: Path) -> None:
    """The last resolve of a merge took "mine" for a person the other side had moved (the same id in two
    households, GC201): the whole merge was aborted, and the choices already made were lost."""
    from teamwork import git, run, team

    from conftest import household, id_number

    other = {"households/110105001001001/H000002.yaml": household("H000002", "P0000002", id_number(seq="222"))}
    t = team(tmp_path, households=other)
    assert run(t["w2"], "move", "P0000001", "--to-household", "H000002", "--relation", "配偶")[0] == 0
    assert run(t["w2"], "edit", "H000002", "--set", "housing=租住")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["office"], "sync")[0] == 0 and run(t["office"], "review", "S0002", "--approve")[0] == 0
    w3 = t["w3"]
    assert run(w3, "edit", "P0000001", "--set", "residence=流动")[0] == 0
    assert run(w3, "edit", "H000002", "--set", "housing=公租房")[0] == 0
    assert run(w3, "sync")[0] == 1
    code, out = run(w3, "resolve", "H000002", "housing", "--take", "mine")
    assert code == 1 and "P0000001" in out, out  # settled; one left
    code, out = run(w3, "resolve", "P0000001", "-", "--take", "mine")
    assert code == 1, out
    assert "GC201" in out and "这处冲突仍未解决" in out and "gridctl resolve P0000001 -" in out, out
    assert (w3 / ".git" / "MERGE_HEAD").is_file()
    code, out = run(w3, "resolve", "P0000001", "-", "--take", "theirs")
    assert code == 0 and "合并已提交" in out, out
    merged = (w3 / "households/110105001001001/H000002.yaml").read_text(encoding="utf-8")
    assert "housing: 公租房" in merged and "P0000001" in merged  # the first choice stayed made
    assert git(w3, "status", "--porcelain") == ""


def test_a_member_added_offline_to_a_household_the_other_side_retired_is_a_conflict(tmp_path: Path) -> None:
    """Worker 2 retires H000001 (整户迁出) while worker 3 adds a baby to it: the merge was clean, and the
    baby lived in a retired household, counted by no status or report, with nothing said."""
    from teamwork import run, team

    from conftest import household, id_number

    other = {"households/110105001001001/H000002.yaml": household("H000002", "P0000002", id_number(seq="222"))}
    t = team(tmp_path, households=other)
    assert run(t["w2"], "retire", "H000001", "--reason", "整户迁出", "--date", "2026-11-20")[0] == 0
    baby = ("add", "person", "--household", "H000002", "--set", "name=李小宝", "--set", "gender=女",
            "--set", "relation=女", "--set", "residence=户籍")  # fmt: skip
    assert run(t["w2"], *baby)[0] == 0  # and the other way round: here the member, there the retirement
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["office"], "sync")[0] == 0 and run(t["office"], "review", "S0002", "--approve")[0] == 0
    w3 = t["w3"]
    add = ("add", "person", "--household", "H000001", "--set", "name=张小宝", "--set", "gender=男",
           "--set", "relation=子", "--set", "residence=户籍")  # fmt: skip
    assert run(w3, *add)[0] == 0
    assert run(w3, "retire", "H000002", "--reason", "整户迁出", "--date", "2026-11-21")[0] == 0
    code, out = run(w3, "sync")
    assert code == 1, out
    assert "户 H000001 的 retired 两边改法不同" in out and "另一方给此户新增了人员" in out, out
    assert "户 H000002 的 retired 两边改法不同" in out and "对方 (李强" in out, out
    code, out = run(w3, "resolve", "H000002", "retired", "--take", "mine")  # they did leave: kept retired
    assert code == 1 and "H000001" in out, out
    assert "本方 (" in out and ": (未注销)" in out, out
    code, out = run(w3, "resolve", "H000001", "retired", "--take", "mine")  # they did not move out after all
    assert code == 0 and "合并已提交" in out, out
    text = (w3 / "households/110105001001001/H000001.yaml").read_text(encoding="utf-8")
    assert "retired" not in text and "张小宝" in text
