"""A school's responsibility chart left off what its plans require it to show (明确每个网格的责任主体和
直接责任人及重点部位等情况，绘制安全生产网格管理责任图): each grid's 重点部位 and the duties (职责) of its
responsible people. The school profiles now show both (labels.chart_details), in either layout, and a
changed duty makes the chart on the wall stale; a community's chart stays as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_zeros import hand_edit

from gridctl.data import data_dir

from conftest import make_repo

CANTEEN = "grids/WG010501.yaml"
"""食堂岗: 重点部位 学生食堂; 校医 晨午检和传染病防控."""


@pytest.fixture
def school(tmp_path: Path) -> Path:
    root = tmp_path / "school"
    shutil.copytree(data_dir("examples") / "school-safety", root)
    return make_repo(root)


@pytest.mark.parametrize("layout", ["graphviz", "table"])
def test_a_schools_chart_shows_key_sites_and_duties(cli, school: Path, layout: str) -> None:
    result = cli("-C", str(school), "print", "chart", "--layout", layout, "--no-record")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert f"layout-{layout}" in page
    for shown in (
        "重点部位: 学生食堂",  # 食堂岗
        "重点部位: 学校南大门",  # 政教处
        "重点部位: 男生宿舍楼、女生宿舍楼",  # 宿舍岗: both its sites
        "晨午检和传染病防控",  # the 校医's duty
        "班级安全教育进课堂",  # a 班主任's
        "事故按“四不放过”原则处理",  # the 第一责任人's, as the school wrote it
    ):
        assert shown in page, shown


def test_a_changed_duty_makes_the_chart_stale(cli, school: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.html"
    assert cli("-C", str(school), "print", "chart", "-o", str(out)).exit_code == 0
    fresh = cli("-C", str(school), "print", "stale", "--format", "json")
    assert fresh.exit_code == 0 and json.loads(fresh.stdout)["stale"] == [], fresh.output
    hand_edit(school, CANTEEN, "晨午检和传染病防控", "晨午检、因病缺课追踪和传染病防控")
    stale = cli("-C", str(school), "print", "stale", "--format", "json")
    assert stale.exit_code == 1, stale.output
    assert [s["what"] for s in json.loads(stale.stdout)["stale"]] == ["chart"], stale.stdout


def test_a_communitys_chart_has_no_duties(cli, tmp_path: Path) -> None:
    root = tmp_path / "community"
    shutil.copytree(data_dir("examples") / "community", root)
    make_repo(root)
    result = cli("-C", str(root), "print", "chart", "--layout", "table", "--no-record")
    assert result.exit_code == 0, result.output
    assert "王秀兰" in result.stdout
    assert "负责网格内网格化服务管理工作的组织协调和督促检查" not in result.stdout
    assert "重点部位" not in result.stdout


def test_a_chart_shrunk_past_reading_says_so(cli, school: Path) -> None:
    """A school of 3 grades of 8 classes, every 班主任's duties on the chart: Graphviz's drawing was
    scaled into one A4 page with its smallest words at about 2.6 pt, exit 0, not a word. Now a
    warning names the size and the ways out (A3, --root, the table layout); the example's own chart,
    whose words print at about 7 pt, gets none."""
    import subprocess

    plain = cli("-C", str(school), "print", "chart", "--layout", "graphviz", "--no-record", "--lang", "en")
    assert plain.exit_code == 0 and "too small" not in plain.stderr, plain.stderr
    n = 30
    for grade in ("01", "02", "03"):
        for c in range(1, 9):
            gid = f"WG01{grade}0{c}"
            if (school / "grids" / f"{gid}.yaml").exists():
                continue
            n += 1
            sid = f"S{n:04d}"
            (school / "staff" / f"{sid}.yaml").write_text(
                f'kind: staff\nid: "{sid}"\nname: 教师{n}\ngender: 女\nphone: "1390000{n:04d}"\n'
                "position: 班主任\nemployment: 在编\n",
                encoding="utf-8",
            )
            (school / "grids" / f"{gid}.yaml").write_text(
                f'kind: grid\nid: "{gid}"\nname: {grade}年级{c}班\nlevel: 班级\nparent: "WG01{grade}"\n'
                f'responsible:\n  - role: 班主任\n    staff: "{sid}"\n    duties:\n'
                "      - 班级安全教育进课堂，每周一次安全晨会\n      - 上下学安全提醒\n      - 因病缺课追踪\n"
                "    since: 2026-02-24\n",
                encoding="utf-8",
            )
    subprocess.run(["git", "add", "-A"], cwd=school, check=True)
    subprocess.run(["git", "commit", "-qm", "各班班主任"], cwd=school, check=True)
    assert cli("-C", str(school), "validate").exit_code == 0
    args = ("-C", str(school), "print", "chart", "--layout", "graphviz", "--no-record")
    small = cli(*args, "--lang", "en")
    assert small.exit_code == 0, small.output
    assert "smallest words print at about" in small.stderr and "--size A3" in small.stderr, small.stderr
    assert "--root" in small.stderr
    zh = cli(*args, "--lang", "zh")
    assert "贴出来看不清" in zh.stderr, zh.stderr
    grade = cli(*args, "--root", "WG0101", "--lang", "en")  # one grade on its own page reads
    assert grade.exit_code == 0 and "too small" not in grade.stderr, grade.stderr
