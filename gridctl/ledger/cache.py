"""What gridctl read and checked, kept under .git by content so the next command need not redo it.

A cache is an optimisation, never a source of truth (design.md §3):
- every entry is keyed by the git blob id of a file's bytes (what git itself would compute), by
  gridctl's code and by the ledger's settings, so a changed file, a new gridctl or a changed
  gridctl.yaml simply misses;
- the working tree's files are matched to blob ids by their stat (size, times, inode), and a stat
  that is not older than the moment it was recorded ("racily clean", as git calls it) is never
  trusted: the file is read and hashed again;
- every pack is written to a temp file and renamed, so a reader sees a whole pack or none; two
  processes saving at once each leave a whole pack (the last one wins), and a truncated or garbage
  pack is treated as empty;
- it lives in .git/gridctl/cache, never in the working tree, and holds nothing the files do not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import marshal
import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 9
DIR = "gridctl/cache"
RECENT = 2000
"""Facts of files kept beyond the last read's columns (another revision, a file changed back)."""
VIEWS = 48
"""Whole-ledger views kept (gridctl.ledger.cache.Cache.kept), one file each."""
PIECE = 2048
"""Files per piece of the kept columns (gridctl.ledger.columns.Columns.pieces). A one-field edit
writes its piece again: 0.7 MB at this size, against 2.9 MB (24 ms of a 0.5 s edit at 12,000
households) at 8,192; reading eight pieces instead of two costs no more than their bytes."""
PIECE_AGE_NS = 60_000_000_000
"""A piece no manifest names is deleted only when older than this: another process may have just
written it for a manifest it is about to write."""
RACY_NS = 2_000_000_000
"""A file whose mtime is within this of the moment its stat was recorded is hashed again."""


@functools.cache
def code_fingerprint() -> str:
    """gridctl's version and its own files (code, profiles): any change to them empties the cache."""
    import gridctl

    digest = hashlib.sha1(f"{FORMAT}:{gridctl.__version__}".encode(), usedforsecurity=False)
    base = Path(gridctl.__file__).parent
    for folder, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".yaml")):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{folder[len(str(base)) :]}/{name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def blob_id(data: bytes) -> str:
    """The id git gives a blob (SHA-1 of its header and content)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def holds(data: bytes, blob: str) -> bool:
    """Whether `data` is the content `blob` names: its own id, or that of its LF form (the same
    records, whichever line endings an editor saved them with)."""
    if blob_id(data) == blob:
        return True
    return b"\r\n" in data and blob_id(data.replace(b"\r\n", b"\n")) == blob


_PLAIN = frozenset({str, int, float, bool, type(None)})


def freeze(value: Any) -> Any:
    """A parsed YAML value in marshal's types: dates become tagged tuples. Plain values (nearly
    all of them) are taken without a call each: a report keeps 40,000 problems' arguments."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: v if type(v) in _PLAIN else freeze(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in _PLAIN else freeze(v) for v in value]
    if isinstance(value, dt.datetime):
        return ("\0dt", value.isoformat())
    if isinstance(value, dt.date):
        return ("\0d", value.isoformat())
    return value


_NESTED = (dict, list, tuple)


def thaw(value: Any) -> Any:
    """freeze() undone. Scalars (nearly every value) are taken as they are, without a call each:
    `gridctl log` thaws the kept versions of thousands of records."""
    kind = type(value)
    if kind is dict:
        return {k: thaw(v) if type(v) in _NESTED else v for k, v in value.items()}
    if kind is list:
        return [thaw(v) if type(v) in _NESTED else v for v in value]
    if kind is tuple and len(value) == 2 and value[0] in ("\0d", "\0dt"):
        return dt.date.fromisoformat(value[1]) if value[0] == "\0d" else dt.datetime.fromisoformat(value[1])
    return value


_FREEZE = False
"""Set by the command line's entry (gridctl.cli.main.run): a pack just read is frozen (gc.freeze)."""


def freezing() -> bool:
    """Whether this process runs one command and freezes what it read (freeze_what_is_read)."""
    return _FREEZE


def freeze_what_is_read() -> None:
    """A process that runs one command: what a pack holds (2.5 million plain values at 100,000
    households, no cycles among them) is never scanned by the cyclic collector again. Not for a
    long-lived process, where freezing would also keep whatever cycles exist at that moment."""
    global _FREEZE
    _FREEZE = True


BIG = 1 << 22
"""A pack this large (4 MB) holds enough objects that the collector's scans of them show."""
CRC = 4
"""Bytes of the CRC-32 that opens every pack (Pack)."""


@contextlib.contextmanager
def _unscanned(big: bool) -> Any:
    """No collection while a pack is read (its millions of new objects each counted towards
    one), and in a one-command process none of them scanned afterwards: 0.15 s of a write at
    100,000 households went to collections that found nothing."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _FREEZE and big:
            gc.freeze()
        if was:
            gc.enable()


class Pack:
    """One marshal file of the cache: a header that must match, and a dict, behind the CRC-32 of
    both: one flipped bit in a kept row (a failing disk, a bad copy of .git) read as valid marshal
    and showed 李颗 for 李颖 in `list`, `export` and `show` (0.15 s a GB to check)."""

    def __init__(self, folder: Path | None, name: str, header: str) -> None:
        self.path = folder / f"{name}.bin" if folder is not None else None
        self.header = header
        self._data: dict[Any, Any] | None = None
        self.changed = False

    @property
    def data(self) -> dict[Any, Any]:
        if self._data is None:
            self._data = self._read()
        return self._data

    def _read(self) -> dict[Any, Any]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as handle:
                raw = handle.read()  # one read: marshal.load on a file reads item by item, 10× slower
            body = memoryview(raw)[CRC:]
            if len(raw) < CRC or zlib.crc32(body) != int.from_bytes(raw[:CRC], "little"):
                return {}
            with _unscanned(len(raw) > BIG):
                loaded = marshal.loads(body)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if not isinstance(loaded, tuple) or len(loaded) != 2 or loaded[0] != self.header:
            return {}
        return loaded[1] if isinstance(loaded[1], dict) else {}

    def get(self, key: Any) -> Any:
        return self.data.get(key)

    def put(self, key: Any, value: Any) -> None:
        self.data[key] = value
        self.changed = True

    def replace(self, data: dict[Any, Any]) -> None:
        self._data = data
        self.changed = True

    def save(self) -> None:
        if self.path is None or not self.changed or self._data is None:
            return
        try:
            payload = marshal.dumps((self.header, self._data))
        except ValueError:  # a value marshal cannot hold: keep nothing rather than something wrong
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as handle:
                handle.write(zlib.crc32(payload).to_bytes(CRC, "little"))
                handle.write(payload)
            os.replace(tmp, self.path)
        self.changed = False


class ShardedPack:
    """A pack split by the first hex digit of its keys (blob ids): adding one entry rewrites 1/16 of it."""

    def __init__(self, folder: Path | None, name: str, header: str) -> None:
        self.shards = [Pack(folder, f"{name}-{digit:x}", header) for digit in range(16)]

    def _shard(self, key: str) -> Pack:
        return self.shards[int(key[0], 16)] if key and key[0] in "0123456789abcdef" else self.shards[0]

    def get(self, key: str) -> Any:
        return self._shard(key).get(key)

    def put(self, key: str, value: Any) -> None:
        self._shard(key).put(key, value)

    def load_all(self) -> None:
        for shard in self.shards:
            shard.data  # noqa: B018

    def prune(self, live: set[str]) -> None:
        for shard in self.shards:
            if shard._data is not None or shard.changed:
                data = shard.data
                if len(data) > max(8, len(live) * 3 // 32):
                    shard.replace({k: v for k, v in data.items() if k in live})

    def save(self) -> None:
        for shard in self.shards:
            shard.save()


class Results:
    """Kept validation results, one file per state (`results/<state>.bin`), the newest few kept.

    Looking a state up reads only its own file, and keeping one writes only it: one pack of four
    results (25 MB at 100,000 households) was read and written again by every validate."""

    KEEP = 4

    def __init__(self, folder: Path | None, header: str) -> None:
        self.folder = folder / "results" if folder is not None else None
        self.header = header
        self._new: dict[str, Any] = {}

    def _pack(self, key: str) -> Pack | None:
        if self.folder is None or not key.isalnum():
            return None
        return Pack(self.folder, key, self.header)

    def get(self, key: str) -> Any:
        if key in self._new:
            return self._new[key]
        pack = self._pack(key)
        return pack.get("result") if pack is not None and pack.path is not None and pack.path.is_file() else None

    def put(self, key: str, value: Any) -> None:
        self._new[key] = value

    def save(self) -> None:
        for key, value in self._new.items():
            pack = self._pack(key)
            if pack is not None:
                pack.replace({"result": value})
                pack.save()
        if self._new and self.folder is not None:
            with contextlib.suppress(OSError):
                (self.folder.parent / "results.bin").unlink(missing_ok=True)  # all in one pack, before
                kept = sorted(self.folder.glob("*.bin"), key=lambda p: p.stat().st_mtime_ns)
                for old in kept[: -self.KEEP]:
                    old.unlink(missing_ok=True)
        self._new = {}


class Cache:
    """The packs of one ledger: blob ids by stat, facts and documents by blob, results by state."""

    def __init__(self, git_dir: Path | None, settings_key: str, scope: str = "") -> None:
        folder = git_dir / DIR if git_dir is not None else None
        if folder is not None and scope:
            folder = folder / scope_folder(scope)
        code = code_fingerprint()
        self.enabled = folder is not None
        self.settings_key = settings_key
        """The settings what is kept here was read with (workers reading for it must find the same)."""
        self.scope = scope
        """A ledger of its own read from git objects (a town's unit): its packs sit in a folder of
        their own, and its columns are kept as read (there is no working tree of it to keep)."""
        self.stat = Pack(folder, "stat", f"stat:{FORMAT}")
        self._stat_map: dict[str, tuple[int, int, int, int, str, int]] | None = None
        self.snapshot = Pack(folder, "columns", f"columns:{code}:{settings_key}")
        self.recent = Pack(folder, "recent", f"recent:{code}:{settings_key}")
        self._columns: Any = None
        self._columns_changed = False
        self._pieces: set[str] = set()
        """The pieces of the columns read whole this run (gridctl.ledger.columns.Columns.pieces)."""
        self.docs = ShardedPack(folder, "docs", f"docs:{FORMAT}")
        self.rows = ShardedPack(folder, "rows", f"rows:{code}:{settings_key}")
        self.kind_rows = Pack(folder, "kindrows", f"kindrows:{code}:{settings_key}")
        self.months = Pack(folder, "months", f"months:{code}:{settings_key}")
        """kind → {blob: {entry in the file: the month its date files it under}} (Ledger.months)."""
        self.results = Results(folder, f"results:{code}:{settings_key}")
        self._folder = folder
        self._views_header = f"views:{code}:{settings_key}"
        self._views: dict[str, Pack] = {}
        self.blocks = Pack(folder, "blocks", f"blocks:{code}")
        """lang → {a problem and its source line: the lines validate printed for it} (gridctl.render.problems)."""
        self.code = Pack(folder, "code", f"code:{code}")
        self.started_ns = time.time_ns()
        self._top = git_dir / DIR if git_dir is not None else None

    def sealed_since_opened(self) -> bool:
        """Whether `gridctl encrypt` dropped the plain cache after this one was opened (another
        process, reading while it ran): what this one made of the plain files is not saved."""
        try:
            return self._top is not None and (self._top / SEALED).stat().st_mtime_ns >= self.started_ns
        except OSError:
            return False

    def _stats(self) -> dict[str, tuple[int, int, int, int, str, int]]:
        """rel → (size, mtime, ctime, inode, blob, recorded), read from the pack's columns once."""
        if self._stat_map is None:
            from array import array

            data = self.stat.data
            out: dict[str, tuple[int, int, int, int, str, int]] = {}
            try:
                nums = array("q")
                nums.frombytes(data["nums"])
                for i, (rel, blob) in enumerate(zip(data["rels"], data["blobs"], strict=True)):
                    k = i * 5
                    out[rel] = (nums[k], nums[k + 1], nums[k + 2], nums[k + 3], blob, nums[k + 4])
            except (KeyError, TypeError, ValueError, IndexError):
                out = {}
            self._stat_map = out
        return self._stat_map

    def blob_of(self, root: Path, rel: str, info: os.stat_result) -> str | None:
        """The blob id recorded for this file's stat, if the stat can be trusted."""
        known = self._stats().get(rel)
        if not known:
            return None
        size, mtime, ctime, ino, blob, recorded = known
        if (size, mtime, ctime, ino) != (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino):
            return None
        if mtime + RACY_NS >= recorded or ctime + RACY_NS >= recorded:
            return None  # racily clean: the file may have changed within the clock's resolution
        return blob

    def record_stat(self, rel: str, info: os.stat_result, blob: str) -> None:
        entry = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, blob, self.started_ns)
        stats = self._stats()
        if stats.get(rel) != entry:
            stats[rel] = entry
            self.stat.changed = True

    def forget_missing(self, present: set[str]) -> None:
        stats = self._stats()
        gone = [rel for rel in stats if rel not in present]
        for rel in gone:
            del stats[rel]
        if gone:
            self.stat.changed = True

    def _pack_stats(self) -> None:
        from array import array

        if self._stat_map is None or not self.stat.changed:
            return
        rels = list(self._stat_map)
        nums = array("q")
        for rel in rels:
            size, mtime, ctime, ino, _blob, recorded = self._stat_map[rel]
            nums.extend((size, mtime, ctime, ino, recorded))
        self.stat.replace({"rels": rels, "nums": nums.tobytes(), "blobs": [self._stat_map[r][4] for r in rels]})

    def columns(self) -> Any:
        """The columns of the ledger as last read (gridctl.ledger.columns), or None.

        They are kept in pieces (`columns/<name>.bin`), named by what their content follows from,
        and `columns.bin` lists the pieces in order: a whole list read, or nothing."""
        if self._columns is None and self._folder is not None:
            from gridctl.ledger.columns import Columns

            names = self.snapshot.get("pieces")
            if isinstance(names, list) and all(isinstance(n, str) and n.isalnum() for n in names):
                with _unscanned(True):  # 2.5 million values at 100,000 households, no cycles among them
                    pieces = [self._piece(name).get("piece") for name in names]
                if all(isinstance(piece, tuple) for piece in pieces):
                    with contextlib.suppress(ValueError, TypeError, KeyError, IndexError, AttributeError):
                        self._columns = Columns.joined(pieces)
                        self._pieces = set(names)
        return self._columns

    def _piece(self, name: str) -> Pack:
        return Pack(self._folder / "columns" if self._folder is not None else None, name, self.snapshot.header)

    def keep_columns(self, cols: Any) -> None:
        """Remember these columns as the ledger last read (written by save())."""
        self._columns = cols
        self._columns_changed = True

    def _save_columns(self) -> None:
        """Write the pieces not read whole this run, then the list of them. A piece is named by
        its place, its files' paths, content ids and flags, and the code and settings: the same
        name, the same content. Only pieces read whole are taken as they are (a damaged file of
        the right name is written again); one with a file of no content id is always written."""
        names: list[str] = []
        for follows, make in self._columns.pieces(PIECE):
            if any(blob is None for blob in follows[4]):
                name = hashlib.sha1(f"{os.getpid()}:{time.time_ns()}:{len(names)}".encode(), usedforsecurity=False)
            else:
                name = hashlib.sha1(self.snapshot.header.encode(), usedforsecurity=False)
                name.update(marshal.dumps(follows))
            names.append(name.hexdigest())
            if names[-1] not in self._pieces:
                piece = self._piece(names[-1])
                piece.replace({"piece": make()})
                piece.save()
        was = self._pieces
        self.snapshot.replace({"pieces": names})
        self.snapshot.save()
        self._pieces = set(names)
        self._forget_pieces(self._pieces | was)

    def _forget_pieces(self, named: set[str]) -> None:
        """Pieces neither list names (this one, the one read before it), once they are a minute old."""
        if self._folder is None:
            return
        now = time.time_ns()
        with contextlib.suppress(OSError):
            for path in (self._folder / "columns").glob("*.bin"):
                with contextlib.suppress(OSError):
                    if path.stem not in named and path.stat().st_mtime_ns < now - PIECE_AGE_NS:
                        path.unlink()

    def prune(self, live: set[str]) -> None:
        """Keep the facts and documents of the blobs in use, and a few others (another revision)."""
        data = self.recent.data
        if len(data) > RECENT:
            kept = [k for k in data if k in live][-RECENT:]
            self.recent.replace({k: data[k] for k in kept})
        self.docs.prune(live)
        self.rows.prune(live)

    def save(self) -> None:
        if self.sealed_since_opened():
            return
        self._pack_stats()
        recent = self.recent._data
        if self.recent.changed and recent is not None and len(recent) > RECENT:
            # a read of another revision (--as-of at 100,000 households) must not leave 137,000 facts
            # to load on every later miss: the newest are kept, as prune() keeps them
            self.recent.replace(dict(list(recent.items())[-RECENT:]))
        if self._columns_changed and self._columns is not None:
            with contextlib.suppress(ValueError, OSError):
                self._save_columns()
            self._columns_changed = False
        for pack in (
            self.stat,
            self.snapshot,
            self.recent,
            self.docs,
            self.rows,
            self.kind_rows,
            self.months,
            self.results,
            self.blocks,
            self.code,
        ):
            pack.save()

    def kept(
        self, name: str, state: str | None, compute: Callable[[], Any], keep: Callable[[], bool] | None = None
    ) -> Any:
        """A view of the whole ledger, computed once per state (a Validation's `state`: the files,
        settings, code and day it depends on) and kept for the next run with the same state;
        `keep()`, asked once it is computed, may say it is this run's alone.

        Only plain values that marshal can hold, and only what may sit on disk beside the files
        (counts, never a decrypted value)."""
        if state is None or not self.enabled:
            return compute()
        pack = self._view(name)
        cached = pack.get(state)
        if cached is not None:
            with contextlib.suppress(EOFError, ValueError, TypeError):
                return marshal.loads(cached)
        value = compute()
        if (keep is not None and not keep()) or self.sealed_since_opened():
            return value
        with contextlib.suppress(ValueError):
            pack.replace({state: marshal.dumps(value)})  # the newest state only
            pack.save()
            self._forget_old_views()
        return value

    def _view(self, name: str) -> Pack:
        """One file per view (`status`, a list's table, validate's text): reading the status never
        loads a 12 MB table kept beside it."""
        if name not in self._views:
            digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:16]
            folder = self._folder / "views" if self._folder is not None else None
            self._views[name] = Pack(folder, digest, f"{self._views_header}:{name}")
        return self._views[name]

    def _forget_old_views(self) -> None:
        """At most VIEWS kept views (a list per grid and care group adds up): the oldest go."""
        if self._folder is None:
            return
        with contextlib.suppress(OSError):
            kept = sorted((self._folder / "views").glob("*.bin"), key=lambda p: p.stat().st_mtime_ns)
            for old in kept[:-VIEWS]:
                old.unlink(missing_ok=True)


def scope_folder(scope: str) -> str:
    """The folder of a scope's packs: its name when that is a plain word, else a digest of it."""
    import re

    if re.fullmatch(r"units/[A-Za-z0-9_-]{1,64}", scope):
        return scope
    return "scopes/" + hashlib.sha1(scope.encode(), usedforsecurity=False).hexdigest()[:16]


def cache_folder(root: Path) -> Path | None:
    """The ledger's cache folder (.git/gridctl/cache), or None outside git or with GRIDCTL_NO_CACHE."""
    if os.environ.get("GRIDCTL_NO_CACHE"):
        return None
    git_dir = git_dir_of(root)
    return git_dir / DIR if git_dir is not None else None


def git_dir_of(root: Path) -> Path | None:
    """The ledger's .git folder (a file `gitdir: …` in a worktree), or None outside git."""
    dot = root / ".git"
    if dot.is_dir():
        return dot
    if dot.is_file():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            line = dot.read_text(encoding="utf-8").strip()
            if line.startswith("gitdir:"):
                target = Path(line[7:].strip())
                return target if target.is_absolute() else (root / target).resolve()
    return None


def settings_key(files: Any) -> str:
    """gridctl.yaml's bytes as `files` have them: the settings are the profile (code) plus this file."""
    try:
        data = files.read("gridctl.yaml")
    except (OSError, KeyError):
        data = b""
    from gridctl.ledger.vault import mark

    privacy = mark(files)  # an encrypted ledger: which data key, and whether a key here opens it
    return blob_id(data + privacy.encode()) if privacy else blob_id(data)


_OPEN: dict[tuple[str, str, str], Cache] = {}


SEALED = ".sealed"
"""Touched by forget_the_plain: a cache opened before it saves nothing (Cache.sealed_since_opened)."""


def forget_the_plain(root: Path) -> None:
    """Everything kept of the ledger but the log's descriptions, once `gridctl encrypt` sealed it:
    what was made of the plain files (column pieces no longer named, rows, views, results) must
    not outlive them on disk. The history's descriptions stay: the plain commits hold the same.
    A process reading while encrypt ran saves nothing afterwards (the SEALED mark is newer than
    its cache)."""
    folder = cache_folder(root)
    git_dir = git_dir_of(root)
    for key in [k for k in _OPEN if git_dir is not None and k[0] == str(git_dir)]:
        del _OPEN[key]  # nothing read before is saved again by this process
    if folder is None:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / SEALED).write_bytes(b"")  # first: a reader that saves while the rest goes sees it
    for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
        with contextlib.suppress(OSError):
            if path.is_dir():
                path.rmdir()
            elif not path.name.startswith("log-") and path.name != SEALED:
                path.unlink()


def open_cache_for(root: Path, files: Any) -> Cache:
    """The ledger's cache, for the settings that `files` (working tree, overlay, revision) hold.

    One Cache per ledger and settings in a process: a write reads the ledger, then validates the
    result, and both use the packs loaded once.
    """
    if os.environ.get("GRIDCTL_NO_CACHE"):
        return Cache(None, "")
    git_dir = git_dir_of(root)
    scope = getattr(getattr(files, "base", files), "scope", "")
    key = (str(git_dir), settings_key(files), scope)
    if git_dir is None:
        return Cache(None, key[1])
    if key not in _OPEN:
        _OPEN[key] = Cache(git_dir, key[1], scope)
    return _OPEN[key]


def drop_columns() -> None:
    """Save every open cache, then let go of the columns each holds: a command that reads no ledger
    again (validate, once it has its result) prints its report without 190 MB of columns beside
    it at 100,000 households. A later read in the process reads them again from disk."""
    for cache in list(_OPEN.values()):
        with contextlib.suppress(OSError):
            cache.save()
        if not cache._columns_changed:
            cache._columns = None


def save_open() -> None:
    """Save every cache this process opened (each saves only the packs that changed)."""
    for cache in list(_OPEN.values()):
        with contextlib.suppress(OSError):
            cache.save()
