"""From a field test of the event cycle and init: a step's day typed with --date, a deadline past the
holiday calendar's data, an author date git takes. Each test here failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from tests.conftest import AUTHOR_ENV, make_repo

GRID = "110105001001001"
EVENT = "events/2026/12/E202612-0001.yaml"


@pytest.fixture
def repo(ledger: Path) -> Path:
    return make_repo(ledger, "2026-12-01T09:00:00")


def run(cli, repo: Path, when: str, *args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    env = {**AUTHOR_ENV, "GRIDCTL_TODAY": when, "TZ": "UTC"}
    result = cli("-C", str(repo), "--lang", lang, *args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def report(cli, repo: Path, when: str, type_: str = "矛盾纠纷", title: str = "漏水纠纷"):  # type: ignore[no-untyped-def]
    done = run(cli, repo, when, "event", "report", "--grid", GRID, "--type", type_, "--title", title, "--by", "S0002")
    assert done.exit_code == 0, done.output
    return done


def steps_of(repo: Path) -> list[str]:
    """The `at:` of every timeline step, as written in the file."""
    text = (repo / EVENT).read_text(encoding="utf-8")
    return [line.split("at: ", 1)[1] for line in text.splitlines() if line.startswith("  - at: ")]


# -- 1. a step's day given with --date is a day: no time of day made up from the clock -----------------


@pytest.mark.parametrize("typed_at", ["2026-12-15T09:00", "2026-12-15T11:00"])
def test_a_step_dated_the_reports_day_is_that_day_whatever_the_hour_it_is_typed(cli, repo: Path, typed_at: str) -> None:
    """Reported 2026-12-14 10:00; `accept --date 2026-12-14` typed the next morning at 09:00 was refused
    ("2026-12-14 09:00 早于上一环节的时间 (2026-12-14 10:00)") and at 11:00 stored as 11:00: the hour of
    typing. It is accepted either way and stored as the day, no time."""
    report(cli, repo, "2026-12-14T10:00")
    done = run(cli, repo, typed_at, "event", "accept", "漏水纠纷", "--by", "王芳", "--date", "2026-12-14")
    assert done.exit_code == 0, done.output
    assert steps_of(repo) == ["2026-12-14 10:00:00", "2026-12-14"]


def test_a_back_dated_step_is_given_no_invented_time_and_a_time_only_with_at(cli, repo: Path) -> None:
    report(cli, repo, "2026-12-14T10:00")
    assert (
        run(cli, repo, "2026-12-15T09:00", "event", "accept", "漏水纠纷", "--by", "S0001", "--date", "昨天").exit_code
        == 0
    )
    dispatch = ("event", "dispatch", "漏水纠纷", "--to", "李强", "--by", "王芳")
    assert run(cli, repo, "2026-12-18T16:45", *dispatch, "--date", "2026-12-16").exit_code == 0
    # a step at a time later that same day follows a step known only by its day
    handle = ("event", "handle", "漏水纠纷", "--by", "S0002", "--note", "已联系物业")
    assert run(cli, repo, "2026-12-18T16:50", *handle, "--at", "2026-12-16 08:30").exit_code == 0
    assert steps_of(repo) == ["2026-12-14 10:00:00", "2026-12-14", "2026-12-16", "2026-12-16 08:30:00"]
    assert run(cli, repo, "2026-12-18T17:00", "validate").exit_code == 0


@pytest.mark.parametrize(
    ("lang", "said", "hint"),
    [
        ("zh", "2026-12-15 早于上一环节的时间 (2026-12-16)", "--at"),
        ("en", "2026-12-15 is before the last step", "--at"),
    ],
)
def test_a_day_before_the_last_steps_day_is_refused_with_a_hint_of_at(cli, repo: Path, lang, said, hint) -> None:  # type: ignore[no-untyped-def]
    report(cli, repo, "2026-12-14T10:00")
    assert (
        run(
            cli, repo, "2026-12-18T09:00", "event", "accept", "漏水纠纷", "--by", "S0001", "--date", "2026-12-16"
        ).exit_code
        == 0
    )
    before = git.Repo(repo).head.commit.hexsha
    done = run(
        cli, repo, "2026-12-18T09:00", "event", "dispatch", "漏水纠纷", "--to", "S0002", "--by", "S0001",
        "--date", "2026-12-15", lang=lang,
    )  # fmt: skip
    assert done.exit_code == 1, done.output
    assert said in done.output and hint in done.output.split(said, 1)[1], done.output
    assert git.Repo(repo).head.commit.hexsha == before and steps_of(repo) == ["2026-12-14 10:00:00", "2026-12-16"]
    # a time on the day before the last one's day: refused too
    done = run(
        cli, repo, "2026-12-18T09:00", "event", "dispatch", "漏水纠纷", "--to", "S0002", "--by", "S0001",
        "--at", "2026-12-15 18:00", lang=lang,
    )  # fmt: skip
    assert done.exit_code == 1 and git.Repo(repo).head.commit.hexsha == before, done.output


def hours_rule(repo: Path) -> None:
    settings = repo / "gridctl.yaml"
    limits = "supervision:\n  time_limits:\n    by_type:\n      安全隐患: {一般: 4h}\n"
    settings.write_text(settings.read_text(encoding="utf-8") + limits, encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "4 小时")


@pytest.mark.parametrize(
    ("closed", "light"), [(("--at", "2026-12-14 13:00"), "on_time"), (("--date", "2026-12-14"), "late")]
)
def test_an_hours_limit_reads_a_step_known_by_its_day_as_at_the_end_of_it(cli, repo: Path, closed, light) -> None:  # type: ignore[no-untyped-def]
    """A 4h limit from 10:00 ends at 14:00; a close known only by its day may have been at 23:00: it is
    not counted on time (a close at 13:00 given with --at is)."""
    hours_rule(repo)
    report(cli, repo, "2026-12-14T10:00", "安全隐患", "井盖缺失")
    for cmd, by, *extra in [
        ("accept", "S0001"), ("dispatch", "S0001", "--to", "S0002"), ("handle", "S0002", "--note", "已补装"),
        ("feedback", "S0002"), ("verify", "S0001"),
    ]:  # fmt: skip
        done = run(cli, repo, "2026-12-14T11:00", "event", cmd, "井盖缺失", "--by", by, *extra)
        assert done.exit_code == 0, done.output
    done = run(cli, repo, "2026-12-15T09:00", "event", "close", "井盖缺失", "--by", "S0001", *closed)
    assert done.exit_code == 0, done.output
    held = json.loads(run(cli, repo, "2026-12-15T09:00", "event", "steps", "井盖缺失", "-f", "json").output)
    assert held["light"] == light and held["deadline"] == "2026-12-14T14:00:00"


# -- 2. a deadline counted past the holiday calendar's data: the fixed holidays, and a note at the write ------

# 2065 lies past any chinesecalendar's data. 30 Dec 2065 is a Wednesday, as 30 Dec 2026 is.
PAST_DATA = [
    ("2065-12-30", "2066-01-05"),  # Thu 31, (元旦 Fri 1), Mon 4, Tue 5; by weekends alone: Jan 4
    ("2065-04-29", "2065-05-05"),  # Thu 30, (劳动节 Fri 1), Mon 4, Tue 5; by weekends alone: May 4
    ("2065-09-29", "2065-10-06"),  # Wed 30, (国庆 Thu 1, Fri 2, Sat 3), Mon 5, Tue 6; by weekends alone: Oct 2
]


@pytest.mark.parametrize(("day", "deadline"), PAST_DATA)
def test_a_deadline_past_the_calendars_data_skips_the_fixed_holidays_and_says_so(cli, repo, day, deadline) -> None:  # type: ignore[no-untyped-def]
    """A 安全隐患 (3 working days) reported 2026-12-30 with chinesecalendar's data ending in 2026 was given
    `deadline: 2027-01-04`, 元旦 counted as a working day, and `event report` and `event steps` said
    nothing: 元旦, 劳动节 and 国庆 are holidays every year, and the clerk is told how it was counted."""
    done = report(cli, repo, f"{day}T10:00", "安全隐患", "楼道堆物")
    rel = f"events/{day[:4]}/{day[5:7]}/E{day[:4]}{day[5:7]}-0001.yaml"
    assert f"deadline: {deadline}\n" in (repo / rel).read_text(encoding="utf-8")
    said = done.output.split("\n", 1)[1]
    assert "chinesecalendar" in said and "元旦、劳动节、国庆节" in said and "调休" in said, done.output
    assert "chinesecalendar" in git.Repo(repo).head.commit.message  # the commit keeps what the clerk was told
    steps = run(cli, repo, f"{day}T11:00", "event", "steps", "楼道堆物")
    assert f"办理期限: {deadline}" in steps.output and "chinesecalendar" in steps.output, steps.output
    english = run(cli, repo, f"{day}T11:00", "event", "steps", "楼道堆物", lang="en")
    assert "chinesecalendar" in english.output and "New Year" in english.output, english.output


def test_a_step_deadline_past_the_calendars_data_is_said_where_it_is_set(cli, repo: Path) -> None:
    """Taken on above after 上报上级, an event runs on a deadline of its own from that day (本环节期限):
    counted past the data, the acceptance says so as the report does."""
    report(cli, repo, "2065-12-28T10:00", "安全隐患", "楼道堆物")
    up = ("event", "escalate", "楼道堆物", "--by", "S0001", "--to", "社区", "--reason", "需社区协调")
    assert run(cli, repo, "2065-12-29T10:00", *up).exit_code == 0
    done = run(cli, repo, "2065-12-30T10:00", "event", "accept", "楼道堆物", "--by", "S0001", lang="en")
    assert done.exit_code == 0, done.output
    assert "deadline 2066-01-05:" in done.output and "chinesecalendar" in done.output, done.output
    assert "deadline: 2066-01-05\n" in (repo / "events/2065/12/E206512-0001.yaml").read_text(encoding="utf-8")


def test_a_deadline_inside_the_calendars_data_carries_no_note(cli, repo: Path) -> None:
    done = report(cli, repo, "2026-12-14T10:00", "安全隐患", "楼道堆物")
    assert "chinesecalendar" not in done.output
    assert "chinesecalendar" not in run(cli, repo, "2026-12-14T11:00", "event", "steps", "楼道堆物").output


# -- 3. init takes the author date git takes, and a failed init leaves no half-made folder --------------


@pytest.mark.parametrize("date", ["2026-04-01T10:00:00+08:00", "2026-04-01 10:00:00 +0800", "@1775008800 +0800"])
def test_init_takes_an_author_date_in_any_form_git_takes(tmp_path: Path, date: str) -> None:
    """GIT_AUTHOR_DATE="2026-04-01T10:00:00+08:00" (ISO 8601, which git takes) made `gridctl init` exit 3
    (its date was read by another parser than git's)."""
    from tests.conftest import gridctl

    target = tmp_path / "台账"
    env = {**AUTHOR_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    code, out, err = gridctl("init", str(target), "--name", "测试", "--code", "110105", env=env)
    assert code == 0, out + err
    head = git.Repo(target).head.commit
    assert head.authored_datetime.isoformat() == "2026-04-01T10:00:00+08:00"
    assert head.author.name == head.committer.name == "王芳" and head.message.startswith("建立台账：测试")
    assert gridctl("-C", str(target), "validate", env=AUTHOR_ENV)[0] == 0


@pytest.mark.parametrize("made", [False, True], ids=["new folder", "empty folder"])
def test_a_failed_init_leaves_no_half_made_folder_and_init_again_works(tmp_path: Path, made: bool) -> None:
    """A date git refuses stops init with git's words (exit 2, not 3), and the folder is as it was: not
    left with staged files and no commit, so that `init` again was refused as "not empty"."""
    from tests.conftest import gridctl

    target = tmp_path / "台账"
    if made:
        target.mkdir()
    env = {**AUTHOR_ENV, "GIT_AUTHOR_DATE": "下周一"}
    code, out, err = gridctl("--lang", "zh", "init", str(target), "--name", "测试", env=env)
    assert code == 2, out + err
    assert "下周一" in err and "date" in err, err  # git's own words name the date
    assert (list(target.iterdir()) == []) if made else not target.exists()
    code, out, err = gridctl("init", str(target), "--name", "测试", env=AUTHOR_ENV)
    assert code == 0, out + err
    assert len(list(git.Repo(target).iter_commits())) == 1
