"""A town over its units, continued: what the town holds of each unit's copy (`unit list`, the age of a
copy in `status --units`), a CI pin a clerk can paste, and attacks on fetching, listing and bundles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from teamwork import git, run
from test_units import town, unlist_heping_by_hand

from conftest import REPO

SCHEMAS = REPO / "schemas" / "output"


def schema_check(name: str, doc: object) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(doc)


def test_unit_list_says_which_units_the_town_holds_and_how_old_each_copy_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-01 09:00")
    root = town(tmp_path)
    code, out = run(root, "unit", "add", "dongcheng", str(tmp_path / "nowhere"), "--title", "东城社区")
    assert code == 0, out
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-04 10:00")
    code, out = run(root, "unit", "list")
    assert code == 0, out
    lines = out.splitlines()
    xingfuli = next(line for line in lines if line.startswith("xingfuli"))
    assert "幸福里社区" in xingfuli and "community" in xingfuli and str(tmp_path / "xingfuli") in xingfuli
    sha = git(tmp_path / "xingfuli", "rev-parse", "HEAD")
    assert sha[:7] in xingfuli and "取回于 2026-03-01 09:00 (3 天前)" in xingfuli, out
    assert "从未取回" in next(line for line in lines if line.startswith("dongcheng")), out
    code, out = run(root, "unit", "list", "-f", "json")
    doc = json.loads(out)
    schema_check("unit-list", doc)
    first, *_, last = doc["units"]
    assert first["commit"] == sha and first["fetched"] == "2026-03-01T09:00+08:00" and first["age_days"] == 3
    assert last == {**last, "unit": "dongcheng", "name": "东城社区", "commit": None, "fetched": None, "stale": False}


def test_status_names_a_copy_the_last_sync_could_not_fetch_and_how_old_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`status --units` after a failed fetch showed the last copy as if it were today's."""
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-01 09:00")
    root = town(tmp_path)
    code, out = run(root, "status", "--units")
    assert code == 0 and "注意" not in out, out
    (tmp_path / "heping").rename(tmp_path / "heping-moved")  # the shared folder is gone
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-05 16:00")
    code, out = run(root, "sync", "--units")
    assert code == 2 and "heping: 获取失败" in out and "xingfuli: 已获取" in out, out
    code, out = run(root, "status", "--units")
    assert code == 0, out
    lines = out.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("和平里社区:")))
    note = lines[at + 1]
    assert note.startswith("  注意: 取回于 2026-03-01 09:00 (4 天前)；2026-03-05 16:00 获取失败"), out
    assert sum("注意" in line for line in lines) == 1, out  # xingfuli was fetched today
    doc = json.loads(run(root, "status", "--units", "-f", "json")[1])
    schema_check("status-units", doc)
    heping = next(u for u in doc["units"] if u["unit"] == "和平里社区")
    assert heping["stale"] is True and heping["fetch_failed"] and heping["fetched"] == "2026-03-01T09:00+08:00"
    # a copy more than a week old is named too, even when nothing failed
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-13 08:00")
    (tmp_path / "heping-moved").rename(tmp_path / "heping")
    code, out = run(root, "sync", "--units")
    assert code == 0, out
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-21 08:00")
    code, out = run(root, "--lang", "en", "status", "--units")
    assert out.count("note: fetched 2026-03-13 08:00 (8 days ago)") == 2, out


def test_doctor_gives_a_ci_pin_that_can_be_pasted(tmp_path: Path) -> None:
    """The advice said `source: "git+…/gridctl@v0.1.0"`: pasted as it was, it pinned a source that is no
    address at all."""
    from test_doctor import doctor, init

    root = init(tmp_path)
    settings = root / "gridctl.yaml"
    text = settings.read_text(encoding="utf-8")
    start = text.index("gridctl:")
    end = text.index("\n", text.index("source:", start))
    settings.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    _code, found, _ = doctor(root)
    pin = found["ci_gridctl"]
    assert pin["status"] == "warn" and "…" not in pin["fix"] and "..." not in pin["fix"], pin
    line = pin["fix"][pin["fix"].index("gridctl: {") :].split(" (", 1)[0]
    settings.write_text(settings.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    _code, found, _ = doctor(root)
    assert found["ci_gridctl"]["status"] == "ok", found["ci_gridctl"]
    code, out = run(root, "validate")
    assert code == 0, out


def test_two_units_with_one_name_are_told_apart_by_their_code(tmp_path: Path) -> None:
    """Two units listed with the same title printed two lines `幸福里社区: …` in status, reports and
    GC600, and the town could not tell which was which."""
    root = town(tmp_path)
    code, out = run(root, "unit", "add", "heping2", str(tmp_path / "heping"), "--title", "幸福里社区")
    assert code == 0, out
    assert run(root, "sync", "--units")[0] == 0
    code, out = run(root, "status", "--units")
    assert "幸福里社区 (xingfuli): 网格 2" in out and "幸福里社区 (heping2): 网格 2" in out, out
    assert "和平里社区: 网格 2" in out, out  # a name only one unit has stays as it was
    code, out = run(root, "report", "monthly", "--units", "--month", "2026-03", "--date", "2026-03-31", "-f", "json")
    units = {row["unit"] for s in json.loads(out)["sections"] for row in s["rows"]}
    assert units == {"幸福里社区 (xingfuli)", "幸福里社区 (heping2)", "和平里社区"}, units
    code, out = run(root, "validate")
    assert code == 1 and "在 和平里社区 和 幸福里社区 (heping2) 都有登记" in out, out


def test_a_unit_listed_again_from_another_source_is_not_read_from_the_old_copy(tmp_path: Path) -> None:
    """A unit taken out of gridctl.yaml by hand and added again under its code, from another source,
    was read from the copy fetched for the old listing: the town saw 和平里 under the new unit's name."""
    root = town(tmp_path)
    unlist_heping_by_hand(root)
    code, out = run(root, "unit", "add", "heping", str(tmp_path / "xingfuli"), "--title", "东城")
    assert code == 0, out
    code, out = run(root, "status", "--units")
    assert "东城" not in out and "单位 heping 尚未获取" in out, out
    assert run(root, "sync", "--units")[0] == 0
    code, out = run(root, "unit", "list", "-f", "json")
    heping = json.loads(out)["units"][1]
    assert heping["commit"] == git(tmp_path / "xingfuli", "rev-parse", "HEAD") and not heping["stale"], heping
    # removed with gridctl and listed again: the same source, fetched again
    assert run(root, "unit", "remove", "东城")[0] == 0
    assert run(root, "unit", "add", "heping", str(tmp_path / "heping"))[0] == 0
    assert run(root, "sync", "--units")[0] == 0
    code, out = run(root, "status", "--units")
    assert "和平里社区: 网格 2" in out and "注意" not in out, out


def test_bundles_of_two_workers_and_an_older_bundle_leave_every_review_waiting(tmp_path: Path) -> None:
    """`sync --bundle` pruned the office's bundle branches to the one the file carried:李强's review
    vanished when 赵敏's bundle came in, and an older bundle of 李强's taken after a newer one rewound his
    branch, so his later work was out of the review without a word."""
    from teamwork import team

    clones = team(tmp_path)
    w2, w3, office = clones["w2"], clones["w3"], clones["office"]
    files = {}
    for clone, rec, name, file in (
        (w2, "S0002", "李强强", "b1"),
        (w2, "S0001", "王芳芳", "b2"),
        (w3, "S0003", "赵敏敏", "c1"),
    ):
        assert run(clone, "edit", rec, "--set", f"name={name}")[0] == 0
        files[file] = tmp_path / f"{file}.bundle"
        assert run(clone, "bundle", "-o", str(files[file]))[0] == 0
    newest = git(w2, "rev-parse", "HEAD")
    for file in ("b2", "c1", "b1", "b2", "b1"):  # made twice, applied twice, out of order
        code, out = run(office, "sync", "--bundle", str(files[file]))
        assert code == 0, out
    assert git(office, "rev-parse", "refs/remotes/bundle/review/S0002") == newest
    assert git(office, "rev-parse", "refs/remotes/bundle/review/S0003") == git(w3, "rev-parse", "HEAD")
    code, out = run(office, "review")
    assert "S0002" in out and "S0003" in out, out
    assert "refs/gridctl/" not in git(office, "for-each-ref")


def test_a_rejection_in_the_office_outlives_the_next_workers_bundle(tmp_path: Path) -> None:
    """The bundle was fetched with --prune over the rejection tags: the office's `review --reject` of 赵敏's
    work was deleted by 李强's bundle (it carries no such tag), and her rejected branch waited again."""
    from teamwork import team

    clones = team(tmp_path)
    w2, w3, office = clones["w2"], clones["w3"], clones["office"]
    files = {}
    for clone, rec, name, file in ((w3, "S0003", "赵敏敏", "c1"), (w2, "S0002", "李强强", "b1")):
        assert run(clone, "edit", rec, "--set", f"name={name}")[0] == 0
        files[file] = tmp_path / f"{file}.bundle"
        assert run(clone, "bundle", "-o", str(files[file]))[0] == 0
    assert run(office, "sync", "--bundle", str(files["c1"]))[0] == 0
    code, out = run(office, "review", "S0003", "--reject", "-m", "姓名有误")
    assert code == 0, out
    tags = git(office, "tag", "-l", "review/rejected/*")
    assert tags
    assert run(office, "sync", "--bundle", str(files["b1"]))[0] == 0
    assert git(office, "tag", "-l", "review/rejected/*") == tags
    code, out = run(office, "review")
    assert "S0002" in out and "S0003" not in out, out
