"""A warm run prints exactly what a cold run prints: after a shallow clone is deepened, and after a
file a record names is deleted outside the attachment folders."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import AUTHOR_ENV, gridctl

COLD = {"GRIDCTL_NO_CACHE": "1"}


def git(root: Path, *args: str) -> None:
    env = {**os.environ, **AUTHOR_ENV}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def test_log_after_unshallow_is_not_the_shallow_log(demo: Path, tmp_path: Path) -> None:
    """`gridctl log` is kept by HEAD, but a shallow clone's log changes when it is unshallowed
    (same HEAD): the warm run still says "shallow clone" and describes the boundary commit as
    adding every file (history/changelog.py truncated; cli/history.py _kept_log; logcache by sha)."""
    for i, rel in enumerate(["households/110105017006001/H000001.yaml", "households/110105017006001/H000002.yaml"]):
        path = demo / rel
        path.write_text(path.read_text(encoding="utf-8").replace("housing: 自有", "housing: 租赁"), encoding="utf-8")
        git(demo, "commit", "-qam", f"c{i}")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{demo}", str(clone)], check=True)
    code, shallow, _ = gridctl("-C", str(clone), "--lang", "en", "log")
    assert code == 0 and "shallow" in shallow
    git(clone, "fetch", "-q", "--unshallow")
    cold = gridctl("-C", str(clone), "--lang", "en", "log", env=COLD)
    warm = gridctl("-C", str(clone), "--lang", "en", "log")
    assert "shallow" not in cold[1]
    assert warm == cold
    # another set of options (a view not kept before): the commit described while shallow is kept by its sha
    cold = gridctl("-C", str(clone), "--lang", "en", "log", "--kind", "household", env=COLD)
    warm = gridctl("-C", str(clone), "--lang", "en", "log", "--kind", "household")
    assert warm == cold


def test_deleted_attachment_outside_photos_and_documents_is_reported_warm(demo: Path, tmp_path: Path) -> None:
    """An activity's photo at a plain path outside photos/ and documents/ (img/a1.jpg): deleting the file
    leaves the validation state unchanged (validate.py attached_files marks only those two folders),
    so a warm validate/status keep saying no problems, exit 0, while a cold run reports GC410, exit 1."""
    photo = tmp_path / "p.jpg"
    photo.write_bytes((demo / "photos" / "S0001.jpg").read_bytes())
    env = {**AUTHOR_ENV}
    args = ("activity", "110105017006001", "--type", "培训", "--photo", str(photo))
    code, out, err = gridctl("-C", str(demo), *args, env=env)
    assert code == 0, out + err
    record = next((demo / "activities").rglob("*.yaml"))
    (demo / "img").mkdir()
    moved = next((demo / "photos" / "activities").iterdir())
    git(demo, "mv", str(moved.relative_to(demo)), "img/a1.jpg")
    rel = str(moved.relative_to(demo))
    record.write_text(record.read_text(encoding="utf-8").replace(rel, "img/a1.jpg"), encoding="utf-8")
    git(demo, "commit", "-qam", "move photo")
    assert gridctl("-C", str(demo), "--lang", "en", "validate")[0] == 0  # warms the cache
    (demo / "img" / "a1.jpg").unlink()
    for args in (("validate",), ("status",)):
        cold = gridctl("-C", str(demo), "--lang", "en", *args, env=COLD)
        warm = gridctl("-C", str(demo), "--lang", "en", *args)
        assert warm == cold, args
