"""`gridctl validate` as a library call: load, check, locate, sort — and remember.

Each file's own findings (YAML, schema, the per-record checks) are kept in the cache with the
file's content, located; the ledger-wide checks run on the index each time something changed;
and the whole result is kept by the ledger's state (every file's content, the settings, gridctl,
the day, HEAD), so validating an unchanged ledger again only looks at the files' stat.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from gridctl.ledger.files import Files, GitTree, Overlay, WorkTree
from gridctl.printcheck import mark, record_of_prints, unreadable
from gridctl.problem import Problem
from gridctl.validation import Packed, Validation, errors_in


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while ~50,000 records are built.

    Loading allocates many objects and no reference cycles; the collector's repeated scans of
    them took half of the run time on the 12,000-household bench (3.2 s → 1.6 s). Reference
    counting still frees everything; the collector is back on afterwards. In a one-command process
    what was made is frozen first (gridctl.ledger.cache.freeze_what_is_read): the first collection
    after the pause scanned all of it (0.1 s of `gridctl log` over 5,000 commits).
    """
    from gridctl.ledger import cache

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if cache.freezing():
            gc.freeze()
        if was_enabled:
            gc.enable()


def validate(
    root: Path,
    files: Files | None = None,
    today: dt.date | None = None,
    base: Any = None,
    *,
    errors_only: bool = False,
    rows: bool = False,
) -> Validation:
    """Every problem in the ledger at root (or in `files`), with positions, sorted by file and line.

    `base`: the ledger as already read, when `files` is an Overlay of it (a write checking its
    result): only the changed files are read. A callable returning it is called only when no
    result is kept for this state. `today` is the ledger's day for rules about dates (a
    contract that ended); default: today on the ledger's clock (gridctl.ledger.clock), never the
    computer's date. `errors_only`: only the errors are wanted (a write asks whether its result
    adds one); the files' kept warnings are not even opened, and nothing is kept. `rows`: a cold
    read also makes each file's rows, for a command that counts whole kinds next (`status`).
    """
    from gridctl.ledger.cache import open_cache_for

    files = files if files is not None else WorkTree(root)
    cache = open_cache_for(root, files)
    with gc_paused():
        result = _validate(root, files, cache, today or ledger_today(files), base, errors_only, rows)
    cache.save()
    if isinstance(files, WorkTree):  # not kept with the result: the listing of files read does not hold them
        strays = files.strays()
        add_strays(result, strays, _disabled(files) if strays else frozenset())
    return result


def _disabled(files: Files) -> frozenset[str]:
    """The codes gridctl.yaml switches off (read again only where a misnamed file is to be told)."""
    from gridctl.ledger.config import load_settings

    settings, _problems = load_settings(files)
    return frozenset(settings.disabled) if settings is not None else frozenset()


def add_strays(result: Validation, strays: list[str], disabled: frozenset[str] | set[str] = frozenset()) -> None:
    """GC017 (or GC018) for each record file the ledger did not read for its name's ending (files.misnamed).

    They are found after the result is kept, and are not in the state it is kept by: the state
    takes them in here, so a view kept under it (the status, the printed report) is one of a
    ledger with these very findings, and a misnamed file that comes, goes or changes is seen."""
    if not strays:
        return
    from gridctl.ledger.strays import stray_problem

    added = [p for p in (stray_problem(result.root, rel) for rel in strays) if p.code not in disabled]
    if not added:
        return
    result.loose = sorted([*result.loose, *added], key=Problem.sort_key)  # the packed files stay packed
    if result.state is not None:
        result.state = f"{result.state}:{_strays_mark(result.root, added)}"


def _strays_mark(root: Path, added: list[Problem]) -> str:
    """The misnamed files' findings and contents: the report shows each one's first line, which a
    change to the file alters where the finding stays the same (a few files, read as the finding was)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for p in added:
        digest.update(repr((p.file, p.code, sorted(p.args.items()))).encode("utf-8", "surrogatepass"))
        try:
            digest.update(hashlib.sha1((root / p.file).read_bytes(), usedforsecurity=False).digest())
        except OSError:  # gone meanwhile: the report says what it can of it
            digest.update(b"-")
    return digest.hexdigest()


def _validate(
    root: Path, files: Files, cache: Any, today: dt.date, base: Any, errors_only: bool, rows: bool = False
) -> Validation:
    from gridctl.ledger.index import content_id

    derived = None
    if base is not None and not callable(base):
        derived = _derived(base, files)
    known: dict[str, Any] = {}
    if derived is not None:  # what was read is the derived ledger's columns: no dict of 137,000 paths made
        listing: list[tuple[str, str | None]] = list(zip(derived.cols.files, derived.cols.blobs, strict=True))
    else:
        from gridctl.ledger.safepath import windows_unsafe_among

        paths = list(files.paths())
        vouched = files._vouched if isinstance(files, WorkTree) else {}  # git's word, taken as it is
        known = {rel: (vouched.get(rel) or content_id(files, rel, cache)[0], None) for rel in paths}  # no bytes kept
        for rel in windows_unsafe_among(paths):  # never known by content: H000002.yaml renamed CON.yaml is read
            known[rel] = (None, None)  # again and reported (GC016), not taken as the file it was
        listing = [(rel, blob) for rel, (blob, _data) in known.items()]
    # a write's result (an Overlay of HEAD) is never asked again: its state names the HEAD it replaces,
    # so keeping it cost a write at 100,000 households a 25 MB pack read and written for nothing
    written = isinstance(files, Overlay) and isinstance(files.base, GitTree)
    prints = None if errors_only and _keeps_prints(files) else record_of_prints(files)
    key = None if written or errors_only else _state_key(root, files, cache, listing, today, prints)
    if key is not None:
        cached = cache.results.get(key)
        if cached is not None:
            with contextlib.suppress(IndexError, TypeError, ValueError):
                result = _from_cache(root, files, cached, cache)
                if all(bool(files.exists(rel)) == was for rel, was in result.asked.items()):
                    result.state = _with_asked(key, result.asked)
                    # the content ids, as a fresh result has them: the report's kept lines are keyed by them
                    result.blobs = {rel: blob for rel, blob in listing if blob is not None}
                    return result  # else a named file came or went outside the attachment folders
    if derived is None and callable(base):  # a base read only when the result is not kept
        derived = _derived(base(), files)
    kinds = changed_kinds(base, derived, files) if errors_only and derived is not None else None
    scope = _changed_files(base, derived, files) if kinds is not None else None
    earlier = None
    if key is not None and derived is None and kinds is None:

        def earlier(before: Any) -> str | None:  # the state the last read's columns were validated in
            return _state_key(root, files, cache, list(zip(before.files, before.blobs, strict=True)), today, prints)

    result = _full(
        root, files, cache, known, today, derived, errors_only, kinds, rows, unreadable(prints), scope, earlier
    )
    if key is not None and result.read_as == [blob for _rel, blob in listing]:  # no file changed meanwhile
        cache.results.put(key, _to_cache(result))
        _remember_sensitive(cache)
        result.state = _with_asked(key, result.asked)
    return result


def _keeps_prints(files: Files) -> bool:
    """A write's result whose record of prints is HEAD's: unchanged, it adds no error (and is not read)."""
    from gridctl.history.prints import MANIFEST

    return isinstance(files, Overlay) and MANIFEST not in files.changes


def _with_asked(key: str, asked: dict[str, bool]) -> str:
    """The state with the named files' existence in it: what is kept under it (the status, the
    printed report) changes when a photo anywhere in the ledger comes or goes."""
    if not asked:
        return key
    return f"{key}:{hashlib.sha1(repr(sorted(asked.items())).encode(), usedforsecurity=False).hexdigest()}"


def changed_kinds(base: Any, derived: Any, files: Files) -> set[str] | None:
    """The kinds of the records in a write's changed files, before and after, and checks.GONE when
    a record file goes (a move: a photo may name any file, a record's too); None when something
    else changed (gridctl.yaml, a photo, a file that is no record): then every check runs."""
    from gridctl.checks import GONE

    if not isinstance(files, Overlay) or derived is base or callable(base):
        return None
    kinds: set[str] = set()
    for rel, data in files.changes.items():
        if all(ledger.slot_of(rel) is None for ledger in (base, derived)):
            return None  # no record file before or after (gridctl.yaml, a photo)
        if data is None:
            kinds.add(GONE)
        for ledger in (base, derived):
            found = ledger.kinds_in(rel)
            if found is None:
                return None  # records added to it in memory
            kinds |= found
    return kinds


def _changed_files(base: Any, derived: Any, files: Overlay) -> tuple[set[int], bool]:
    """A write's changed files as slots of its result, and whether every id they held at HEAD is
    still theirs, of the same kind, and any id they add is new to the ledger (then no reference
    elsewhere can break: gridctl.checks.narrowed)."""
    from collections import Counter

    from gridctl.ledger.columns import UNREADABLE

    slots: set[int] = set()
    before: Counter[tuple[str, str]] = Counter()
    after: Counter[tuple[str, str]] = Counter()
    kept = True
    for rel in files.changes:
        new, old = derived.slot_of(rel), base.slot_of(rel)
        if new is not None:
            slots.add(new)
            after.update(_ids_at(derived, new))
        if old is not None:
            before.update(_ids_at(base, old))
            # a file that could not be read hid the records it may hold from GC202 (Ledger.unreadable)
            kept = kept and not base.cols.flags[old] & UNREADABLE
    kept = kept and not before - after and all(base.kind_of(rid) is None for _kind, rid in after - before)
    return slots, kept


def _ids_at(ledger: Any, slot: int) -> list[tuple[str, str]]:
    c = ledger.cols
    return [(c.e_kind[h], c.e_id[h]) for h in c.entry_range(slot)]


def _derived(base: Any, files: Files) -> Any:
    if isinstance(files, Overlay):
        from gridctl.prefetch import given_reader

        # thousands of new files (an import) are read on every core from the bytes the write made
        return base.derive(files, files.changes, given_reader(base.root, files))
    return base  # the ledger as it is, already read


def _full(
    root: Path,
    files: Files,
    cache: Any,
    known: dict[str, Any],
    today: dt.date,
    derived: Any = None,
    errors_only: bool = False,
    kinds: set[str] | None = None,
    rows: bool = False,
    prints: Problem | None = None,
    scope: tuple[set[int], bool] | None = None,
    earlier: Callable[[Any], str | None] | None = None,
) -> Validation:
    """`kinds`: the only kinds of records that differ from a ledger whose errors are known (a
    write's result, compared with its HEAD): the checks that read none of them are not run.
    `scope`: the files that differ, as slots, and whether their ids stayed (_changed_files): the
    checks about one record at a time read only theirs. `prints`: the record of prints' own
    finding (gridctl.printcheck), kept with the result. `earlier(columns)`: the state the last
    read's columns were validated in, whose kept findings of each check may be taken up
    (gridctl.checks.since) when only a few files changed."""
    from gridctl.checks import GLOBAL, erring, narrowed, run, touching
    from gridctl.ledger.columns import findings
    from gridctl.ledger.facts import problem_from_tuple, problem_to_tuple
    from gridctl.ledger.index import load
    from gridctl.ledger.positions import locate_all

    before = cache.columns() if earlier is not None and cache.enabled else None  # as load() finds them
    if derived is not None:
        ledger, problems = derived, []
    else:
        from gridctl.prefetch import ROW_KINDS, parallel_reader

        # thousands of files new to the cache are read on every core, with the rows the checks read
        reader = parallel_reader(root, files, rows or ROW_KINDS, cache.settings_key)
        ledger, problems = load(root, files, cache, known, reader)
    result = Validation(root, files, settings_ok=ledger is not None)
    beside = [prints] if prints is not None else []
    if ledger is None:
        result.problems = sorted([*locate_all(files, problems), *beside], key=Problem.sort_key)
        return result
    own: list[Problem] = [*locate_all(files, [p for p in problems if p.file == "gridctl.yaml"]), *beside]
    packed = _own_findings(ledger, files, cache)
    checks = erring(GLOBAL) if errors_only else GLOBAL
    if kinds is not None:
        checks = touching(checks, kinds)
        if scope is not None:
            checks = narrowed(checks, kinds, *scope)
    if earlier is not None:  # a whole validate of the working tree (never a write's errors alone)
        by_check = _checks_by_name(ledger, before, earlier, files, cache, today)
        found = [p for name, _check in GLOBAL for p in by_check[name]]
        result.by_check = {name: [(p.file, problem_to_tuple(p)) for p in ps] for name, ps in by_check.items()}
    else:
        found = run(ledger, checks, today)
    found = locate_all(files, [p for p in found if p.severity == "error"] if errors_only else found)
    disabled = set(ledger.settings.disabled)
    if errors_only:  # a write asks only whether it adds an error: warnings stay packed
        packed = [(rel, blob, packs) for rel, blob, packs in packed if any(errors_in(codes) for codes, _ in packs)]
        mixed = {rel for rel, _blob, _packs in packed}
    else:
        # a file with a ledger-wide finding, or a code switched off, is made into Problems; the
        # others stay packed (most of them, most of the time)
        mixed = {p.file for p in found}
        if disabled:
            mixed |= {rel for rel, _blob, packs in packed if disabled.intersection(_codes(packs))}
    quoted = {rel for rel, _blob, packs in packed if "GC116" in _codes(packs)}
    mixed |= quoted  # a mobile in a note may be a phone the ledger makes public elsewhere: settled here
    for rel, _blob, packs in packed:
        if rel in mixed:
            own += [problem_from_tuple(t, rel) for pack in packs for t in findings(pack)]
    if quoted:
        own = public_quoted(ledger, own)
    everything = [*own, *found]
    if errors_only:
        everything = [p for p in everything if p.severity == "error"]
    result.problems = sorted((p for p in everything if p.code not in disabled), key=Problem.sort_key)
    if not errors_only:
        result.packed = sorted((entry for entry in packed if entry[0] not in mixed), key=_first)
    result.files = ledger.files + 1
    result.records = ledger.size
    result.read_as = list(ledger.cols.blobs)
    result.asked = dict(ledger.asked)
    result.blobs = dict(zip(ledger.cols.files, ledger.cols.blobs, strict=True))
    cache.prune(set(ledger.cols.blobs))
    if isinstance(files, WorkTree):
        cache.forget_missing(set(ledger.cols.files))
    if derived is None:
        ledger.let_go()  # read here, for this result alone
    elif isinstance(files, Overlay):
        result.ledger = ledger
    return result


def _checks_by_name(
    ledger: Any, before: Any, earlier: Callable[[Any], str | None], files: Files, cache: Any, today: dt.date
) -> dict[str, list[Problem]]:
    """Each ledger-wide check's findings (unlocated): from those kept with the result of the state
    the last read's columns (`before`) were validated in, when there is one and only a few files
    changed since; else every check run."""
    from gridctl.checks import GLOBAL, run_each

    if before is not None and before is not ledger.cols:
        kept = _kept_by_check(earlier(before), files, cache)
        if kept is not None:
            from gridctl.checks.since import checks_since

            found = checks_since(ledger, before, kept[0], today)
            if found is not None:
                ledger.asked.update({rel: was for rel, was in kept[1].items() if rel not in ledger.asked})
                return found
    return run_each(ledger, GLOBAL, today)


def _kept_by_check(
    key: str | None, files: Files, cache: Any
) -> tuple[dict[str, list[Problem]], dict[str, bool]] | None:
    """The findings of each check kept with the result of state `key`, and the files it asked
    about, while each of those still exists or not as it did."""
    from gridctl.ledger.facts import problem_from_tuple

    data = cache.results.get(key) if key is not None else None
    if not isinstance(data, tuple) or len(data) < 7 or not isinstance(data[6], dict) or not isinstance(data[4], dict):
        return None
    asked = data[4]
    try:
        if any(bool(files.exists(rel)) != was for rel, was in asked.items()):
            return None
        return {name: [problem_from_tuple(t, rel) for rel, t in kept] for name, kept in data[6].items()}, asked
    except (IndexError, TypeError, ValueError):
        return None


def public_quoted(ledger: Any, problems: list[Problem]) -> list[Problem]:
    """Without GC116 for a phone the ledger makes public (a staff member's, an organisation contact's, the
    supervision line), wherever a note quotes it: as the leak guard lets it stand."""
    from gridctl.ledger.mentions import public_mentions
    from gridctl.ops.privacy import public_digits

    return public_mentions(problems, public_digits(ledger))


def errors_of(ledger: Any, rels: Iterable[str] | None = None) -> list[Problem]:
    """Every error validate reports in these files: their own (YAML, schema, values as typed) and the
    ledger-wide checks' (a grid naming staff who is not there, GC202, or who retired, GC233; a tenure
    that ends before it began, GC234), located and sorted, codes switched off left out. What a public
    page or a published report computed from their records would carry. The whole result is the one
    kept by the ledger's state (a warm validate); when none is kept, the checks run on `ledger` as
    already read, never on a second cold read. `rels` None: every file's."""
    files = ledger.source if ledger.source is not None else WorkTree(ledger.root)
    result = validate(ledger.root, files, base=ledger)
    found = result.erring() if rels is None else result.problems_of(set(rels))
    return sorted((p for p in found if p.severity == "error"), key=Problem.sort_key)


def _codes(packs: tuple[tuple[str, bytes], ...]) -> list[str]:
    return [code for codes, _data in packs for code in codes.split()]


def _first(entry: Packed) -> str:
    return entry[0]


def _own_findings(ledger: Any, files: Files, cache: Any) -> list[Packed]:
    """Each file's own findings, packed as the columns keep them; the per-record checks run, and
    positions are found, only for files that have not had them yet (then kept with the file's facts)."""
    from gridctl.checks import run_local
    from gridctl.ledger.columns import LOCAL as CHECKED
    from gridctl.ledger.columns import LOCATED, findings
    from gridctl.ledger.facts import problem_from_tuple
    from gridctl.ledger.index import Ledger
    from gridctl.ledger.positions import locate_all
    from gridctl.prefetch import CHUNK

    c = ledger.cols
    todo = [slot for slot, flags in enumerate(c.flags) if flags & (CHECKED | LOCATED) != CHECKED | LOCATED]
    kept = _keep_answers(cache) if todo and cache.enabled else None
    todo = _checked_elsewhere(ledger, files, todo)
    for at in range(0, len(todo), CHUNK):  # the per-record checks run on a chunk of files at once
        chunk = [(slot, c.files[slot], ledger.untouched(c.files[slot])) for slot in todo[at : at + CHUNK]]
        unchecked = [(rel, ledger.entries_of(rel)) for slot, rel, _fresh in chunk if not c.flags[slot] & CHECKED]
        found = run_local(lambda: Ledger(ledger.root, ledger.settings), unchecked) if unchecked else {}
        for slot, rel, fresh in chunk:
            mine = [problem_from_tuple(t, rel) for t in findings(c.problems.get(slot))]
            if c.flags[slot] & CHECKED:
                local = [problem_from_tuple(t, rel) for t in findings(c.local.get(slot))]
            else:
                local = found[rel]
            c.set_problems(slot, locate_all(files, mine), locate_all(files, local))
            ledger.forget(*fresh)  # 137,000 files' typed records kept at once took 2.5 GB
    if kept is not None:
        kept()
    if todo and cache.enabled and (not isinstance(files, GitTree) or cache.scope):
        cache.keep_columns(c)  # the checked, located columns are what the next run should find
    out: list[Packed] = []
    for slot in sorted({*c.problems, *c.local}):  # sparse: only files that have findings
        packs = tuple(table[slot] for table in (c.problems, c.local) if slot in table)
        out.append((c.files[slot], c.blobs[slot], packs))
    return out


def _checked_elsewhere(ledger: Any, files: Files, todo: list[int]) -> list[int]:
    """Check and locate many files on every core (gridctl.prefetch), as a cold read does: the
    columns a `list` or `show` kept after gridctl changed hold no checks yet, and checking 137,000
    files here took a validate 26 s. Returns the slots left to do here (fewer than the workers'
    minimum, a file that changed meanwhile, one a worker could not read)."""
    from gridctl.ledger.facts import FileFacts
    from gridctl.prefetch import MIN_FILES, parallel_reader

    if len(todo) < MIN_FILES:
        return todo
    key = ledger._cache.settings_key if ledger._cache is not None else None
    reader = parallel_reader(ledger.root, files, False, key)
    if reader is None:
        return todo
    c = ledger.cols
    left: list[int] = []
    rels = [c.files[slot] for slot in todo]
    for slot, (rel, blob, dump, _rows) in zip(todo, reader(rels), strict=True):
        if rel != c.files[slot] or blob != c.blobs[slot] or dump is None:
            left.append(slot)
            continue
        facts = FileFacts.load(dump, rel)
        c.set_problems(slot, facts.problems, facts.local)
    return left


def _keep_answers(cache: Any) -> Any:
    """The libraries' answers a past run kept (gridctl.checks.answers); returns what keeps this run's."""
    from gridctl.checks import answers

    key = answers.key()
    answers.load(cache.code.get(key))

    def keep() -> None:
        grown = answers.grown()
        if grown is not None:
            cache.code.put(key, grown)

    return keep


def ledger_today(files: Files) -> dt.date:
    """Today on the ledger's clock: its zone (gridctl.yaml), the real time."""
    from gridctl.ledger.clock import DEFAULT_ZONE, Clock
    from gridctl.ledger.profiles import zone_name

    try:
        return Clock.system(zone_name(files)).today()
    except ValueError:  # an unknown zone: reported as GC014
        return Clock.system(DEFAULT_ZONE).today()


def _state_key(
    root: Path, files: Files, cache: Any, listing: list[tuple[str, str | None]], today: dt.date, prints: bytes | None
) -> str | None:
    """What the whole result depends on; None when something cannot be keyed (a linked file). The
    record of prints is no record file, not in `listing`: its content is keyed on its own."""
    from gridctl.ledger.cache import code_fingerprint, git_dir_of, settings_key
    from gridctl.ledger.gitrepo import merging_in
    from gridctl.ledger.transaction import head_mark

    if not cache.enabled or any(blob is None for _rel, blob in listing):
        return None
    digest = hashlib.sha1(usedforsecurity=False)
    git_dir = git_dir_of(root)
    head = repr(head_mark(git_dir)) if git_dir is not None else ""
    head += repr(merging_in(git_dir)) if git_dir is not None else ""  # GC400 reads a merge's other side too
    commit = getattr(files, "commit", "")
    digest.update(f"{code_fingerprint()}\n{settings_key(files)}\n{today}\n{head}\n{commit}\n{mark(prints)}\n".encode())
    for rel, blob in sorted(listing):
        digest.update(f"{rel}\0{blob}\n".encode("utf-8", "surrogatepass"))  # a name that is not UTF-8 is keyed too
    for attached in attached_files(files):
        digest.update(f"{attached}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


ATTACHED = ("photos", "documents")
"""Folders of files that records point at (photos, scanned documents): whether they exist is a finding."""


def attached_files(files: Files) -> list[str]:
    """A mark of every file under the attachment folders (path and size/time or blob): a result kept
    for the ledger's records must not outlive a deleted photo or PDF."""
    import os

    from gridctl.ledger.files import GitTree, Overlay

    base = files.base if isinstance(files, Overlay) else files
    out: list[str] = []
    if isinstance(base, GitTree):
        out = [f"{rel}\0{sha}" for rel, (_mode, sha) in base._entries.items() if rel.split("/", 1)[0] in ATTACHED]
    elif isinstance(base, WorkTree):
        for folder in ATTACHED:
            for top, _dirs, names in os.walk(base.root / folder):
                for name in names:
                    path = os.path.join(top, name)
                    try:
                        info = os.stat(path)
                    except OSError:
                        continue
                    out.append(f"{os.path.relpath(path, base.root)}\0{info.st_size}\0{info.st_mtime_ns}")
    if isinstance(files, Overlay):
        out += [f"{rel}\0{'-' if data is None else len(data)}" for rel, data in files.changes.items()]
    return sorted(out)


def _to_cache(result: Validation) -> tuple[Any, ...]:
    from gridctl.ledger.facts import problem_to_tuple

    problems = [(p.file, problem_to_tuple(p)) for p in result.loose]
    return (problems, result.files, result.records, result.settings_ok, result.asked, result.packed, result.by_check)


def _from_cache(root: Path, files: Files, data: tuple[Any, ...], cache: Any) -> Validation:
    from gridctl.ledger.facts import problem_from_tuple
    from gridctl.model.sensitive import preload_kept

    kept = cache.code.get("sensitive")
    if kept is None:  # kept results with no paths beside them (another gridctl used the ledger since):
        _remember_sensitive(cache)  # found once and kept, not again in every `show` and `status`
    else:
        preload_kept(kept)
    problems = [problem_from_tuple(t, rel) for rel, t in data[0]]
    asked, packed = data[4], data[5]
    if not isinstance(asked, dict) or not isinstance(packed, list):
        raise TypeError("asked")
    return Validation(root, files, problems, data[1], data[2], data[3], asked=asked, packed=packed)


def _remember_sensitive(cache: Any) -> None:
    from gridctl.model.sensitive import sensitive_paths

    if cache.code.get("sensitive") is None:
        cache.code.put("sensitive", sorted(sensitive_paths()))
