"""The cache under .git is never trusted blindly: after any change made outside gridctl, a warm
`validate` prints exactly what a cold one does.

200 random changes to a real ledger in a real repository — hand edits (good and bad values,
YAML errors, duplicate ids, deleted and copied files), edits that keep a file's size and mtime,
`git checkout` of another branch, `git merge`, a changed gridctl.yaml, a record file saved with
the wrong ending, a sound or damaged record of prints, a truncated or garbage cache pack — each
followed by a warm run (packs read from disk) and a cold run (no cache); `status`, kept by the
ledger's state, is compared the same way.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import git
import pytest
from typer.testing import CliRunner
from warmcold import read_on_workers

from gridctl.cli.main import app
from gridctl.ledger import cache as cache_module

CHANGES = 200


def validate(root: Path, cold: bool, fmt: str, *more: str) -> tuple[int, str]:
    """A warm run lists the files from git's index (gridctl.ledger.gitlisting) wherever git can vouch
    for them; a cold one walks the folder and reads every file."""
    cache_module._OPEN.clear()  # the warm run reads the packs from disk, as a new process would
    env = {"GRIDCTL_NO_CACHE": "1", "GRIDCTL_WALK": "1"} if cold else {"GRIDCTL_NO_CACHE": "", "GRIDCTL_WALK": "0"}
    result = CliRunner().invoke(app, ["-C", str(root), "--lang", "en", "validate", "-f", fmt, *more], env=env)
    return result.exit_code, result.output


def status(root: Path, cold: bool) -> list[tuple[int, str]]:
    """status, and the lists whose rows are kept per kind."""
    cache_module._OPEN.clear()
    env = {"GRIDCTL_NO_CACHE": "1"} if cold else {"GRIDCTL_NO_CACHE": ""}
    out = []
    for command in (["status"], ["list", "household"], ["list", "person"]):
        result = CliRunner().invoke(app, ["-C", str(root), "--lang", "en", *command], env=env)
        out.append((result.exit_code, result.output))
    return out


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if ".git" not in p.parts and p.name != "gridctl.yaml")


def edit_value(rng: random.Random, root: Path) -> None:
    path = rng.choice(yaml_files(root))
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    choices = [i for i, ln in enumerate(lines) if ": " in ln and not ln.lstrip().startswith(("#", "kind:"))]
    if not choices:
        return
    i = rng.choice(choices)
    key, _, _value = lines[i].partition(": ")
    value = rng.choice(['"13800000000"', '"123"', "好", "'110105198003151234'", "2026-13-01", "[a, b", '"x"'])
    lines[i] = f"{key}: {value}\n"
    path.write_text("".join(lines), encoding="utf-8")


def same_size_same_mtime(rng: random.Random, root: Path) -> None:
    """A change that keeps the file's size and mtime: only its ctime and content give it away."""
    path = rng.choice(yaml_files(root))
    data = bytearray(path.read_bytes())
    info = path.stat()
    digits = [i for i, b in enumerate(data) if 0x30 <= b <= 0x39]
    if not digits:
        return
    i = rng.choice(digits)
    data[i] = 0x30 + (data[i] - 0x30 + 1) % 10
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def delete_or_copy(rng: random.Random, root: Path) -> None:
    files = yaml_files(root)
    path = rng.choice(files)
    if rng.random() < 0.5 and len(files) > 20:
        path.unlink()
    else:
        (path.parent / f"copy-{rng.randrange(10**6)}.yaml").write_bytes(path.read_bytes())


def checkout_or_merge(rng: random.Random, root: Path) -> None:
    repo = git.Repo(root)
    _look_again(repo)
    repo.git.add(A=True)
    if repo.is_dirty(untracked_files=True):
        repo.git.commit("-m", "hand edits", "--no-verify")
    branch = rng.choice(["main", "other"])
    if rng.random() < 0.5:
        repo.git.checkout(branch)
    else:
        other = "other" if repo.active_branch.name == "main" else "main"
        try:
            repo.git.merge(other, "-m", "merge")
        except git.GitCommandError:
            repo.git.merge("--abort")


def settings(rng: random.Random, root: Path) -> None:
    path = root / "gridctl.yaml"
    text = path.read_text(encoding="utf-8")
    if "disabled:" in text:
        text = text[: text.index("disabled:")]
    else:
        text += f"disabled: [{rng.choice(['GC108', 'GC103', 'GC202', 'GC230'])}]\n"
    path.write_text(text, encoding="utf-8")


def damage_cache(rng: random.Random, root: Path) -> None:
    folder = root / ".git" / "gridctl" / "cache"
    packs = sorted(folder.rglob("*.bin")) if folder.is_dir() else []  # the pieces of the columns too
    if not packs:
        return
    pack = rng.choice(packs)
    data = pack.read_bytes()
    if rng.random() < 0.5:
        pack.write_bytes(data[: len(data) // 2])
    else:
        pack.write_bytes(bytes(rng.randrange(256) for _ in range(200)))


def stage_then_edit(rng: random.Random, root: Path) -> None:
    """The index differs from HEAD and from the file: git's index names neither's content."""
    edit_value(rng, root)
    git.Repo(root).git.add(A=True)
    edit_value(rng, root)


def untrack_or_ignore(rng: random.Random, root: Path) -> None:
    """A file git no longer tracks, or ignores, is still a record in the folder."""
    repo = git.Repo(root)
    path = rng.choice(yaml_files(root))
    rel = path.relative_to(root).as_posix()
    if rng.random() < 0.5:
        repo.git.rm("--cached", "-q", rel)
    else:
        with (root / ".gitignore").open("a", encoding="utf-8") as handle:
            handle.write(f"{rel}\n")
        if rng.random() < 0.5:
            path.write_text(path.read_text(encoding="utf-8") + "note: 忽略的文件也要检查\n", encoding="utf-8")


def hide_from_git(rng: random.Random, root: Path) -> None:
    """A file git is told not to look at (assume-unchanged), then changed: git's word is not its content."""
    path = rng.choice(yaml_files(root))
    rel = path.relative_to(root).as_posix()
    repo = git.Repo(root)
    if rel in repo.git.ls_files("--", rel).splitlines():
        repo.git.update_index("--assume-unchanged", rel)
        path.write_text(path.read_text(encoding="utf-8") + "extra_field: x\n", encoding="utf-8")


STRAY_ENDINGS = (".yaml.txt", ".YAML", ".yml.txt", ".Yml")
"""Endings of a record file saved with the wrong one (gridctl.ledger.files.misnamed)."""


def strays(root: Path) -> list[Path]:
    found = (p for p in root.rglob("*") if ".git" not in p.parts and p.name.endswith(STRAY_ENDINGS))
    return sorted(p for p in found if p.is_file())


def misnamed(rng: random.Random, root: Path) -> None:
    """A record file saved with the wrong ending (GC017; GC018 beside the file of its right name) comes,
    goes, is renamed or changes: never read, it is none of the record files a kept result is keyed by."""
    found, roll = strays(root), rng.random()
    if not found or roll < 0.4:
        path = rng.choice(yaml_files(root))
        stem = path.stem if rng.random() < 0.5 else f"H{rng.randrange(10**6):06d}"  # a name taken, or a free one
        (path.parent / f"{stem}{rng.choice(STRAY_ENDINGS)}").write_bytes(path.read_bytes())
    elif roll < 0.6:
        rng.choice(found).unlink()
    elif roll < 0.8:
        path = rng.choice(found)
        stem = path.name[: -len(next(e for e in STRAY_ENDINGS if path.name.endswith(e)))]
        stem = stem if rng.random() < 0.5 else f"H{rng.randrange(10**6):06d}"
        path.rename(path.with_name(f"{stem}{rng.choice(STRAY_ENDINGS)}"))
    else:  # another record in it: whether it and the file of its right name hold one record changes
        rng.choice(found).write_bytes(rng.choice(yaml_files(root)).read_bytes())


PRINTED = """{
 "version": 1,
 "printed": {
  "board:110105001001001": {"what": "board", "id": "110105001001001", "title": "网格公示牌",
   "commit": "7cd081e613011d0eeb2e4ff9c89380e4c6ccc539", "dirty": false, "date": "2026-03-0%d", "format": "pdf",
   "parts": {}}
 }
}
"""


def record_of_prints(rng: random.Random, root: Path) -> None:
    """The record of prints (.gridctl/printed.json, keyed by its content: GC019) sound, damaged or gone;
    a sound one of another date keeps its size and mtime."""
    path = root / ".gridctl" / "printed.json"
    path.parent.mkdir(exist_ok=True)
    sound = (PRINTED % rng.randrange(1, 10)).encode()
    roll = rng.random()
    if roll < 0.15:
        path.unlink(missing_ok=True)
    elif roll < 0.5 and path.is_file() and len(path.read_bytes()) == len(sound):
        info = path.stat()
        path.write_bytes(sound)
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    elif roll < 0.7:
        path.write_bytes(sound)
    else:
        half = len(sound) // 2
        damaged = [b"<<<<<<< HEAD\n" + sound + b"=======\n" + sound + b">>>>>>> clerkB\n", sound[:half], b"",
                   b"\x89PNG\r\n\x1a\n\x00", b'{"version": 1, "printed": {"board:110105001001001": 7}}\n']  # fmt: skip
        path.write_bytes(rng.choice(damaged))


def _look_again(repo: git.Repo) -> None:
    """git sees every file again (before a commit or a checkout)."""
    hidden = [line[2:] for line in repo.git.ls_files("-v").splitlines() if line[:1].islower()]
    if hidden:
        repo.git.update_index("--no-assume-unchanged", *hidden)


ACTIONS = [edit_value] * 5 + [same_size_same_mtime] * 2 + [delete_or_copy] * 2 + [checkout_or_merge] * 2
ACTIONS += [settings, damage_cache, damage_cache, stage_then_edit, untrack_or_ignore, hide_from_git]
ACTIONS += [misnamed, misnamed, record_of_prints]


def test_a_warm_validate_always_equals_a_cold_one(demo: Path) -> None:
    repo = git.Repo(demo)
    repo.git.branch("-M", "main")
    repo.git.checkout("-b", "other")
    edit_value(random.Random(1), demo)
    repo.git.commit("-am", "other branch", "--no-verify")
    repo.git.checkout("main")
    rng = random.Random(20261130)
    validate(demo, cold=False, fmt="text")
    for n in range(CHANGES):
        action = rng.choice(ACTIONS)
        action(rng, demo)
        fmt = "json" if n % 3 == 0 else "text"
        warm = validate(demo, cold=False, fmt=fmt)
        assert warm == validate(demo, cold=True, fmt=fmt), f"change {n}: {action.__name__}"
        if n % 4 == 0:
            again = validate(demo, cold=False, fmt=fmt)  # and the result the warm run kept
            assert again == warm, f"change {n}: {action.__name__} (second warm run)"
        if n % 4 == 2:  # both states of --changed-since, kept or read, give what a cold run gives
            since = validate(demo, True, "text", "--changed-since", "HEAD")
            assert validate(demo, False, "text", "--changed-since", "HEAD") == since, f"change {n}"
            assert validate(demo, False, "text", "--changed-since", "HEAD") == since, f"change {n} (kept)"
        if n % 4 == 1:  # the status kept by ledger state: computed warm, then read back, equals cold
            cold = status(demo, cold=True)
            assert status(demo, cold=False) == cold, f"change {n}: {action.__name__} (status)"
            assert status(demo, cold=False) == cold, f"change {n}: {action.__name__} (status kept)"


@pytest.mark.parametrize("garbage", [b"", b"\x00" * 64, b"not marshal at all"])
def test_a_garbage_pack_is_read_as_empty(demo: Path, garbage: bytes) -> None:
    before = validate(demo, cold=True, fmt="text")
    validate(demo, cold=False, fmt="text")
    for pack in (demo / ".git" / "gridctl" / "cache").glob("*.bin"):
        pack.write_bytes(garbage)
    assert validate(demo, cold=False, fmt="text") == before


def test_the_cache_stays_in_git_and_out_of_the_work_tree(demo: Path) -> None:
    validate(demo, cold=False, fmt="text")
    assert (demo / ".git" / "gridctl" / "cache").is_dir()
    assert git.Repo(demo).git.status("--porcelain", "--untracked-files=all") == ""


def test_writers_and_readers_at_once_never_see_a_torn_cache(demo: Path) -> None:
    """One process edits (and saves packs) while another validates and lists; all succeed."""
    env = {**os.environ, "GRIDCTL_WAIT": "120", "GRIDCTL_WALK": "0"}  # readers ask git while commits land
    env.pop("GRIDCTL_NO_CACHE", None)
    writer = (
        "for i in $(seq 1 12); do "
        f"{sys.executable} -m gridctl edit H0000$((10 + i)) --set address.room=$((800 + i)) >/dev/null || exit 1; done"
    )
    reader = (
        "for i in $(seq 1 12); do "
        f"{sys.executable} -m gridctl validate >/dev/null; c=$?; [ $c -le 1 ] || exit $c; "
        f"{sys.executable} -m gridctl list household >/dev/null || exit 1; done"
    )
    procs = [subprocess.Popen(["bash", "-c", script], cwd=demo, env=env) for script in (writer, reader)]
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    assert validate(demo, cold=False, fmt="json") == validate(demo, cold=True, fmt="json")


def test_log_from_kept_descriptions_equals_log_from_the_blobs(demo: Path) -> None:
    """`gridctl log` keeps each commit's description by commit id: the next log reads it back, and
    says exactly what describing the blobs again says (with --grid and --kind filters too)."""
    runner = CliRunner()

    def log(*args: str, cold: bool) -> str:
        env = {"GRIDCTL_NO_CACHE": "1" if cold else ""}
        result = runner.invoke(app, ["-C", str(demo), "--lang", "zh", "log", *args], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    for args in (["edit", "H000001", "--set", "address.room=909"], ["move", "H000002", "--to", "110105017006002"]):
        assert runner.invoke(app, ["-C", str(demo), *args]).exit_code == 0
    for args in ([], ["--grid", "110105017006002"], ["--kind", "household"]):
        first = log(*args, cold=False)
        assert log(*args, cold=False) == first == log(*args, cold=True)
    assert any((demo / ".git" / "gridctl" / "cache").glob("log-*.bin"))
    # the printed log is kept by HEAD: a new commit, or HEAD moved back by git, is never hidden
    kept = log(cold=False)
    assert runner.invoke(app, ["-C", str(demo), "edit", "H000001", "--set", "address.room=910"]).exit_code == 0
    assert log(cold=False) == log(cold=True) != kept
    git.Repo(demo).git.reset("--hard", "HEAD~1")
    assert log(cold=False) == log(cold=True) == kept


def test_a_deleted_attachment_is_found_by_a_warm_validate(tmp_path: Path) -> None:
    """A document's scanned PDF deleted by hand (no YAML touched): the kept result must not hide GC410."""
    from gridctl.demo import create_demo

    root = tmp_path / "school"
    create_demo(root, "school-safety")
    assert validate(root, cold=False, fmt="text")[0] == 0
    attachment = next(p for p in (root / "documents").rglob("*") if p.is_file() and p.suffix != ".yaml")
    attachment.unlink()
    warm = validate(root, cold=False, fmt="text")
    assert warm == validate(root, cold=True, fmt="text")
    assert warm[0] == 1 and "GC410" in warm[1]


def test_a_read_only_command_keeps_what_it_read(demo: Path) -> None:
    """`due` and `report` never validate; they used to leave the cache as they found it, so each
    of them read and built every record again at every run."""
    import shutil

    kept = demo / ".git" / "gridctl" / "cache"
    shutil.rmtree(kept, ignore_errors=True)
    cache_module._OPEN.clear()
    result = CliRunner().invoke(app, ["-C", str(demo), "due", "--date", "2026-03-02"], env={"GRIDCTL_NO_CACHE": ""})
    assert result.exit_code in (0, 1), result.output
    assert (kept / "columns.bin").is_file() and (kept / "kindrows.bin").is_file()


def test_a_cold_write_reads_its_head_on_every_core_and_refuses_the_same(demo: Path, monkeypatch) -> None:
    """After an upgrade (or a new gridctl.yaml) nothing is cached: a write reads the HEAD it replaces
    in worker processes, and must check the change exactly as a read in one process does."""
    import shutil

    monkeypatch.setattr("gridctl.prefetch.MIN_FILES", 50)  # the example's 248 files count as many
    said = {}
    for workers in ("1", "2"):
        shutil.rmtree(demo / ".git" / "gridctl" / "cache", ignore_errors=True)
        cache_module._OPEN.clear()
        env = {"GRIDCTL_WORKERS": workers, "GRIDCTL_NO_CACHE": ""}
        edit = ["-C", str(demo), "--lang", "en", "edit"]
        bad = CliRunner().invoke(app, [*edit, "P0000030", "--set", "id_number=310104198807061138"], env=env)
        good = CliRunner().invoke(app, [*edit, "H000012", "--set", f"address.room=90{workers}"], env=env)
        said[workers] = (bad.exit_code, bad.output, good.exit_code)
    assert said["1"] == said["2"], said
    assert said["2"][0] == 1 and "GC103" in said["2"][1] and said["2"][2] == 0, said


def test_a_read_of_another_revision_keeps_only_the_newest_facts(demo: Path, monkeypatch) -> None:
    """Every command now saves what it read; `--as-of` reads a whole revision the columns do not
    hold, and its facts must not all stay to be loaded by every later command."""
    import marshal
    import shutil

    monkeypatch.setattr(cache_module, "RECENT", 20)
    shutil.rmtree(demo / ".git" / "gridctl" / "cache", ignore_errors=True)
    repo = git.Repo(demo)
    edit_value(random.Random(3), demo)
    repo.git.commit("-am", "a hand edit", "--no-verify")
    cache_module._OPEN.clear()
    args = ["-C", str(demo), "list", "household", "--as-of", "HEAD~1"]
    result = CliRunner().invoke(app, args, env={"GRIDCTL_NO_CACHE": ""})
    assert result.exit_code == 0, result.output
    kept = marshal.loads((demo / ".git" / "gridctl" / "cache" / "recent.bin").read_bytes()[4:])[1]
    assert 0 < len(kept) <= 20


def test_a_moved_ledger_is_named_where_it_is_now(demo: Path, tmp_path: Path) -> None:
    """validate's JSON names the ledger's folder; the kept output must not name where it was."""
    import json
    import shutil

    def ledger_named(root: Path) -> str:
        cache_module._OPEN.clear()
        result = CliRunner().invoke(app, ["-C", str(root), "validate", "-f", "json"], env={"GRIDCTL_NO_CACHE": ""})
        return json.loads(result.output)["ledger"]

    assert ledger_named(demo) == str(demo)
    moved = tmp_path / "搬走的台账"
    shutil.move(str(demo), str(moved))
    assert ledger_named(moved) == str(moved)


def test_columns_kept_unchecked_are_checked_on_every_core(demo: Path, monkeypatch) -> None:
    """A `list` right after an upgrade keeps columns with no checks run yet; the validate after it
    checks and locates those files in worker processes, and says what a cold run says."""
    import shutil

    from gridctl import prefetch

    monkeypatch.setattr(prefetch, "MIN_FILES", 50)  # the example's 248 files count as many
    asked = read_on_workers(monkeypatch)
    shutil.rmtree(demo / ".git" / "gridctl" / "cache", ignore_errors=True)
    cache_module._OPEN.clear()
    listed = CliRunner().invoke(app, ["-C", str(demo), "list", "household"], env={"GRIDCTL_WORKERS": "1"})
    assert listed.exit_code == 0 and not asked, listed.output  # read here: columns kept unchecked
    for fmt in ("text", "json"):
        warm = validate(demo, cold=False, fmt=fmt)
        assert warm == validate(demo, cold=True, fmt=fmt), fmt
    assert len(asked) > 200  # the validate after it checked them on the workers


def test_the_personal_fields_are_kept_again_when_another_gridctl_dropped_them(demo: Path) -> None:
    """Which fields are personal data is kept beside the code, so `show` and `status` need not build
    every model's JSON schema (about 0.1 s). A code pack another gridctl version rewrote (two
    versions on one ledger, a portable copy) lost them, and a warm run, serving kept results, never
    kept them again: every later `show` and `status` paid for them."""
    import marshal
    import zlib

    def kept_sensitive() -> object:
        raw = (demo / ".git" / "gridctl" / "cache" / "code.bin").read_bytes()
        return marshal.loads(raw[4:])[1].get("sensitive")

    assert validate(demo, cold=False, fmt="text")[0] == 0
    assert kept_sensitive()
    pack = demo / ".git" / "gridctl" / "cache" / "code.bin"
    header, data = marshal.loads(pack.read_bytes()[4:])
    payload = marshal.dumps((header, {k: v for k, v in data.items() if k != "sensitive"}))
    pack.write_bytes(zlib.crc32(payload).to_bytes(4, "little") + payload)  # as another version leaves it
    cache_module._OPEN.clear()
    assert kept_sensitive() is None
    assert validate(demo, cold=False, fmt="text")[0] == 0  # served from the kept results
    assert kept_sensitive()


def _register(tmp: Path, count: int) -> Path:
    """A GBK register of `count` new one-person households."""
    from conftest import id_number

    lines = ["所属网格,小区,楼栋,单元,房号,姓名,与户主关系,性别,公民身份号码,出生日期,人员类型"]
    for k in range(count):
        number = id_number("110105", "19850101", f"{2 * k + 1:03d}")
        lines.append(f"第一网格,幸福里小区,12号楼,3单元,{100 + k},导入{k},户主,男,{number},1985-01-01,户籍")
    path = tmp / f"register-{count}.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def test_an_import_of_many_households_is_checked_on_every_core_as_in_one(demo: Path, monkeypatch, tmp_path) -> None:
    """An import of thousands of households has its new files read and checked on every core, from
    the bytes it is about to write (gridctl.prefetch.given_reader): what it writes, and what the
    ledger then says, must be what one process gives."""
    import re
    import shutil

    monkeypatch.setattr("gridctl.prefetch.MIN_FILES", 20)  # 40 households count as many
    said = {}
    for workers in ("1", "2"):
        root = tmp_path / f"ledger-{workers}"
        shutil.copytree(demo, root, symlinks=True)
        env = {"GRIDCTL_WORKERS": workers, "GRIDCTL_NO_CACHE": ""}
        cache_module._OPEN.clear()
        done = CliRunner().invoke(app, ["-C", str(root), "--lang", "en", "import", "household",
                                        str(_register(tmp_path, 40))], env=env)  # fmt: skip
        assert done.exit_code == 0, done.output
        tree = git.Repo(root).head.commit.tree.hexsha
        warm = validate(root, cold=False, fmt="json")
        assert warm == validate(root, cold=True, fmt="json")
        said[workers] = (re.sub(r"[0-9a-f]{10}", "C", done.output), tree, warm[1].replace(str(root), "LEDGER"))
    assert said["1"] == said["2"], said
    assert "added 40 households" in said["2"][0]


def test_a_cold_validate_takes_the_rows_its_checks_read_from_the_workers(demo: Path, monkeypatch) -> None:
    """The photo and month-folder checks read every place's, staff member's, event's and inspection's
    row: a cold read made them on the workers for nothing, and the main process read 33,000 places
    again after them (6 s of a cold validate at 100,000 households). None is built here now, and the
    result is a cold one's."""
    import shutil

    from gridctl import prefetch

    from conftest import count_built

    monkeypatch.setattr(prefetch, "MIN_FILES", 50)  # the example's 248 files count as many
    shutil.rmtree(demo / ".git" / "gridctl" / "cache", ignore_errors=True)
    cache_module._OPEN.clear()
    built = count_built(monkeypatch)
    first = validate(demo, cold=False, fmt="json")
    plain = {p.stem for p in (demo / "places").rglob("*.yaml") if "responsible:" not in p.read_text(encoding="utf-8")}
    assert len(plain) >= 10  # (a place with its 楼栋长 named is built by GC262's check, to see if it is a building)
    rowed = [rid for rid in built if rid in plain or rid.startswith(("E2", "I2"))]
    assert not rowed, rowed[:5]
    assert first == validate(demo, cold=True, fmt="json")
