"""Today's write path, addresses and clock attacked as a clerk's PC would: each test failed before its fix.

An author git cannot name (only spaces, only punctuation) was committed with an empty name, since
`git var -l` is lenient where `git var GIT_AUTHOR_IDENT` refused it; a lock left beside fast-import's
marks file (a power cut) stopped every write with no hint; `--set 地址=社区卫生站旁` put 卫生站旁 into the
community and dropped the address; a step recorded later today than now (`--at "… 23:59"`) left the
event unable to take a step until then.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import git
import pytest

from conftest import AUTHOR_ENV


def state(root: Path) -> tuple[str, str, str]:
    """HEAD, the work tree's changes and gridctl's refs: what a refused command leaves as it found them."""

    def out(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout

    return out("rev-parse", "HEAD"), out("status", "--porcelain"), out("for-each-ref", "refs/gridctl/")


@pytest.mark.parametrize("name", ["   ", ",,,", "<>"])
def test_an_author_git_cannot_name_is_refused_not_committed_nameless(cli, repo: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    before = state(repo)
    env = {**AUTHOR_ENV, "GIT_AUTHOR_NAME": name}
    done = cli("-C", str(repo), "--lang", "zh", "edit", "S0001", "--set", "name=张三丰", env=env)
    assert done.exit_code == 2, done.output
    assert "修改人" in done.output and "Traceback" not in done.output
    assert state(repo) == before
    given = cli("-C", str(repo), "edit", "S0001", "--set", "name=张三丰", "--author", f"{name} <a@example.cn>")
    assert given.exit_code == 2, given.output
    assert state(repo) == before
    assert git.Repo(repo).head.commit.author.name == "王芳"


def test_a_lock_left_beside_the_marks_file_does_not_stop_every_write(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """fast-import writes its marks through `<file>.lock`; a power cut there leaves it, and the next
    fast-import refused ("Unable to write marks file … File exists"), naming no lock to delete."""
    git_dir = repo / ".git"
    (git_dir / "gridctl-marks.tmp.lock").write_text("")
    (git_dir / "gridctl-marks.tmp").write_text(":1 " + "0" * 40 + "\n")  # an old run's, never read as this one's
    done = cli("-C", str(repo), "edit", "S0001", "--set", "name=张三丰", env=AUTHOR_ENV)
    assert done.exit_code == 0, done.output
    head = git.Repo(repo).head.commit
    assert "张三丰" in (head.tree / "staff/S0001.yaml").data_stream.read().decode("utf-8")
    assert state(repo)[1:] == ("", "")
    assert not (git_dir / "gridctl-marks.tmp").exists() and not (git_dir / "gridctl-marks.tmp.lock").exists()


@pytest.mark.parametrize("written", ["社区卫生站旁", "小区北门平房", "单元房东侧", "楼栋后平房3号"])
def test_an_address_that_begins_with_a_parts_name_is_the_address_as_written(cli, repo: Path, written: str) -> None:  # type: ignore[no-untyped-def]
    import json

    done = cli("-C", str(repo), "edit", "H000001", "--set", f"地址={written}", env=AUTHOR_ENV)
    assert done.exit_code == 0, done.output
    added = cli(
        "-C", str(repo), "add", "household", "--set", "grid=110105001001001", "--set", f"地址={written}", env=AUTHOR_ENV
    )
    assert added.exit_code == 0, added.output
    rows = json.loads(cli("-C", str(repo), "list", "household", "-f", "json").stdout)
    assert [r["address"] for r in rows] == [written, written]
    text = (repo / "households/110105001001001/H000001.yaml").read_text(encoding="utf-8")
    assert "community" not in text and "!!null" not in text
    new = (repo / "households/110105001001001/H000002.yaml").read_text(encoding="utf-8")
    assert "estate" not in new and "community" not in new
    parts = cli("-C", str(repo), "edit", "H000001", "--set", "地址=小区：阳光小区，楼栋=5，房号:302", env=AUTHOR_ENV)
    assert parts.exit_code == 0, parts.output
    rows = json.loads(cli("-C", str(repo), "list", "household", "-f", "json").stdout)
    assert rows[0]["address"] == "阳光小区5号楼302"


def test_a_step_later_today_than_now_is_refused(cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """Recorded at 23:59 while it is morning, a step made every later step today "before the last step".

    The ledger's zone is chosen so that it is before noon there now: 23:59 is hours ahead, whenever the test runs."""
    now = dt.datetime.now(dt.UTC)
    ahead = (6 - now.hour + 12) % 24 - 12  # UTC+ahead, within -12..+11, where it is six o'clock now
    zone = f"Etc/GMT{'-' if ahead >= 0 else '+'}{abs(ahead)}"  # Etc/GMT-8 is UTC+8
    settings = repo / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"timezone: {zone}\n", encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "时区")
    local = now.astimezone(dt.timezone(dt.timedelta(hours=ahead)))
    assert local.hour == 6
    env = dict(AUTHOR_ENV)
    report = ["event", "report", "--grid", "第一网格", "--type", "安全隐患", "--title", "楼道堆物", "--by", "S0001"]
    before = state(repo)
    late = cli("-C", str(repo), "--lang", "zh", *report, "--at", f"{local.date()} 23:59", env=env)
    assert late.exit_code == 2, late.output
    assert "晚于现在" in late.output and state(repo) == before
    done = cli("-C", str(repo), *report, "--at", f"{local.date()} 05:30", env=env)
    assert done.exit_code == 0, done.output
