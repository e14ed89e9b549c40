"""The clerk's commands: each change one validated commit, with the clerk's comments kept."""

from __future__ import annotations

from pathlib import Path

import git

from conftest import AUTHOR_ENV, gridctl, id_number, write


def log(root: Path) -> list[git.Commit]:
    return list(git.Repo(root).iter_commits())


def test_add_staff_allocates_the_next_id_and_commits(repo: Path, cli) -> None:
    result = cli(
        "-C",
        str(repo),
        "--lang",
        "zh",
        "-m",
        "新聘专职网格员",
        "add",
        "staff",
        "--set",
        "name=赵六",
        "--set",
        "phone=13800138002",
        "--set",
        "gender=男",
    )
    assert result.exit_code == 0, result.output
    assert "已提交" in result.output and "新增工作人员 S0003：赵六" in result.output
    text = (repo / "staff/S0003.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/staff.schema.json\n")
    assert "name: 赵六" in text
    head = log(repo)[0]
    assert head.message.startswith("新增工作人员 S0003：赵六\n\n新聘专职网格员\n\nGridctl-Command: gridctl ")
    assert head.author.name == "王芳"
    assert list(head.stats.files) == ["staff/S0003.yaml"]
    assert len(log(repo)) == 2


def test_author_option_wins(repo: Path, cli) -> None:
    result = cli("-C", str(repo), "--author", "李娜 <lina@example.cn>", "add", "staff", "--set", "name=孙八")
    assert result.exit_code == 0, result.output
    assert (log(repo)[0].author.name, log(repo)[0].author.email) == ("李娜", "lina@example.cn")


def test_no_author_anywhere_is_an_error(repo: Path, tmp_path: Path) -> None:
    r = git.Repo(repo)
    with r.config_writer() as cfg:
        cfg.remove_section("user")
    env = {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "",
        "GIT_AUTHOR_EMAIL": "",
    }
    code, _out, err = gridctl("add", "staff", "--set", "name=孙八", cwd=repo, env=env)
    assert code == 2
    assert "--author" in err
    assert len(log(repo)) == 1


def test_invalid_add_changes_nothing(repo: Path, cli) -> None:
    before = git.Repo(repo).head.commit.hexsha
    result = cli("-C", str(repo), "--lang", "zh", "add", "staff", "--set", "name=钱七", "--set", "phone=123")
    assert result.exit_code == 1
    assert "staff/S0003.yaml:5:8: error[GC108] 电话号码无效: 123" in result.output
    assert "未写入" in result.output
    assert git.Repo(repo).head.commit.hexsha == before
    assert not (repo / "staff/S0003.yaml").exists()
    assert git.Repo(repo).git.status("--porcelain") == ""


def test_edit_keeps_comments_order_and_quoting(repo: Path, cli) -> None:
    rel = "households/110105001001001/H000001.yaml"
    before = (repo / rel).read_text(encoding="utf-8").splitlines()
    result = cli("-C", str(repo), "edit", "H000001", "--set", "housing=租住", "--set", "address.room=502")
    assert result.exit_code == 0, result.output
    after = (repo / rel).read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        (
            'address: {estate: 阳光小区, building: "3", unit: "2", room: "501"}',
            'address: {estate: 阳光小区, building: "3", unit: "2", room: "502"}',
        ),
        ("housing: 自有", "housing: 租住"),
    ]
    assert after[0] == "# 2026年3月入户核实"
    assert log(repo)[0].message.startswith("修改户 H000001：住房性质、地址")


def test_a_new_list_item_is_quoted_as_the_file_quotes(repo: Path, cli) -> None:
    """`--add phones=…` wrote ["13912345678", '13800138000'] into a file that quotes with "…": a
    line the clerk never changed looked changed, and the quotes no longer matched."""
    rel = "households/110105001001001/H000001.yaml"
    for args in (("P0000001", "--add", "phones=13800138000"), ("H000001", "--set", "address.room=0502")):
        result = cli("-C", str(repo), "edit", *args)
        assert result.exit_code == 0, result.output
    text = (repo / rel).read_text(encoding="utf-8")
    assert 'phones: ["13912345678", "13800138000"]' in text and 'room: "0502"' in text, text
    single = text.replace('"', "'")  # a file that quotes with '…' keeps its own style
    (repo / rel).write_text(single, encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "单引号")
    result = cli("-C", str(repo), "edit", "P0000001", "--add", "phones=13700137000")
    assert result.exit_code == 0, result.output
    assert "phones: ['13912345678', '13800138000', '13700137000']" in (repo / rel).read_text(encoding="utf-8")


def test_edit_a_person_by_their_id(repo: Path, cli) -> None:
    result = cli("-C", str(repo), "edit", "P0000001", "--set", "phones=13912345679,13800138000")
    assert result.exit_code == 0, result.output
    text = (repo / "households/110105001001001/H000001.yaml").read_text(encoding="utf-8")
    assert "13800138000" in text
    assert "phones=139****5679" in log(repo)[0].message  # the trailer masks personal data


def test_dates_as_a_clerk_types_them(repo: Path, cli) -> None:
    result = cli("-C", str(repo), "edit", "S0002", "--set", "contract_end=2027年6月30日")
    assert result.exit_code == 0, result.output
    assert "contract_end: 2027-06-30" in (repo / "staff/S0002.yaml").read_text(encoding="utf-8")


def test_a_change_that_changes_nothing_makes_no_commit(repo: Path, cli) -> None:
    result = cli("-C", str(repo), "--lang", "zh", "edit", "P0000001", "--set", "birth_date=1980-03-15")
    assert result.exit_code == 0, result.output
    assert "没有变化" in result.output
    assert len(log(repo)) == 1


def test_edit_refuses_id_and_grid(repo: Path, cli) -> None:
    assert cli("-C", str(repo), "edit", "H000001", "--set", "id=H9").exit_code == 2
    result = cli("-C", str(repo), "edit", "H000001", "--set", "grid=110105001001002")
    assert result.exit_code == 2
    assert "gridctl move" in result.output


def test_add_person_and_move_between_households(repo: Path, cli) -> None:
    hh2 = (repo / "households/110105001001001/H000001.yaml").read_text(encoding="utf-8")
    hh2 = (
        hh2.replace("H000001", "H000002")
        .replace("P0000001", "P0000002")
        .replace(id_number(), id_number(born="19820101", seq="246"))
    )
    hh2 = hh2.replace("birth_date: 1980-03-15", "birth_date: 1982-01-01").replace("gender: 男", "gender: 女")
    write(repo, "households/110105001001001/H000002.yaml", hh2)
    r = git.Repo(repo)
    r.git.add(A=True)
    r.index.commit("second household")
    number = id_number(born="20100501", seq="111")
    result = cli(
        "-C",
        str(repo),
        "add",
        "person",
        "--household",
        "H000001",
        "--set",
        "name=张小明",
        "--set",
        f"id_number={number}",
        "--set",
        "gender=男",
        "--set",
        "birth_date=2010-05-01",
        "--set",
        "relation=子",
        "--set",
        "residence=户籍",
    )
    assert result.exit_code == 0, result.output
    assert "add person P0000003: → H000001" in result.output
    result = cli("-C", str(repo), "move", "P0000003", "--to-household", "H000002")
    assert result.exit_code == 0, result.output
    head = log(repo)[0]
    assert head.message.startswith("迁移人员 P0000003：户 H000001 → 户 H000002")
    assert sorted(head.stats.files) == [
        "households/110105001001001/H000001.yaml",
        "households/110105001001001/H000002.yaml",
    ]
    assert "P0000003" in (repo / "households/110105001001001/H000002.yaml").read_text(encoding="utf-8")
    assert "P0000003" not in (repo / "households/110105001001001/H000001.yaml").read_text(encoding="utf-8")
    assert number not in result.output


def test_move_household_to_another_grid_moves_its_file(repo: Path, cli) -> None:
    grid2 = (
        (repo / "grids/110105001001001.yaml")
        .read_text(encoding="utf-8")
        .replace("110105001001001", "110105001001002")
        .replace("第一网格", "第二网格")
    )
    write(repo, "grids/110105001001002.yaml", grid2)
    r = git.Repo(repo)
    r.git.add(A=True)
    r.index.commit("second grid")
    result = cli("-C", str(repo), "--lang", "zh", "move", "H000001", "--to", "110105001001002")
    assert result.exit_code == 0, result.output
    assert not (repo / "households/110105001001001/H000001.yaml").exists()
    text = (repo / "households/110105001001002/H000001.yaml").read_text(encoding="utf-8")
    assert 'grid: "110105001001002"' in text and text.startswith("# 2026年3月入户核实")
    assert log(repo)[0].message.startswith("迁移户 H000001：第一网格 → 第二网格")
    assert "->" not in r.git.status("--porcelain")


def test_retire_keeps_the_record(repo: Path, cli) -> None:
    result = cli("-C", str(repo), "retire", "P0000001", "--reason", "迁出至朝阳区", "--date", "2026-11-01")
    assert result.exit_code == 0, result.output
    text = (repo / "households/110105001001001/H000001.yaml").read_text(encoding="utf-8")
    assert "retired:" in text and "迁出至朝阳区" in text and "P0000001" in text
    assert cli("-C", str(repo), "retire", "P0000001", "--reason", "again").exit_code == 2


def test_retiring_a_responsible_staff_member_is_refused(repo: Path, cli) -> None:
    result = cli("-C", str(repo), "--lang", "zh", "retire", "S0002", "--reason", "辞职")
    assert result.exit_code == 1
    assert "GC233" in result.output
    assert len(log(repo)) == 1


def test_assign_and_unassign(repo: Path, cli) -> None:
    assert cli("-C", str(repo), "add", "staff", "--set", "name=孙八", "--set", "phone=13700137000").exit_code == 0
    result = cli(
        "-C",
        str(repo),
        "assign",
        "110105001001001",
        "--role",
        "网格员",
        "--staff",
        "S0003",
        "--duty",
        "负责3号楼入户走访",
        "--since",
        "2026-11-01",
    )
    assert result.exit_code == 0, result.output
    text = (repo / "grids/110105001001001.yaml").read_text(encoding="utf-8")
    assert "S0003" in text and "负责3号楼入户走访" in text and "since: 2026-11-01" in text
    assert log(repo)[0].message.startswith("网格 110105001001001 指定网格员：S0003 孙八")
    on = {"GRIDCTL_TODAY": "2026-11-20"}
    result = cli("-C", str(repo), "unassign", "110105001001001", "--role", "网格员", "--staff", "S0003", env=on)
    assert result.exit_code == 0, result.output
    now, former = (repo / "grids/110105001001001.yaml").read_text(encoding="utf-8").split("former:")
    assert "S0003" not in now and "staff: S0003" in former and "until: 2026-11-20" in former
    # removing the only 网格员 would leave the grid without one: refused
    result = cli("-C", str(repo), "unassign", "110105001001001", "--role", "网格员", "--staff", "S0002")
    assert result.exit_code == 1
    assert "GC231" in result.output


def test_unassign_keeps_until_when_they_were_responsible(repo: Path, cli) -> None:
    """A handover: 孙八 takes over on 1 May, 李强 leaves that day. The grid keeps 李强 as a former
    responsible person with the day he stopped, so a report on April still finds him."""
    env = {"GRIDCTL_TODAY": "2026-05-10"}
    assert cli("-C", str(repo), "add", "staff", "--set", "name=孙八", "--set", "phone=13700137000").exit_code == 0
    took = cli(
        "-C", str(repo), "assign", "第一网格", "--role", "网格员", "--staff", "孙八", "--duty", "每日巡查",
        "--since", "2026-05-01", env=env,
    )  # fmt: skip
    assert took.exit_code == 0, took.output
    ahead = cli("-C", str(repo), "unassign", "第一网格", "--role", "网格员", "--staff", "李强", "--date", "2026-06-01",
                env=env)  # fmt: skip
    assert ahead.exit_code != 0 and "2026-06-01" in ahead.output
    result = cli("-C", str(repo), "--lang", "zh", "unassign", "第一网格", "--role", "网格员", "--staff", "李强",
                 "--date", "2026年5月1日", env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "免去网格员：S0002（2026-05-01 起）" in result.output
    text = (repo / "grids/110105001001001.yaml").read_text(encoding="utf-8")
    now, former = text.split("former:")
    assert "S0002" not in now and "S0003" in now
    assert "staff: S0002" in former and "until: 2026-05-01" in former and "每天巡查网格一次" in former
    assert cli("-C", str(repo), "validate").exit_code == 0
    shown = cli("-C", str(repo), "--lang", "zh", "show", "第一网格", env=env)
    assert "卸任日期" in shown.output and "2026-05-01" in shown.output, shown.output
    # the board posts who is responsible now
    board = cli("-C", str(repo), "print", "board", "第一网格", "--no-record", env=env)
    assert board.exit_code == 0, board.output
    posted = board.stdout
    assert "孙八" in posted and "李强" not in posted


def test_unassign_before_since_is_refused_and_keeps_the_tenure(repo: Path, cli) -> None:
    """2026-03-01 typed for 2026-05-01: a day before 孙八 took the grid would have deleted his whole
    tenure (no `former`, April's assessment without him). It is refused, naming his since."""
    env = {"GRIDCTL_TODAY": "2026-05-10"}
    assert cli("-C", str(repo), "add", "staff", "--set", "name=孙八", "--set", "phone=13700137000").exit_code == 0
    took = cli("-C", str(repo), "assign", "第一网格", "--role", "网格员", "--staff", "孙八", "--duty", "每日巡查",
               "--since", "2026-04-01", env=env)  # fmt: skip
    assert took.exit_code == 0, took.output
    path = repo / "grids/110105001001001.yaml"
    before, commits = path.read_bytes(), len(log(repo))
    for lang in ("zh", "en"):
        result = cli("-C", str(repo), "--lang", lang, "unassign", "第一网格", "--role", "网格员", "--staff", "孙八",
                     "--date", "2026-03-01", env=env)  # fmt: skip
        assert result.exit_code == 2, result.output  # as a --date after today is
        assert "2026-03-01" in result.output and "2026-04-01" in result.output and "since" in result.output
        assert ("不再负责的第一天" if lang == "zh" else "first day no longer responsible") in result.output
    assert path.read_bytes() == before and len(log(repo)) == commits


def test_unassign_on_the_since_day_removes_the_entry_and_says_so(repo: Path, cli) -> None:
    """He never served a day: nothing to keep under `former`, and the clerk and the commit are told."""
    env = {"GRIDCTL_TODAY": "2026-05-10"}
    assert cli("-C", str(repo), "add", "staff", "--set", "name=孙八", "--set", "phone=13700137000").exit_code == 0
    took = cli("-C", str(repo), "assign", "第一网格", "--role", "网格员", "--staff", "孙八", "--duty", "每日巡查",
               "--since", "2026-05-01", env=env)  # fmt: skip
    assert took.exit_code == 0, took.output
    result = cli("-C", str(repo), "--lang", "zh", "unassign", "第一网格", "--role", "网格员", "--staff", "孙八",
                 "--date", "2026-05-01", env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "未到任" in result.output and "2026-05-01" in result.output
    assert "未到任" in log(repo)[0].message
    text = (repo / "grids/110105001001001.yaml").read_text(encoding="utf-8")
    assert "former" not in text and "S0003" not in text


def test_assign_since_a_day_to_come_is_refused_as_unassign_date_is(repo: Path, cli) -> None:
    """`--since 2026-06-01` typed on 05-10 put 赵六 on the board three weeks early, and GC231 counted
    him while the grid had no 网格员: refused, in the words a future `unassign --date` gets."""
    env = {"GRIDCTL_TODAY": "2026-05-10"}
    assert cli("-C", str(repo), "add", "staff", "--set", "name=孙八", "--set", "phone=13700137000").exit_code == 0
    path = repo / "grids/110105001001001.yaml"
    before, commits = path.read_bytes(), len(log(repo))
    for lang, words in (("zh", "晚于今天 (2026-05-10)"), ("en", "is after today (2026-05-10)")):
        result = cli("-C", str(repo), "--lang", lang, "assign", "第一网格", "--role", "网格员", "--staff", "孙八",
                     "--duty", "每日巡查", "--since", "2026-06-01", env=env)  # fmt: skip
        assert result.exit_code == 2, result.output
        assert f"--since 2026-06-01 {words}" in result.output
    assert "--since" in result.output.split("hint")[-1]
    assert path.read_bytes() == before and len(log(repo)) == commits
    today = cli("-C", str(repo), "assign", "第一网格", "--role", "网格员", "--staff", "孙八", "--duty", "每日巡查",
                "--since", "2026-05-10", env=env)  # fmt: skip
    assert today.exit_code == 0, today.output


def test_a_hand_written_former_entry_ending_before_it_began_is_an_error(repo: Path, cli) -> None:
    path = repo / "grids/110105001001001.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "former:\n  - role: 网格员\n    staff: S0002\n    duties: [巡查]\n    since: 2026-05-01\n"
        + "    until: 2026-04-01\n",
        encoding="utf-8",
    )
    result = cli("-C", str(repo), "--lang", "zh", "validate")
    assert result.exit_code == 1
    assert "GC234" in result.output and "2026-04-01" in result.output and "2026-05-01" in result.output


def test_hand_typed_responsibility_dates_after_today_are_warned(repo: Path, cli) -> None:
    """gridctl takes no since or until still to come; one typed by hand (2026-09-01 on 06-10) is told."""
    path = repo / "grids/110105001001001.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    duties: [每天巡查网格一次", "    since: 2026-07-01\n    duties: [每天巡查网格一次"
    )
    path.write_text(
        text + "former:\n  - role: 网格员\n    staff: S0001\n    duties: [巡查]\n    since: 2026-04-01\n"
        "    until: 2026-09-01\n",
        encoding="utf-8",
    )
    env = {"GRIDCTL_TODAY": "2026-06-10"}
    result = cli("-C", str(repo), "--lang", "zh", "validate", env=env)
    assert result.exit_code == 0, result.output  # warnings
    assert result.output.count("GC235") == 2, result.output
    assert "任职日期 2026-07-01 晚于今天" in result.output and "卸任日期 2026-09-01 晚于今天" in result.output
    english = cli("-C", str(repo), "--lang", "en", "validate", env=env)
    assert "until 2026-09-01 is after today" in english.output, english.output
    later = cli("-C", str(repo), "validate", env={"GRIDCTL_TODAY": "2026-09-01"})
    assert "GC235" not in later.output, later.output


def test_dirty_file_is_refused_with_advice(repo: Path) -> None:
    path = repo / "staff/S0002.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "position: 网格员\n", encoding="utf-8")
    code, _out, err = gridctl("edit", "S0002", "--set", "phone=13900139001", cwd=repo, env=AUTHOR_ENV)
    assert code == 2
    assert "staff/S0002.yaml" in err and "git commit" in err
    assert "position: 网格员" in path.read_text(encoding="utf-8")
