"""A town's ledger: every community has its 第一网格, and registers name the grid as towns write it.

A register with a 社区 column beside 所属网格, or the whole name 安华西里社区第一网格 (in the cell or
as --grid), was refused as ambiguous or as no grid at all; the clerk was told neither what to write
nor that the 社区 column could say it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridctl.cli.main import app
from tests.conftest import make_repo

REPO = Path(__file__).resolve().parent.parent
HEADER = "姓名,性别,公民身份号码,与户主关系,{cols}小区,楼栋,单元,房号,人员类型\n"
ROW = "周一,男,110105197703010059,户主,{cells}阳光花园,99,1,101,户籍\n"


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("town") / "L"
    gen = [sys.executable, str(REPO / "bench/gen_ledger.py"), str(root), "--households", "12", "--communities", "2"]
    subprocess.run(gen, check=True, capture_output=True)
    return make_repo(root)


def _names(town: Path) -> dict[str, str]:
    import yaml

    grids = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (town / "grids").glob("*.yaml")]
    return {g["id"]: g["name"] for g in grids}


def _register(tmp_path: Path, cols: str, cells: str) -> Path:
    path = tmp_path / "reg.csv"
    path.write_bytes((HEADER.format(cols=cols) + ROW.format(cells=cells)).encode("gbk"))
    return path


def _import(town: Path, *args: str, lang: str = "en") -> tuple[int, str]:
    result = CliRunner().invoke(app, ["-C", str(town), "--lang", lang, "import", "household", *args, "--dry-run"])
    return result.exit_code, result.output


def test_the_town_has_two_first_grids(town: Path) -> None:
    names = _names(town)
    assert names["110105008001001"] == names["110105008002001"] == "第一网格"
    assert _a(town) != _b(town)


def _a(town: Path) -> str:
    return _names(town)["110105008001"]


def _b(town: Path) -> str:
    return _names(town)["110105008002"]


def test_a_community_column_tells_the_two_apart(town: Path, tmp_path: Path) -> None:
    code, out = _import(town, str(_register(tmp_path, "社区,所属网格,", f"{_b(town)},第一网格,")))
    assert code == 0, out
    assert "added 1 households" in out
    code, out = _import(town, str(_register(tmp_path, "所属社区,网格名称,", f"{_a(town)},第一网格,")))
    assert code == 0, out


@pytest.mark.parametrize("form", ["{a}第一网格", "{a}/第一网格", "{street}{a}第一网格"])
def test_the_whole_name_in_the_cell_or_on_the_command_line(town: Path, tmp_path: Path, form: str) -> None:
    name = form.format(a=_a(town), street=_names(town)["110105008"])
    code, out = _import(town, str(_register(tmp_path, "所属网格,", f"{name},")))
    assert code == 0, out
    code, out = _import(town, str(_register(tmp_path, "", "")), "--grid", name)
    assert code == 0, out


def test_the_name_alone_says_what_to_write(town: Path, tmp_path: Path) -> None:
    register = str(_register(tmp_path, "所属网格,", "第一网格,"))
    code, out = _import(town, register, lang="zh")
    assert code == 1
    a, b = _a(town), _b(town)
    assert f"{a}第一网格 (110105008001001)、{b}第一网格 (110105008002001)" in out, out
    assert f"请写出全名 (如 {a}第一网格)、网格编码，或加一列“社区”" in out, out
    code, out = _import(town, register)
    assert f"write the whole name (e.g. {a}第一网格), the grid's code, or add a 社区 column" in out, out


def test_show_and_list_take_the_whole_name(town: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["-C", str(town), "show", f"{_b(town)}第一网格"])
    assert shown.exit_code == 0, shown.output
    assert "110105008002001" in shown.output
    both = runner.invoke(app, ["-C", str(town), "--lang", "zh", "show", "第一网格"])
    assert both.exit_code == 2
    assert "请写编号，或连同社区名写全" in both.output, both.output


def test_a_board_is_printed_by_the_whole_name(town: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "board.html"
    printed = runner.invoke(app, ["-C", str(town), "print", "board", f"{_b(town)}第一网格", "-o", str(out)])
    assert printed.exit_code == 0, printed.output
    assert _b(town) in out.read_text(encoding="utf-8")
    both = runner.invoke(app, ["-C", str(town), "print", "board", "第一网格", "-o", str(out)])
    assert both.exit_code == 2
    assert f"110105008002001 {_b(town)}第一网格" in both.output, both.output
