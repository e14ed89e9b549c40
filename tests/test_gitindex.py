"""The index's listing kept under .git is brought up to date from the lines that changed
(gridctl.ledger.gitlisting._updated): after any change it equals reading the whole listing."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from gridctl.ledger import gitlisting


def _line(path: str, blob: str, mode: str = "100644") -> bytes:
    return f"H {mode} {blob} 0\t{path}\0".encode()


def _listing(entries: dict[str, str]) -> bytes:
    return b"".join(_line(path, blob) for path, blob in sorted(entries.items()))


def _blob(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(40))


def test_the_changed_lines_give_what_the_whole_listing_gives() -> None:
    rng = random.Random(20261130)
    names = [f"households/{g:03d}/H{n:06d}.yaml" for g in range(5) for n in range(40)]
    names += ["gridctl.yaml", "grids/110105.yaml", "photos/a.jpg", "staff/S0001.yaml", "z/last.yaml"]
    entries = {name: _blob(rng) for name in names}
    for _ in range(300):
        was = _listing(entries)
        kept = dict(entries)
        for _ in range(rng.choice([1, 1, 1, 2, 5])):
            action = rng.random()
            name = rng.choice(sorted(entries))
            if action < 0.5:
                entries[name] = _blob(rng)  # an edit
            elif action < 0.7 and len(entries) > 3:
                del entries[name]
            elif action < 0.9:
                folder = name.rpartition("/")[0] or "households/new"
                entries[f"{folder}/H{rng.randrange(10**6):06d}.yaml"] = _blob(rng)
            else:
                entries[name + "x"] = entries.pop(name)  # a rename: one line goes, one comes
        now = _listing(entries)
        order = gitlisting.walk_order(list(kept))
        found = gitlisting._updated(dict(kept), order, was, now)
        assert found is not None
        assert found[0] == gitlisting._entries(now)
        assert found[1] == gitlisting.walk_order(list(entries))


def test_a_line_git_compares_by_other_means_reads_the_whole_listing() -> None:
    entries = {"households/H000001.yaml": "a" * 40, "households/H000002.yaml": "b" * 40}
    was = _listing(entries)
    now = was.replace(_line("households/H000002.yaml", "b" * 40), _line("households/H000002.yaml", "c" * 40, "120000"))
    assert gitlisting._updated(dict(entries), list(entries), was, now) is None


def test_a_kept_listing_follows_real_commits(demo: Path) -> None:
    """git's own listing, after an edit, a new file and a deleted one, read from the kept one."""
    from gridctl.ledger.cache import Pack, cache_folder, code_fingerprint

    def ls_files() -> bytes:
        return subprocess.run(["git", "ls-files", "-s", "-v", "-z"], cwd=demo, capture_output=True, check=True).stdout

    assert gitlisting._known(demo, ls_files()) is not None
    houses = sorted((demo / "households").rglob("*.yaml"))
    houses[0].write_text(houses[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (houses[1].with_name("H777777.yaml")).write_text(houses[1].read_text(encoding="utf-8"), encoding="utf-8")
    houses[2].unlink()
    subprocess.run(["git", "add", "-A"], cwd=demo, check=True)
    known = gitlisting._known(demo, ls_files())
    assert known is not None
    assert known[0] == gitlisting._entries(ls_files())
    assert known[1] == gitlisting.walk_order(list(known[0]))
    kept = Pack(cache_folder(demo), "gitindex", f"gitindex:{code_fingerprint()}").get("index")
    assert kept[3] == ls_files()


def test_a_same_end_that_starts_mid_line_in_the_kept_listing_reads_it_all() -> None:
    """A path may hold a tab and text that reads like a line of the listing: the end the two
    listings share then starts inside a line of the kept one, which must not be half read."""
    a, b, c = "a" * 40, "b" * 40, "c" * 40
    odd = f"households/x\tH 100644 {c} 0\tq.yaml"  # its tail is the next listing's own line
    was = _line("households/H1.yaml", a) + _line(odd, b)
    now = _line("households/H1.yaml", a) + _line("q.yaml", c)
    entries = gitlisting._entries(was)
    assert entries is not None and odd in entries
    found = gitlisting._updated(dict(entries), gitlisting.walk_order(list(entries)), was, now)
    assert found is None or found[0] == gitlisting._entries(now)
