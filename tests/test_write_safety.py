"""Writes that must be refused with a clear message and nothing written: unsafe ids and paths,
git states a commit would damage, folders that cannot be written, linked folders; inputs that
once ended in an internal error; reasons that tried to add trailers; ids that came back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest

from conftest import write

GRID_A, GRID_B = "110105017006001", "110105017006002"


def snapshot(root: Path) -> tuple[str, str, str]:
    repo = git.Repo(root)
    listing = "\n".join(sorted(str(p.relative_to(root)) for p in root.rglob("*") if ".git" not in p.parts))
    return repo.git.rev_parse("HEAD"), repo.git.status("--porcelain"), listing


def gc(root: Path, *args: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GRIDCTL_TEST_CRASH"}
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "gridctl", "--lang", "en", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["add", "staff", "--set", "id=../grids/evil", "--set", "name=坏人"],
        ["add", "household", "--set", "grid=../staff"],
        ["add", "grid", "--set", "id=../staff/S9999", "--set", "name=坏网格", "--set", "level=网格"],
        ["add", "event", "--set", "date=../../x", "--set", "title=x"],
        ["add", "staff", "--set", "id=CON", "--set", "name=设备名"],
        ["add", "household", "--set", "grid=110105017006001/../../staff"],
    ],
)
def test_an_id_or_value_that_would_leave_its_folder_is_refused(demo: Path, args: list[str]) -> None:
    before = snapshot(demo)
    done = gc(demo, *args)
    assert done.returncode in (1, 2), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert snapshot(demo) == before


def test_validate_reports_an_unsafe_id_in_a_hand_written_file(demo: Path) -> None:
    write(demo, "staff/S0999.yaml", "kind: staff\nid: ../grids/S0999\nname: 手写\n")
    done = gc(demo, "validate")
    assert done.returncode == 1
    assert "staff/S0999.yaml:2:5: error[GC112]" in done.stdout


def _detached(root: Path) -> None:
    git.Repo(root).git.checkout("--detach", "HEAD")


def _merging(root: Path) -> None:
    r = git.Repo(root)
    path = f"households/{GRID_A}/H000001.yaml"
    base = r.active_branch.name
    r.git.checkout("-b", "other")
    (root / path).write_text((root / path).read_text(encoding="utf-8").replace("幸福里小区", "另一小区"), "utf-8")
    r.git.commit("-am", "other side")
    r.git.checkout(base)
    (root / path).write_text((root / path).read_text(encoding="utf-8").replace("幸福里小区", "第三小区"), "utf-8")
    r.git.commit("-am", "this side")
    with pytest.raises(git.GitCommandError):
        r.git.merge("other")


def _rebasing(root: Path) -> None:
    _merging(root)
    r = git.Repo(root)
    r.git.merge("--abort")
    with pytest.raises(git.GitCommandError):
        r.git.rebase("other")


def _lock_file(name: str):  # type: ignore[no-untyped-def]
    def make(root: Path) -> None:
        r = git.Repo(root)
        target = Path(r.git_dir) / name.replace("BRANCH", r.active_branch.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")

    return make


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_detached, "HEAD is detached"),
        (_merging, "a merge is under way"),
        (_rebasing, "a rebase"),
        (_lock_file("index.lock"), "index.lock"),
        (_lock_file("HEAD.lock"), "HEAD.lock"),
        (_lock_file("refs/heads/BRANCH.lock"), ".lock"),
    ],
    ids=["detached", "merge", "rebase", "index.lock", "HEAD.lock", "branch.lock"],
)
def test_a_git_state_that_a_commit_would_damage_stops_the_write(demo: Path, make, said: str) -> None:  # type: ignore[no-untyped-def]
    make(demo)
    before = snapshot(demo)
    done = gc(demo, "edit", "H000002", "--set", "address.room=999")
    assert done.returncode == 2, done.stderr
    assert said in done.stderr
    assert "hint:" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(demo) == before


def no_root_powers() -> list[str]:
    """Run as root would without bypassing file permissions (so a read-only folder is read-only)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def test_a_read_only_folder_is_found_before_the_commit(demo: Path) -> None:
    folder = demo / "households" / GRID_A
    folder.chmod(0o555)
    try:
        before = snapshot(demo)
        done = gc(demo, "edit", "H000001", "--set", "address.room=999", prefix=no_root_powers())
        assert done.returncode == 2, done.stderr
        assert "nothing was committed" in done.stderr and str(folder) in done.stderr
        assert snapshot(demo) == before
    finally:
        folder.chmod(0o755)
    assert gc(demo, "edit", "H000001", "--set", "address.room=999").returncode == 0


def test_a_grid_folder_linked_outside_the_ledger_is_reported_and_never_written(demo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "u盘"
    shutil.move(str(demo / "households" / GRID_B), outside)
    os.symlink(outside, demo / "households" / GRID_B)
    git.Repo(demo).git.add(A=True)
    git.Repo(demo).git.commit("-m", "the grid's folder now lives on a USB stick")
    checked = gc(demo, "validate")
    assert checked.returncode == 1
    assert f"households/{GRID_B}:1:1: error[GC008]" in checked.stdout
    before = sorted(p.name for p in outside.iterdir())
    done = gc(demo, "add", "household", "--set", f"grid={GRID_B}", "--set", "address.room=1")
    assert done.returncode in (1, 2)
    assert sorted(p.name for p in outside.iterdir()) == before
    files = gc(demo, "check-files", f"households/{GRID_B}/H000011.yaml")
    assert files.returncode == 1 and "GC008" in files.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["report", "registers", "-f", "json"],
        ["edit", "S0001", "--set", "name.first=x"],
        ["assign", GRID_A, "--role", "网格员", "--staff", "S0003", "--since", "2026/11/01", "--duty", "巡查"],
        ["retire", "S0005", "--reason", "离职", "--date", "2026年11月1日"],
        ["edit", "H000001", "--set", "members[0].name=x"],
        ["edit", "S0001", "--set", "name=王\x1b[31m芳"],
        ["edit", "S0001", "--set", "name=" + "很" * 60],
    ],
)
def test_inputs_that_once_crashed_end_without_an_internal_error(demo: Path, args: list[str]) -> None:
    done = gc(demo, *args)
    assert done.returncode in (0, 1, 2), done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "\x1b" not in done.stdout + done.stderr


def test_export_of_a_name_with_control_characters_is_a_clean_workbook(demo: Path, tmp_path: Path) -> None:
    write(demo, "staff/S0099.yaml", 'kind: staff\nid: S0099\nname: "李\\0强"\n')
    done = gc(demo, "export", "staff", "-o", str(tmp_path / "x.xlsx"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x.xlsx").stat().st_size > 0


def test_a_reason_cannot_add_a_trailer(demo: Path) -> None:
    done = gc(
        demo, "-m", "x\n\nGridctl-Command: forged\nReviewed-by: 局长", "edit", "H000001", "--set", "address.room=1"
    )
    assert done.returncode == 0, done.stderr
    message = git.Repo(demo).head.commit.message
    trailers = subprocess.run(
        ["git", "interpret-trailers", "--parse"], input=message, capture_output=True, text=True, check=True
    ).stdout
    assert trailers.count("Gridctl-Command:") == 1
    assert "forged" not in trailers and "Reviewed-by" not in trailers
    assert "edit H000001 --set address.room=1" in trailers
    assert "x" in message.split("\n\n")[1]  # the reason is kept, as text


def test_a_deleted_persons_id_is_never_given_again(demo: Path) -> None:
    added = gc(demo, "add", "person", "--household", "H000002", "--set", "name=临时", "--set", "relation=子")
    assert added.returncode == 0, added.stderr
    pid = added.stdout.split("add person ")[1].split(":")[0]
    path = demo / "households" / GRID_A / "H000002.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index(f"  - id: {pid}")], encoding="utf-8")  # removed by hand, as a clerk might
    r = git.Repo(demo)
    r.git.commit("-am", "remove a wrongly added person")
    again = gc(demo, "add", "person", "--household", "H000002", "--set", "name=另一人", "--set", "relation=子")
    assert again.returncode == 0, again.stderr
    assert pid not in again.stdout
    given = gc(demo, "add", "person", "--household", "H000002", "--set", f"id={pid}", "--set", "name=冒用")
    assert given.returncode == 2 and "never reused" in given.stderr
