"""An import that moves a record kept in a file with other records (design.md §2: a file may hold
several): the record leaves that file for a file of its own in its new grid's folder, in the one
commit of the import; the others stay where they are, with their comments."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import git
import pytest
import yaml
from test_import import snapshot, xlsx

from gridctl.ledger.crash import STEPS
from gridctl.ledger.transaction import JOURNAL

GRID_A, GRID_B, COMMUNITY = "110105017006001", "110105017006002", "110105017006"
SHARED = f"households/{GRID_A}/building-1.yaml"
SCHEMA = "# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"
HEAD = SCHEMA.format(kind="household") + "# 幸福里小区的几户，一个文件\n\n"
AUTHOR = ("--author", "李娜 <lina@example.cn>")


def share(root: Path, folder: str, ids: tuple[str, ...], name: str, head: str = HEAD) -> str:
    """The records' files made one, as a clerk may keep a building's households (committed): the file's
    own comment, a blank line, then each record with the comment right above it."""
    parts = [head]
    for n, rid in enumerate(ids):
        text = (root / folder / f"{rid}.yaml").read_text(encoding="utf-8")
        parts.append(("---\n" if n else "") + f"# {rid} 的说明\n" + text)
        (root / folder / f"{rid}.yaml").unlink()
    rel = f"{folder}/{name}"
    (root / rel).write_text("".join(parts), encoding="utf-8")
    repo = git.Repo(root)
    repo.git.add("-A")
    repo.git.commit("-qm", "一个文件放几户")
    return rel


def gbk_register(tmp: Path, rows: str) -> Path:
    path = tmp / "户籍登记.csv"
    path.write_bytes(("户编号,所属网格,姓名,与户主关系\r\n" + rows).encode("gbk"))
    return path


def records(root: Path, rel: str) -> list[dict]:  # type: ignore[type-arg]
    return list(yaml.safe_load_all((root / rel).read_text(encoding="utf-8")))


def test_a_household_moved_by_a_register_leaves_the_shared_file_in_the_same_commit(
    cli, demo: Path, tmp_path: Path
) -> None:
    """H000003 kept in one file with H000002: a GBK register putting it in 第二网格 was refused with GC221
    (文件放在 households/…001/ 中，但 grid 写的是 …002) and the clerk had no way on."""
    share(demo, f"households/{GRID_A}", ("H000002", "H000003", "H000004"), "building-1.yaml")
    h2, h3, h4 = records(demo, SHARED)
    before = git.Repo(demo).head.commit.hexsha
    sheet = gbk_register(tmp_path, "H000003,第二网格,韩东升,户主\r\n")
    result = cli(
        "-C", str(demo), "--lang", "zh", *AUTHOR, "-m", "搬家", "import", "household", str(sheet), "--accept-moves"
    )
    assert result.exit_code == 0, result.output
    assert "H000003: 所属网格 110105017006001 → 110105017006002  [已确认]" in result.output
    repo = git.Repo(demo)
    assert repo.head.commit.parents[0].hexsha == before
    own = f"households/{GRID_B}/H000003.yaml"
    assert sorted(repo.git.show("--name-only", "--format=", "HEAD").split()) == sorted([SHARED, own])
    assert records(demo, own) == [h3 | {"grid": GRID_B}]
    assert records(demo, SHARED) == [h2, h4]
    text = (demo / own).read_text(encoding="utf-8")
    assert text.startswith(SCHEMA.format(kind="household") + "# H000003 的说明\n")
    kept = (demo / SHARED).read_text(encoding="utf-8")
    assert kept.startswith(f"{HEAD}# H000002 的说明\n")
    assert "H000003" not in kept and "---\n# H000004 的说明\n" in kept
    assert repo.git.status("--porcelain") == ""
    assert cli("-C", str(demo), "validate").exit_code == 0
    history = cli("-C", str(demo), "--lang", "zh", "history", "H000003")
    assert f"文件: {SHARED} → {own}" in history.output, history.output


def test_the_first_and_the_last_record_leave_and_the_file_keeps_its_head(cli, demo: Path, tmp_path: Path) -> None:
    """What heads the file (its schema line, its comment, a blank line) stays with the records that stay;
    the comment right above the first record goes with it."""
    share(demo, f"households/{GRID_A}", ("H000002", "H000003", "H000004"), "building-1.yaml")
    h2, h3, h4 = records(demo, SHARED)
    sheet = gbk_register(tmp_path, "H000002,第二网格,李颖,户主\r\nH000004,第二网格,王晓丽,户主\r\n")
    result = cli("-C", str(demo), *AUTHOR, "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 0, result.output
    assert records(demo, SHARED) == [h3]
    assert (demo / SHARED).read_text(encoding="utf-8").startswith(f"{HEAD}# H000003 的说明\n")
    text = (demo / f"households/{GRID_B}/H000002.yaml").read_text(encoding="utf-8")
    assert text.startswith(SCHEMA.format(kind="household") + "# H000002 的说明\nkind:")
    assert records(demo, f"households/{GRID_B}/H000002.yaml") == [h2 | {"grid": GRID_B}]
    assert records(demo, f"households/{GRID_B}/H000004.yaml") == [h4 | {"grid": GRID_B}]
    assert cli("-C", str(demo), "validate").exit_code == 0


def test_a_place_moved_by_an_xlsx_register_leaves_the_shared_file(cli, demo: Path, tmp_path: Path) -> None:
    rel = share(demo, f"places/{GRID_A}", ("PL00001", "PL00002"), "buildings.yaml", SCHEMA.format(kind="place") + "\n")
    pl1, pl2 = records(demo, rel)
    sheet = xlsx(tmp_path / "场所.xlsx", [["编号", "所属网格", "名称"], ["PL00002", GRID_B, "幸福里小区2号楼"]])
    result = cli("-C", str(demo), *AUTHOR, "import", "place", str(sheet), "--accept-moves")
    assert result.exit_code == 0, result.output
    assert records(demo, rel) == [pl1]
    assert records(demo, f"places/{GRID_B}/PL00002.yaml") == [pl2 | {"grid": GRID_B}]
    assert git.Repo(demo).git.status("--porcelain") == ""
    assert cli("-C", str(demo), "validate").exit_code == 0


def test_a_record_leaving_a_shared_file_for_a_grid_that_refuses_it_is_named_at_its_row(
    cli, demo: Path, tmp_path: Path
) -> None:
    """What only the whole ledger sees about the record in its new file is traced back to the row."""
    share(demo, f"households/{GRID_A}", ("H000002", "H000003"), "building-1.yaml")
    sheet = gbk_register(tmp_path, f"H000003,{COMMUNITY},韩东升,户主\r\n")
    before = snapshot(demo)
    result = cli("-C", str(demo), "--lang", "zh", *AUTHOR, "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"户籍登记.csv:row 2: 列 所属网格: 户应归属到最末级网格，幸福里社区 ({COMMUNITY}) 下还有子网格"
    )
    assert snapshot(demo) == before


def test_a_record_leaving_a_shared_file_never_writes_over_a_file_already_there(cli, demo: Path, tmp_path: Path) -> None:
    share(demo, f"households/{GRID_A}", ("H000002", "H000003"), "building-1.yaml")
    there = demo / "households" / GRID_B / "H000003.yaml"
    there.write_text("# 手工放的\n", encoding="utf-8")
    before = snapshot(demo)
    sheet = gbk_register(tmp_path, "H000003,第二网格,韩东升,户主\r\n")
    result = cli("-C", str(demo), "--lang", "zh", *AUTHOR, "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 2, result.output
    assert f"households/{GRID_B}/H000003.yaml 已经存在，迁移会覆盖它；没有导入" in result.output
    assert snapshot(demo) == before


LANDS = {"head", "file", "files", "index"}


@pytest.mark.parametrize("step", STEPS)
def test_an_import_splitting_a_file_killed_at_any_step_is_all_or_nothing(demo: Path, tmp_path: Path, step: str) -> None:
    """kill -9 at each step of the write: the next command (a read) finds the file as it was, or H000003
    in its own file and the others in the shared one; never the record twice or gone."""
    sheet = gbk_register(tmp_path, "H000003,第二网格,韩东升,户主\r\n")
    split_killed(demo, ["import", "household", str(sheet), "--accept-moves"], step)


def split_killed(demo: Path, args: list[str], step: str) -> None:
    """gridctl `args`, taking H000003 out of a file it shares with H000002 into GRID_B's folder, killed
    at `step`; then a read: the file as it was, or the split whole, and the ledger valid."""
    share(demo, f"households/{GRID_A}", ("H000002", "H000003"), "building-1.yaml")
    shared = (demo / SHARED).read_bytes()
    before = git.Repo(demo).head.commit.hexsha
    env = {**os.environ, "GRIDCTL_TEST_CRASH": step, "GRIDCTL_WAIT": "60"}
    killed = subprocess.run(
        [sys.executable, "-m", "gridctl", *args], cwd=demo, env=env, capture_output=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    env.pop("GRIDCTL_TEST_CRASH")
    read = subprocess.run([sys.executable, "-m", "gridctl", "status"], cwd=demo, env=env, capture_output=True)
    assert read.returncode == 0, read.stderr
    repo = git.Repo(demo)
    assert repo.git.status("--porcelain", "--untracked-files=all") == ""
    assert not (Path(repo.git_dir) / JOURNAL).exists()
    own = demo / "households" / GRID_B / "H000003.yaml"
    if step in LANDS:
        assert repo.head.commit.parents[0].hexsha == before
        assert [r["id"] for r in records(demo, SHARED)] == ["H000002"]
        assert [r["id"] for r in records(demo, own.relative_to(demo).as_posix())] == ["H000003"]
    else:
        assert repo.head.commit.hexsha == before
        assert (demo / SHARED).read_bytes() == shared and not own.exists()
    validated = subprocess.run([sys.executable, "-m", "gridctl", "validate"], cwd=demo, env=env, capture_output=True)
    assert validated.returncode == 0, validated.stdout
