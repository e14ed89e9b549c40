"""A validate after one changed file makes Problems of that file alone: every other file's findings
stay packed as the cache keeps them, are counted from their codes, and print the lines the last
report printed (at 100,000 households, 40,000 warnings' Problems took 0.5 s of every such run)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gridctl.cli.main import app
from gridctl.ledger import cache as cache_module
from gridctl.ledger import facts


def _validate(root: Path, *more: str, cold: bool = False) -> tuple[int, str]:
    cache_module._OPEN.clear()
    env = {"GRIDCTL_NO_CACHE": "1" if cold else ""}
    result = CliRunner().invoke(app, ["-C", str(root), "--lang", "en", "validate", *more], env=env)
    return result.exit_code, result.output


def _household_files(root: Path) -> list[Path]:
    return sorted((root / "households").rglob("*.yaml"))


def test_one_changed_file_makes_only_its_own_problems(demo: Path, monkeypatch) -> None:
    files = _household_files(demo)[:6]
    for path in files:  # a finding of the file's own in each: an unknown field
        path.write_text(path.read_text(encoding="utf-8") + "unknown_field: 1\n", encoding="utf-8")
    first = _validate(demo)
    assert first[0] == 1 and first[1].count("unknown_field") >= len(files)

    made: list[str] = []
    real = facts.problem_from_tuple

    def counted(t, rel):  # type: ignore[no-untyped-def]
        made.append(rel)
        return real(t, rel)

    monkeypatch.setattr(facts, "problem_from_tuple", counted)
    changed = files[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "another_field: 2\n", encoding="utf-8")
    warm = _validate(demo)
    assert set(made) <= {changed.relative_to(demo).as_posix()}, sorted(set(made))
    monkeypatch.setattr(facts, "problem_from_tuple", real)
    assert warm == _validate(demo, cold=True)
    assert "another_field" in warm[1]
    for fmt in ("json", "github"):  # the other formats make every Problem, and say the same
        assert _validate(demo, "-f", fmt) == _validate(demo, "-f", fmt, cold=True)


def test_a_switched_off_code_is_left_out_of_packed_files_too(demo: Path) -> None:
    path = _household_files(demo)[0]
    path.write_text(path.read_text(encoding="utf-8") + "unknown_field: 1\n", encoding="utf-8")
    _code, out = _validate(demo)
    found = sorted({line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "error[" in line})
    assert found
    settings = demo / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"disabled: [{found[0]}]\n", encoding="utf-8")
    warm = _validate(demo)
    assert warm == _validate(demo, cold=True)
    assert f"[{found[0]}]" not in warm[1]
