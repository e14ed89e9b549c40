"""Printed pages as HTML: what a clerk posts and hands out, and what `print stale` says afterwards."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from pathlib import Path

import git
import pytest
from PIL import Image
from pyzbar import pyzbar

from gridctl.data import data_dir

from conftest import id_number, make_repo, write


def html_of(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result.stdout


def head(root: Path) -> str:
    return git.Repo(root).head.commit.hexsha


@pytest.fixture
def community(tmp_path: Path) -> Path:
    """The bundled example community (4 grids with polygons, 31 staff with photos) as a git repo."""
    root = tmp_path / "幸福里"
    shutil.copytree(data_dir("examples") / "community", root)
    return make_repo(root)


# -- notice boards ------------------------------------------------------------------------------


def test_board_shows_boundary_people_phones_duties_and_footer(cli, repo: Path) -> None:
    html = html_of(cli("-C", str(repo), "print", "board", "110105001001001"))
    assert '<html lang="zh-CN">' in html
    assert "font-family: 'Noto Sans CJK SC','Source Han Sans SC'" in html  # the ledger's fonts, first choice first
    assert "size: A4 portrait" in html
    for text in (
        "网格公示牌",
        "第一网格",
        "110105001001001",
        "幸福里社区",
        "东至",
        "幸福路",
        "北至",
        "建设路",
        "王芳",
        "13800138000",
        "网格长",
        "李强",
        "13900139000",
        "每天巡查网格一次",
    ):
        assert text in html
    assert f"台账版本 {head(repo)[:10]}" in html
    assert "打印日期" in html
    assert "含未提交的修改" not in html


def test_board_footer_says_when_the_files_differ_from_head(cli, repo: Path) -> None:
    staff = repo / "staff/S0002.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("13900139000", "13900139001"), encoding="utf-8")
    html = html_of(cli("-C", str(repo), "print", "board", "第一网格"))
    assert "13900139001" in html
    assert f"台账版本 {head(repo)[:10]}（含未提交的修改）" in html


def test_board_of_the_example_has_map_photos_inline_and_supervision_phone(cli, community: Path) -> None:
    html = html_of(cli("-C", str(community), "print", "board", "110105017006002", "--size", "A3"))
    assert "size: A3 portrait" in html
    svg = re.search(r'<svg[^>]*class="grid-map".*?</svg>', html, re.S)
    assert svg is not None
    assert 'class="focus"' in svg.group(0) and 'class="neighbour"' in svg.group(0)
    assert "第一网格" in svg.group(0) and "北" in svg.group(0) and "米" in svg.group(0)
    assert html.count('src="data:image/jpeg;base64,') == 9  # every person of 第二网格 has a photo
    assert 'src="photos/' not in html and "http" not in html.replace("http://www.w3.org", "")
    assert "010-65071234" in html and "公示日期" in html


def test_board_all_prints_one_page_per_grid(cli, community: Path) -> None:
    html = html_of(cli("-C", str(community), "print", "board", "--all"))
    assert html.count('class="page board') == 5


def test_board_needs_a_grid_or_all(cli, repo: Path) -> None:
    result = cli("-C", str(repo), "print", "board")
    assert result.exit_code == 2
    assert "--all" in result.output
    result = cli("-C", str(repo), "--lang", "zh", "print", "board", "999")
    assert result.exit_code == 2
    assert "台账中没有网格“999”" in result.output


# -- chart --------------------------------------------------------------------------------------


def test_chart_graphviz_and_table_layouts(cli, community: Path) -> None:
    drawn = html_of(cli("-C", str(community), "print", "chart"))
    assert "幸福里社区网格管理责任图" in drawn
    assert 'class="chart-svg"' in drawn and "layout-graphviz" in drawn
    table = html_of(cli("-C", str(community), "print", "chart", "--layout", "table", "--root", "110105017006003"))
    assert "layout-table" in table and "<svg" not in table
    assert "第三网格" in table and "第一网格" not in table
    assert "陈建华" in table and "13620308449" in table


def test_chart_falls_back_to_a_table_without_graphviz(cli, community: Path, tmp_path: Path) -> None:
    import shutil

    from gridctl.ledger.tools import dot_exe

    only_git = tmp_path / "bin"
    only_git.mkdir()
    (only_git / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    dot_exe.cache_clear()  # tools are found once per process; this test is a machine without Graphviz
    try:
        html = html_of(cli("-C", str(community), "print", "chart", env={"PATH": str(only_git)}))
    finally:
        dot_exe.cache_clear()
    assert "layout-table" in html
    assert html.count('class="node') == 5


# -- cards --------------------------------------------------------------------------------------


def _qr_images(html: str) -> list[Image.Image]:
    found = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="联系人二维码">', html)
    return [Image.open(io.BytesIO(base64.b64decode(data))) for data in found]


def test_cards_ten_per_page_and_every_qr_code_saves_the_right_contact(cli, community: Path) -> None:
    import yaml

    html = html_of(cli("-C", str(community), "print", "cards", "--all"))
    pages = html.split('<section class="page">')[1:]
    per_page = [p.count('<div class="card">') for p in pages]
    assert per_page[:-1] == [10] * (len(per_page) - 1) and 0 < per_page[-1] <= 10
    staff = {}
    for path in (community / "staff").glob("*.yaml"):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        staff[record["name"]] = str(record["phone"])
    images = _qr_images(html)
    assert len(images) == sum(per_page) == 40  # 2 + 10 + 9 + 10 + 9 responsible people
    for image in images:
        decoded = pyzbar.decode(image)
        assert len(decoded) == 1 and decoded[0].type == "QRCODE"
        text = decoded[0].data.decode("utf-8")
        fields = dict(line.split(":", 1) for line in text.strip().split("\r\n"))
        assert fields["BEGIN"] == "VCARD" and fields["VERSION"] == "3.0"
        name = fields["FN"]
        assert fields["TEL;TYPE=CELL,VOICE"] == staff[name]
        assert fields["N"].replace(";", "") == name
        assert name in html and staff[name] in html


def test_cards_of_one_grid(cli, repo: Path) -> None:
    html = html_of(cli("-C", str(repo), "print", "cards", "110105001001001"))
    assert html.count('<div class="card">') == 2
    assert "网格服务联系卡" in html and "服务范围" in html and "扫码保存联系人" in html


# -- forms --------------------------------------------------------------------------------------


def test_form_default_checklist_is_blank(cli, repo: Path) -> None:
    """The community prints its 日常巡查表: the daily checklist, numbered as gridctl inspect takes it."""
    html = html_of(cli("-C", str(repo), "print", "form", "110105001001001"))
    assert '<h1 class="title">日常巡查表</h1>' in html
    for text in (
        "消防通道、楼道是否畅通，有无堆放杂物",
        "出租房屋是否挂牌，租住人员是否登记",
        '<td class="num">7</td>',
        "发现问题",
        "整改措施",
        "整改期限",
        "责任人签字",
        "督查人签字",
        "□有 □无",
    ):
        assert text in html
    assert html.count('<section class="page form">') == 1
    assert "&emsp;&emsp;年" in html


def test_a_ledgers_own_default_checklist_replaces_the_profiles(cli, repo: Path) -> None:
    write(repo, "templates/checklist-default.yaml", 'name: 安全隐患督查\nitems: ["消防安全：灭火器是否有效"]\n')
    html = html_of(cli("-C", str(repo), "print", "form", "110105001001001"))
    assert "灭火器是否有效" in html and '<td class="cat">消防安全</td>' in html
    assert "出租房屋是否挂牌" not in html


def test_form_prefilled_for_a_month_of_days(cli, community: Path) -> None:
    result = cli(
        "-C",
        str(community),
        "print",
        "form",
        "第一网格",
        "--date",
        "2026-03-30",
        "--days",
        "3",
        "--checklist",
        "消防安全检查",
        "--inspector",
        "S0004",
    )
    html = html_of(result)
    assert html.count('<section class="page form">') == 3
    for day in ("2026 年 3 月 30 日", "2026 年 3 月 31 日", "2026 年 4 月 1 日"):
        assert day in html
    assert "灭火器在有效期内" in html
    assert html.count("消防安全检查记录表") == 4  # the page's title, and once on each of the 3 sheets
    assert '<td class="num">1</td>' in html  # numbered as inspect --ok 1 takes them
    assert "李静" in html  # S0004
    bad = cli("-C", str(community), "print", "form", "第一网格", "--checklist", "没有的表")
    assert bad.exit_code == 2 and "社区日常巡查" in bad.output


def test_a_filled_form_prints_the_deadline_that_holds_to_the_minute(cli, community: Path) -> None:
    """整改期限 on a recorded inspection's form: the rule's for a hazard written without a deadline (it was
    blank), an hours deadline without seconds (13:00:00 was printed)."""
    event = community / "events/2026/03/E202603-0001.yaml"
    args = ("-C", str(community), "print", "form", "--inspection", "I202603-0005")
    assert "<td>2026-03-06</td>" in html_of(cli(*args)).replace(" ", "").replace("\n", "")
    event.write_text(event.read_text(encoding="utf-8").replace("deadline: 2026-03-06\n", ""), encoding="utf-8")
    listed = cli("-C", str(community), "list", "event", "--format", "json")
    rule = next(r["deadline"] for r in json.loads(listed.stdout) if r["id"] == "E202603-0001")
    assert rule and rule[:10] in html_of(cli(*args))
    text = event.read_text(encoding="utf-8").replace("status: 已结案", "deadline: 2026-03-06 13:00:00\nstatus: 已结案")
    event.write_text(text, encoding="utf-8")
    html = html_of(cli(*args))
    assert "2026-03-06 13:00" in html and "13:00:00" not in html


def test_form_sheets_only_for_days_an_inspection_is_due(cli, community: Path) -> None:
    """`--days 31` printed a sheet for every calendar day: a school's weekends and vacation, a
    community's days off. Now one for each day the ledger's rule (inspections.on) makes due."""
    result = cli("-C", str(community), "print", "form", "第一网格", "--date", "2026-03-27", "--days", "4")
    html = html_of(result)
    assert html.count('<section class="page form">') == 2  # Friday and Monday
    assert "2026 年 3 月 27 日" in html and "2026 年 3 月 30 日" in html and "2026 年 3 月 28 日" not in html
    weekend = cli(
        "-C", str(community), "--lang", "zh", "print", "form", "第一网格", "--date", "2026-03-28", "--days", "2"
    )
    assert weekend.exit_code == 2 and "2026-03-28 至 2026-03-29 没有需要巡查的日子" in weekend.output


# -- templates, --as-of, output files -----------------------------------------------------------


def test_a_ledger_template_overrides_the_bundled_one(cli, repo: Path) -> None:
    write(repo, "templates/print.css", "html { font-family: 'Noto Sans CJK SC'; } .marker-css { color: red; }\n")
    html = html_of(cli("-C", str(repo), "print", "board", "110105001001001"))
    assert ".marker-css" in html and "网格公示牌" in html
    write(
        repo,
        "templates/cards.html",
        "{% extends 'base.html' %}{% block body %}本社区自制卡片 "
        "{% for page in pages %}{% for c in page %}<p>{{ c.person.name }}</p>{% endfor %}{% endfor %}"
        "{% endblock %}",
    )
    html = html_of(cli("-C", str(repo), "print", "cards", "110105001001001"))
    assert "本社区自制卡片" in html and "<p>王芳</p>" in html


def test_as_of_prints_an_older_revision(cli, repo: Path) -> None:
    first = head(repo)
    staff = repo / "staff/S0002.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("13900139000", "13700137000"), encoding="utf-8")
    r = git.Repo(repo)
    r.index.add(["staff/S0002.yaml"])
    r.index.commit("李强换号")
    now = html_of(cli("-C", str(repo), "print", "board", "110105001001001"))
    assert "13700137000" in now
    then = html_of(cli("-C", str(repo), "--as-of", first[:10], "print", "board", "110105001001001"))
    assert "13900139000" in then and "13700137000" not in then
    assert f"台账版本 {first[:10]}" in then


def test_html_to_a_file(cli, repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "board.html"
    result = cli("-C", str(repo), "print", "board", "110105001001001", "-o", str(out), "--no-record")
    assert result.exit_code == 0, result.output
    assert "网格公示牌" in out.read_text(encoding="utf-8")
    assert not (repo / ".gridctl").exists()


# -- stale --------------------------------------------------------------------------------------


def test_stale_lists_exactly_what_changed_since_printing(cli, repo: Path, tmp_path: Path) -> None:
    env = {"LANG": "zh_CN.UTF-8"}
    for what, args in (
        ("board", ["110105001001001"]),
        ("cards", ["110105001001001"]),
        ("chart", []),
        ("board", ["110105001001"]),
    ):
        out = tmp_path / f"{what}-{len(args)}-{args[0] if args else 'all'}.html"
        result = cli("-C", str(repo), "--author", "王芳 <wangfang@example.cn>", "print", what, *args, "-o", str(out))
        assert result.exit_code == 0, result.output
    log = git.Repo(repo).git.log("--format=%s")
    assert "打印网格公示牌 110105001001001" in log
    assert (repo / ".gridctl/printed.json").is_file()
    assert not git.Repo(repo).is_dirty(untracked_files=True)

    fresh = cli("-C", str(repo), "print", "stale", env=env)
    assert fresh.exit_code == 0, fresh.output
    assert "无需重印" in fresh.output

    result = cli(
        "-C",
        str(repo),
        "--author",
        "王芳 <wangfang@example.cn>",
        "-m",
        "李强换号",
        "edit",
        "S0002",
        "--set",
        "phone=13700137000",
    )
    assert result.exit_code == 0, result.output
    stale = cli("-C", str(repo), "print", "stale", env=env)
    assert stale.exit_code == 1
    text = stale.output
    assert "第一网格 网格公示牌" in text and "第一网格 服务联系卡" in text and "网格管理责任图" in text
    assert "李强（网格员）: 电话有变化" in text
    assert "gridctl print board 110105001001001" in text
    assert "gridctl print cards 110105001001001" in text
    assert "110105001001 " not in text.replace("[110105001001]", "")  # the community's board lists no 李强
    assert "幸福里社区 网格公示牌" not in text

    html = cli("-C", str(repo), "print", "stale", "--format", "html", env=env)
    assert html.exit_code == 1 and "待重新打印清单" in html.stdout


def test_stale_with_nothing_printed(cli, repo: Path) -> None:
    result = cli("-C", str(repo), "--lang", "zh", "print", "stale")
    assert result.exit_code == 0
    assert "0 件" in result.output
    english = cli("-C", str(repo), "--lang", "en", "print", "stale")
    assert english.output == "no printed notice boards, contact cards or charts are noted: nothing to reprint\n"


# -- privacy ------------------------------------------------------------------------------------

RESIDENT_NUMBER = id_number("110105", "19520817", "246")
RESIDENT = f"""\
kind: household
id: H000009
grid: "110105001001001"
address: {{estate: 秘密花园小区, building: "9", unit: "1", room: "101"}}
housing: 自有
members:
  - id: P0000009
    name: 钱秘密
    id_number: "{RESIDENT_NUMBER}"
    gender: 男
    birth_date: 1952-08-17
    relation: 户主
    phones: ["13666661234"]
    residence: 户籍
    tags: [刑满释放]
"""
SECRETS = (
    RESIDENT_NUMBER,
    RESIDENT_NUMBER[:6] + "*" * 12,
    "13666661234",
    "136****1234",
    "钱秘密",
    "秘密花园",
    "刑满释放",
    "H000009",
    "P0000009",
)


@pytest.fixture
def planted(repo: Path) -> Path:
    write(repo, "households/110105001001001/H000009.yaml", RESIDENT)
    r = git.Repo(repo)
    r.index.add(["households/110105001001001/H000009.yaml"])
    r.index.commit("新增一户")
    return repo


def test_no_resident_data_on_any_printed_page(cli, planted: Path) -> None:
    pages = [
        ("board", "110105001001001"),
        ("board", "--all"),
        ("cards", "--all"),
        ("chart",),
        ("form", "110105001001001"),
    ]
    for args in pages:
        html = html_of(cli("-C", str(planted), "print", *args))
        for secret in SECRETS:
            assert secret not in html, (args, secret)


def test_stale_notices_a_new_photo_and_a_removed_person(cli, community: Path, tmp_path: Path) -> None:
    author = ("--author", "王芳 <wangfang@example.cn>")
    out = tmp_path / "board.html"
    assert cli("-C", str(community), *author, "print", "board", "110105017006002", "-o", str(out)).exit_code == 0
    assert cli("-C", str(community), *author, "print", "chart", "-o", str(tmp_path / "c.html")).exit_code == 0
    photo = community / "photos/S0010.jpg"  # 郑伟, 专职网格员 of 第二网格
    photo.write_bytes(photo.read_bytes() + b"\0")  # a retaken photo, not yet committed
    result = cli(
        "-C", str(community), *author, "unassign", "110105017006002", "--role", "兼职网格员", "--staff", "S0014"
    )
    assert result.exit_code == 0, result.output
    stale = cli("-C", str(community), "--lang", "zh", "print", "stale", "--format", "json")
    assert stale.exit_code == 1
    import json

    found = {s["key"]: s for s in json.loads(stale.stdout)["stale"]}
    assert set(found) == {"board:110105017006002", "chart:all"}
    board = found["board:110105017006002"]
    assert "郑伟（专职网格员）: 照片有变化" in board["reasons"]
    assert any("已不再列出" in r for r in board["reasons"])
    assert board["command"] == "gridctl print board 110105017006002"
    assert found["chart:all"]["command"] == "gridctl print chart"


def test_stale_speaks_the_clerks_language(cli, repo: Path, tmp_path: Path) -> None:
    author = ("--author", "王芳 <wangfang@example.cn>")
    out = tmp_path / "board.html"
    assert cli("-C", str(repo), *author, "print", "board", "110105001001001", "-o", str(out)).exit_code == 0
    fresh = cli("-C", str(repo), "--lang", "en", "print", "stale")
    assert fresh.exit_code == 0, fresh.output
    assert fresh.output.startswith("all 1 printed notice boards, contact cards and charts match the ledger")
    edited = cli("-C", str(repo), *author, "edit", "S0002", "--set", "phone=13700137000")
    assert edited.exit_code == 0, edited.output

    stale = cli("-C", str(repo), "--lang", "en", "print", "stale")
    assert stale.exit_code == 1
    lines = stale.output.splitlines()
    assert lines[0] == "1 printed items no longer match the ledger and need printing again (1 noted):"
    assert lines[1].startswith("- 第一网格 notice board [110105001001001] (printed ")
    assert lines[2:] == ["    李强（网格员）: phone changed", "    → gridctl print board 110105001001001"]
    found = json.loads(cli("-C", str(repo), "--lang", "en", "print", "stale", "-f", "json").stdout)["stale"]
    assert found[0]["reasons"] == ["李强（网格员）: phone changed"]

    zh = cli("-C", str(repo), "--lang", "zh", "print", "stale")
    assert "1 件印件与台账不一致" in zh.output and "李强（网格员）: 电话有变化" in zh.output
    html = cli("-C", str(repo), "--lang", "en", "print", "stale", "-f", "html")  # a page: Chinese, as posted
    assert "李强（网格员）: 电话有变化" in html.stdout
