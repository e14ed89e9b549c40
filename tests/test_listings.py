"""The listing a write keeps of the commit it made is exactly what git lists for that commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git

from gridctl.ledger.cache import blob_id
from gridctl.ledger.files import GitTree, ledger_files
from gridctl.ledger.listings import after_write, kept
from gridctl.ledger.transaction import Author, Message
from gridctl.ops.write import write

WANG = Author("王芳", "wangfang@example.cn")


def listed(root: Path, commit: str) -> dict[str, tuple[str, str]]:
    out = subprocess.run(
        ["git", "ls-tree", "-r", "-z", "--full-tree", commit], cwd=root, capture_output=True, check=True
    ).stdout.decode()
    entries = {}
    for item in out.split("\0"):
        if item:
            meta, path = item.split("\t", 1)
            mode, _type, blob = meta.split()
            entries[path] = (mode, blob)
    return entries


def test_the_kept_listing_is_what_git_lists(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    house = sorted((demo / "households").rglob("*.yaml"))[0]
    steps = [
        ("edit", house.stem, "--set", "address.room=1808"),
        ("add", "staff", "--set", "name=赵六", "--set", "phone=13800138002"),
        ("edit", house.stem, "--set", "address.room=1809"),
    ]
    kept_records: list[bool] = []
    for step in steps:
        result = cli("-C", str(demo), *step)
        assert result.exit_code == 0, result.output
        head = git.Repo(demo).head.commit.hexsha
        found = kept(demo, head)
        assert found is not None, step  # every write keeps the listing of its commit
        entries, records = found
        assert entries == listed(demo, head), step
        assert records is None or records == ledger_files(listed(demo, head)), step
        assert GitTree(demo, head)._yaml == ledger_files(listed(demo, head))
        kept_records.append(records is not None)
    assert kept_records == [True, True, True]  # a file added: the kept record files take it in
    # a commit made outside gridctl: the kept listing changed by what git diff-tree lists
    (demo / "notes.yaml").write_text("kind: note\n", encoding="utf-8")
    (demo / house.relative_to(demo)).unlink()
    repo = git.Repo(demo)
    repo.git.add("-A")
    repo.git.commit("-m", "plain", "--no-verify")
    head = repo.head.commit.hexsha
    assert kept(demo, head) is None
    assert GitTree(demo, head)._entries == listed(demo, head)
    assert GitTree(demo, head)._yaml == ledger_files(listed(demo, head))
    for rev in ("HEAD~2", "HEAD~3"):  # an older revision, from the kept one, both ways
        commit = repo.git.rev_parse(rev)
        assert GitTree(demo, commit)._entries == listed(demo, commit)
    assert GitTree(demo, head)._entries == listed(demo, head)


def test_a_write_that_swaps_a_file_and_a_folder_keeps_no_listing(repo: Path) -> None:
    before = {"staff/S0001.yaml": ("100644", "a" * 40), "notes": ("100644", "b" * 40)}
    assert after_write(before, {"notes/one.yaml": b"x"}) is None  # a file where a folder is needed
    assert after_write(before, {"staff": b"x"}) is None  # a file where a folder is
    assert after_write(before, {"a/b.yaml": b"x", "a": b"y"}) is None
    grown = after_write(before, {"staff/S0002.yaml": b"kind: staff\n", "notes": None})
    added = ("100644", blob_id(b"kind: staff\n"))
    assert grown == {"staff/S0001.yaml": ("100644", "a" * 40), "staff/S0002.yaml": added}
    done = write(
        repo,
        {"staff/S0003.yaml": b"kind: staff\nid: S0003\nname: \xe8\xb5\xb5\xe5\x85\xad\n"},
        Message("add staff S0003"),
        WANG,
    )
    found = kept(repo, str(done.commit))
    assert found is not None and found[0] == listed(repo, str(done.commit))


def test_a_submodule_link_named_like_a_record_is_no_record_file(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A gitlink (mode 160000) at households/…/H999.yaml: the working tree holds a folder there, so
    validate passed, while `--as-of HEAD validate` read the linked commit object as the file's text."""
    head = git.Repo(repo).head.commit.hexsha
    link = f"160000,{head},households/110105001001001/H999.yaml"
    subprocess.run(["git", "update-index", "--add", "--cacheinfo", link], cwd=repo, check=True)
    git.Repo(repo).git.commit("-qm", "子模块")
    now = cli("-C", str(repo), "--lang", "en", "validate")
    then = cli("-C", str(repo), "--lang", "en", "--as-of", "HEAD", "validate")
    assert now.exit_code == then.exit_code == 0, then.output
    assert now.output == then.output


def test_listings_kept_as_changes_on_their_parents_are_what_git_lists(demo: Path) -> None:
    """A write keeps its listing as the paths it changed on top of its parent's (listings.DEPTH steps,
    then a whole one again). Over 40 writes that add, change, move and remove files, every kept
    listing and its record files are git's, the newest two stay readable and nothing else piles up;
    a damaged step is not taken, and the commits above it are listed by git again, rightly."""
    from gridctl.ledger.listings import DEPTH

    cache = demo / ".git" / "gridctl" / "cache"
    house = sorted((demo / "households").rglob("*.yaml"))[0].relative_to(demo).as_posix()
    text = (demo / house).read_bytes()
    commits: list[str] = []
    for n in range(40):
        if n % 4 == 3:  # moved to another grid and back, in turn
            grid, other = ("6001", "6003") if "6001/" in house else ("6003", "6001")
            there = house.replace(f"{grid}/", f"{other}/")
            text = text.replace(f'grid: "11010501700{grid}"'.encode(), f'grid: "11010501700{other}"'.encode())
            changes: dict[str, bytes | None] = {there: text, house: None}
            house = there
        elif n % 4 == 1:
            changes = {f"notes/{n}.txt": b"x"}
        else:
            changes = {house: text.replace(b"room:", f"room: {n}".encode(), 1)}
        done = write(demo, changes, Message(f"step {n}"), WANG)
        assert done.commit is not None
        commits.append(done.commit)
        found = kept(demo, done.commit)
        assert found is not None, n
        assert found[0] == listed(demo, done.commit), n
        assert found[1] == ledger_files(found[0]), n  # the record files too, though files came and went
        assert kept(demo, commits[-2] if n else done.commit) is not None, n  # HEAD~1's too
        assert len(list(cache.glob("listing-*.bin"))) <= DEPTH + 2
    steps = sorted(cache.glob("listing-*-on-*.bin"), key=lambda p: p.stat().st_mtime_ns)
    # a step renamed onto another kept commit than the one it was made on is not taken
    newest = steps[-1]
    commit, _on, parent = newest.stem.removeprefix("listing-").partition("-on-")
    other = commits[-3]
    assert other != parent and kept(demo, other) is not None
    moved = newest.with_name(f"listing-{commit}-on-{other}.bin")
    newest.rename(moved)
    assert kept(demo, commit) is None
    assert GitTree(demo, commit)._entries == listed(demo, commit)
    moved.rename(newest)
    assert kept(demo, commit) is not None
    assert steps and len(list(cache.glob("listing-*.bin"))) > len(steps)  # a whole one under them
    steps[0].write_bytes(b"\x00garbage")
    assert kept(demo, commits[-1]) is None
    assert GitTree(demo, commits[-1])._entries == listed(demo, commits[-1])
    assert GitTree(demo, commits[-1])._yaml == ledger_files(listed(demo, commits[-1]))
    # the next write does not keep a step on a listing that cannot be read: a whole one, read again
    done = write(demo, {"notes/after.txt": b"x"}, Message("after"), WANG)
    assert done.commit is not None
    found = kept(demo, done.commit)
    assert found is not None and found[0] == listed(demo, done.commit)
    assert (cache / f"listing-{done.commit}.bin").is_file()


def test_a_listing_kept_without_its_record_files_is_kept_whole_by_the_next_write(demo: Path) -> None:
    """A whole listing kept by an older gridctl holds no record files, or ones listed by another
    rule (what ledger_files takes): they are not taken, and the next write keeps a whole listing
    with them, not a step on it, which would leave every write up to the next whole one to list them
    again (0.3 s at 100,000 households)."""
    from gridctl.ledger.cache import FORMAT, Pack

    cache = demo / ".git" / "gridctl" / "cache"
    house = sorted((demo / "households").rglob("*.yaml"))[0].relative_to(demo).as_posix()
    text = (demo / house).read_bytes()
    for n, damage in enumerate(("older", "rule")):
        for path in cache.glob("listing-*.bin"):  # nothing kept: the write keeps a whole listing
            path.unlink()
        done = write(demo, {house: text.replace(b"room:", f"room: {n}1".encode(), 1)}, Message(f"a {n}"), WANG)
        assert done.commit is not None
        head = done.commit
        whole = Pack(cache, f"listing-{head}", f"listing:{FORMAT}:{head}")
        assert whole.path is not None and whole.path.is_file()  # the test's premise: a whole listing
        data = dict(whole.data)
        assert data["yaml"] == ledger_files(listed(demo, head))
        if damage == "older":
            del data["yaml"], data["rule"]
        else:  # another rule: a photos folder of records, say
            data["rule"] = data["rule"].replace("photos,", "")
        whole.replace(data)
        whole.save()
        found = kept(demo, head)
        assert found is not None and found[0] == listed(demo, head) and found[1] is None, damage
        tree = GitTree(demo, head)
        assert tree._entries == listed(demo, head) and tree._yaml == ledger_files(listed(demo, head))
        assert tree.listing_kept and not tree.records_kept
        done = write(demo, {house: text.replace(b"room:", f"room: {n}2".encode(), 1)}, Message(f"b {n}"), WANG)
        assert done.commit is not None
        assert (cache / f"listing-{done.commit}.bin").is_file(), damage  # whole, not a step on the damaged one
        found = kept(demo, done.commit)
        assert found is not None and found[1] == ledger_files(listed(demo, done.commit)), damage
        tree = GitTree(demo, done.commit)
        assert tree._entries == listed(demo, done.commit) and tree.records_kept
