"""Worker clones: a record typed in twice is removed while unshared; one household moved two ways is one
conflict the clerk settles with `gridctl resolve`."""

from __future__ import annotations

from pathlib import Path

from teamwork import git, run, team

from conftest import id_number

GRID = "110105001001001"


def _head(clone: Path) -> str:
    return git(clone, "rev-parse", "HEAD")


def test_remove_deletes_a_record_never_shared_and_refuses_one_that_was(tmp_path: Path) -> None:
    """A household added twice by mistake could only be retired: a record kept for ever, counted nowhere,
    of a family that never was. `remove` now deletes one this clone added and never synced, in one
    commit, and refuses one the shared repository has (the office's, or one sent for review), saying why."""
    t = team(tmp_path)
    w2 = t["w2"]
    add = ("add", "household", "--set", f"grid={GRID}", "--set", "housing=租住")
    assert run(w2, *add)[0] == 0  # H2000001
    code, out = run(w2, "sync")  # sent to review/S0002
    assert code == 0, out
    assert run(w2, *add)[0] == 0  # H2000002: the same family again, by mistake
    assert run(w2, *add)[0] == 0  # H2000003, with a person added twice
    person = ("add", "person", "--household", "H2000003", "--set", "name=刘洋", "--set", "gender=男")
    person += ("--set", "birth_date=1990-01-01", "--set", "residence=户籍")
    assert run(w2, *person, "--set", "relation=户主")[0] == 0
    assert run(w2, *person, "--set", "relation=其他")[0] == 0

    code, out = run(w2, "-m", "重复录入", "remove", "H2000002")
    assert code == 0 and "删除未共享的户 H2000002" in out, out
    assert not (w2 / "households" / GRID / "H2000002.yaml").exists()
    assert git(w2, "log", "-1", "--format=%s%n%n%b").startswith("删除未共享的户 H2000002\n\n重复录入")
    assert git(w2, "status", "--porcelain") == ""
    home = (w2 / "households" / GRID / "H2000003.yaml").read_text("utf-8")
    people = [line for line in home.splitlines() if "id: P" in line]
    code, out = run(w2, "remove", people[-1].split(":")[1].strip())
    assert code == 0, out
    assert "relation: 其他" not in (w2 / "households" / GRID / "H2000003.yaml").read_text("utf-8")
    assert run(w2, "validate")[0] == 0

    for shared, where in (("H2000001", "review/S0002"), ("H000001", "origin/main")):
        head = _head(w2)
        code, out = run(w2, "remove", shared)
        assert code == 2 and f"{shared} 已共享" in out and where in out and f"gridctl retire {shared}" in out, out
        assert "Traceback" not in out and _head(w2) == head and git(w2, "status", "--porcelain") == ""


def test_remove_without_an_upstream_cannot_tell_and_refuses(tmp_path: Path) -> None:
    t = team(tmp_path)
    w2 = t["w2"]
    git(w2, "branch", "--unset-upstream")
    assert run(w2, "add", "household", "--set", f"grid={GRID}", "--set", "housing=租住")[0] == 0
    head = _head(w2)
    code, out = run(w2, "remove", "H2000001")
    assert code == 2 and "没有上游分支" in out and "gridctl retire H2000001" in out, out
    assert _head(w2) == head


def test_gc240_advises_remove_for_a_record_typed_in_twice(tmp_path: Path) -> None:
    t = team(tmp_path)
    office = t["office"]
    number = id_number(seq="777")
    member = (
        'kind: household\nid: {hid}\ngrid: "110105001001001"\nhousing: 自有\nmembers:\n'
        '  - {{id: {pid}, name: 张伟, id_number: "{n}", gender: 男, birth_date: 1980-03-15, relation: 户主, '
        "residence: 户籍}}\n"
    )
    for hid, pid in (("H000101", "P0000101"), ("H000102", "P0000102")):
        (office / "households" / GRID / f"{hid}.yaml").write_text(member.format(hid=hid, pid=pid, n=number), "utf-8")
    code, out = run(office, "validate")
    assert code == 1 and "GC240" in out and "gridctl remove" in out, out
