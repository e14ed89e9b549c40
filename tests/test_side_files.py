"""Files outside the ledger: a file open in Excel/WPS (or read-only) stops the command before anything is
committed, with the likely cause named; exports carry residents' data and are the owner's alone; ledger
files get the mode the user's umask gives.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import git

from conftest import AUTHOR_ENV, id_number

GRID = "110105001001001"
GOOD = id_number(born="19900101", seq="121")


def sheet(folder: Path) -> Path:
    """流动人口.csv: one good row, one with a bad phone (rejected with --skip-invalid)."""
    path = folder / "流动人口.csv"
    rows = [
        "姓名,性别,公民身份号码,联系电话,与户主关系,所属网格,小区,楼栋,单元,房号",
        f"刘洋,男,{GOOD},13512345678,户主,{GRID},阳光小区,5,1,101",
        f"赵敏,女,{id_number(region='110108', born='19850505', seq='042')},1371234,户主,{GRID},阳光小区,6,2,202",
    ]
    path.write_bytes("\r\n".join(rows).encode("gbk"))
    return path


def files_of(root: Path) -> dict[str, bytes]:
    found = (p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in found}


def test_a_rejected_file_that_cannot_be_written_stops_the_import_before_the_commit(
    repo: Path, cli, tmp_path: Path
) -> None:
    source = sheet(tmp_path)
    held = tmp_path / "流动人口.rejected.csv"
    held.write_bytes(b"opened in WPS\r\n")
    held.chmod(0o444)  # as Excel holds it on Windows: the system will not let it be replaced
    head, before = git.Repo(repo).head.commit.hexsha, files_of(repo)
    result = cli("-C", str(repo), "--lang", "zh", "import", "household", str(source), "--skip-invalid", env=AUTHOR_ENV)
    assert result.exit_code == 2, result.output
    assert f"无法写入 {held}" in result.output and "Excel" in result.output and "WPS" in result.output
    assert git.Repo(repo).head.commit.hexsha == head  # nothing committed
    assert files_of(repo) == before and held.read_bytes() == b"opened in WPS\r\n"
    held.chmod(0o644)  # closed in WPS: the same command now goes through
    result = cli("-C", str(repo), "--lang", "zh", "import", "household", str(source), "--skip-invalid", env=AUTHOR_ENV)
    assert result.exit_code == 1 and git.Repo(repo).head.commit.hexsha != head
    assert "赵敏" in held.read_bytes().decode("utf-8-sig")
    assert stat.S_IMODE(held.stat().st_mode) == 0o600  # residents' data: the owner's alone


def test_an_export_over_a_file_excel_holds_is_refused_and_left_as_it_was(repo: Path, cli, tmp_path: Path) -> None:
    target = tmp_path / "户籍.xlsx"
    target.write_bytes(b"the clerk's own sheet")
    target.chmod(0o444)
    result = cli("-C", str(repo), "--lang", "en", "export", "household", "-o", str(target))
    assert result.exit_code == 2
    assert f"cannot write {target}" in result.output and "close it there" in result.output
    assert target.read_bytes() == b"the clerk's own sheet"


def test_an_output_the_system_refuses_is_exit_2_naming_the_file(repo: Path, cli) -> None:
    result = cli("-C", str(repo), "--lang", "en", "export", "household", "-o", "/proc/户籍.xlsx")
    assert result.exit_code == 2 and "cannot write /proc/户籍.xlsx" in result.output


def test_exports_are_private_and_ledger_files_follow_the_umask(repo: Path, tmp_path: Path) -> None:
    def run(*args: str, umask: int) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "gridctl", *args],
            cwd=repo,
            env={**os.environ, **AUTHOR_ENV},
            capture_output=True,
            umask=umask,
        )
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")

    run("export", "household", "-o", str(tmp_path / "户籍.xlsx"), umask=0o022)
    run("export", "staff", "-o", str(tmp_path / "工作人员.csv"), umask=0o000)
    assert stat.S_IMODE((tmp_path / "户籍.xlsx").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "工作人员.csv").stat().st_mode) == 0o600
    run("add", "staff", "--set", "name=赵六", "--set", "phone=13800138002", "--set", "gender=男", umask=0o002)
    run("-m", "换号", "edit", "P0000001", "--set", "phones=13912345670", umask=0o022)
    assert stat.S_IMODE((repo / "staff/S0003.yaml").stat().st_mode) == 0o664
    assert stat.S_IMODE((repo / f"households/{GRID}/H000001.yaml").stat().st_mode) == 0o644
    run("print", "board", GRID, "-o", str(tmp_path / "公示牌.html"), "--no-record", umask=0o022)
    assert stat.S_IMODE((tmp_path / "公示牌.html").stat().st_mode) == 0o644  # public: staff only
