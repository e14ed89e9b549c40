"""Adversarial cases of the export read from the cached rows and of --as-of read by export and units."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import git
from openpyxl import load_workbook

from conftest import id_number, write

HOUSES = "households/110105001001001"


def member(pid: str, name: str, extra: str = "") -> str:
    return f"""  - id: {pid}
    name: {name}
    id_number: "{id_number(seq=pid[-3:])}"
    relation: 户主
{extra}"""


def house(hid: str, members: str) -> str:
    return f'kind: household\nid: {hid}\ngrid: "110105001001001"\nmembers:\n{members}'


def commit(root: Path) -> None:
    repo = git.Repo(root)
    repo.git.add(A=True)
    repo.index.commit("台账")


def sheet_rows(path: Path) -> list[list[object]]:
    ws = load_workbook(path).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


def by_person(rows: list[list[object]]) -> dict[tuple[object, object], dict[str, object]]:
    """(household id, person id) -> {header: value}, for every row (a pair twice keeps a list)."""
    out: dict = {}
    for row in rows[1:]:
        out.setdefault((row[0], row[1]), []).append(dict(zip(rows[0], row, strict=True)))
    return out


def test_each_household_shows_its_own_person_when_a_person_id_is_used_twice(repo: Path, cli, tmp_path: Path) -> None:
    """Two households with a person id each (typed twice, or a file copied without new ids): the
    export keyed people by id alone and showed the second household's person in the first's row,
    and importing that register back would have renamed her."""
    write(repo, f"{HOUSES}/H000007.yaml", house("H000007", member("P0000099", "甲")))
    write(repo, f"{HOUSES}/H000008.yaml", house("H000008", member("P0000099", "乙")))
    write(repo, f"{HOUSES}/H000009.yaml", house("H000009", member("P0000091", "丙")))
    write(repo, f"{HOUSES}/H000009-副本.yaml", house("H000009", member("P0000091", "丁")))
    commit(repo)
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"户.{fmt}"
        result = cli("-C", str(repo), "export", "household", "-o", str(out))
        assert result.exit_code == 0, result.output
        if fmt == "xlsx":
            rows = sheet_rows(out)
        else:
            import csv

            rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()[1:]))
        people = by_person(rows)
        assert [r["姓名"] for r in people[("H000007", "P0000099")]] == ["甲"]
        assert [r["姓名"] for r in people[("H000008", "P0000099")]] == ["乙"]
        assert sorted(r["姓名"] for r in people[("H000009", "P0000091")]) == ["丁", "丙"]


def test_an_extra_day_is_a_date_cell_and_an_extra_yes_no_a_boolean(repo: Path, cli, tmp_path: Path) -> None:
    """A row keeps a day as text and XlsxWriter wrote True as the number 1: a member's extra
    入户日期 became text, 党员 true became 1, and importing the register back changed 党员 to 1
    and 时刻 to '2026-05-01T09:30:00'. A quoted day stays text."""
    extra = '    extra: {入户日期: 2025-06-01, 党员: true, 时刻: 2026-05-01 09:30:00, 文本: "2025-06-02"}\n'
    write(repo, f"{HOUSES}/H000002.yaml", house("H000002", member("P0000021", "王五", extra)))
    write(repo, "staff/S0003.yaml", "kind: staff\nid: S0003\nname: 钱七\nextra: {入职: 2020-01-01, 在编: false}\n")
    commit(repo)
    out = tmp_path / "户.xlsx"
    assert cli("-C", str(repo), "export", "household", "-o", str(out), "--reveal").exit_code == 0
    ws = load_workbook(out).worksheets[0]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "P0000021")
    cell = {h: c for h, c in zip(headers, row, strict=True)}
    assert (cell["入户日期"].value, cell["入户日期"].number_format) == (dt.datetime(2025, 6, 1), "yyyy-mm-dd")
    assert cell["时刻"].value == dt.datetime(2026, 5, 1, 9, 30)
    assert (cell["党员"].value, cell["党员"].data_type) == (True, "b")
    assert (cell["文本"].value, cell["文本"].data_type) == ("2025-06-02", "s")
    back = cli("-C", str(repo), "--lang", "en", "import", "household", str(out), "--dry-run")
    assert back.exit_code == 0, back.output
    assert "updated 0" in back.output, back.output
    staff = tmp_path / "人员.xlsx"
    assert cli("-C", str(repo), "export", "staff", "-o", str(staff)).exit_code == 0
    rows = sheet_rows(staff)
    qian = dict(zip(rows[0], next(r for r in rows if r[0] == "S0003"), strict=True))
    assert (qian["入职"], qian["在编"]) == (dt.datetime(2020, 1, 1), False)
