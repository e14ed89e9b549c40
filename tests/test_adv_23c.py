"""Adversary's findings on a day written wrong, Ctrl-C, a log of a partial clone, and encrypt's cache."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import gridctl


def _head(repo: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_a_day_with_spaces_or_without_its_year_is_told_rightly(repo: Path) -> None:
    """A day written with spaces (which the day forms allow) is told as a day written wrong, also
    with a time after it; a day without its year never suggests a day that is not one; year 0 is
    no year; a one-digit hour (9:30) is a time."""
    before = _head(repo)
    cases = {
        "2026 - 02 - 30": ("2026年2月没有30日", "2026-02 has no day 30"),
        "2026 年 2 月 30 日 09:30": ("2026年2月没有30日", "2026-02 has no day 30"),
        "2月30日": ("2026年2月没有30日", "2026-02 has no day 30"),
        "12-32": ("2026年12月没有32日", "2026-12 has no day 32"),
        "0000-01-01": ("没有0年", "there is no year 0"),
    }
    env = {"GRIDCTL_TODAY": "2026-03-05", "PYTHONIOENCODING": "gbk"}
    for when, (zh, en) in cases.items():
        code, _out, err = gridctl("--lang", "zh", "log", "--since", when, cwd=repo, env=env, encoding="gbk")
        assert code == 2 and zh in err and "Traceback" not in err, (when, err)
        assert "2026年2月30日 这样" not in err and "2026年12月32日" not in err, err
        code, _out, err = gridctl("--lang", "en", "retire", "H000001", "--reason", "x", "--date", when,
                                  cwd=repo, env=env, encoding="gbk")  # fmt: skip
        assert code == 2 and en in err and "--date" in err, (when, err)
        assert "write it as 2026-02-30" not in err and "2026-12-32" not in err, err
    for when in ("2026/3/5 9:30", "2026 年 3 月 5 日 9:30"):
        code, _out, err = gridctl("--lang", "en", "log", "--since", when, cwd=repo, env=env, encoding="gbk")
        assert code == 0, (when, err)
    assert _head(repo) == before
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == ""
