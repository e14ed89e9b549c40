"""Ledger-wide checks beyond the golden cases: caches that must not change answers, no knock-on errors."""

from __future__ import annotations

import random
from pathlib import Path

import phonenumbers

from gridctl.checks.people import check_id_number, phone_valid

from conftest import gridctl, write


def reference(number: str) -> bool:
    """phonenumbers itself, uncached."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, "CN"))
    except phonenumbers.NumberParseException:
        return False


def test_cached_mobile_check_agrees_with_phonenumbers() -> None:
    """phone_valid caches mainland mobiles by their first 5 digits; the answers must not change."""
    rnd = random.Random(7)
    numbers = [f"1{rnd.randint(0, 9_999_999_999):010d}" for _ in range(3000)]
    numbers += [f"1{p}{rnd.randint(0, 99_999_999):08d}" for p in range(30, 100) for _ in range(3)]
    for number in numbers:
        assert phone_valid(number) == reference(number), number


def test_every_mobile_prefix_agrees_with_phonenumbers() -> None:
    """The cache keys on the first 5 digits: check all 10,000 of them, twice each."""
    rnd = random.Random(11)
    for prefix in range(10000, 20000):
        for _ in range(2):
            number = f"{prefix}{rnd.randint(0, 999_999):06d}"
            assert phone_valid(number) == reference(number), number


def test_landlines_and_formats() -> None:
    assert phone_valid("010-65123456")
    assert phone_valid("+86 138 0013 8000")
    assert not phone_valid("12345")
    assert not phone_valid("电话")


def test_id_numbers_checked_with_stdnum() -> None:
    assert check_id_number("110105198003151234") is None
    assert check_id_number("110105198003151235")[0] == "GC103"
    assert check_id_number("11010519800315123")[0] == "GC104"
    assert check_id_number("110105198013151234")[0] == "GC104"  # month 13
    assert check_id_number("110111198509230017") is None  # 房山区 since 1986, holder born 1985
    assert check_id_number("110150198003151236")[0] == "GC105"  # a code stdnum lacks does not crash


def test_unreadable_staff_file_does_not_cascade(ledger: Path) -> None:
    write(ledger, "staff/S0002.yaml", "kind: staff\nid: S0002\nposition: 专职网格员 (负责: 3号楼)\n")
    status, out, _ = gridctl("validate", "--lang", "en", cwd=ledger)
    assert status == 1
    assert "[GC001]" in out
    assert "GC202" not in out


def test_grid_with_a_bad_field_keeps_its_parent_a_parent(ledger: Path) -> None:
    path = ledger / "grids/110105001001001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "households_declared: 约六百户\n", encoding="utf-8")
    status, out, _ = gridctl("validate", "--lang", "en", cwd=ledger)
    assert status == 1
    assert "[GC100] field households_declared" in out
    assert "GC230" not in out and "GC231" not in out and "GC220" not in out


def test_unknown_disabled_code_is_a_settings_error(ledger: Path) -> None:
    write(ledger, "gridctl.yaml", (ledger / "gridctl.yaml").read_text(encoding="utf-8") + "disabled: [GC999]\n")
    status, out, _ = gridctl("validate", "--lang", "zh", cwd=ledger)
    assert status == 1
    assert "没有这些问题代码: GC999" in out


def test_retired_staff_still_responsible(ledger: Path) -> None:
    path = ledger / "staff/S0002.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "retired: {date: 2026-10-31, reason: 辞职}\n", encoding="utf-8")
    status, out, _ = gridctl("validate", "--lang", "zh", cwd=ledger)
    assert status == 1
    assert "error[GC233] 责任人 S0002 (李强) 已不在岗" in out


def test_micro_grid_needs_a_responsible_person_not_a_chief(ledger: Path) -> None:
    micro = """\
kind: grid
id: "11010500100100100001"
name: 3号楼
level: 楼栋
type: 微网格
parent: "110105001001001"
responsible:
  - role: 楼栋长
    staff: S0002
    duties: [收集楼内社情民意]
"""
    write(ledger, "grids/11010500100100100001.yaml", micro)
    # the household now hangs on a grid with a child: move it down to the building (file and grid:, as move does)
    hh = ledger / "households/110105001001001/H000001.yaml"
    text = hh.read_text(encoding="utf-8").replace('"110105001001001"', '"11010500100100100001"')
    hh.unlink()
    write(ledger, "households/11010500100100100001/H000001.yaml", text)
    status, out, _ = gridctl("validate", "--lang", "en", cwd=ledger)
    assert status == 0, out
    assert "GC301" not in out  # the basic grid's households now live in its building: still counted
    write(ledger, "grids/11010500100100100001.yaml", micro.split("responsible:")[0])
    status, out, _ = gridctl("validate", "--lang", "en", cwd=ledger)
    assert status == 1
    assert "[GC231] grid needs at least one 责任人" in out


def test_a_grid_failing_its_schema_does_not_break_the_staffing_check(ledger: Path) -> None:
    path = ledger / "grids/110105001001001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: 网格员", "role: 队长"), encoding="utf-8")
    status, out, _ = gridctl("validate", "--lang", "en", cwd=ledger)
    assert status == 1
    assert "[GC102]" in out
    assert "GC900" not in out


def test_the_tables_answers_are_kept_for_the_next_run_and_damage_is_ignored(tmp_path) -> None:
    """An edit checks one household; loading the county table and the phone metadata for it took
    50 ms. What they answered is kept beside the code, keyed by the tables' files."""
    import marshal

    from gridctl.checks import answers
    from gridctl.ledger.cache import Cache

    cache = Cache(tmp_path / ".git", "")
    key = answers.key()
    assert key.startswith("answers:stdnum:") and ":-" not in key  # both tables found
    assert check_id_number("110105198003151234") is None and phone_valid("13800138000")
    cache.code.put(key, answers.grown() or (dict(answers.REGIONS), dict(answers.SEGMENTS)))
    cache.save()
    kept = marshal.loads((tmp_path / ".git" / "gridctl" / "cache" / "code.bin").read_bytes()[4:])[1][key]
    assert kept[0]["110105"] is True and kept[1]["13800"] is True
    answers.load(("garbage", 3))
    answers.load(({"110105": "yes"}, {1: True}))  # wrong types: not taken
    assert answers.REGIONS["110105"] is True and 1 not in answers.SEGMENTS


def test_the_checks_a_write_skips_can_only_warn() -> None:
    """A write asks only whether its result adds an error, so it skips the checks that can only
    warn: every code their modules can report must be a warning."""
    import inspect
    import re

    from gridctl.checks import GLOBAL, WARNINGS_ONLY, erring
    from gridctl.messages import CATALOG

    checks = dict(GLOBAL)
    assert checks.keys() >= WARNINGS_ONLY
    for name in WARNINGS_ONLY:
        source = inspect.getsource(inspect.getmodule(checks[name]))
        codes = set(re.findall(r"GC\d{3}", source))
        assert codes, name
        assert {CATALOG[code].severity for code in codes} == {"warning"}, name
    assert {name for name, _check in erring(GLOBAL)} == checks.keys() - WARNINGS_ONLY


def test_only_the_checks_that_can_warn_warn_in_any_golden_case(tmp_path: Path) -> None:
    """A write finds the warnings it adds with checks.WARNING alone (gridctl.ops.added): in every
    golden case, whatever it breaks, every other ledger-wide check's findings are errors, and each
    of those checks' modules names no warning code."""
    import datetime as dt
    import inspect
    import re
    import shutil

    from gridctl.checks import GLOBAL, WARNING, run_each
    from gridctl.ledger.cache import Cache
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load
    from gridctl.messages import CATALOG

    for name, check in GLOBAL:
        if name not in WARNING:
            codes = set(re.findall(r"GC\d{3}", inspect.getsource(inspect.getmodule(check))))
            assert {CATALOG[code].severity for code in codes if code in CATALOG} <= {"error"}, name
    cases = Path(__file__).resolve().parent / "cases"
    warned = set()
    for case in sorted(cases.iterdir()):
        if not (case / "ledger").is_dir():
            continue
        root = tmp_path / case.name
        shutil.copytree(case / "ledger", root, symlinks=True)
        ledger, _problems = load(root, WorkTree(root), Cache(None, ""))
        if ledger is None:
            continue
        for name, found in run_each(ledger, GLOBAL, dt.date(2026, 11, 30)).items():
            if any(p.severity == "warning" for p in found):
                assert name in WARNING, (case.name, name)
                warned.add(name)
    assert warned >= {"assignments", "responsibility", "times_ahead"}


def test_the_checks_that_read_some_kinds_do_not_see_the_others_change(demo: Path) -> None:
    """checks.READS lets a write skip the checks that read none of the kinds it changes. A record of
    every other kind has its history rewritten, is renamed, pointed elsewhere, given a photo that is
    not there, retired, copied and deleted here, and each such check must say exactly what it said before."""
    import datetime as dt
    import re
    import shutil

    from gridctl.checks import GLOBAL, READS, run
    from gridctl.ledger.cache import Cache
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load

    checks = [(name, check) for name, check in GLOBAL if name in READS]
    assert {name for name, _check in checks} == READS.keys()
    day = dt.date(2026, 11, 30)

    def findings() -> dict[str, list[tuple[object, ...]]]:
        ledger, _ = load(demo, WorkTree(demo), Cache(None, ""))
        assert ledger is not None
        return {
            name: sorted((p.code, p.file, repr(p.args), p.path) for p in run(ledger, [(name, check)], day))
            for name, check in checks
        }

    def edit(path: Path, old: str, new: str) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    def point(path: Path) -> None:  # its grid one that is not there
        text = re.sub(r"(?m)^grid: .*$", 'grid: "110105999999"', path.read_text(encoding="utf-8"), count=1)
        path.write_text(text, encoding="utf-8")

    def photo(path: Path) -> None:  # a photo that is not there
        text = path.read_text(encoding="utf-8")
        if "\nphoto: " in text:
            edit(path, "\nphoto: ", "\nphoto: photos/nowhere-")
        else:
            path.write_text(text + "photo: photos/nowhere.jpg\n", encoding="utf-8")

    grids = "".join(p.read_text(encoding="utf-8") for p in (demo / "grids").glob("*.yaml"))
    # the place changed below is a building whose responsible holds no 楼栋长 role (GC262)
    building = sorted((demo / "places").rglob("*.yaml"), key=lambda p: (p.stem not in grids, p.name))[0]
    text = re.sub(r"(?m)^type: .*$", "type: 楼栋", building.read_text(encoding="utf-8"), count=1)
    text = re.sub(r"(?m)^responsible: .*\n", "", text) + 'responsible: "S0001"\n'
    building.write_text(text, encoding="utf-8")
    changes = {  # in this order: each is made on top of the ones before
        "rewrite": lambda path: edit(path, "note: ", "note: 改"),  # a committed timeline rewritten
        "rename": lambda path: edit(path, "name:", "name: 改"),
        "point": point,
        "photo": photo,
        "retire": lambda path: path.write_text(path.read_text(encoding="utf-8") + "active: false\n", encoding="utf-8"),
        "copy": lambda path: shutil.copy(path, path.with_name(f"X{path.name}")),
        "delete": lambda path: path.unlink(),
    }
    seen: set[str] = set()
    for folder in sorted(p for p in demo.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = sorted(folder.rglob("*.yaml"), key=lambda p: (p.stem not in grids, p.name))  # responsible staff first
        if not files:
            continue
        kind = files[0].read_text(encoding="utf-8").split("kind:", 1)[1].split()[0]
        blind = [name for name, _check in checks if kind not in READS[name]]
        if not blind:
            continue
        seen.add(kind)
        path = files[0]
        for change, make in changes.items():
            before = findings()
            if building.exists() and "building_heads" in blind:  # a finding there is to be kept the same
                assert any(p[0] == "GC262" for p in before["building_heads"])
            make(path)
            after = findings()
            for name in blind:
                assert after[name] == before[name], (name, kind, change, path.name)
    assert {"household", "staff", "event", "place"} <= seen


def test_a_write_that_checks_only_its_own_files_finds_every_error_a_whole_check_finds(demo: Path) -> None:
    """checks.narrowed: a write's checks of one record at a time (grid folders, leaf grids,
    references) read only the files it changes. Whatever the change, the errors it adds must be
    exactly those the whole checks over the whole result find, down to a reference elsewhere that a
    removed member, a changed kind or a new record with an old id breaks."""
    import subprocess

    from gridctl.ledger.files import GitTree, Overlay
    from gridctl.ledger.index import load
    from gridctl.ops.write import _key, new_errors
    from gridctl.validate import validate

    def text(rel: str) -> str:
        return (demo / rel).read_text(encoding="utf-8")

    def changed(rel: str, old: str, new: str) -> bytes:
        assert old in text(rel), (rel, old)
        return text(rel).replace(old, new, 1).encode("utf-8")

    h1, h23 = "households/110105017006001/H000001.yaml", "households/110105017006003/H000023.yaml"
    place = "places/110105017006001/PL00003.yaml"
    grid1 = 'grid: "110105017006001"'
    moved = "households/110105017006003/H000001.yaml"
    renamed59 = changed(h23, '- id: "P0000059"', '- id: "P0000959"')  # E202603-0004 names P0000059
    newcomer = text(h1).replace('"H000001"', '"H000041"').replace('"P0000001"', '"P0000901"')
    newcomer = newcomer.replace("120101194207160392", "120101194207160413")
    cases: dict[str, tuple[dict[str, bytes | None], bool]] = {  # the change, and whether it adds an error
        "a field": ({h1: changed(h1, 'room: "101"', 'room: "909"')}, False),
        "a community's grid": ({h1: changed(h1, grid1, 'grid: "110105017006"')}, True),
        "another grid's": ({h1: changed(h1, grid1, 'grid: "110105017006002"')}, True),
        "no such grid": ({h1: changed(h1, grid1, 'grid: "110105099999"')}, True),
        "a member an event names, given another id": ({h23: renamed59}, True),
        "a place an event names, now a thing": ({place: changed(place, "kind: place", "kind: thing")}, True),
        "a new household under an old person's id": (
            {"households/110105017006001/H000000.yaml": newcomer.replace('"P0000901"', '"P0000059"').encode()},
            True,
        ),
        "a new household": ({"households/110105017006001/H000041.yaml": newcomer.encode("utf-8")}, False),
        "a new household on the community": (
            {"households/110105017006001/H000041.yaml": newcomer.replace(grid1, 'grid: "110105017006"').encode()},
            True,
        ),
        "a grid given a grid below it": (  # its households no longer hang on a leaf grid (GC220)
            {
                "grids/110105017006001001.yaml": changed(
                    "grids/110105017006004.yaml", '"110105017006004"', '"110105017006001001"'
                ).replace(b'parent: "110105017006"', b'parent: "110105017006001"')
            },
            True,
        ),
        "two files": ({h1: changed(h1, 'room: "101"', 'room: "909"'), h23: renamed59}, True),
        "a move": ({h1: None, moved: changed(h1, grid1, 'grid: "110105017006003"')}, False),
        "a move to the wrong folder": ({h1: None, moved: text(h1).encode("utf-8")}, True),
        "a household gone that an event names": ({h23: None}, True),
    }
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=demo, capture_output=True, text=True, check=True)
    tree = GitTree(demo, head.stdout.strip())
    base, _problems = load(demo, tree)
    before = validate(demo, tree, base=base, errors_only=True).problems
    assert not before
    for name, (changes, adds) in cases.items():
        narrowed = validate(demo, Overlay(tree, changes), base=base, errors_only=True)
        whole = validate(demo, Overlay(tree, changes), errors_only=True)  # no base: every check reads everything
        found = sorted(map(_key, new_errors(before, narrowed.problems)))
        assert found == sorted(map(_key, new_errors(before, whole.problems))), name
        assert bool(found) == adds, (name, found)


def test_a_move_of_the_file_a_photo_names_adds_the_error_a_whole_check_finds(demo: Path) -> None:
    """A photo may name any file, a record's too: a write that moves or removes a record file asks
    the photos check again (checks.GONE), though it changed no staff member nor place."""
    import subprocess

    from gridctl.ledger.files import GitTree, Overlay
    from gridctl.ledger.index import load
    from gridctl.ops.write import _key, new_errors
    from gridctl.validate import validate

    h1 = "households/110105017006001/H000001.yaml"
    staff = demo / "staff" / "S0004.yaml"
    staff.write_text(staff.read_text("utf-8").replace("photo: photos/S0004.jpg", f"photo: {h1}"), "utf-8")
    subprocess.run(["git", "commit", "-qam", "照片"], cwd=demo, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=demo, capture_output=True, text=True, check=True)
    tree = GitTree(demo, head.stdout.strip())
    base, _problems = load(demo, tree)
    assert not validate(demo, tree, base=base, errors_only=True).problems
    text = (demo / h1).read_text("utf-8").replace('grid: "110105017006001"', 'grid: "110105017006003"', 1)
    for changes in ({h1: None, h1.replace("6001/", "6003/"): text.encode("utf-8")}, {h1: None}):
        narrowed = validate(demo, Overlay(tree, changes), base=base, errors_only=True)
        whole = validate(demo, Overlay(tree, changes), errors_only=True)
        found = sorted(map(_key, new_errors([], narrowed.problems)))
        assert found == sorted(map(_key, new_errors([], whole.problems)))
        assert "GC150" in {p.code for p in narrowed.problems}, changes


def test_a_write_that_removes_the_file_a_document_attaches_adds_the_error(tmp_path: Path) -> None:
    """The attachments check reads only activities and documents (checks.READS), and a file gone:
    a write that removes a staff member's file that a document names as its attachment adds GC410,
    as a whole check of the result finds; one that only edits staff runs no attachments check."""
    import shutil
    import subprocess

    from gridctl.checks import GLOBAL, touching
    from gridctl.ledger.files import GitTree, Overlay
    from gridctl.ledger.index import load
    from gridctl.ops.write import _key, new_errors
    from gridctl.validate import validate

    root = tmp_path / "school"
    shutil.copytree(Path(__file__).resolve().parent / "cases" / "GC410" / "ledger", root)
    doc = root / "documents" / "XF0101" / "D2026-0001.yaml"
    doc.write_text(doc.read_text("utf-8").replace("documents/XF0101/D2026-0001.pdf", "staff/S0003.yaml"), "utf-8")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=王芳", "-c", "user.email=w@example.cn", "commit", "-qm", "台账"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True)
    tree = GitTree(root, head.stdout.strip())
    base, _problems = load(root, tree)
    before = validate(root, tree, base=base, errors_only=True).problems
    assert "GC410" not in {p.code for p in before}
    staff = (root / "staff" / "S0003.yaml").read_text("utf-8")
    for changes, adds in (
        ({"staff/S0003.yaml": None}, True),
        ({"staff/S0003.yaml": None, "staff/old/S0003.yaml": staff.encode("utf-8")}, True),
        ({"staff/S0003.yaml": staff.replace("name:", "name: 改", 1).encode("utf-8")}, False),
    ):
        narrowed = validate(root, Overlay(tree, changes), base=base, errors_only=True)
        whole = validate(root, Overlay(tree, changes), errors_only=True)
        found = sorted(map(_key, new_errors(before, narrowed.problems)))
        assert found == sorted(map(_key, new_errors(before, whole.problems))), changes
        assert ("GC410" in {p.code for p in narrowed.problems}) == adds, changes
    assert "attached_files" not in dict(touching(GLOBAL, {"staff"}))


def test_random_writes_add_the_errors_the_whole_checks_find(demo: Path) -> None:
    """The same promise as above over 120 random changes of one or two record files: an id in a
    record swapped for another record's id (or one that exists nowhere), a kind or a grid changed,
    a line dropped, a record copied under a new file name. Whatever the narrowed checks say must
    be what the whole checks over the whole result say."""
    import re
    import subprocess

    from gridctl.ledger.files import GitTree, Overlay
    from gridctl.ledger.index import load
    from gridctl.ops.write import _key, new_errors
    from gridctl.validate import validate

    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=demo, capture_output=True, text=True, check=True)
    tree = GitTree(demo, head.stdout.strip())
    base, _problems = load(demo, tree)
    before = validate(demo, tree, base=base, errors_only=True).problems
    assert not before
    folders = ("households", "places", "things", "orgs", "staff", "events", "inspections", "grids", "visits")
    records = sorted(p.relative_to(demo).as_posix() for f in folders for p in (demo / f).rglob("*.yaml"))
    texts = {rel: (demo / rel).read_text(encoding="utf-8") for rel in records}
    quoted = re.compile(r'"([A-Z]{0,2}[0-9]{4,15}(?:-[0-9]{4})?)"')
    ids = sorted({m for text in texts.values() for m in quoted.findall(text)})
    kinds = ("household", "place", "thing", "org", "staff", "event", "grid")
    rnd = random.Random(13)
    grids = ["110105017006001", "110105017006002", "110105017006003", "110105017006099"]
    foldered = {"households", "places", "things", "orgs"}

    def mutate(text: str) -> str:
        how = rnd.randrange(4)
        found = list(quoted.finditer(text))
        if how == 0 and found:  # one id swapped for another (its own, another record's, or none at all)
            m = rnd.choice(found)
            new = rnd.choice([*ids, "H999999", "P9999999", "S9999", "110105017006999"])
            return f'{text[: m.start()]}"{new}"{text[m.end() :]}'
        if how == 1:  # another kind
            return re.sub(r"(?m)^kind: \w+", f"kind: {rnd.choice(kinds)}", text, count=1)
        lines = text.splitlines(keepends=True)
        if how == 2 and len(lines) > 3:  # a line dropped (a member's id, a grid, a reference)
            del lines[rnd.randrange(2, len(lines))]
            return "".join(lines)
        return text.replace(f'grid: "{rnd.choice(ids)}"', f'grid: "{rnd.choice(ids)}"', 1)

    adding = 0
    for case in range(120):
        changes: dict[str, bytes | None] = {}
        for rel in rnd.sample(records, rnd.choice((1, 1, 2))):
            draw = rnd.random()
            if draw < 0.15:  # the record copied under a new name beside it
                target = rel.rsplit("/", 1)[0] + f"/X{case:04d}.yaml"
                changes[target] = mutate(texts[rel]).encode("utf-8")
            elif draw < 0.3:  # moved (into another folder, maybe of another grid, maybe changed too)
                top, *_middle, name = rel.split("/")
                target = f"{top}/{rnd.choice(grids)}/{name}" if top in foldered else f"{top}/old/{name}"
                text = texts[rel] if rnd.random() < 0.5 else mutate(texts[rel])
                changes[rel], changes[target] = None, text.encode("utf-8")
            elif draw < 0.35:  # gone
                changes[rel] = None
            else:
                changes[rel] = mutate(texts[rel]).encode("utf-8")
        narrowed = validate(demo, Overlay(tree, changes), base=base, errors_only=True)
        whole = validate(demo, Overlay(tree, changes), errors_only=True)
        found = sorted(map(_key, new_errors(before, narrowed.problems)), key=repr)
        assert found == sorted(map(_key, new_errors(before, whole.problems)), key=repr), (case, sorted(changes))
        adding += bool(found)
    assert 20 < adding < 110  # the changes are a mix of harmless ones and ones that add errors
