"""The write pipeline: one validated commit, or nothing; locks; recovery after a kill."""

from __future__ import annotations

import json
import os
from pathlib import Path

import git
import pytest

from gridctl.ledger.lock import LOCK_NAME, LockHeld
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


def test_a_second_writer_is_locked_out(repo: Path) -> None:
    lock = Path(git.Repo(repo).git_dir) / LOCK_NAME
    lock.write_text(
        json.dumps({"pid": os.getpid(), "host": os.uname().nodename, "since": "now", "command": "gridctl import"}),
        encoding="utf-8",
    )
    with pytest.raises(LockHeld, match="another gridctl is writing"):
        write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add"), WANG)


def test_a_stale_lock_is_reported_with_how_to_clear_it(repo: Path) -> None:
    lock = Path(git.Repo(repo).git_dir) / LOCK_NAME
    lock.write_text(
        json.dumps({"pid": 2**22 + 12345, "host": os.uname().nodename, "since": "then", "command": "gridctl import"}),
        encoding="utf-8",
    )
    with pytest.raises(LockHeld) as caught:
        write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add"), WANG)
    assert "stale lock" in caught.value.message
    assert str(lock) in (caught.value.hint or "")
    assert not (repo / "staff/S0003.yaml").exists()


def test_deletes_and_moves(repo: Path) -> None:
    old = "households/110105001001001/H000001.yaml"
    data = (repo / old).read_bytes()
    write(repo, {old: None, "households/moved/H000001.yaml": data}, Message("move household H000001"), WANG)
    assert not (repo / "households/110105001001001").exists()
    assert (repo / "households/moved/H000001.yaml").read_bytes() == data
    assert git.Repo(repo).git.status("--porcelain") == ""


def test_recovery_finishes_a_write_killed_after_head_moved(repo: Path) -> None:
    """Simulate a kill between update-ref and the working-tree write: the next write finishes it."""
    from gridctl.ledger import transaction

    real = transaction._materialise
    transaction._materialise = lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt())
    try:
        with pytest.raises(KeyboardInterrupt):
            write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG)
    finally:
        transaction._materialise = real
    r = git.Repo(repo)
    assert r.head.commit.message.startswith("add staff S0003")
    assert not (repo / "staff/S0003.yaml").exists()
    assert (Path(r.git_dir) / JOURNAL).is_file()
    recover(Repo(repo))
    assert (repo / "staff/S0003.yaml").read_bytes() == NEW_STAFF
    assert r.git.status("--porcelain") == ""
    assert not (Path(r.git_dir) / JOURNAL).exists()


def test_recovery_removes_a_half_written_temp_file(repo: Path) -> None:
    from gridctl.ledger import transaction

    real = transaction.atomic_write

    def killed(path: Path, data: bytes) -> None:
        (path.parent / ".gridctl-abc123.tmp").write_bytes(data[:5])
        raise KeyboardInterrupt

    transaction.atomic_write = killed
    try:
        with pytest.raises(KeyboardInterrupt):
            write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG)
    finally:
        transaction.atomic_write = real
    recover(Repo(repo))
    assert not (repo / "staff/.gridctl-abc123.tmp").exists()
    assert (repo / "staff/S0003.yaml").read_bytes() == NEW_STAFF
    assert git.Repo(repo).git.status("--porcelain") == ""


def test_a_change_planned_before_someone_elses_commit_is_refused(repo: Path) -> None:
    from gridctl.errors import GridctlError

    planned_at = git.Repo(repo).head.commit.hexsha
    write(repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003"), WANG)  # someone else, meanwhile
    before = state(repo)
    other = "kind: staff\nid: S0004\nname: 钱七\n".encode()
    with pytest.raises(GridctlError, match="changed while this command was preparing"):
        write(repo, {"staff/S0004.yaml": other}, Message("add staff S0004"), WANG, expect_head=planned_at)
    assert state(repo) == before


def test_not_a_git_repository(ledger: Path) -> None:
    from gridctl.errors import GridctlError

    with pytest.raises(GridctlError, match="not a git repository"):
        write(ledger, {"staff/S0003.yaml": NEW_STAFF}, Message("add"), WANG)
