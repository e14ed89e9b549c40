"""The columns are kept in pieces (gridctl.ledger.cache.PIECE files each): a change writes only the
pieces it touched, a file that comes or goes makes every later piece new, and a damaged piece is
read as missing. Small pieces here, so a demo ledger has many; what is kept is compared with a
cold read field by field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridctl.cli.main import app
from gridctl.ledger import cache as cache_module
from gridctl.ledger.columns import _FIELDS, Columns


@pytest.fixture
def small_pieces(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "PIECE", 3)
    shutil.rmtree(demo / ".git" / "gridctl" / "cache", ignore_errors=True)  # kept in one piece by the demo's making


def _run(root: Path, *args: str, cold: bool = False) -> tuple[int, str]:
    cache_module._OPEN.clear()  # the packs are read from disk, as a new process reads them
    env = {"GRIDCTL_NO_CACHE": "1" if cold else ""}
    result = CliRunner().invoke(app, ["-C", str(root), "--lang", "en", *args], env=env)
    return result.exit_code, result.output


FACTS = [name for name in _FIELDS if name not in ("flags", "problems", "local")]
"""What a cold read makes too (flags and findings grow as validate checks and locates)."""


def _same_as_cold(root: Path) -> None:
    for args in (("validate",), ("validate", "-f", "json"), ("list", "household"), ("status",)):
        assert _run(root, *args) == _run(root, *args, cold=True), args
    from gridctl.ledger.cache import Cache, git_dir_of, settings_key
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load

    kept = Cache(git_dir_of(root), settings_key(WorkTree(root))).columns()  # read from the pieces on disk
    cold, _ = load(root, WorkTree(root), Cache(None, ""))
    assert kept is not None and cold is not None
    for name in FACTS:
        assert getattr(kept, name) == getattr(cold.cols, name), name


def _pieces(root: Path) -> list[str]:
    from gridctl.ledger.cache import CRC, Pack

    folder = root / ".git" / "gridctl" / "cache"
    data = Pack(folder, "columns", "").path.read_bytes()  # the manifest, read as marshal behind its checksum
    import marshal

    return list(marshal.loads(data[CRC:])[1]["pieces"])


def _households(root: Path) -> list[Path]:
    return sorted((root / "households").rglob("*.yaml"))


def test_pieces_join_to_the_columns_they_were_cut_from(demo: Path) -> None:
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load

    ledger, _ = load(demo, WorkTree(demo))
    cols = ledger.cols
    for size in (1, 2, 5, 1000):
        joined = Columns.joined([make() for _follows, make in cols.pieces(size)])
        for name in _FIELDS:
            assert getattr(joined, name) == getattr(cols, name), (size, name)


def test_a_changed_file_writes_its_piece_alone(demo: Path, small_pieces: None) -> None:
    _run(demo, "validate")
    before = _pieces(demo)
    assert len(before) > 3
    folder = demo / ".git" / "gridctl" / "cache" / "columns"
    written = {name: (folder / f"{name}.bin").stat().st_mtime_ns for name in before}
    path = _households(demo)[len(_households(demo)) // 2]
    path.write_text(path.read_text(encoding="utf-8").replace("room:", "room: 9", 1) + "\n", encoding="utf-8")
    _run(demo, "validate")
    after = _pieces(demo)
    assert len(after) == len(before)
    assert sum(1 for a, b in zip(before, after, strict=True) if a != b) == 1
    again = [name for name in after if written.get(name) != (folder / f"{name}.bin").stat().st_mtime_ns]
    assert len(again) == 1  # the changed piece alone was written
    _same_as_cold(demo)


def test_files_that_come_and_go_make_the_pieces_after_them_new(demo: Path, small_pieces: None) -> None:
    _run(demo, "validate")
    houses = _households(demo)
    houses[0].unlink()  # the first piece loses a file: every later piece moves up
    _same_as_cold(demo)
    shutil.copy(houses[1], houses[1].with_name("H999999.yaml"))  # a copy: a duplicate id, an error
    _same_as_cold(demo)
    code, out = _run(demo, "edit", houses[2].stem, "--set", "address.room=808")
    assert code in (0, 1), out
    _same_as_cold(demo)


def test_a_damaged_or_missing_piece_is_read_again(demo: Path, small_pieces: None) -> None:
    _run(demo, "validate")
    folder = demo / ".git" / "gridctl" / "cache" / "columns"
    names = _pieces(demo)
    (folder / f"{names[1]}.bin").write_bytes(b"\0garbage")
    (folder / f"{names[2]}.bin").unlink()
    _same_as_cold(demo)
    assert all((folder / f"{name}.bin").stat().st_size > 100 for name in _pieces(demo))  # written again
    _same_as_cold(demo)


def test_the_columns_a_move_keeps_are_the_next_commands_as_they_are(demo: Path) -> None:
    """A write keeps the columns of its result; a move's new file was listed last in them, where
    the commit lists it in its sorted place, so the next command found them not its own and read
    them together again (1.2 s of the next edit at 100,000 households). Kept in the commit's order,
    they are taken as they are: nothing is assembled again."""
    import subprocess

    from gridctl.ledger import index
    from gridctl.ledger.cache import Cache, git_dir_of, settings_key
    from gridctl.ledger.files import GitTree

    code, out = _run(demo, "move", "H000001", "--to", "110105017006003")
    assert code == 0, out
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=demo, capture_output=True, text=True, check=True)
    tree = GitTree(demo, head.stdout.strip())
    cache = Cache(git_dir_of(demo), settings_key(tree))
    kept = cache.columns()
    assert kept is not None and kept.files == list(tree.paths())
    assembled: list[int] = []
    real = index._assemble
    try:
        index._assemble = lambda *args, **kw: assembled.append(1) or real(*args, **kw)  # type: ignore[assignment]
        code, out = _run(demo, "edit", "H000001", "--set", "address.room=909")
    finally:
        index._assemble = real  # type: ignore[assignment]
    assert code == 0, out
    assert assembled == []
    _same_as_cold(demo)
