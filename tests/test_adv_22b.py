"""Adversarial pass over two speed changes: import's shared parsed files (gridctl.excel.edit.FileEdits,
Plan.changes made lazily), its own reading of xlsx inline strings (gridctl.excel.tables._plain_strings),
and the columns kept in pieces (gridctl.ledger.cache.PIECE).

Five of these failed before their fixes:
- test_an_import_keeps_the_time_zone_and_fractions_of_a_timestamp_in_extra and
  test_an_import_keeps_a_merge_key_and_its_anchor: each planning pass edited a copy.deepcopy of
  the documents the first parsed; ruamel's copy loses a timestamp's zone and fraction of a
  second (silently wrong data) and writes a merge key out in full. Each pass parses afresh again.
- test_an_import_keeps_the_comment_on_a_block_list_item_it_changes: a changed list was replaced by
  a slice, which dropped its items' comments; it is now changed item by item.
- test_a_file_of_two_households_edited_in_its_second_document[comment-then-start]: ruamel drops
  the comments above a file's opening `---` with the marker; they are written back above it.
- test_an_inline_string_of_two_texts_reads_as_openpyxl_reads_it: of several texts in one inline
  string (outside the schema) the last is taken, as openpyxl takes it.

Everything else here held (see each test's docstring).
"""

from __future__ import annotations

import shutil
import subprocess
import traceback
from pathlib import Path

import pytest
import warmcold
from typer.testing import CliRunner
from warmcold import WARM, git, run

from gridctl.cli.main import app
from gridctl.ledger import cache as cache_module

from conftest import household, id_number, make_ledger, make_repo, write

HOUSE = "households/110105001001001/H000001.yaml"


def imports(root: Path, sheet: Path, *args: str) -> tuple[int, str]:
    cache_module._OPEN.clear()
    args = (
        "-C",
        str(root),
        "--lang",
        "zh",
        "--author",
        "李娜 <lina@example.cn>",
        "import",
        "household",
        str(sheet),
        *args,
    )
    result = CliRunner().invoke(app, list(args))
    out = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        out += "".join(traceback.format_exception(result.exception))
    return result.exit_code, out


def _ledger_with(tmp_path: Path, extra: str) -> Path:
    root = make_ledger(tmp_path / "ledger")
    write(root, HOUSE, household(extra=extra))
    return make_repo(root)


def _phone_sheet(tmp_path: Path, phone: str) -> Path:
    sheet = tmp_path / "新电话.csv"
    sheet.write_text(f"姓名,身份证号,联系电话,与户主关系,性别\n张伟,{id_number()},{phone},户主,男\n", encoding="utf-8")
    return sheet


def _only_phone_changed(before: bytes, after: bytes) -> None:
    assert after == before.replace(b'phones: ["13912345678"]', b'phones: ["13912345679"]')


# -- A. import ------------------------------------------------------------------------------------


def test_an_import_keeps_the_time_zone_and_fractions_of_a_timestamp_in_extra(tmp_path: Path) -> None:
    extra = (
        "extra:\n  登记时间: 2024-01-02T10:00:00+08:00\n"
        "  核实时间: 2024-03-04T05:06:07.123456\n  归档: 2024-05-06T07:08:09Z\n"
    )
    root = _ledger_with(tmp_path, extra)
    before = (root / HOUSE).read_bytes()
    code, out = imports(root, _phone_sheet(tmp_path, "13912345679"))
    assert code == 0, out
    _only_phone_changed(before, (root / HOUSE).read_bytes())


def test_an_import_keeps_a_merge_key_and_its_anchor(tmp_path: Path) -> None:
    extra = "extra:\n  base: &b {楼长: 张三}\n  more:\n    <<: *b\n    备注: 有\n"
    root = _ledger_with(tmp_path, extra)
    before = (root / HOUSE).read_bytes()
    code, out = imports(root, _phone_sheet(tmp_path, "13912345679"))
    assert code == 0, out
    _only_phone_changed(before, (root / HOUSE).read_bytes())


WANG = id_number(born="19820404", seq="222")  # 女
ODD = f"""\
# 2026年3月入户核实
kind: household   # 户
id: 'H000001'
grid: "110105001001001"
address: {{estate: 阳光小区, building: "3", unit: "2", room: "501"}}  # flow
housing: 自有
members:
  - id: P0000001
    name: 张伟  # 户主
    id_number: "{id_number()}"
    gender: 男
    birth_date: 1980-03-15
    relation: 户主
    phones: ['13912345678']   # 单引号
    residence: 户籍
  # 妻子
  - id: P0000002
    name: 王丽
    id_number: '{WANG}'
    gender: 女
    relation: 配偶
    phones:   # 手机
      - "13700000000"
    residence: 户籍
extra:
  登记时间: 2024-01-02 10:00:00
# 文件尾
"""


def _odd_ledger(tmp_path: Path, text: str, phone: str) -> tuple[Path, Path]:
    """A ledger whose household file is `text`, committed, and a register giving 王丽 `phone`."""
    root = _ledger_with(tmp_path, "")
    write(root, HOUSE, text)
    git(root, "commit", "-qam", "odd")
    sheet = tmp_path / f"登记-{phone}.csv"
    sheet.write_text(f"姓名,身份证号,联系电话,与户主关系,性别\n王丽,{WANG},{phone},配偶,女\n", encoding="utf-8")
    return root, sheet


def test_dry_run_then_skip_invalid_on_a_crlf_clone_changes_one_line(tmp_path: Path) -> None:
    """Held: a register that changes 王丽's phone (a block list with a comment) in a file of odd
    quoting, flow mappings, comments everywhere, checked out with CRLF (core.autocrlf=true), beside a
    bad row (--skip-invalid: several passes over the same parsed files): the dry run writes
    nothing, the import commits that one line, LF, and the next dry run finds nothing to do."""
    origin = _ledger_with(tmp_path, "")
    write(origin, HOUSE, ODD)
    git(origin, "commit", "-qam", "odd")
    root = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "-c", "core.autocrlf=true", str(origin), str(root)], check=True)
    git(root, "config", "user.name", "王芳")
    git(root, "config", "user.email", "wf@example.cn")
    assert b"\r\n" in (root / HOUSE).read_bytes()
    sheet = tmp_path / "十二月.csv"
    rows = ["姓名,身份证号,联系电话,与户主关系,性别",
            f"张伟,{id_number()},13912345678,户主,男",
            f"王丽,{WANG},13700009999,配偶,女",
            "坏人,110105198003151239,1391234,户主,男"]  # fmt: skip
    sheet.write_bytes("\r\n".join(rows).encode("gbk"))

    def state() -> tuple[str, str, bytes]:
        return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain"), (root / HOUSE).read_bytes()

    before = state()
    code, out = imports(root, sheet, "--skip-invalid", "--dry-run")
    assert code == 1 and "拒绝 1" in out, out  # the bad row is named
    assert state() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clone", "ledger", "十二月.csv"]
    code, out = imports(root, sheet, "--skip-invalid")
    assert code == 1 and "更新 1" in out, out
    committed = git(root, "show", f"HEAD:{HOUSE}").encode()
    assert committed == ODD.replace('"13700000000"', '"13700009999"').encode()
    assert git(root, "status", "--porcelain") == ""
    head = git(root, "rev-parse", "HEAD")
    code, out = imports(root, sheet, "--skip-invalid", "--dry-run")
    assert code == 1, out
    assert git(root, "rev-parse", "HEAD") == head and "更新 0" in out, out


def test_prefer_register_puts_back_the_very_bytes_and_prefer_ledger_writes_nothing(tmp_path: Path) -> None:
    """Held: the ledger's phone changed by `edit` after the register was made; the stale register
    waits for a choice (nothing written, dry run or not), --prefer ledger writes nothing, and
    --prefer register puts the number back and nothing else (comments, quoting, flow styles, a block
    list of two, an alias) — through both planning passes."""
    text = ODD.replace("extra:\n", "extra:\n  同住: &same [王丽, 张伟]\n  核实: *same\n")
    root, sheet = _odd_ledger(tmp_path, text, "13700000000")
    code, out = run(root, WARM, "--author", "王芳 <wf@example.cn>", "edit", "P0000002", "--set", "phones=13700001111")
    assert code == 0, out
    edited = (root / HOUSE).read_bytes()
    assert edited == text.replace('"13700000000"', '"13700001111"').encode()  # quoted as the file quotes
    head = git(root, "rev-parse", "HEAD")
    for args in ((), ("--dry-run",), ("--dry-run", "--prefer", "register"), ("--prefer", "ledger")):
        code, out = imports(root, sheet, *args)
        assert code in (0, 1), out
        assert (root / HOUSE).read_bytes() == edited and git(root, "rev-parse", "HEAD") == head, (args, out)
    code, out = imports(root, sheet, "--prefer", "register")
    assert code == 0, out
    assert git(root, "rev-parse", "HEAD") != head
    assert git(root, "show", f"HEAD:{HOUSE}").encode() == edited.replace(b'"13700001111"', b'"13700000000"')


def test_an_import_keeps_the_comment_on_a_block_list_item_it_changes(tmp_path: Path) -> None:
    """`phones:` as a block list whose item carries a comment: the register changes the number,
    the comment should stay (put() replaces the list's items with a slice, and ruamel drops the
    items' comments with them). Not from the recent speed change: the same before it."""
    text = ODD.replace('    phones:   # 手机\n      - "13700000000"', '    phones:\n      - "13700000000"   # 旧号')
    root, sheet = _odd_ledger(tmp_path, text, "13700009999")
    code, out = imports(root, sheet)
    assert code == 0, out
    assert git(root, "show", f"HEAD:{HOUSE}") == text.replace('"13700000000"', '"13700009999"')


# -- B. the columns kept in pieces ------------------------------------------------------------------

CACHE = Path(".git") / "gridctl" / "cache"
SHOWN = ("H000009", "P0000001", "S0001")


def _commands(root: Path) -> list[tuple[str, ...]]:
    return [("validate",), ("validate", "-f", "json"), ("list", "household"), ("status",)] + [
        ("show", rid) for rid in SHOWN
    ]


def differences(root: Path) -> list[str]:
    return warmcold.differences(root, _commands(root))


def manifest(root: Path) -> list[str]:
    import marshal

    return list(marshal.loads((root / CACHE / "columns.bin").read_bytes()[4:])[1]["pieces"])


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "PIECE", 2)


def _edit(root: Path, rid: str, setting: str) -> None:
    code, out = run(root, WARM, "--author", "王芳 <wf@example.cn>", "edit", rid, "--set", setting)
    assert code == 0, out


def _other(demo: Path, tmp_path: Path) -> Path:
    """A second ledger from the same example: two households changed, one gone, its cache warm."""
    other = tmp_path / "other"
    shutil.copytree(demo, other, symlinks=True)
    shutil.rmtree(other / CACHE, ignore_errors=True)
    _edit(other, "H000003", "address.room=909")
    _edit(other, "H000009", "housing=租住")
    git(other, "rm", "-q", "households/110105017006001/H000002.yaml")
    git(other, "commit", "-qm", "gone")
    assert run(other, WARM, "validate")[0] in (0, 1)
    return other


def test_another_ledgers_pieces_and_manifest_are_not_taken_for_this_ones(
    demo: Path, tmp_path: Path, small: None
) -> None:
    """Held: the columns folder and its manifest copied from another ledger of the same settings
    (same code, so the same header): over this ledger's own pieces, or in their place."""
    shutil.rmtree(demo / CACHE, ignore_errors=True)
    assert run(demo, WARM, "validate")[0] in (0, 1)
    other = _other(demo, tmp_path)
    mine = demo / CACHE
    shutil.copytree(other / CACHE / "columns", mine / "columns", dirs_exist_ok=True)  # their pieces beside mine
    assert differences(demo) == []
    shutil.copy(other / CACHE / "columns.bin", mine / "columns.bin")  # their manifest
    assert differences(demo) == []
    shutil.rmtree(mine)
    shutil.copytree(other / CACHE, mine)  # their whole cache
    assert differences(demo) == []


def test_pieces_put_back_from_before_a_change_under_the_names_of_after(demo: Path, small: None) -> None:
    """Held: after two edits, each piece that changed is overwritten by the piece that stood at its
    place before (same header, same place, entries that line up: the join succeeds), and, in a
    second round, by the piece of the same place from another ledger's cache."""
    shutil.rmtree(demo / CACHE, ignore_errors=True)
    folder = demo / CACHE / "columns"
    assert run(demo, WARM, "validate")[0] in (0, 1)
    old = {i: (folder / f"{name}.bin").read_bytes() for i, name in enumerate(manifest(demo))}
    _edit(demo, "H000003", "address.room=909")
    _edit(demo, "H000009", "housing=租住")
    assert run(demo, WARM, "validate")[0] in (0, 1)
    new = manifest(demo)
    changed = [i for i, name in enumerate(new) if (folder / f"{name}.bin").read_bytes() != old.get(i)]
    assert len(changed) >= 2
    for i in changed:
        (folder / f"{new[i]}.bin").write_bytes(old[i])
    assert differences(demo) == []


def test_a_manifest_of_missing_pieces_a_truncated_piece_and_a_file_for_the_folder(demo: Path, small: None) -> None:
    """Held: the manifest names pieces that are not there (every one, then one in the middle), a
    piece cut off mid-file, an empty piece, and `columns` made a file where the folder was (then
    put back as a folder): each run prints what a cold run prints, and none leaves a traceback."""
    shutil.rmtree(demo / CACHE, ignore_errors=True)
    cache = demo / CACHE
    folder = cache / "columns"
    assert run(demo, WARM, "validate")[0] in (0, 1)
    kept = cache.parent / "kept-columns"
    shutil.copytree(folder, kept)
    shutil.rmtree(folder)
    folder.mkdir()
    assert differences(demo) == []
    middle = manifest(demo)[len(manifest(demo)) // 2]
    (folder / f"{middle}.bin").unlink()
    assert differences(demo) == []
    for name in manifest(demo)[1:3]:
        data = (folder / f"{name}.bin").read_bytes()
        (folder / f"{name}.bin").write_bytes(data[: len(data) // 2])
    (folder / f"{manifest(demo)[-1]}.bin").write_bytes(b"")
    assert differences(demo) == []
    shutil.rmtree(folder)
    folder.write_bytes(b"not a folder")
    assert differences(demo) == []
    _edit(demo, "H000003", "address.room=707")  # a write while the folder is a file
    assert differences(demo) == []
    folder.unlink()
    shutil.copytree(kept, folder)  # the old pieces come back
    assert differences(demo) == []


SMALL_PIECES = (
    "import sys; from gridctl.ledger import cache; cache.PIECE = 2; "
    "from gridctl.cli.main import app; sys.argv[0] = 'gridctl'; app()"
)


def test_writers_and_readers_at_once_leave_pieces_a_cold_read_agrees_with(demo: Path, small: None) -> None:
    """Held: rounds of two `edit`s and two readers (`list`, `validate`) run at once as processes,
    each keeping the columns in pieces of two files; then every command, warm, prints what it
    prints cold, and both edits of each round are in the log."""
    import os
    import sys

    shutil.rmtree(demo / CACHE, ignore_errors=True)
    env = {**os.environ, "GRIDCTL_NO_CACHE": "", "GRIDCTL_WAIT": "60"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")])
    base = [sys.executable, "-c", SMALL_PIECES, "-C", str(demo), "--lang", "en"]
    author = ["--author", "王芳 <wf@example.cn>"]
    before = len(git(demo, "log", "--format=%H").split())
    for n in range(3):
        jobs = [
            [*base, *author, "edit", "H000003", "--set", f"address.room=80{n}"],
            [*base, *author, "edit", "H000007", "--set", f"address.room=90{n}"],
            [*base, "list", "household"],
            [*base, "validate"],
        ]
        procs = [subprocess.Popen(job, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for job in jobs]
        for proc, job in zip(procs, jobs, strict=True):
            out, err = proc.communicate(timeout=120)
            assert proc.returncode in (0, 1) and b"Traceback" not in err, (job, out, err)
    assert len(git(demo, "log", "--format=%H").split()) == before + 6
    assert len(manifest(demo)) > 20  # the processes kept small pieces
    assert differences(demo) == []


def test_two_worktrees_of_one_repository_take_turns(demo: Path, tmp_path: Path, small: None) -> None:
    """Held: `git worktree add` of a branch where households changed and one is gone: runs in the
    two worktrees in turn (one git folder, so possibly one cache) each print what a cold run prints."""
    git(demo, "branch", "other")
    side = tmp_path / "side"
    git(demo, "worktree", "add", "-q", str(side), "other")
    _edit(side, "H000003", "address.room=909")
    git(side, "rm", "-q", "households/110105017006001/H000002.yaml")
    git(side, "commit", "-qm", "gone")
    for _turn in range(2):
        for root in (demo, side):
            assert differences(root) == [], root


TWO_HOUSES = """\
{head}kind: household
id: H000001
grid: "110105001001001"
address: {{estate: 阳光小区, building: "3", unit: "2", room: "501"}}
members:
  - id: P0000001
    name: 张伟
    id_number: "{zhang}"
    gender: 男
    relation: 户主
    phones: ["13912345678"]  # 常用
---
# 第二户
kind: household
id: H000002
grid: "110105001001001"
address: {{estate: 阳光小区, building: "3", unit: "2", room: "502"}}
members:
  - id: P0000002
    name: 王丽
    id_number: '{wang}'
    gender: 女
    relation: 户主
    phones: ['13700000000', "13700000001"]
"""


@pytest.mark.parametrize(
    "head", ["---\n# 两户一个文件\n", "# 两户一个文件\n---\n"], ids=["start-then-comment", "comment-then-start"]
)
def test_a_file_of_two_households_edited_in_its_second_document(tmp_path: Path, head: str) -> None:
    """One file holding two households (explicit `---`, comments): the register changes the
    second's phones and leaves the first as it is; --dry-run writes nothing, then the import
    changes that one line, through both planning passes. Held when the file starts with `---`;
    FAILS when a comment comes before the first `---` (comment-then-start): the comment and the
    `---` are dropped (gridctl.ledger.yamlfile.dump_rt sets explicit_start only when the text
    starts with `---`). Not from the recent speed change: the same before it."""
    root = make_ledger(tmp_path / "ledger")
    (root / HOUSE).unlink()
    text = TWO_HOUSES.format(head=head, zhang=id_number(), wang=WANG)
    write(root, "households/110105001001001/H000001-2.yaml", text)
    make_repo(root)
    sheet = tmp_path / "两户.csv"
    rows = ["姓名,身份证号,联系电话,与户主关系,性别", f"张伟,{id_number()},13912345678,户主,男",
            f"王丽,{WANG},13700000000,户主,女"]  # fmt: skip
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    head = git(root, "rev-parse", "HEAD")
    code, out = imports(root, sheet, "--dry-run")
    assert code == 0, out
    assert git(root, "rev-parse", "HEAD") == head and git(root, "status", "--porcelain") == ""
    code, out = imports(root, sheet)
    assert code == 0 and "更新 1, 未变 1" in out, out
    after = git(root, "show", "HEAD:households/110105001001001/H000001-2.yaml")
    assert after == text.replace("""['13700000000', "13700000001"]""", "['13700000000']"), after


# -- A. reading xlsx inline strings -------------------------------------------------------------


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """The table as import reads it, and as openpyxl's own parser would give it."""
    from gridctl.excel import tables
    from gridctl.excel.mapping import load_mapping

    key_of = load_mapping("household", None).key_of
    mine = tables.read_table(path, key_of)
    with monkeypatch.context() as m:
        m.setattr(tables, "_plain_strings", lambda parser: parser)
        stock = tables.read_table(path, key_of)
    return mine, stock


def _table(t: object) -> tuple[object, ...]:
    return t.headers, [(r.number, r.values) for r in t.rows], t.positions  # type: ignore[attr-defined]


@pytest.mark.parametrize("write_only", [False, True])
def test_a_messy_register_reads_as_openpyxl_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_only: bool
) -> None:
    """Held: title rows above a two-row header with merged cells, rich text in names and in an ID
    number, spaces around values, empty strings, ID numbers typed as numbers, dates and date-times,
    a merged address column: import's table is openpyxl's, row by row."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("户籍") if write_only else wb.active
    bold = InlineFont(b=True)
    rows = [
        ["幸福里社区户籍人口登记表", None, None, None, None, None, None],
        ["填表日期：", dt.date(2026, 11, 1), None, None, None, None, None],
        ["姓名", "公民身份号码", "出生日期", "联系电话", "与户主关系", "性别", "房号"],
        [
            CellRichText([TextBlock(bold, "张"), " 伟 "]),
            id_number(),
            dt.datetime(1980, 3, 15),
            13912345678,
            "户主",
            "男",
            "501",
        ],
        [
            "  王丽",
            CellRichText([WANG[:6], TextBlock(bold, WANG[6:])]),
            "1982-04-04",
            " 137 0000 0000 ",
            "配偶",
            "女",
            "",
        ],
        ["", int(id_number(born="20100101", seq="011")), dt.date(2010, 1, 1), "", "子", "男", None],
        [CellRichText(["李", TextBlock(bold, "")]), " ", None, "\t", "", "", "502"],
    ]
    for row in rows:
        ws.append(row)
    if not write_only:
        ws.merge_cells("A1:G1")
        ws.merge_cells("G4:G5")
    path = tmp_path / f"登记-{write_only}.xlsx"
    wb.save(path)
    mine, stock = _both(path, monkeypatch)
    assert _table(mine) == _table(stock)
    assert [r.values[0] for r in mine.rows][:2] == ["张 伟 ", "  王丽"]  # type: ignore[attr-defined]


def test_an_inline_string_of_two_texts_reads_as_openpyxl_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`<is><t>A</t><t>B</t></is>` (two plain texts in one inline string: outside the schema, which
    allows one): openpyxl's parser reads the last ("B"), import's own reading the first ("A").
    Minor; FAILS on the current code."""
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名"])
    base = tmp_path / "base.xlsx"
    wb.save(base)
    with zipfile.ZipFile(base) as z:
        files = {n: z.read(n) for n in z.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode()
    cell = '<c r="A2" t="inlineStr"><is><t>张</t><t>伟</t></is></c>'
    files["xl/worksheets/sheet1.xml"] = sheet.replace("</row>", f'</row><row r="2">{cell}</row>', 1).encode()
    path = tmp_path / "两段.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    mine, stock = _both(path, monkeypatch)
    assert _table(mine) == _table(stock)
