"""What a write asks git, asked once: the author from config, both idents, the commit's id, the repository.

Each git process costs a few milliseconds here and tens on a Windows PC; these are the answers a
write now takes from one process where it took two. The tests hold the answers to git's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import git

from gridctl.ledger.gitrepo import Repo, located
from gridctl.ledger.message import Author, Message, default_author
from gridctl.ops.write import write

from conftest import gridctl

NEW_STAFF = "kind: staff\nid: S0003\nname: 赵六\nphone: '13800138002'\n".encode()
NO_IDENTITY = {k: "" for k in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")}


def without_identity(monkeypatch, home: Path) -> None:  # type: ignore[no-untyped-def]
    for key in NO_IDENTITY:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))


def test_the_author_is_the_last_user_name_and_email_as_git_reads_them(repo: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    without_identity(monkeypatch, tmp_path)
    subprocess.run(["git", "config", "--add", "user.name", "李 四"], cwd=repo, check=True)
    assert default_author(repo) == Author("李 四", "wangfang@example.cn")
    assert (
        subprocess.run(["git", "config", "--get", "user.name"], cwd=repo, capture_output=True, text=True).stdout.strip()
        == "李 四"
    )
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ls@example.cn")
    assert default_author(repo) == Author("李 四", "ls@example.cn")


def test_no_user_name_is_still_asked_for(repo: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    without_identity(monkeypatch, tmp_path)
    subprocess.run(["git", "config", "--unset-all", "user.name"], cwd=repo, check=True)
    code, _out, err = gridctl("edit", "S0001", "--set", "name=张三丰", cwd=repo, env={"HOME": str(tmp_path)})
    assert code == 2, err
    assert "user.name" in err and "Traceback" not in err


def test_author_and_committer_dates_are_each_honoured(repo: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-03-01T09:00:00+08:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-03-02T10:30:00+08:00")
    done = write(
        repo, {"staff/S0003.yaml": NEW_STAFF}, Message("add staff S0003: 赵六"), Author("赵 六", "zl@example.cn")
    )
    head = git.Repo(repo).commit(done.commit)
    assert head.hexsha == git.Repo(repo).head.commit.hexsha
    assert (head.author.name, head.author.email, head.authored_date) == ("赵 六", "zl@example.cn", 1772326800)
    assert (head.committer.name, head.committed_date) == ("赵 六", 1772418600)
    assert not (Repo(repo).git_dir / "gridctl-marks.tmp").exists()
    refs = subprocess.run(["git", "for-each-ref", "refs/gridctl/"], cwd=repo, capture_output=True, text=True).stdout
    assert refs == ""


def test_a_new_repository_in_the_same_folder_is_asked_again(repo: Path, tmp_path: Path) -> None:
    first = located(repo)
    shutil.rmtree(repo / ".git")
    elsewhere = tmp_path / "elsewhere.git"
    subprocess.run(["git", "init", "-q", f"--separate-git-dir={elsewhere}", str(repo)], check=True)
    assert located(repo) != first
    assert Repo(repo).git_dir == elsewhere.resolve()
    assert os.path.isfile(repo / ".git")


def git_processes(root: Path, *args: str) -> list[str]:
    """The git commands a real `gridctl ARGS` ran, in order (git's own trace, children included)."""
    import sys

    trace = root.parent / "git-trace.txt"
    trace.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR_", "GIT_COMMITTER_"))}
    env["GIT_TRACE"] = str(trace)
    done = subprocess.run([sys.executable, "-m", "gridctl", *args], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    ran = []
    for line in trace.read_text(encoding="utf-8").splitlines():
        if "trace: built-in: git " in line:
            words = [w for w in line.split("trace: built-in: git ", 1)[1].split() if not w.startswith("--")]
            ran.append(words[0])
    return ran


def test_an_edit_asks_git_only_what_it_needs(repo: Path) -> None:
    """One field edited in a ledger gridctl has written before: each git process here is one step
    of the write (design.md §3), none asks what another already answered."""
    git_processes(repo, "edit", "S0001", "--set", "name=张三丰")
    ran = git_processes(repo, "edit", "S0001", "--set", "name=张四丰", "-m", "更正姓名")
    assert ran == [
        "rev-parse",  # the repository and its top folder (the ownership check; kept for the command)
        "config",  # the author: user.name and user.email
        "rev-parse",  # under the lock: HEAD's commit and its branch
        "cat-file",  # the committed ledger's files, as they are needed
        "status",  # the file to change has no uncommitted edits
        "fast-import",  # blobs, tree and commit
        "unpack-objects",  # (run by fast-import for a small pack)
        "update-index",  # the index as it will be
        "update-ref",  # HEAD moved by compare-and-swap
    ]
    assert (
        "张四丰"
        in subprocess.run(["git", "show", "HEAD:staff/S0001.yaml"], cwd=repo, capture_output=True, text=True).stdout
    )


def test_the_journal_names_the_old_files_as_git_lists_them(repo: Path) -> None:
    """The old blobs in the journal (what a file must still be for the next command to replace it)
    come from the listing the write read, not from another `git ls-tree`: they are git's own."""
    import json
    import sys

    from gridctl.ledger.journal import JOURNAL

    git_processes(repo, "edit", "S0001", "--set", "name=张三丰")  # a listing kept, as after any write
    env = {
        **os.environ,
        "GRIDCTL_TEST_CRASH": "journal",
        "GIT_AUTHOR_NAME": "王芳",
        "GIT_AUTHOR_EMAIL": "wf@example.cn",
    }
    args = ["edit", "S0002", "--set", "name=李四", "-m", "更正"]
    killed = subprocess.run([sys.executable, "-m", "gridctl", *args], cwd=repo, env=env, capture_output=True)
    assert killed.returncode != 0
    olds = json.loads((repo / ".git" / JOURNAL).read_text(encoding="utf-8"))["olds"]
    listed = subprocess.run(
        ["git", "ls-tree", "HEAD", "--", "staff/S0002.yaml"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    assert olds == {"staff/S0002.yaml": listed[2]}


ZONES = (
    "Asia/Shanghai",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Europe/London",
    "UTC",
    "<-0030>+0:30",
)
AUTHORS = [
    ("王芳", "wangfang@example.cn"),
    (" .Dr. O'Neil, ", "<on@example.cn>;"),
    ("a<b>c", 'e"@x'),
    ("张 三\t", " z@x "),
]


def git_var(env: dict[str, str]) -> dict[str, str]:
    out = subprocess.run(["git", "var", "-l"], env=env, capture_output=True, text=True, check=True).stdout
    return {key: value for key, _, value in (line.partition("=") for line in out.splitlines())}


def test_the_idents_made_without_git_are_the_ones_git_var_makes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Names and emails trimmed as git trims them, the zone's offset as git writes it (half and
    quarter hours, west of Greenwich, summer time), both idents the same."""
    import time

    from gridctl.ledger.ident import datestamp, idents_here

    for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "GIT_TEST_DATE_NOW"):
        monkeypatch.delenv(key, raising=False)
    instants = (1768478400, 1784116800, 1802000000)  # winter and summer, each far from a change of clocks
    try:
        for zone in ZONES:
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            for name, email in AUTHORS:
                env = {**os.environ}
                for role in ("AUTHOR", "COMMITTER"):
                    env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = name, email
                author, committer = idents_here(name, email) or ("", "")
                listed = git_var(env)
                assert author == committer
                assert author.rsplit(" ", 2)[0] == listed["GIT_AUTHOR_IDENT"].rsplit(" ", 2)[0], (zone, name)
                assert author.rsplit(" ", 1)[1] == listed["GIT_AUTHOR_IDENT"].rsplit(" ", 1)[1], (zone, name)
            for instant in instants:
                dated = git_var({**os.environ, "GIT_AUTHOR_DATE": f"@{instant}"})["GIT_AUTHOR_IDENT"]
                assert dated.endswith(" " + datestamp(instant)), (zone, instant)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_date_given_to_git_is_still_read_by_git(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gridctl.ledger.ident import idents_here

    assert idents_here("王芳", "wf@example.cn") is not None
    monkeypatch.setenv("GIT_COMMITTER_DATE", "yesterday")
    assert idents_here("王芳", "wf@example.cn") is None
