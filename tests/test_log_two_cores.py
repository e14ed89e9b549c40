"""`gridctl log` on a history it has not described: batches shared with a worker process, blobs
handed over an ask at a time, descriptions that keep only what a sentence reads, and no pydantic.

The worker starts only below a few hundred new commits; here the thresholds are lowered so a
history of forty commits takes the same paths a clone of thousands does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gridctl.history import describing
from gridctl.history.changelog import changelog
from gridctl.ledger.gitrepo import BlobReader
from gridctl.render.history import log_text

from conftest import AUTHOR_ENV, gridctl, household, id_number, write

GRID = "110105001001001"
PHONE = "13912345678"


def commit(root: Path, message: str) -> None:
    env = {**os.environ, **AUTHOR_ENV}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env=env)


@pytest.fixture
def busy(repo: Path) -> Path:
    """Forty commits: households added, phones and housing changed, a grid renamed, one removed,
    a person moved between households, a settings change and a bulk commit."""
    for n in range(2, 12):
        hid, pid = f"H{n:06d}", f"P{n:07d}"
        write(repo, f"households/{GRID}/{hid}.yaml", household(hid, pid, id_number(seq=f"{n:03d}")))
        commit(repo, f"登记 {hid}")
    for n in range(2, 12):
        path = repo / f"households/{GRID}/H{n:06d}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(PHONE, f"139000000{n:02d}"), encoding="utf-8")
        commit(repo, f"改电话 {n}")
    for n in range(2, 8):
        path = repo / f"households/{GRID}/H{n:06d}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("housing: 自有", "housing: 租住"), encoding="utf-8")
        commit(repo, f"改住房 {n}")
    grid = repo / f"grids/{GRID}.yaml"
    grid.write_text(grid.read_text(encoding="utf-8").replace("第一网格", "幸福第一网格"), encoding="utf-8")
    commit(repo, "网格改名")
    (repo / f"households/{GRID}/H000011.yaml").unlink()
    commit(repo, "注销一户")
    settings = repo / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "timezone: Asia/Shanghai\n", encoding="utf-8")
    commit(repo, "设置时区")
    for n in range(20, 29):
        hid = f"H{n:06d}"
        write(repo, f"households/{GRID}/{hid}.yaml", household(hid, f"P{n:07d}", id_number(seq=f"{n:03d}")))
    commit(repo, "批量导入")  # nine record files: a bulk commit once BULK is lowered to 4
    for n in range(2, 12):
        path = repo / f"households/{GRID}/H{n:06d}.yaml"
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8").replace('room: "501"', f'room: "60{n}"'), "utf-8")
            commit(repo, f"改门牌 {n}")
    return repo


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(describing, "BATCH", 3)
    monkeypatch.setattr(describing, "FORKED_FROM", 4)
    monkeypatch.setattr(describing, "SPAWNED_FROM", 4)
    monkeypatch.setattr(describing, "BULK", 4)
    monkeypatch.delenv("GRIDCTL_WORKERS", raising=False)
    monkeypatch.delenv("GRIDCTL_NO_CACHE", raising=False)


def told(root: Path) -> str:
    return log_text(changelog(root), "en")


def one_core(root: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as m:
        m.setenv("GRIDCTL_WORKERS", "1")
        m.setenv("GRIDCTL_NO_CACHE", "1")
        return told(root)


def test_two_cores_tell_what_one_core_tells(busy: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    submitted: list[int] = []
    real = describing.Describer.add

    def add(self, position, commit):  # type: ignore[no-untyped-def]
        real(self, position, commit)
        submitted.append(len(self.sent))

    monkeypatch.setattr(describing.Describer, "add", add)
    alone = one_core(busy, monkeypatch)
    assert "changed household H000003" in alone and "added household H000004" in alone
    assert "(counted in files)" in alone and "changed file gridctl.yaml" in alone
    assert "幸福第一网格" in alone
    submitted.clear()
    shared = told(busy)
    assert max(submitted) > 1  # batches really went to the worker
    assert shared == alone
    assert told(busy) == alone  # read back from what the worker encoded and this process kept


def _dies(root: str, commits: list) -> list:
    """In the forked worker: gone without a word, as when the clerk's antivirus kills it."""
    os._exit(9)


def test_a_killed_worker_leaves_its_batches_to_this_process(
    busy: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = one_core(busy, monkeypatch)

    monkeypatch.setattr(describing, "describe_elsewhere", _dies)
    assert told(busy) == alone
    monkeypatch.undo()
    assert told(busy) == alone  # and what was kept meanwhile reads back the same


def test_no_worker_for_a_history_already_described(
    busy: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    told(busy)
    started: list[object] = []
    real = describing.worker
    monkeypatch.setattr(describing, "worker", lambda root, kept: started.append(real(root, kept)) or started[-1])
    write(busy, f"households/{GRID}/H000099.yaml", household("H000099", "P0000099", id_number(seq="099")))
    commit(busy, "再登记一户")
    assert "added household H000099" in told(busy)
    assert started == [None]


def test_kept_descriptions_hold_no_resident_numbers(busy: Path, small_batches: None) -> None:
    """A description keeps the fields its sentence reads: not the ID numbers or phones the blobs hold."""
    told(busy)
    kept = b"".join(p.read_bytes() for p in (busy / ".git" / "gridctl" / "cache").glob("log-*.bin"))
    assert kept
    for secret in (id_number(seq="003"), "13900000003", PHONE):
        assert secret.encode() not in kept


def test_blob_reader_hands_over_answers_in_any_count(busy: Path) -> None:
    listing = subprocess.run(["git", "ls-tree", "-r", "HEAD"], cwd=busy, capture_output=True, text=True).stdout
    shas = [line.split()[2] for line in listing.splitlines()]
    reader = BlobReader(busy)
    try:
        first, second = shas[:5], ["0" * 40, *shas[5:9]]
        assert reader.ask(first) == 5 and reader.ask(second) == 5
        got = reader.collect(3)
        assert list(got) == first[:3]
        rest = reader.collect(7)  # the end of one ask and all of the next; the missing blob left out
        assert list(rest) == [*first[3:], *shas[5:9]]
        assert (
            reader.blob(shas[0])
            == subprocess.run(["git", "cat-file", "blob", shas[0]], cwd=busy, capture_output=True).stdout
        )
    finally:
        reader.close()


def test_a_shallow_clone_in_a_worktree_is_known_shallow(busy: Path, tmp_path: Path) -> None:
    """Git keeps `shallow` in the main repository's folder, not a worktree's."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{busy}", str(clone)], check=True)
    subprocess.run(["git", "worktree", "add", "-q", str(tmp_path / "wt")], cwd=clone, check=True)
    code, out, err = gridctl("--lang", "en", "log", cwd=tmp_path / "wt")
    assert code == 0, err
    assert "shallow clone" in out


def test_log_does_not_start_pydantic(busy: Path) -> None:
    """The log reads no record model: the zone and file-name patterns it needs are plain modules."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gridctl", "--lang", "en", "log"],
        cwd=busy,
        capture_output=True,
        text=True,
        env={**os.environ, "GRIDCTL_NO_CACHE": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "added household H000004" in proc.stdout
    assert " pydantic" not in proc.stderr


def test_a_blob_reader_dropped_unclosed_ends_its_git(busy: Path) -> None:
    """A reader no one closes (a GitTree let go) ends its `git cat-file` once dropped: its thread
    held it alive before, and a long process (a test run: 571 of them) kept every git it started."""
    import gc

    reader = BlobReader(busy)
    head = subprocess.run(["git", "rev-parse", "HEAD:gridctl.yaml"], cwd=busy, capture_output=True, text=True)
    assert reader.blob(head.stdout.strip()).startswith(b"name:")
    proc = reader.proc
    del reader
    gc.collect()
    assert proc.wait(timeout=10) is not None


def test_a_version_missing_from_the_clone_is_not_told_as_a_removal(repo: Path) -> None:
    """A blob this clone lacks (a damaged repository, a partial clone offline): the log says the
    file changed, not "removed household", and keeps nothing, so once the object is back the log
    tells the change itself."""
    path = repo / f"households/{GRID}/H000001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("housing: 自有", "housing: 租住"), encoding="utf-8")
    commit(repo, "改住房")
    sha = subprocess.run(
        ["git", "rev-parse", f"HEAD:households/{GRID}/H000001.yaml"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    loose = repo / ".git" / "objects" / sha[:2] / sha[2:]
    kept = loose.read_bytes()
    loose.unlink()
    code, out, err = gridctl("--lang", "en", "log", cwd=repo)
    assert code == 0, err
    assert "removed household H000001" not in out
    assert f"changed file households/{GRID}/H000001.yaml" in out
    loose.write_bytes(kept)
    code, out, err = gridctl("--lang", "en", "log", cwd=repo)
    assert code == 0, err
    assert "changed household H000001" in out and "changed file" not in out
