"""The write pipeline: one validated commit, or nothing; locks; recovery after a kill."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import git
import pytest

from gridctl.ledger.lock import LOCK_NAME, OWNER_NAME, LockHeld
from gridctl.ledger.transaction import JOURNAL, Author, DirtyFiles, Message, Repo, recover
from gridctl.ops.write import WriteRejected, write

WANG = Author("王芳", "wangfang@example.cn")
NEW_STAFF = "kind: staff\nid: S0003\nname: 赵六\nphone: '13800138002'\n".encode()


def state(root: Path) -> tuple[str, str, dict[str, bytes]]:
    r = git.Repo(root)
    files = {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    return r.head.commit.hexsha, r.git.status("--porcelain"), files


def test_a_write_is_one_commit_with_message_author_and_trailer(repo: Path) -> None:
    msg = Message("add staff S0003: 赵六", "新聘专职网格员", "gridctl add staff --set name=赵六")
    done = write(repo, {"staff/S0003.yaml": NEW_STAFF}, msg, WANG)
    r = git.Repo(repo)
    head = r.head.commit
    assert head.hexsha == done.commit
    assert head.message == (
        "add staff S0003: 赵六\n\n新聘专职网格员\n\nGridctl-Command: gridctl add staff --set name=赵六\n"
    )
    assert (head.author.name, head.author.email) == ("王芳", "wangfang@example.cn")
    assert list(head.stats.files) == ["staff/S0003.yaml"]
    assert (repo / "staff/S0003.yaml").read_bytes() == NEW_STAFF
    assert r.git.status("--porcelain") == ""
    assert len(list(r.iter_commits())) == 2


def test_a_change_that_adds_errors_writes_nothing(repo: Path) -> None:
    before = state(repo)
    bad = "kind: staff\nid: S0004\nname: 钱七\nphone: '123'\n".encode()
    with pytest.raises(WriteRejected) as caught:
        write(repo, {"staff/S0004.yaml": bad}, Message("add staff S0004"), WANG)
    assert [p.code for p in caught.value.validation.problems] == ["GC108"]
    assert state(repo) == before


def test_pre_existing_errors_do_not_block_unrelated_writes(repo: Path) -> None:
    (repo / "staff/S0009.yaml").write_text("kind: staff\nid: S0009\nname: x\nphone: '1'\n", encoding="utf-8")
    r = git.Repo(repo)
    r.git.add(A=True)
    r.index.commit("hand edit with a bad phone")
    write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG)
    assert (repo / "staff/S0003.yaml").is_file()


def test_refuses_to_touch_a_file_with_uncommitted_edits(repo: Path) -> None:
    path = repo / "staff/S0002.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "position: 网格员\n", encoding="utf-8")
    before = state(repo)
    with pytest.raises(DirtyFiles, match=r"staff/S0002\.yaml"):
        write(repo, {"staff/S0002.yaml": "kind: staff\nid: S0002\nname: 李强\n".encode()}, Message("edit"), WANG)
    assert state(repo) == before


def test_an_untracked_file_in_the_way_is_refused(repo: Path) -> None:
    (repo / "staff/S0003.yaml").write_bytes(b"kind: staff\nid: S0003\nname: draft\n")
    with pytest.raises(DirtyFiles):
        write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add"), WANG)


def hold_lock(repo: Path) -> subprocess.Popen[bytes]:
    """Another process holding the ledger's write lock (an OS lock), as a running gridctl would."""
    lock = Path(git.Repo(repo).git_dir) / LOCK_NAME
    owner = Path(git.Repo(repo).git_dir) / OWNER_NAME
    code = f"""
import json, time
from filelock import FileLock
lock = FileLock({str(lock)!r}, thread_local=False)
lock.acquire()
owner = {{"pid": 1, "host": "x", "since": "now", "command": "gridctl import household 户籍.xlsx"}}
open({str(owner)!r}, "w", encoding="utf-8").write(json.dumps(owner, ensure_ascii=False))
print("held", flush=True)
time.sleep(60)
"""
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_a_second_writer_waits_then_says_who_is_writing(repo: Path) -> None:
    holder = hold_lock(repo)
    try:
        before = state(repo)
        started = time.monotonic()
        with pytest.raises(LockHeld, match="gridctl import household") as caught:
            write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add"), WANG, wait=0.5)
        assert time.monotonic() - started >= 0.5
        assert "--wait" in (caught.value.hint or "")
        assert state(repo) == before
    finally:
        holder.kill()
        holder.wait()


def test_a_second_writer_goes_ahead_when_the_first_finishes_in_time(repo: Path) -> None:
    holder = hold_lock(repo)
    threading.Timer(0.5, holder.kill).start()
    done = write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG, wait=30)
    holder.wait()
    assert git.Repo(repo).head.commit.hexsha == done.commit


def test_a_killed_writer_leaves_no_lock_behind(repo: Path) -> None:
    """kill -9 of the lock's holder: the OS drops the lock; nothing to delete by hand."""
    holder = hold_lock(repo)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (Path(git.Repo(repo).git_dir) / LOCK_NAME).exists()  # the file may stay; the lock is gone
    done = write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG, wait=0)
    assert done.commit is not None


def test_an_old_style_lock_file_with_no_owner_is_not_a_lock(repo: Path) -> None:
    """An empty lock file (a kill between creating it and writing its owner) blocks nobody."""
    (Path(git.Repo(repo).git_dir) / LOCK_NAME).write_bytes(b"")
    done = write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG, wait=0)
    assert done.commit is not None


def test_deletes_and_moves(repo: Path) -> None:
    """Files removed and written in one commit; a folder left empty goes with them. (Staff files: a
    household's file belongs in its grid's folder, GC221.)"""
    olds = ["staff/S0001.yaml", "staff/S0002.yaml"]
    data = {rel: (repo / rel).read_bytes() for rel in olds}
    changes: dict[str, bytes | None] = {rel: None for rel in olds}
    changes.update({f"people/{rel}": data[rel] for rel in olds})
    write(repo, changes, Message("move staff files"), WANG)
    assert not (repo / "staff").exists()
    assert all((repo / "people" / rel).read_bytes() == data[rel] for rel in olds)
    assert git.Repo(repo).git.status("--porcelain") == ""


def interrupt_at(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    """Ctrl-C at a named step of the write (the crash tests' hook, in this process)."""
    from gridctl.ledger import crash

    crash._seen.clear()
    monkeypatch.setenv(crash.ENV, f"{step}@INT")


def test_recovery_finishes_a_write_interrupted_after_head_moved(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C between update-ref and the working-tree write: it says so, and the next command finishes it."""
    from gridctl.ledger.transaction import Interrupted

    interrupt_at(monkeypatch, "head")
    with pytest.raises(Interrupted, match="committed") as caught:
        write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG)
    assert caught.value.exit_code == 130
    monkeypatch.delenv("GRIDCTL_TEST_CRASH")
    r = git.Repo(repo)
    assert r.head.commit.message.startswith("add staff S0003")
    assert not (repo / "staff/S0003.yaml").exists()
    assert (Path(r.git_dir) / JOURNAL).is_file()
    done = recover(Repo(repo))
    assert done is not None and done.finished and not done.kept
    assert (repo / "staff/S0003.yaml").read_bytes() == NEW_STAFF
    assert r.git.status("--porcelain") == ""
    assert not (Path(r.git_dir) / JOURNAL).exists()
    assert not (Path(r.git_dir) / "index.lock").exists()


def test_recovery_removes_a_half_written_temp_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gridctl.ledger.transaction import Interrupted

    interrupt_at(monkeypatch, "head")
    with pytest.raises(Interrupted):
        write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG)
    monkeypatch.delenv("GRIDCTL_TEST_CRASH")
    (repo / "staff/.gridctl-abc123.tmp").write_bytes(NEW_STAFF[:5])  # what a kill inside atomic_write leaves
    recover(Repo(repo))
    assert not (repo / "staff/.gridctl-abc123.tmp").exists()
    assert (repo / "staff/S0003.yaml").read_bytes() == NEW_STAFF
    assert git.Repo(repo).git.status("--porcelain") == ""


def test_a_plain_git_commit_while_gridctl_holds_the_lock_is_never_overwritten(repo: Path) -> None:
    """The change was planned against HEAD; a commit made meanwhile by plain git wins, gridctl refuses."""
    from gridctl.errors import GridctlError
    from gridctl.ops.write import transaction

    with transaction(repo, "gridctl add staff") as txn:
        txn.ledger()
        (repo / "staff/S0002.yaml").write_text("kind: staff\nid: S0002\nname: 李强\n", encoding="utf-8")
        r = git.Repo(repo)
        r.git.add(A=True)
        r.git.commit("-m", "hand edit")
        after_plain = state(repo)
        with pytest.raises(GridctlError, match="branch moved") as caught:
            txn.commit({"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG)
    assert caught.value.exit_code == 2
    assert state(repo) == after_plain


def test_not_a_git_repository(ledger: Path) -> None:
    from gridctl.errors import GridctlError

    with pytest.raises(GridctlError, match="not a git repository"):
        write(ledger, {"staff/S0003.yaml": NEW_STAFF}, Message("add"), WANG)


@pytest.mark.parametrize(
    ("rel", "old", "new", "code"),
    [
        ("staff/S0001.yaml", "name:", "active: false\nname:", "GC233"),  # responsibility reads staff
        ("grids/110105001001001.yaml", "parent:", "parent: '110105001009'\nx_parent:", "GC202"),
        ("households/110105001001001/H000001.yaml", "grid:", "grid: '110105001999999'\nx_grid:", "GC202"),
    ],
)
def test_a_write_skips_only_checks_that_read_none_of_what_it_changed(
    repo: Path, rel: str, old: str, new: str, code: str
) -> None:
    """A write runs only the checks that read the kinds it changes (checks.READS): each kind's own
    ledger-wide error still stops it."""
    before = state(repo)
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1).replace("x_parent:", "#").replace("x_grid:", "#")
    with pytest.raises(WriteRejected) as caught:
        write(repo, {rel: changed.encode()}, Message(f"edit {rel}"), WANG)
    assert code in [p.code for p in caught.value.validation.problems]
    assert state(repo) == before
