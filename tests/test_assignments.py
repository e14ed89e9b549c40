"""分片包户: a household's 包户人 serves its grid (GC236), and the writes that can leave one who does
not (a move, a worker unassigned, a grid folded into another) say so when they are made; the
monthly report, which pays 包户 per household, names them."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import gridctl

FIRST, THIRD = "110105017006001", "110105017006003"


def problems(root: Path, *args: str) -> list[dict]:
    code, out, err = gridctl("--lang", "en", "validate", "--format", "json", *args, cwd=root)
    assert code in (0, 1), err
    return json.loads(out)["problems"]


def gc236(root: Path) -> dict[str, dict]:
    return {p["record"]: p for p in problems(root) if p["code"] == "GC236"}


def test_a_household_moved_out_of_its_workers_grid_is_told_and_validated(demo: Path) -> None:
    assert gc236(demo) == {}
    code, out, err = gridctl("--lang", "zh", "move", "H000001", "--to", "第三网格", "-m", "搬家", cwd=demo)
    assert code == 0, err
    said = out + err
    assert "新增警告: H000001" in said
    assert "包户人 S0004 (李静) 不在第三网格 (110105017006003) 及其上级网格任职 (GC236)" in said
    found = gc236(demo)
    assert list(found) == ["H000001"]
    assert found["H000001"]["file"] == f"households/{THIRD}/H000001.yaml"
    assert found["H000001"]["field"] == "assigned_to" and found["H000001"]["severity"] == "warning"
    assert gridctl("validate", "--strict", cwd=demo)[0] == 1
    assert gridctl("validate", cwd=demo)[0] == 0  # a warning: the move is made
    # the monthly report pays per household, and says whom it pays for a grid they do not serve
    code, out, err = gridctl("--lang", "zh", "report", "monthly", "--month", "2026-11", cwd=demo)
    assert code == 0, err
    assert "包户人本月不在该户所在网格任职，补助照计，请核对: 李静 (S0004) 1 户" in out
    # a 第三网格 worker takes the household over: nothing left to say
    code, out, err = gridctl("--lang", "en", "edit", "H000001", "--set", "assigned_to=S0015", cwd=demo)
    assert code == 0, err
    assert gc236(demo) == {}
    code, out, err = gridctl("--lang", "zh", "report", "monthly", "--month", "2026-11", cwd=demo)
    assert "包户人本月不在" not in out


def test_a_community_cadre_serves_every_grid_under_it(demo: Path) -> None:
    """街道干部和社区专职工作人员分片包户: one holding a role in the 社区 (its 网格指导员) serves all its grids."""
    assert gridctl("edit", "H000001", "--set", "assigned_to=S0003", cwd=demo)[0] == 0
    assert gc236(demo) == {}
    code, out, err = gridctl("--lang", "en", "edit", "H000001", "--set", "assigned_to=S0015", cwd=demo)  # 第三网格's
    assert code == 0, err
    assert list(gc236(demo)) == ["H000001"]
    assert "new warning: H000001" in out + err and "S0015" in out + err  # told as it is made
    code, out, err = gridctl("--lang", "en", "edit", "H000001", "--set", "address.room=909", cwd=demo)
    assert code == 0 and "new warning" not in out + err  # any other field: the quick write, nothing listed


def test_a_worker_unassigned_and_then_gone_leaves_households_to_reassign(demo: Path) -> None:
    theirs = sorted(
        p.stem for p in (demo / "households").rglob("H*.yaml") if 'assigned_to: "S0004"' in p.read_text("utf-8")
    )
    assert theirs
    args = ("unassign", "第一网格", "--role", "专职网格员", "--staff", "S0004", "--date", "2026-11-01")
    code, out, err = gridctl("--lang", "en", *args, cwd=demo)
    assert code == 0, err
    assert sorted(line.split()[2] for line in (out + err).splitlines() if "new warning: " in line) == theirs
    assert sorted(gc236(demo)) == theirs
    # what a pull request brings, for CI: the warnings it causes in households it did not touch
    since = {p["record"] for p in problems(demo, "--changed-since", "HEAD~1") if p["code"] == "GC236"}
    assert sorted(since) == theirs
    assert all("gridctl assign 110105017006001 --role 网格员 --staff S0004" in p["hint"] for p in gc236(demo).values())
    code, out, err = gridctl("--lang", "en", "retire", "S0004", "--reason", "辞职", "--date", "2026-11-02", cwd=demo)
    assert code == 0, err
    assert all(p["message"].endswith("(李静) is no longer in post") for p in gc236(demo).values())
    assert not any("gridctl assign" in p["hint"] for p in gc236(demo).values())  # she is to be replaced: GC233
    # November she served and is paid, so named; December she is paid nothing, so not named as paid
    month = {"GRIDCTL_TODAY": "2026-12-31"}
    code, out, err = gridctl("--lang", "zh", "report", "monthly", "--month", "2026-11", cwd=demo, env=month)
    assert code == 0 and f"李静 (S0004) {len(theirs)} 户 (GC236)" in out, err
    code, out, err = gridctl("--lang", "zh", "report", "monthly", "--month", "2026-12", cwd=demo, env=month)
    assert code == 0 and "李静" not in out and "包户人本月不在" not in out, err


def test_a_grid_folded_into_another_lists_what_it_leaves_to_do(demo: Path) -> None:
    """retire --into moves 第一网格's households into 第二网格, whose workers are others: each household's
    包户人 now serves no grid of it, and the clerk is told, not left to find it (nor the buildings
    whose 楼栋长 served 第一网格)."""
    before = {p["code"] for p in problems(demo)}
    args = ("retire", "第一网格", "--reason", "并入第二网格", "--date", "2026-11-01", "--into", "第二网格")
    code, out, err = gridctl("--lang", "zh", *args, "--dry-run", cwd=demo)
    assert code == 0, err
    assert "新增警告" in out + err and "GC236" in out + err  # told before it is done, too
    code, out, err = gridctl("--lang", "zh", *args, cwd=demo)
    assert code == 0, err
    said = out + err
    listed = [line for line in said.splitlines() if line.startswith("  新增警告: ")]
    found = problems(demo)
    new = [p for p in found if p["code"] not in before or p["code"] == "GC236"]
    assert len(listed) == min(len(new), 20) > 0
    if len(new) > 20:
        assert f"另有 {len(new) - 20} 条新增警告，见 gridctl validate" in said
    assert {p["code"] for p in new} >= {"GC236"}
    assert all("GC236" in line or "GC262" in line for line in listed)


def test_the_warnings_a_write_lists_are_those_two_whole_validations_differ_by(demo: Path) -> None:
    """A write lists the warnings it adds from its changed files and the checks that can warn and
    read what it changed (gridctl.ops.added), not from two whole validations. Over 150 random changes
    (a household moved to another grid, its 包户人 changed, a grid's role dropped or given to another,
    a staff member let go, a 楼栋长 changed, any line of a record dropped) the list must be exactly
    what a whole validation of HEAD and of the result differ by, positions included."""
    import datetime as dt
    import random
    import re
    import subprocess

    from gridctl.ledger.files import GitTree, Overlay
    from gridctl.ledger.index import load
    from gridctl.ops.added import added_warnings
    from gridctl.ops.write import new_warnings
    from gridctl.validate import validate

    day = dt.date(2026, 11, 30)
    for rel in ("H000002", "H000003"):  # households with a warning of their own (GC263) at HEAD
        path = demo / "households" / FIRST / f"{rel}.yaml"
        path.write_text(path.read_text("utf-8").replace("relation: 户主", "relation: 同住人"), "utf-8")
    subprocess.run(["git", "commit", "-qam", "无户主"], cwd=demo, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=demo, capture_output=True, text=True, check=True)
    tree = GitTree(demo, head.stdout.strip())
    base, _problems = load(demo, tree)
    before = validate(demo, tree, day).problems
    folders = ("households", "places", "grids", "staff", "events")
    records = sorted(p.relative_to(demo).as_posix() for f in folders for p in (demo / f).rglob("*.yaml"))
    records += [f"households/{FIRST}/H000002.yaml"] * 10  # drawn more often
    texts = {rel: (demo / rel).read_text(encoding="utf-8") for rel in records}
    staff = [*sorted({m for text in texts.values() for m in re.findall(r'"(S\d{4})"', text)}), "S9999"]
    grids = [FIRST, "110105017006002", THIRD, "110105017006004"]
    rnd = random.Random(7)

    def mutate(rel: str, text: str) -> str:
        how = rnd.randrange(6)
        if how == 5:  # no 户主 (GC263), or one again
            head, other = "relation: 户主", "relation: 同住人"
            return text.replace(head, other) if head in text else text.replace(other, head)
        if how == 0 and "assigned_to" in text:
            return re.sub(r'assigned_to: "S\d{4}"', f'assigned_to: "{rnd.choice(staff)}"', text, count=1)
        if how == 1 and rel.startswith("staff/"):
            return text + rnd.choice(["active: false\n", "retired:\n  date: 2026-11-01\n  reason: 辞职\n"])
        if how == 2 and '    staff: "' in text:
            found = list(re.finditer(r'(?m)^    staff: "(S\d{4})"', text))
            m = rnd.choice(found)
            return f"{text[: m.start(1)]}{rnd.choice(staff)}{text[m.end(1) :]}"
        lines = text.splitlines(keepends=True)
        if how == 3 and len(lines) > 3:
            del lines[rnd.randrange(2, len(lines))]
            return "".join(lines)
        return re.sub(r'(?m)^grid: "\d+"', f'grid: "{rnd.choice(grids)}"', text, count=1)

    listed = 0
    for case in range(150):
        changes: dict[str, bytes | None] = {}
        for rel in set(rnd.sample(records, rnd.choice((1, 1, 2, 3)))):
            text = mutate(rel, texts[rel])
            where = re.search(r'(?m)^grid: "(\d+)"', text)
            if rel.startswith("households/") and where and rnd.random() < 0.7:  # moved into its grid's folder
                target = f"households/{where.group(1)}/{rel.rsplit('/', 1)[1]}"
                if target != rel:
                    changes[rel] = None
                rel = target
            changes[rel] = text.encode("utf-8")
        result = Overlay(tree, changes)
        after = validate(demo, result, day, base=base, errors_only=True)
        assert after.ledger is not None
        found = added_warnings(base, after.ledger, result, day)
        whole = new_warnings(before, validate(demo, Overlay(tree, changes), day).problems)

        def seen(problems: list) -> list:
            return sorted((p.code, p.file, p.record, p.path, p.line, p.column, repr(p.args)) for p in problems)

        assert seen(found) == seen(whole), (case, sorted(changes))
        listed += bool(found)
    assert 30 < listed < 140  # a mix of changes that add warnings and ones that add none


def test_a_role_that_begins_later_does_not_serve_yet_in_validate_nor_in_the_report(demo: Path) -> None:
    """A 网格员 made 包户人 ahead of their role: validate and the monthly report, which pays 包户 by
    the roles held in the month, agree that they do not serve the grid yet (validate said nothing of
    it while the report named them, pointing at validate's GC236)."""
    grid = demo / "grids" / f"{FIRST}.yaml"
    text = grid.read_text("utf-8")
    at = text.index('staff: "S0007"')
    grid.write_text(text[:at] + text[at:].replace("since: 2025-07-01", "since: 2027-01-01", 1), "utf-8")
    community = demo / "grids" / "110105017006.yaml"  # a role above it begins later still: named, the first day is
    above = '  - role: 网格指导员\n    staff: "S0007"\n    duties: [分片包户]\n    since: 2028-01-01\n'
    community.write_text(community.read_text("utf-8").replace("responsible:\n", "responsible:\n" + above, 1), "utf-8")
    day = {"GRIDCTL_TODAY": "2026-12-03"}
    code, out, err = gridctl("--lang", "en", "validate", "--format", "json", cwd=demo, env=day)
    found = {p["record"]: p for p in json.loads(out)["problems"] if p["code"] == "GC236"}
    assert sorted(found) == ["H000004", "H000010"], err
    assert found["H000004"]["message"].endswith(f"serves 第一网格 ({FIRST}) only from 2027-01-01")
    assert "gridctl assign" not in found["H000004"]["hint"] and "on that day" in found["H000004"]["hint"]
    code, out, err = gridctl("--lang", "zh", "validate", cwd=demo, env=day)
    assert f"2027-01-01 起才在第一网格 ({FIRST}) 及其上级网格任职" in out, err
    code, out, err = gridctl("--lang", "zh", "report", "monthly", "--month", "2026-11", cwd=demo, env=day)
    assert code == 0 and "(S0007) 2 户" in out, err
    # on the day the role begins, it serves: nothing to say
    code, out, err = gridctl(
        "--lang", "en", "validate", "--format", "json", cwd=demo, env={"GRIDCTL_TODAY": "2027-01-01"}
    )
    assert not [p for p in json.loads(out)["problems"] if p["code"] == "GC236"], err
