"""A day written wrong is told as a day written wrong: 2月30日, 13月, a day without its year.

Before, `--as-of 2026-02-30` said "no such revision" (git had none), and `--since 1月5日` only listed
the forms a day may take."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import gridctl


def test_as_of_a_day_that_does_not_exist_says_why(repo: Path) -> None:
    cases = {
        "2026-02-30": ("2026年2月没有30日", "2026-02 has no day 30"),
        "2026年2月30日": ("2026年2月没有30日", "2026-02 has no day 30"),
        "2026-13-01": ("没有13月", "there is no month 13"),
        "1月5日": ("缺少年份", "has no year"),
        "12/25": ("缺少年份", "has no year"),
    }
    for when, (zh, en) in cases.items():
        code, _out, err = gridctl("--lang", "zh", "list", "grid", "--as-of", when, cwd=repo)
        assert code == 2 and zh in err and "没有这个版本" not in err, (when, err)
        code, _out, err = gridctl("--lang", "en", "list", "grid", "--as-of", when, cwd=repo)
        assert code == 2 and en in err and "Traceback" not in err, (when, err)
    code, _out, err = gridctl("--lang", "en", "list", "grid", "--as-of", "nosuch", cwd=repo)
    assert code == 2 and "no such revision: nosuch" in err


def test_a_tag_that_looks_like_a_day_is_still_a_tag(repo: Path) -> None:
    subprocess.run(["git", "tag", "12.25"], cwd=repo, check=True)
    code, out, err = gridctl("--lang", "en", "list", "grid", "--as-of", "12.25", cwd=repo)
    assert code == 0, err
    assert "110105001001001" in out


def test_since_a_day_that_does_not_exist_says_why(repo: Path) -> None:
    for when, said in (("2026-02-30", "2026-02 has no day 30"), ("2026-02-30 09:30", "has no day 30"),
                       ("3月5日", "has no year: write it as")):  # fmt: skip
        code, _out, err = gridctl("--lang", "en", "log", "--since", when, cwd=repo)
        assert code == 2 and said in err and "--since" in err, (when, err)
    code, _out, err = gridctl("--lang", "en", "log", "--since", "garbage", cwd=repo)
    assert code == 2 and "is not a date; write it as" in err


def test_as_of_a_day_and_time_reads_the_last_commit_up_to_that_minute(ledger: Path) -> None:
    """`--as-of "2026-05-01 10:15"` said "no such revision": --as-of took days only. The minute
    is the ledger's (Asia/Shanghai), whatever zone the computer is in, and includes its seconds; a time
    with seconds reads to that second (10:15:29 read to the end of 10:15, a commit at 10:15:30 in)."""
    import os

    from conftest import AUTHOR_ENV, STAFF, write

    def commit(at: str, message: str) -> None:
        env = {**os.environ, **AUTHOR_ENV, "GIT_AUTHOR_DATE": at, "GIT_COMMITTER_DATE": at}
        subprocess.run(["git", "add", "-A"], cwd=ledger, check=True)
        subprocess.run(["git", "commit", "-qm", message], cwd=ledger, check=True, env=env)

    subprocess.run(["git", "init", "-q"], cwd=ledger, check=True)
    commit("2026-05-01T09:00:00+08:00", "初始台账")
    write(ledger, "staff/S0009.yaml", STAFF.format(id="S0009", name="赵敏", gender="女", phone="13700137009"))
    commit("2026-05-01T10:15:30+08:00", "新来的网格员")
    for zone in ("UTC", "Asia/Shanghai"):
        for when, there in (("2026-05-01 10:14", False), ("2026-05-01 10:15", True), ("2026年5月1日 9:30", False),
                            ("2026/5/1 23:00", True), ("2026-05-01T10:16", True),
                            ("2026-05-01 10:15:29", False), ("2026-05-01 10:15:30", True)):  # fmt: skip
            code, out, err = gridctl("--lang", "en", "list", "staff", "--as-of", when, cwd=ledger, env={"TZ": zone})
            assert code == 0, (when, err)
            assert ("S0009" in out) is there, (zone, when, out)
    code, _out, err = gridctl("--lang", "en", "list", "staff", "--as-of", "2026-05-01 08:59", cwd=ledger)
    assert code == 2 and "no commit on or before 2026-05-01 08:59" in err, err
    code, _out, err = gridctl("--lang", "zh", "list", "staff", "--as-of", "2026-05-01 25:00", cwd=ledger)
    assert code == 2 and "--as-of: 25:00 不是时刻" in err and "Traceback" not in err, err


def test_today_and_yesterday_are_days_on_the_ledger_clock(ledger: Path) -> None:
    """`--as-of 昨天`, `--since yesterday`, `inspect --date 昨天`: a clerk names a day by where it lies
    from today; the list of forms said only 2026-11-01 and the like."""
    import os

    from conftest import AUTHOR_ENV

    subprocess.run(["git", "init", "-q"], cwd=ledger, check=True)
    at = "2026-05-01T10:15:30+08:00"
    env = {**os.environ, **AUTHOR_ENV, "GIT_AUTHOR_DATE": at, "GIT_COMMITTER_DATE": at}
    subprocess.run(["git", "add", "-A"], cwd=ledger, check=True)
    subprocess.run(["git", "commit", "-qm", "初始台账"], cwd=ledger, check=True, env=env)
    pinned = {"GRIDCTL_TODAY": "2026-05-02 08:00", "TZ": "UTC"}  # still 1 May in UTC
    for when in ("昨天", "yesterday", "昨日 23:00", "今天", "Today"):
        code, out, err = gridctl("--lang", "en", "list", "grid", "--as-of", when, cwd=ledger, env=pinned)
        assert code == 0 and "110105001001001" in out, (when, err)
    code, _out, err = gridctl("--lang", "en", "list", "grid", "--as-of", "前天", cwd=ledger, env=pinned)
    assert code == 2 and "no commit on or before 前天" in err, err
    code, out, err = gridctl("--lang", "en", "log", "--since", "昨天", cwd=ledger, env=pinned)
    assert code == 0 and "added grid 110105001001001" in out, err
    code, out, err = gridctl("--lang", "en", "log", "--since", "今天", cwd=ledger, env=pinned)
    assert code == 0 and "added grid" not in out, (out, err)
    code, _out, err = gridctl("--lang", "zh", "log", "--since", "大前天", cwd=ledger, env=pinned)
    assert code == 2 and "昨天" in err, err  # the forms it takes name it
