"""A `git merge` killed half-way (a window closed during `gridctl sync`): the next command puts the
ledger back as it was before the merge, says so, and the next sync merges again.

Before, the kill left `.git/index.lock` and, once the clerk deleted it as told, files half-merged
that read as the clerk's own edits: every write was refused over them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from teamwork import git, run, team

from conftest import household, id_number

HOUSE = "households/110105001001001/H{:06d}.yaml"


def neighbours(count: int) -> dict[str, str]:
    return {
        HOUSE.format(n): household(f"H{n:06d}", f"P{n:07d}", id_number(seq=f"{n:03d}")) for n in range(2, count + 2)
    }


def sync_killed(clone: Path, crash: str | None = None, after: float | None = None, how: str = "group") -> int:
    """`gridctl sync` in its own process group, killed with its group (git, in a group of its own,
    goes on), or `alone`, or interrupted by Ctrl-C (`int`: SIGINT to the whole group, as a terminal
    sends it; git never gets it)."""
    env = {**os.environ, **({"GRIDCTL_TEST_CRASH": crash} if crash else {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gridctl", "--lang", "zh", "sync"],
        cwd=clone,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    if after is not None:
        time.sleep(after)
        with contextlib.suppress(ProcessLookupError):
            if how == "alone":
                os.kill(proc.pid, signal.SIGKILL)
            else:
                os.killpg(proc.pid, signal.SIGINT if how == "int" else signal.SIGKILL)
    return proc.wait(timeout=120)


def office_and_worker_both_changed(tmp_path: Path, others: int = 2) -> dict[str, Path]:
    """The office changed H000001's room, and every neighbour's by hand in one commit (a gridctl edit
    each took most of the test's time, and what the worker's merge writes is the same); 李强, offline,
    changed H000001's housing."""
    t = team(tmp_path, households=neighbours(others))
    assert run(t["office"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    for n in range(2, others + 2):
        path = t["office"] / HOUSE.format(n)
        path.write_text(path.read_text(encoding="utf-8").replace('room: "501"', 'room: "601"'), encoding="utf-8")
    git(t["office"], "commit", "-qam", "门牌更正")
    assert run(t["office"], "sync")[0] == 0
    assert run(t["w2"], "edit", "H000001", "--set", "housing=租赁")[0] == 0
    return t


def clean(clone: Path) -> list[str]:
    """What git status lists (untracked files too): nothing, when the ledger is as committed."""
    out = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, check=True).stdout
    return out.decode("utf-8").splitlines()


def test_a_sync_killed_while_git_merged_is_put_back_and_merged_again(tmp_path: Path) -> None:
    t = office_and_worker_both_changed(tmp_path)
    w2 = t["w2"]
    before = git(w2, "rev-parse", "HEAD")
    code = sync_killed(w2, crash="driver@GROUP")  # git holds its index lock while the driver runs
    assert code == -signal.SIGKILL
    assert (w2 / ".git" / "index.lock").exists()
    # what git's checkout had written before the kill: a neighbour as the office has it, and a file
    # the clerk then opened and changed by hand (kept, never overwritten)
    blob = subprocess.run(
        ["git", "cat-file", "blob", f"HEAD:{HOUSE.format(2)}"], cwd=t["office"], capture_output=True, check=True
    ).stdout
    (w2 / HOUSE.format(2)).write_bytes(blob)
    by_hand = (w2 / HOUSE.format(3)).read_text(encoding="utf-8").replace("501", "503")
    (w2 / HOUSE.format(3)).write_text(by_hand, encoding="utf-8")

    code, out = run(w2, "status")
    assert code == 0, out
    assert "在 git 合并时被中断" in out and "已把台账复原到合并前" in out, out
    assert HOUSE.format(3) in out and "已保留手工版本" in out, out
    assert not (w2 / ".git" / "index.lock").exists()
    assert git(w2, "rev-parse", "HEAD") == before
    assert clean(w2) == [f" M {HOUSE.format(3)}"]  # the neighbour git wrote is back; the hand edit stays
    assert 'room: "501"' in (w2 / HOUSE.format(2)).read_text(encoding="utf-8")

    (w2 / HOUSE.format(3)).write_bytes(
        subprocess.run(["git", "show", f"HEAD:{HOUSE.format(3)}"], cwd=w2, capture_output=True, check=True).stdout
    )
    code, out = run(w2, "sync")
    assert code == 0, out
    merged = (w2 / HOUSE.format(1)).read_text(encoding="utf-8")
    assert "502" in merged and "租赁" in merged
    assert clean(w2) == []


def test_a_sync_killed_at_any_moment_leaves_the_ledger_before_or_after_the_merge(tmp_path: Path) -> None:
    """Killed at random moments of a sync whose merge writes 120 files: the next command always finds
    HEAD before the merge with every file as it was, the merge under way as git left it, or the merge
    made; never a file half-way. A git that outlives its gridctl is waited for; a Ctrl-C lets git
    finish, and the merge is undone."""
    t = office_and_worker_both_changed(tmp_path, others=120)
    w2 = t["w2"]
    before = git(w2, "rev-parse", "HEAD")
    started = time.perf_counter()
    assert sync_killed(w2) == 0  # how long a whole sync takes here: the kills fall within it
    whole = time.perf_counter() - started
    git(w2, "reset", "-q", "--hard", before)
    kills = ((0.4, "group"), (0.5, "int"), (0.55, "group"), (0.6, "alone"), (0.65, "int"), (0.75, "alone"))
    for fraction, how in (*kills, (0.8, "int"), (0.85, "group")):
        sync_killed(w2, after=whole * fraction, how=how)
        code, out = run(w2, "status")
        assert code in (0, 1), out
        head = git(w2, "rev-parse", "HEAD")
        assert not (w2 / ".git" / "index.lock").exists(), (fraction, out)
        under_way = (w2 / ".git" / "MERGE_HEAD").exists()  # git finished; gridctl was killed checking it
        if under_way:
            assert head == before and "合并" in out, (fraction, out)
            git(w2, "merge", "--abort")
        elif head == before:
            assert clean(w2) == [], (fraction, clean(w2), out)
        else:
            assert clean(w2) == [] and git(w2, "merge-base", "--is-ancestor", before, head) == "", fraction
        git(w2, "reset", "-q", "--hard", before)
