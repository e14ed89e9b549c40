"""Adversarial pass over three read-path shortcuts: a warm run must print what a cold run prints.

The shortcuts: the working tree listed from git's index (gridctl.ledger.gitlisting, forced here by
GRIDCTL_WALK=0), the listing a write keeps of its commit (gridctl.ledger.listings), and the
validated settings kept in a pickle (gridctl.ledger.config._kept_settings). A warm run has the cache
on and asks git; a cold run has no cache and walks the folder. `validate`, `status`, `list
household` and `show` must come out the same, and no run may end in a traceback.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import warmcold
from warmcold import COLD, WARM, git, run

COMMANDS = (["validate"], ["status"], ["list", "household"], ["show", "H000001"])
HOUSEHOLD = "households/110105017006001/H000001.yaml"


def differences(root: Path, commands=COMMANDS) -> list[str]:
    return warmcold.differences(root, commands)


def test_trustctime_false_edit_keeping_size_and_mtime(demo: Path) -> None:
    """Failed before gridctl.ledger.gitlisting refused core.trustctime=false (a setting git suggests
    for shared and network folders): git then compares a file by size and mtime alone, so a same-size
    edit whose mtime is kept (`cp -p`, a restore from backup) was vouched as the index's old blob, and
    the warm run showed the old room while the cold run showed the new one. Such a repository is
    walked now."""
    git(demo, "config", "core.trustctime", "false")
    git(demo, "status")  # the copied index's stat data brought up to date, as any git command does
    assert differences(demo) == []  # the cache now holds the committed file's facts
    path = demo / HOUSEHOLD
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert 'room: "101"' in text
    path.write_text(text.replace('room: "101"', 'room: "909"'), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert "909" in run(demo, COLD, "list", "household")[1]
    assert differences(demo) == []


def test_global_attributes_file_converts_what_git_compares(demo: Path, tmp_path: Path, monkeypatch) -> None:
    """Failed before gridctl.ledger.gitlisting looked for git's default attributes files. git reads
    ~/.config/git/attributes (or $XDG_CONFIG_HOME/git/attributes) when core.attributesFile is unset.
    With `*.yaml working-tree-encoding=GBK` there, a household saved as GBK (Notepad's ANSI) and
    `git add`ed is clean to git (its index blob is the UTF-8 text), so the warm run vouched UTF-8
    content that is not on disk: it reported no errors and `show` found the household, while the
    cold run reported the file not UTF-8 and no H000001."""
    git(demo, "status")  # the copied index's stat data brought up to date, as any git command does
    home = tmp_path / "home"
    (home / ".config" / "git").mkdir(parents=True)
    (home / ".config" / "git" / "attributes").write_text("*.yaml working-tree-encoding=GBK\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    path = demo / HOUSEHOLD
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    git(demo, "add", "-A")  # the index's stat now matches the GBK file; its blob stays the UTF-8 one
    assert git(demo, "status", "--porcelain") == ""
    assert run(demo, COLD, "validate")[0] == 1
    assert differences(demo) == []


def test_file_name_not_utf8_is_reported_not_a_traceback(demo: Path) -> None:
    """Failed before, warm and cold alike (not the shortcut's doing, found on the way). A record file whose
    name is not UTF-8 (copied from a GBK zip or USB stick on Linux) ends validate in a
    UnicodeEncodeError: warm in validate._state_key (f"{rel}\\0{blob}".encode()), cold when the
    report with the surrogate-escaped name was printed. Its bytes are now shown as U+FFFD."""
    folder = demo / "households" / "110105017006001"
    (folder / os.fsdecode("户主".encode("gbk") + b".yaml")).write_bytes((folder / "H000002.yaml").read_bytes())
    for env in (COLD, WARM):
        code, out = run(demo, env, "validate")
        assert "Traceback" not in out and code in (0, 1, 2), out[-600:]


def test_names_untracked_ignored_hidden_linked_and_nested(demo: Path) -> None:
    """Names with spaces, Chinese, a tab and a newline; an untracked, an ignored and a
    committed copy; files in hidden and SKIP_DIRS folders; a tracked file replaced by a folder; an
    untracked link to a folder; an untracked nested repository: the listing from git is the walk's."""
    folder = demo / "households" / "110105017006001"
    data = (folder / "H000002.yaml").read_bytes()
    for name in ("a b.yaml", "户主.yaml", "tab\there.yaml", "new\nline.yaml"):
        (folder / name).write_bytes(data)
    (demo / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    for rel in ("ignored/x.yaml", "photos/x.yaml", ".hidden/x.yaml", "templates/x.yaml"):
        (demo / rel).parent.mkdir(exist_ok=True)
        (demo / rel).write_bytes(data)
    assert differences(demo, COMMANDS[:3]) == []
    git(demo, "add", "-A")
    git(demo, "commit", "-qm", "copies")
    (folder / "a b.yaml").unlink()
    (folder / "a b.yaml").mkdir()
    (folder / "a b.yaml" / "inner.yaml").write_bytes(data)
    os.symlink(demo / "orgs", demo / "linked")
    assert differences(demo, COMMANDS[:3]) == []
    (demo / "linked").unlink()
    subprocess.run(["git", "init", "-q", str(demo / "nested")], check=True)
    (demo / "nested" / "y.yaml").write_bytes(data)
    assert differences(demo, COMMANDS[:3]) == []


def test_kept_listing_after_edit_and_damage(demo: Path) -> None:
    """After a gridctl edit the commit's listing is kept; `validate --rev` of the new
    and the old commit, then with the kept listing cut in half or overwritten, warm equals cold;
    after `git commit --amend` the kept listing (of a commit no longer HEAD) is not used for HEAD."""
    code, out = run(demo, WARM, "edit", "H000001", "--set", "address.room=909", "-m", "核实")
    assert code == 0, out
    kept = list((demo / ".git" / "gridctl" / "cache").glob("listing-*.bin"))
    assert len(kept) == 1
    revs = (["validate", "--rev", "HEAD"], ["validate", "--rev", "HEAD~1"], ["show", "H000001"])
    assert differences(demo, revs) == []
    data = kept[0].read_bytes()
    kept[0].write_bytes(data[: len(data) // 2])
    assert differences(demo, revs[:1]) == []
    kept[0].write_bytes(b"\x00garbage" * 64)
    assert differences(demo, revs[:1]) == []
    kept[0].write_bytes(data)
    (demo / "extra.yaml").write_bytes((demo / HOUSEHOLD).read_bytes())
    git(demo, "add", "extra.yaml")
    git(demo, "commit", "-q", "--amend", "--no-edit")
    assert differences(demo, revs[:1]) == []


@pytest.mark.parametrize("damage", ["cut", "other"])
def test_kept_settings_follow_gridctl_yaml(demo: Path, damage: str) -> None:
    """gridctl.yaml valid, then invalid (an unknown zone), then valid again, then of
    another profile; the settings pickle cut short or holding another ledger's settings under a stale
    key: warm validate and status equal cold each time."""
    settings = demo / "gridctl.yaml"
    good = settings.read_text(encoding="utf-8")
    commands = COMMANDS[:2]
    assert differences(demo, commands) == []
    settings.write_text(good + "timezone: Mars/Olympus\n", encoding="utf-8")
    assert differences(demo, commands) == []
    settings.write_text(good, encoding="utf-8")
    assert differences(demo, commands) == []
    kept = demo / ".git" / "gridctl" / "cache" / "settings.pickle"
    if damage == "cut":
        kept.write_bytes(kept.read_bytes()[:40])
    else:
        settings.write_text(good + "timezone: Asia/Urumqi\n", encoding="utf-8")
        run(demo, WARM, "validate")
        stale = kept.read_bytes()
        settings.write_text(good, encoding="utf-8")
        kept.write_bytes(stale)
    assert differences(demo, commands) == []
    settings.write_text(good.replace("profile: community", "profile: school"), encoding="utf-8")
    assert differences(demo, commands) == []
