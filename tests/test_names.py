"""Wherever an id is asked for, the exact name works too; an unknown or ambiguous name is an error, never nothing."""

from __future__ import annotations

from pathlib import Path

import git

from conftest import STAFF, count_built, write


def run(cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", "zh", "--author", "王芳 <wf@example.cn>", *args)


def test_names_work_wherever_an_id_is_asked_for(repo: Path, cli) -> None:
    env_day = ("--date", "2026-03-02")
    listed = run(cli, repo, "list", "household", "--grid", "第一网格", "--format", "csv")
    assert listed.exit_code == 0 and "H000001" in listed.output
    assert run(cli, repo, "list", "household", "--grid", "第九网格").exit_code == 2
    due = run(cli, repo, "due", "--grid", "第一网格", *env_day)
    assert due.exit_code in (0, 1) and "第一网格" in due.output
    unknown = run(cli, repo, "due", "--grid", "第九网格", *env_day)
    assert unknown.exit_code == 2 and "台账中没有网格“第九网格”" in unknown.output
    assert run(cli, repo, "log", "--grid", "第一网格").exit_code == 0
    assert run(cli, repo, "log", "--grid", "第九网格").exit_code == 2
    assigned = run(cli, repo, "assign", "第一网格", "--role", "楼栋长", "--staff", "李强", "--duty", "3号楼")
    assert assigned.exit_code == 0, assigned.output
    grid = (repo / "grids/110105001001001.yaml").read_text(encoding="utf-8")
    assert "staff: S0002" in grid and "李强" not in grid  # the id is written, whatever the clerk typed
    shown = run(cli, repo, "show", "张伟")
    assert shown.exit_code == 0 and "P0000001" in shown.output
    reported = run(cli, repo, "event", "report", "--grid", "第一网格", "--type", "矛盾纠纷", "--title", "漏水",
                   "--by", "王芳", "--date", "2026-03-02")  # fmt: skip
    assert reported.exit_code == 0, reported.output
    event = reported.output.split("上报事件 ")[1].split("：")[0]
    assert run(cli, repo, "event", "accept", event, "--by", "王芳", "--date", "2026-03-02").exit_code == 0
    dispatched = run(cli, repo, "event", "dispatch", event, "--by", "王芳", "--to", "李强", "--date", "2026-03-02")
    assert dispatched.exit_code == 0, dispatched.output
    inspected = run(cli, repo, "inspect", "第一网格", "--by", "李强", "--all-ok", "--date", "2026-03-02")
    assert inspected.exit_code == 0, inspected.output


def test_an_ambiguous_name_lists_the_candidates(repo: Path, cli) -> None:
    write(repo, "staff/S0003.yaml", STAFF.format(id="S0003", name="李强", gender="男", phone="13700137000"))
    git.Repo(repo).git.add(A=True)
    git.Repo(repo).git.commit("-qm", "另一位李强")
    before = git.Repo(repo).head.commit.hexsha
    result = run(cli, repo, "assign", "第一网格", "--role", "楼栋长", "--staff", "李强", "--duty", "3号楼")
    assert result.exit_code == 2
    assert "“李强”对应 2 名工作人员，请写编号" in result.output
    assert (
        "S0002 李强 (网格员 第一网格；电话 139****9000)\n    S0003 李强 (未在网格任职；电话 137****7000)"
        in result.output
    )
    assert git.Repo(repo).head.commit.hexsha == before


def test_names_are_found_in_the_kept_rows_and_say_the_same(demo: Path, monkeypatch) -> None:
    """A name, or a mistyped id, was looked for by building every record: 2.4 s at 12,000
    households for `gridctl show H999999`. The rows the cache keeps answer it, and a record
    that failed its schema still answers to the name written in it."""
    from gridctl.ledger import cache as cache_module
    from gridctl.ledger.index import load
    from gridctl.ledger.names import NAMED, UnknownName, names_of, resolve

    household = next(p for p in (demo / "households").rglob("H000012.yaml"))
    text = household.read_text(encoding="utf-8")
    staff = demo / "staff" / "S0011.yaml"
    broken = staff.read_text(encoding="utf-8").replace("employment: 专职", "employment: 临时工\nnot_a_field: 1")
    staff.write_text(broken, encoding="utf-8")
    assert "name: 黄磊" in text and "relation: 户主" in text
    built = count_built(monkeypatch)
    for _warm in (False, True):
        cache_module._OPEN.clear()
        ledger, _problems = load(demo)
        assert ledger is not None
        built.clear()
        assert resolve(ledger, "黄磊户", NAMED) == "H000012"
        assert resolve(ledger, "黄磊", ("household",)) == "H000012"
        assert resolve(ledger, "黄磊", ("person",)) == "P0000030"
        wrong = ledger.by_id["S0011"][0]
        assert wrong.record is None and names_of(wrong)  # invalid: named as written
        assert resolve(ledger, names_of(wrong)[0], ("staff",)) == "S0011"
        try:
            resolve(ledger, "H999999", NAMED)
        except UnknownName:
            pass
        else:
            raise AssertionError("an unknown id resolved")
        if _warm:
            assert set(built) <= {"S0011"}, built  # only the invalid record, for its written name
        ledger.remember()


def test_a_name_of_several_kinds_says_which(repo: Path, cli) -> None:
    """A name two kinds of record carry names them both, with their kinds."""
    household = next(p for p in (repo / "households").rglob("*.yaml"))
    head = next(line.split(":", 1)[1].strip() for line in household.read_text(encoding="utf-8").splitlines()
                if line.strip().startswith("name:"))  # fmt: skip
    write(repo, "staff/S0003.yaml", STAFF.format(id="S0003", name=head, gender="男", phone="13700137000"))
    git.Repo(repo).git.add(A=True)
    git.Repo(repo).git.commit("-qm", "同名的工作人员")
    result = run(cli, repo, "show", head)
    assert result.exit_code == 2, result.output
    assert f"“{head}”对应 2 条记录 (工作人员、人员)，请写编号" in result.output, result.output
    household_too = run(cli, repo, "assign", "第一网格", "--role", "楼栋长", "--staff", f"{head}户", "--duty", "3号楼")
    assert household_too.exit_code == 2 and f"没有工作人员“{head}户”" in household_too.output


def test_history_takes_a_name_too(repo: Path, cli) -> None:
    """`gridctl history 张伟户` said there was no such record in the history: history took ids only."""
    for name, rid in (("张伟户", "H000001"), ("张伟", "P0000001"), ("李强", "S0002"), ("第一网格", "110105001001001")):
        result = run(cli, repo, "history", name)
        assert result.exit_code == 0 and result.output.startswith(f"{rid}: 1 个版本"), (name, result.output)
    assert run(cli, repo, "history", "张三").exit_code == 2
    english = cli("-C", str(repo), "--lang", "en", "history", "H000001")
    assert english.output.startswith("H000001: 1 version\n"), english.output
