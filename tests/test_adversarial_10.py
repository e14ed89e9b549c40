"""Adversarial cases for issue 10 ("nothing lost, nothing silently wrong") that fail on the write path.

Each test is one reproduction found by trying to break the promise with real processes on the
example community: a real gridctl killed at a named step (GRIDCTL_TEST_CRASH), then what a clerk
or another program does next (a hand edit, a plain `git commit`, a deleted journal, a worktree).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import git
import test_reliability as reliability
from test_reliability import head

from gridctl.ledger.transaction import JOURNAL

GRID_A, GRID_B = "110105017006001", "110105017006002"
H1 = f"households/{GRID_A}/H000001.yaml"


def run(root: Path, *args: str, crash: str | None = None, env: dict[str, str] | None = None):
    """The real gridctl in a subprocess (test_reliability's runner), messages in English."""
    return reliability.run(root, "--lang", "en", *args, crash=crash, env=env)


def at_head(root: Path, rel: str) -> str:
    return git.Repo(root).git.show(f"HEAD:{rel}")


def ids_in_head(root: Path) -> list[str]:
    """Every `id:` in every YAML file of HEAD (records and household members)."""
    out = git.Repo(root).git.grep("-h", "-E", r"^\s*(- )?id: ", "HEAD", "--", "*.yaml")
    return [line.split("id:", 1)[1].strip().strip('"') for line in out.splitlines()]


def validate_head(root: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    """`gridctl validate` on a fresh clone of HEAD: what CI and a colleague's clone see."""
    clone = tmp / "clone"
    git.Repo.clone_from(str(root), str(clone))
    return run(clone, "validate")


def test_a_deleted_journal_after_a_kill_does_not_let_the_next_add_reuse_an_id(demo: Path, tmp_path: Path) -> None:
    """Killed after HEAD moved; the clerk deletes the strange .git/gridctl-journal.json file.

    HEAD has P0000101 in H000001, the working tree does not. The next `add person` plans
    from the working tree (not HEAD) and commits a second P0000101 in H000002.
    """
    killed = run(
        demo, "add", "person", "--household", "H000001", "--set", "name=张三", "--set", "relation=其他", crash="head"
    )
    assert killed.returncode < 0
    (Path(git.Repo(demo).git_dir) / JOURNAL).unlink()
    run(demo, "add", "person", "--household", "H000002", "--set", "name=李四", "--set", "relation=其他")
    ids = ids_in_head(demo)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_a_corrupted_journal_after_a_kill_is_not_silently_dropped(demo: Path) -> None:
    """A journal that no longer parses is dropped as if written before HEAD moved; reads then answer
    from the stale tree: `validate` says no problems and `show` misses the committed room."""
    killed = run(demo, "edit", "H000001", "--set", "address.room=999", crash="head")
    assert killed.returncode < 0
    journal = Path(git.Repo(demo).git_dir) / JOURNAL
    journal.write_bytes(journal.read_bytes()[:20])  # a half-copied, damaged file
    shown = run(demo, "show", "H000001")
    assert "999" in at_head(demo, H1)
    assert shown.returncode != 0 or "999" in shown.stdout, shown.stdout[-400:]


def test_finishing_an_interrupted_write_never_overwrites_a_hand_edit(demo: Path) -> None:
    """Killed after HEAD moved; the clerk then fixes the file by hand; the next `status` replaces
    the file with the commit's version without a word: the hand edit is gone."""
    killed = run(demo, "edit", "H000001", "--set", "address.room=999", crash="head")
    assert killed.returncode < 0
    path = demo / H1
    path.write_text(
        path.read_text(encoding="utf-8").replace("每周电话回访", "每周电话回访，手工补记：已送药"), encoding="utf-8"
    )
    done = run(demo, "status")
    kept = "手工补记" in path.read_text(encoding="utf-8")
    assert kept or done.returncode != 0, "the hand edit was overwritten and status exited 0"


def test_a_plain_git_commit_after_a_kill_does_not_silently_undo_the_change(demo: Path) -> None:
    """Killed after HEAD moved (index not yet updated): gridctl still holds git's index lock, so the
    clerk's `git add`/`git commit` is refused by git itself instead of committing the old index on
    top (which would revert the edit); after any gridctl command finished the write, it works."""
    killed = run(demo, "edit", "H000001", "--set", "address.room=999", crash="head")
    assert killed.returncode < 0
    repo = git.Repo(demo)
    (demo / "备注.txt").write_text("周一开会", encoding="utf-8")
    try:
        repo.git.add("备注.txt")
        repo.git.commit("-q", "-m", "note")
    except git.GitCommandError as exc:
        assert "index.lock" in str(exc)
        nxt = run(demo, "status")
        assert nxt.returncode == 0 and "finished the interrupted write" in nxt.stderr, nxt.stderr
        repo.git.add("备注.txt")
        repo.git.commit("-q", "-m", "note")
    assert "999" in at_head(demo, H1), "the committed edit was undone"
    assert repo.git.status("--porcelain") == ""


def test_a_journal_that_is_not_an_object_is_not_an_internal_error(demo: Path) -> None:
    for text in ("[]", "null", '"x"', "5", json.dumps({"new": head(demo), "blobs": {H1: 5}})):
        (Path(git.Repo(demo).git_dir) / JOURNAL).write_text(text, encoding="utf-8")
        done = run(demo, "status")
        assert done.returncode in (0, 1, 2), (text, done.stderr[-300:])
        assert "internal error" not in done.stderr, (text, done.stderr[-300:])


def test_a_journal_never_touches_a_file_outside_the_ledger(demo: Path, tmp_path: Path) -> None:
    """Paths in the journal are used as they are: `../x` deletes a file beside the ledger."""
    outside = demo.parent / "clerk-notes.yaml"
    outside.write_text("important: yes\n", encoding="utf-8")
    entry = {"old": head(demo), "new": head(demo), "subject": "x", "blobs": {"../clerk-notes.yaml": None}}
    (Path(git.Repo(demo).git_dir) / JOURNAL).write_text(json.dumps(entry), encoding="utf-8")
    run(demo, "status")
    assert outside.is_file(), "a journal entry deleted a file outside the ledger"


def hook(root: Path, body: str) -> None:
    """A reference-transaction hook: git runs it inside gridctl's own ref updates, so what it does
    happens at an exact moment of the write (no timing, no sleeps)."""
    path = root / ".git" / "hooks" / "reference-transaction"
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)


def test_a_hand_edit_saved_during_a_write_is_not_overwritten(demo: Path) -> None:
    """The clerk saves H000001.yaml in an editor after gridctl checked the file was clean, as it
    moves HEAD to its commit: the write then replaced the file, the hand edit was gone, exit 0."""
    hook(
        demo,
        f"""if [ "$1" = prepared ] && grep -q refs/heads/ && [ ! -f "{demo}/.git/hand" ]; then
  touch "{demo}/.git/hand"
  sed -i 's/每周电话回访/每周电话回访，手工补记/' "{demo / H1}"
fi
""",
    )
    done = run(demo, "edit", "H000001", "--set", "address.room=999")
    kept = "手工补记" in (demo / H1).read_text(encoding="utf-8")
    assert kept or done.returncode != 0, "the hand edit was overwritten and the write said committed"


def test_a_plain_git_commit_racing_a_write_does_not_revert_it(demo: Path) -> None:
    """A `git commit` (another program, a GUI) right after gridctl moved the branch: it commits the
    old index, so HEAD no longer has the edit, yet gridctl said `committed` and exits 0."""
    hook(
        demo,
        f"""if [ "$1" = committed ] && grep -q refs/heads/ && [ ! -f "{demo}/.git/raced" ]; then
  touch "{demo}/.git/raced"
  cd "{demo}" && echo 周一开会 > note.txt && git add note.txt && git commit -q -m note
fi
""",
    )
    done = run(demo, "edit", "H000001", "--set", "address.room=999")
    assert "999" in at_head(demo, H1) or done.returncode != 0, git.Repo(demo).git.log("--oneline", "-3")


def test_a_write_validates_against_head_not_an_uncommitted_file(demo: Path, tmp_path: Path) -> None:
    """staff/S9001.yaml exists only in the working tree (never committed); `assign` validates
    against the working tree and commits a grid that refers to a staff HEAD does not have."""
    (demo / "staff" / "S9001.yaml").write_text(
        'kind: staff\nid: "S9001"\nname: 赵六\ngender: 男\nphone: "13800000000"\nemployment: 专职\n', encoding="utf-8"
    )
    done = run(demo, "assign", GRID_A, "--role", "网格员", "--staff", "S9001", "--duty", "巡查")
    if done.returncode == 0:
        checked = validate_head(demo, tmp_path)
        assert checked.returncode == 0, checked.stdout[-400:]


def test_the_first_commit_on_an_unborn_branch_holds_the_ledger_it_validated(demo: Path, tmp_path: Path) -> None:
    """`git init` over an existing ledger folder, nothing committed yet: `add staff` validates the
    whole working tree but commits a root commit with one file and no gridctl.yaml."""
    import shutil

    shutil.rmtree(demo / ".git")
    repo = git.Repo.init(demo)
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "王芳")
        cfg.set_value("user", "email", "wangfang@example.cn")
    args = ["--set", "name=甲", "--set", "gender=男", "--set", "phone=13800000000", "--set", "employment=专职"]
    done = run(demo, "add", "staff", *args)
    if done.returncode == 0:
        files = repo.git.ls_tree("-r", "--name-only", "HEAD").splitlines()
        assert "gridctl.yaml" in files, files


def test_a_read_in_a_git_worktree_never_returns_a_half_written_tree(demo: Path, tmp_path: Path) -> None:
    """In a `git worktree`, HEAD's branch ref lives in the main .git, so consistent_read's
    fingerprint never changes: a write between two reads goes unnoticed (a torn read)."""
    from gridctl.ledger.transaction import consistent_read

    side = tmp_path / "side"
    git.Repo(demo).git.worktree("add", "-q", "-b", "side", str(side))
    path = side / H1
    writes: list[int] = []

    def read() -> bool:
        first = path.read_text(encoding="utf-8")
        if not writes:
            writes.append(run(side, "edit", "H000001", "--set", "address.room=778").returncode)
        return first == path.read_text(encoding="utf-8")

    whole = consistent_read(side, read)
    assert writes == [0]
    assert whole, "consistent_read returned a read that a write changed half-way"


def test_a_folder_replaced_by_a_file_is_named_as_such(demo: Path) -> None:
    """households/<grid> is a file (an unzip gone wrong): exit 2 and nothing written is right, but the
    message says 'permission denied … make the folder writable', which sends the clerk astray."""
    folder = demo / "households" / GRID_B
    import shutil

    shutil.rmtree(folder)
    folder.write_text("oops", encoding="utf-8")
    git.Repo(demo).git.add("-A")
    git.Repo(demo).git.commit("-q", "-m", "unzip")
    before = head(demo)
    done = run(demo, "move", "H000001", "--to", GRID_B)
    assert done.returncode == 2 and head(demo) == before
    assert "permission denied" not in done.stderr and "read-only" not in done.stderr, done.stderr


def test_a_path_entry_that_cannot_be_read_is_not_a_traceback(tmp_path: Path) -> None:
    """A PATH entry gridctl cannot stat (too long here; on a server, a folder of another user)
    crashes every command, even --version, with a traceback and exit 1."""
    env = {**os.environ, "PATH": "/" + "a" * 300 + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run(
        [sys.executable, "-m", "gridctl", "--version"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr, done.stderr[-300:]
    assert done.returncode == 0


def test_a_report_publish_interrupted_after_its_commit_can_still_be_published(demo: Path) -> None:
    """Killed after the report's commit landed but before the tag: running --publish again says
    'nothing changes, nothing committed' and never tags, so the month can never be published."""
    args = ["report", "monthly", "--month", "2026-03", "--publish"]
    killed = run(demo, *args, crash="index")
    assert killed.returncode < 0
    again = run(demo, *args)
    tags = git.Repo(demo).git.tag("--list", "report/*").split()
    assert tags == ["report/2026-03"], (again.returncode, again.stdout, again.stderr)


def test_an_uncommitted_deletion_does_not_make_add_reuse_ids_head_still_has(demo: Path) -> None:
    """The clerk deletes households/…/H000040.yaml by hand (not yet committed; it holds P0000100).
    `add person` then allocates P0000100 and `add household` H000040 from the working tree, and
    both commit: HEAD has two P0000100 and two H000040, and every command exited 0."""
    (demo / "households" / "110105017006004" / "H000040.yaml").unlink()
    run(demo, "add", "person", "--household", "H000001", "--set", "name=新人", "--set", "relation=其他")
    run(demo, "add", "household", "--set", f"grid={GRID_A}", "--set", "address.room=1")
    ids = ids_in_head(demo)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_a_damaged_lock_owner_file_is_not_an_internal_error(demo: Path) -> None:
    """Another process holds the lock and .git/gridctl.lock.owner holds JSON that is not an object
    (a damaged file): the waiting writer gives up with exit 3 instead of 'the ledger is busy'."""
    git_dir = Path(git.Repo(demo).git_dir)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]); lock.acquire();"
            " print('held', flush=True); sys.stdin.read()",
            str(git_dir / "gridctl.lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        (git_dir / "gridctl.lock.owner").write_text("[1, 2]", encoding="utf-8")
        done = run(demo, "--wait", "0", "edit", "H000001", "--set", "address.room=999")
    finally:
        holder.communicate("")
    assert done.returncode == 2, done.stderr[-300:]
    assert "busy" in done.stderr


def test_a_line_separator_in_a_one_line_name_is_refused_or_kept_exactly(demo: Path) -> None:
    """U+2028 (LINE SEPARATOR) passes the one-line check of names; the YAML writer folds it and the
    record then holds 'a\\u2028  b' (two spaces added): exit 0 and a value nobody typed."""
    args = ["--set", "gender=男", "--set", "phone=13800000000", "--set", "employment=专职"]
    done = run(demo, "add", "staff", "--set", "name=a\u2028b", *args)
    if done.returncode == 0:
        from gridctl.ledger.index import load

        ledger, _ = load(demo)
        assert ledger is not None
        names = {e.record.name for e in ledger.by_kind["staff"] if e.record is not None}  # type: ignore[union-attr]
        assert "a\u2028b" in names, sorted(n for n in names if n.startswith("a"))
    else:
        assert done.returncode in (1, 2)


def test_an_import_that_landed_says_so_when_the_rejected_file_cannot_be_written(demo: Path, tmp_path: Path) -> None:
    """--skip-invalid commits the good rows, then writes FILE.rejected.csv outside the write; when
    that fails (on Windows: last run's rejected file still open in Excel) the command exits 2 with
    'cannot read or write <folder>' and no word that the import was committed."""
    from conftest import id_number

    number = id_number("110105", "19900101", "011")
    source = tmp_path / "register.csv"
    source.write_bytes(
        (
            "所属网格,小区,楼栋,单元,房号,姓名,与户主关系,性别,公民身份号码,出生日期,人员类型\r\n"
            f"第一网格,幸福里小区,9号楼,1单元,101,导入甲,户主,男,{number},1990-01-01,户籍\r\n"
            "第九网格,幸福里小区,9号楼,1单元,102,坏行,户主,男,123,1990-01-01,户籍\r\n"
        ).encode("gbk")
    )
    (tmp_path / "register.rejected.csv").mkdir()  # stands in for a file another program holds open
    before = head(demo)
    done = run(demo, "import", "household", "--skip-invalid", str(source))
    landed = head(demo) != before
    if landed and done.returncode != 1:
        said = (done.stdout + done.stderr).replace(str(tmp_path), "<tmp>")
        assert "committed" in said or "已提交" in said, (done.returncode, said[-400:])


def test_ctrl_c_after_the_commit_landed_says_it_was_committed(demo: Path) -> None:
    """Ctrl-C once HEAD moved: exit 130 and not a word, so the clerk believes the change was
    abandoned and types it again (a second person, a second event)."""
    before = head(demo)
    stopped = run(
        demo,
        "add",
        "person",
        "--household",
        "H000002",
        "--set",
        "name=新人",
        "--set",
        "relation=其他",
        crash="head@INT",
    )
    assert stopped.returncode == 130 and head(demo) != before
    said = stopped.stdout + stopped.stderr
    assert "committed" in said or "已提交" in said, repr(said)


def test_validate_reports_a_hand_written_file_named_like_a_windows_device(demo: Path) -> None:
    """staff/CON.yaml (a valid record) passes `validate`; Git for Windows cannot check it out
    (`invalid path`), so the clerk's next pull breaks. Hand-written paths get the checks ids get."""
    text = 'kind: staff\nid: "S9999"\nname: 甲\ngender: 男\nphone: "13800000000"\nemployment: 专职\n'
    (demo / "staff" / "CON.yaml").write_text(text, encoding="utf-8")
    done = run(demo, "validate")
    assert done.returncode == 1 and "CON.yaml" in done.stdout, done.stdout[-300:]


def test_a_shallow_clone_does_not_hand_out_an_id_that_left_in_history(demo: Path, tmp_path: Path) -> None:
    """P0000150 was in H000002 and was removed two commits ago. A `git clone --depth 1` cannot see
    that, and `add person` there allocates an id the history already used (P0000101 after
    P0000150 left): no warning, exit 0. It should refuse, or say the history is incomplete."""
    repo = git.Repo(demo)
    path = demo / "households" / GRID_A / "H000002.yaml"
    text = path.read_text(encoding="utf-8")
    member = '  - id: "P0000150"\n    name: 临时\n    gender: 男\n    relation: 其他\n'
    path.write_text(text + member, encoding="utf-8")
    repo.git.commit("-qam", "add P0000150 by hand")
    path.write_text(text, encoding="utf-8")
    repo.git.commit("-qam", "remove P0000150 by hand")
    (demo / "notes.txt").write_text("x", encoding="utf-8")
    repo.git.add("notes.txt")
    repo.git.commit("-qm", "later commit")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{demo}", str(shallow)], check=True)
    env = {"GIT_AUTHOR_NAME": "王芳", "GIT_AUTHOR_EMAIL": "wf@example.cn"}
    done = run(
        shallow, "add", "person", "--household", "H000004", "--set", "name=新人", "--set", "relation=其他", env=env
    )
    if done.returncode == 0:
        assert "P0000151" in done.stdout, done.stdout
    else:
        assert done.returncode == 2, done.stderr


def test_a_ref_that_cannot_be_updated_is_not_reported_as_a_moved_branch(demo: Path) -> None:
    """update-ref fails for a reason that is not a race (here git's reflog for the branch cannot be
    written; in the field, a read-only .git/logs or a full disk): gridctl says 'the branch moved
    while gridctl was writing … run the command again', which is false and never helps."""
    repo = git.Repo(demo)
    branch = repo.active_branch.name
    log = Path(repo.git_dir) / "logs" / "refs" / "heads" / branch
    log.unlink()
    log.mkdir()
    (log / "x").write_text("x", encoding="utf-8")
    before = head(demo)
    done = run(demo, "edit", "H000001", "--set", "address.room=999")
    assert done.returncode == 2 and head(demo) == before
    assert "moved" not in done.stderr, done.stderr
