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
