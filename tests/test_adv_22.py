"""Adversarial pass over issue 13's speed machinery: a warm run must print what a cold run prints,
a write must refuse every change that adds an error, and nothing kept on disk may run code.

The machinery: validate results kept packed per file (gridctl.validate.Validation, the report's
lines kept by gridctl.render.problems._Lines), the columns kept in pieces
(gridctl.ledger.cache.PIECE), git's index listing kept (gridctl.ledger.gitlisting, forced by
GRIDCTL_WALK=0), writes that skip checks reading none of the kinds they change
(gridctl.checks.READS / touching), reading on every core (gridctl.prefetch), the commit
descriptions kept pickled (gridctl.history.logcache).

Two of these failed before their fixes:
- test_moving_a_household_a_staff_photo_names_is_refused: a photo may name any file, a record's
  too, so a write that removes or moves a file now runs every check;
- test_a_kept_log_description_that_overflows_is_read_as_missing: a kept description that cannot be
  read, for any reason, is described again.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import warmcold
from warmcold import COLD, WARM, differences, git, run

from gridctl.ledger import cache as cache_module

HOUSEHOLD = "households/110105017006001/H000009.yaml"


def test_moving_a_household_a_staff_photo_names_is_refused(demo: Path) -> None:
    """FAILS: gridctl.checks.READS says the photos check reads only staff and places, so a write
    that changes only a household skips it. But a staff's `photo:` is any path in the ledger, and
    it may name a household's file: `gridctl move H000009 --to 110105017006002` moves that file,
    the photo is gone (a cold `validate` then reports error GC150), and the move is committed.
    Reproduce: demo; set staff/S0001.yaml `photo: households/110105017006001/H000009.yaml`; commit;
    `gridctl move H000009 --to 110105017006002` exits 0; `gridctl validate` exits 1 with GC150."""
    staff = demo / "staff" / "S0001.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("photos/S0001.jpg", HOUSEHOLD), encoding="utf-8")
    git(demo, "commit", "-qam", "a photo kept beside the household")
    assert run(demo, COLD, "validate")[0] == 0
    head = git(demo, "rev-parse", "HEAD")
    code, out = run(demo, WARM, "move", "H000009", "--to", "110105017006002")
    after = run(demo, COLD, "validate")
    assert after[0] == 0 or (code != 0 and git(demo, "rev-parse", "HEAD") == head), (out, after)


class _System:
    """A pickle that runs a shell command when loaded by a plain unpickler."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):  # type: ignore[no-untyped-def]
        import os

        return (os.system, (self.command,))


class _Overflow:
    """A pickle made only of what the restricted unpickler allows (datetime.timedelta), with days
    beyond timedelta's range: loading it raises OverflowError."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        import datetime as dt

        return (dt.timedelta, (10**12,))


def _plant_log(root: Path, payload: bytes) -> None:
    """The kept description of every commit replaced by `payload`."""
    from gridctl.history.logcache import LogCache

    cache_module._OPEN.clear()
    kept = LogCache(root)
    for sha in git(root, "rev-list", "HEAD").split():
        kept.pack.put(sha, payload)
    kept.save()
    cache_module._OPEN.clear()


def test_a_kept_log_description_that_runs_code_is_read_as_missing(demo: Path, tmp_path: Path) -> None:
    """Held: the restricted unpickler refuses os.system; the commits are described from their blobs."""
    cold = run(demo, COLD, "log")
    assert cold[0] == 0
    assert run(demo, WARM, "log") == cold
    marker = tmp_path / "ran"
    _plant_log(demo, pickle.dumps(_System(f"touch {marker}"), protocol=5))
    assert run(demo, WARM, "log") == cold
    assert not marker.exists()
    assert run(demo, WARM, "log") == cold


def test_a_kept_log_description_that_overflows_is_read_as_missing(demo: Path) -> None:
    """FAILS: gridctl.history.logcache.LogCache.get catches UnpicklingError, ValueError, TypeError …
    but not OverflowError, which datetime.timedelta (allowed by the restricted unpickler) raises for
    days beyond its range. A damaged or planted description in .git/gridctl/cache/log-* then ends
    `gridctl log` in a traceback (exit 1 with OverflowError) instead of being read as missing.
    Reproduce: put pickle.dumps of a REDUCE `datetime.timedelta(10**12)` as any commit's kept
    description (LogCache(root).pack.put(sha, data); save()), run `gridctl log`."""
    cold = run(demo, COLD, "log")
    _plant_log(demo, pickle.dumps(_Overflow(), protocol=5))
    assert run(demo, WARM, "log") == cold


H1 = "households/110105017006001/H000001.yaml"
VALIDATES = (
    ["validate"],
    ["validate", "-f", "json"],
    ["validate", "-f", "github"],
    ["validate", "--strict"],
    ["validate", "--reveal"],
    ["validate", "-f", "json", "--reveal"],
)


def _set_disabled(root: Path, codes: list[str]) -> None:
    path = root / "gridctl.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("disabled:")]
    if codes:
        lines.append(f"disabled: [{', '.join(codes)}]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_own_and_ledger_wide_findings_warm_equals_cold_through_every_turn(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held: a file whose problems mix its own findings (a bad ID number's check digit, a bad
    phone) with ledger-wide ones (the same household at two paths: a duplicate id), codes switched
    off and on in gridctl.yaml, formats alternating, --strict and --reveal, content that changes
    back, a rename: each warm validate (small column pieces, git's index listing) prints what a
    cold one prints."""
    monkeypatch.setattr(cache_module, "PIECE", 2)
    path = demo / H1
    original = path.read_text(encoding="utf-8")
    broken = original.replace("120101194207160392", "120101194207160393").replace("15104652337", "1510465233")
    path.write_text(broken, encoding="utf-8")
    twin = demo / "households" / "110105017006002" / "H000001.yaml"
    twin.write_text(broken, encoding="utf-8")  # the same content (the same blob) at a second path
    git(demo, "add", "-A")
    steps = [
        lambda: None,
        lambda: _set_disabled(demo, ["GC103"]),
        lambda: _set_disabled(demo, []),
        lambda: path.write_text(original, encoding="utf-8"),  # one twin fixed: the other still a duplicate
        lambda: path.write_text(broken, encoding="utf-8"),  # and back
        lambda: _set_disabled(demo, ["GC103", "GC108", "GC240"]),
        lambda: git(demo, "mv", str(twin), str(demo / "households" / "110105017006003" / "H000001.yaml")),
        lambda: _set_disabled(demo, []),
    ]
    for i, step in enumerate(steps):
        step()
        assert differences(demo, VALIDATES) == [], i


LISTS = (["validate"], ["list", "household"], ["status"])


def test_the_kept_index_listing_through_adds_renames_checkouts_and_damage(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held: git's index listing kept (gridctl.ledger.gitlisting._known/_updated, GRIDCTL_WALK=0)
    follows `git add` of names with spaces, Chinese and a line break, `git rm --cached`, `git mv`,
    a checkout of another branch, `git stash` and its pop, and a damaged kept listing."""
    monkeypatch.setattr(cache_module, "PIECE", 3)
    folder = demo / "households" / "110105017006001"
    source = (folder / "H000002.yaml").read_text(encoding="utf-8")

    def copy(name: str, hid: str) -> Path:
        path = folder / name
        path.write_text(source.replace("H000002", hid), encoding="utf-8")
        return path

    def damage() -> None:
        for kept in (demo / ".git" / "gridctl" / "cache").rglob("gitindex*"):
            data = kept.read_bytes()
            kept.write_bytes(data[: len(data) // 2] + b"\x00garbage" + data[len(data) // 2 :])

    def stash_pop() -> None:
        git(demo, "stash", "-q")
        assert differences(demo, LISTS) == []
        git(demo, "stash", "pop", "-q")

    steps = [
        lambda: copy("H 000901.yaml", "H000901") and git(demo, "add", "-A"),
        lambda: copy("户 000902.yaml", "H000902") and git(demo, "add", "-A"),
        lambda: copy("H000903\n.yaml", "H000903") and git(demo, "add", "-A"),
        lambda: git(demo, "rm", "-q", "--cached", "households/110105017006001/H 000901.yaml"),
        lambda: git(demo, "mv", str(folder / "户 000902.yaml"), str(folder / "户 000904.yaml")),
        lambda: (git(demo, "add", "-A"), git(demo, "commit", "-qm", "more")),
        lambda: git(demo, "checkout", "-q", "-b", "other", "HEAD~1"),
        lambda: git(demo, "rm", "-q", "households/110105017006001/H000003.yaml"),
        damage,
        lambda: (git(demo, "commit", "-qm", "gone"), git(demo, "checkout", "-q", "-")),
        lambda: (folder / "H000004.yaml").write_text(source.replace("H000002", "H000004x"), encoding="utf-8"),
        stash_pop,
        lambda: git(demo, "add", "-A"),
    ]
    for i, step in enumerate(steps):
        step()
        assert differences(demo, LISTS) == [], i


def test_after_an_upgrade_reading_on_every_core_prints_what_a_cold_read_prints(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held: with no cache (as after an upgrade) `show`, `list`, `status` and `validate` read on
    worker processes (gridctl.prefetch, made to start at one file, in chunks of 7) and check the
    unchecked columns there; a file not UTF-8, one that is no YAML, a broken ID number and a
    duplicate among them: the same output as a cold run, and again warm."""
    import shutil

    from gridctl import prefetch

    monkeypatch.setattr(prefetch, "MIN_FILES", 1)
    monkeypatch.setattr(prefetch, "CHUNK", 7)
    monkeypatch.setenv("GRIDCTL_WORKERS", "")
    read_on_workers = warmcold.read_on_workers(monkeypatch)
    folder = demo / "households" / "110105017006002"
    (folder / "H000777.yaml").write_bytes("kind: household\nid: H000777\n备注: 坏".encode("gbk"))
    (folder / "H000778.yaml").write_text("kind: household\nid: [H000778\n", encoding="utf-8")
    path = demo / H1
    path.write_text(path.read_text(encoding="utf-8").replace("120101194207160392", "120101194207160393"), "utf-8")
    shutil.copy(path, folder / "H000001.yaml")
    commands = (["show", "H000002"], ["list", "household"], ["status"], ["validate"], ["validate", "-f", "json"])
    for command in commands:
        shutil.rmtree(demo / ".git" / "gridctl" / "cache", ignore_errors=True)
        cold = run(demo, COLD, *command)
        read_on_workers.clear()
        assert run(demo, {"GRIDCTL_NO_CACHE": ""}, *command) == cold, command
        assert len(read_on_workers) > 100, command
        assert run(demo, {"GRIDCTL_NO_CACHE": ""}, *command) == cold, command


def test_changed_since_warm_equals_cold_after_the_whole_was_kept(demo: Path) -> None:
    """Held: `validate --changed-since HEAD` after a whole validate was kept (its packed findings and
    its report's lines) prints what a cold run prints, in text and JSON, and the whole again after."""
    path = demo / H1
    path.write_text(path.read_text(encoding="utf-8").replace("15104652337", "1510465233"), encoding="utf-8")
    other = demo / "households" / "110105017006001" / "H000002.yaml"
    git(demo, "add", "-A")
    git(demo, "commit", "-qm", "a bad phone")
    other.write_text(other.read_text(encoding="utf-8") + "bad: [\n", encoding="utf-8")
    since = ["validate", "--changed-since"]
    commands = (["validate"], [*since, "HEAD"], [*since, "HEAD", "-f", "json"], [*since, "HEAD~1"], ["validate"])
    assert differences(demo, commands) == []
