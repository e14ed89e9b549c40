"""A town over its communities under attack: units encrypted where the town has no key, bundles from
another ledger."""

from __future__ import annotations

from pathlib import Path

from teamwork import git, run
from test_units import town, unit

from conftest import id_number, identity


def test_a_unit_encrypted_without_the_towns_key_says_which_checks_it_missed(tmp_path: Path, cli) -> None:
    """One person registered in two communities is GC600; when one community is encrypted and no key at the
    town opens it, its ID numbers cannot be compared: the town's validate said "no problems" and nothing
    else, as if the check had run."""
    root = town(tmp_path)
    heping = tmp_path / "heping"
    same = (tmp_path / "xingfuli" / "households/110105001001001/H000001.yaml").read_text(encoding="utf-8")
    moved = same.replace("H000001", "H000003").replace("P0000001", "P0000003")
    (heping / "households/110105001001001/H000003.yaml").write_text(moved, encoding="utf-8")
    git(heping, "add", "-A")
    git(heping, "commit", "-q", "-m", "迁入")
    key, _public = identity()
    with_key = {"GRIDCTL_IDENTITY": key}
    no_key = {"GRIDCTL_IDENTITY": "", "XDG_CONFIG_HOME": str(tmp_path / "no-config")}
    assert cli("-C", str(heping), "encrypt", "--name", "王芳", env=with_key).exit_code == 0
    assert run(root, "sync", "--units")[0] == 0
    seen = cli("-C", str(root), "validate", env=with_key)
    assert "GC600" in seen.output and "和平里社区" not in seen.stderr, seen.output
    blind = cli("-C", str(root), "--lang", "zh", "validate", env=no_key)
    assert "GC600" not in blind.stdout
    assert "单位 和平里社区 已加密" in blind.stderr and "GC600" in blind.stderr, blind.stderr
    assert "幸福里社区" not in blind.stderr, blind.stderr  # a plain unit is checked in full


def _refs(root: Path) -> str:
    return git(root, "for-each-ref", "--format=%(objectname) %(refname)")


def test_a_bundle_of_another_ledger_is_named_so_and_leaves_no_trace(tmp_path: Path) -> None:
    """A USB stick carries 和平里's ledger to 幸福里's office: the sync stopped with git's words ("refusing to
    merge unrelated histories") and kept 和平里's branch in 幸福里's repository as bundle/main."""
    mine = unit(tmp_path / "xingfuli", "幸福里社区", id_number(seq="123"))
    other = unit(tmp_path / "heping", "和平里社区", id_number(seq="125"))
    own = tmp_path / "U 盘" / "幸福里 台账.bundle"
    foreign = tmp_path / "U 盘" / "和平里 台账.bundle"
    assert run(mine, "bundle", "-o", str(own))[0] == 0
    assert run(other, "bundle", "-o", str(foreign))[0] == 0
    assert run(mine, "sync", "--bundle", str(own))[0] == 0  # its own bundle: nothing new
    before, head = _refs(mine), git(mine, "rev-parse", "HEAD")
    code, out = run(mine, "sync", "--bundle", str(foreign))
    assert code == 2, out
    assert "另一本台账" in out and "unrelated" not in out, out
    assert _refs(mine) == before and git(mine, "rev-parse", "HEAD") == head
    assert git(mine, "status", "--porcelain") == ""
