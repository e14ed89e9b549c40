"""Every bundled example validates clean and works with `gridctl demo DIR --example NAME`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import git
import pytest

from conftest import REPO, gridctl

EXAMPLES = ["community", "town", "school-safety", "education", "fire-safety"]


def test_there_is_an_example_for_every_profile() -> None:
    from gridctl.ledger.profiles import profile_names

    assert sorted(p.name for p in (REPO / "examples").iterdir() if p.is_dir()) == sorted(EXAMPLES) == profile_names()


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_validates_clean(example: str) -> None:
    code, out, err = gridctl("-C", str(REPO / "examples" / example), "validate", "--strict", "--lang", "en")
    assert code == 0, out + err
    assert out.startswith("no problems"), out
    assert f"profile: {example}" in (REPO / "examples" / example / "gridctl.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("example", EXAMPLES[1:])
def test_demo_with_each_example(tmp_path: Path, example: str) -> None:
    code, out, err = gridctl("--lang", "zh", "demo", str(tmp_path / example), "--example", example)
    assert code == 0, out + err
    assert "没有发现问题" in out
    assert not git.Repo(tmp_path / example).is_dirty(untracked_files=True)


def test_town_example_has_longcheng_shape() -> None:
    import yaml

    grids = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (REPO / "examples/town/grids").glob("*.yaml")]
    assert sum(g["level"] == "社区" for g in grids) == 18
    assert sum(g["level"] == "村" for g in grids) == 7
    rural = [g for g in grids if g.get("area") == "农村"]
    assert rural and all(g["natural_villages"] for g in rural)


def test_generators_reproduce_the_examples(tmp_path: Path) -> None:
    gen = [sys.executable, str(REPO / "bench/gen_ledger.py")]
    subprocess.run([*gen, str(tmp_path / "town"), "--example", "town"], check=True, capture_output=True)
    subprocess.run([*gen, str(tmp_path / "community"), "--example"], check=True, capture_output=True)
    subprocess.run([sys.executable, "example_schools.py", str(tmp_path)], cwd=REPO / "bench", check=True)
    for example in EXAMPLES:
        made = sorted(p.relative_to(tmp_path / example) for p in (tmp_path / example).rglob("*") if p.is_file())
        kept = sorted(
            p.relative_to(REPO / "examples" / example) for p in (REPO / "examples" / example).rglob("*") if p.is_file()
        )
        assert made == kept, example
        for rel in made:
            assert (tmp_path / example / rel).read_bytes() == (REPO / "examples" / example / rel).read_bytes(), rel
