"""The clerk's words: Chinese field names in and out, commit subjects in the ledger's language, event
steps by their names, photos at print size, and what a notice board still lacks — in both languages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import git
import pytest
from PIL import Image

from conftest import AUTHOR_ENV, household, write


def run(cli, repo: Path, lang: str, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", lang, *args, env=AUTHOR_ENV)


def subject(repo: Path) -> str:
    return git.Repo(repo).head.commit.message.split("\n")[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_set_takes_chinese_field_names(cli, repo: Path, lang: str) -> None:
    done = run(cli, repo, lang, "edit", "P0000001", "--set", "联系电话=13912345679")
    assert done.exit_code == 0, done.output
    # the commit is in the ledger's language; the clerk is told in theirs
    assert subject(repo) == "修改人员 P0000001：联系电话"
    said = "已提交 {}: 修改人员 P0000001：联系电话" if lang == "zh" else "committed {}: edit person P0000001: phones"
    assert done.output == said.format(git.Repo(repo).head.commit.hexsha[:10]) + "\n"
    assert "13912345679" in (repo / "households/110105001001001/H000001.yaml").read_text(encoding="utf-8")
    assert run(cli, repo, lang, "edit", "S0002", "--set", "职务=网格员", "--set", "用工形式=专职").exit_code == 0
    assert subject(repo) == "修改工作人员 S0002：职务、用工形式"


def test_boundary_by_its_chinese_name_keeps_what_it_does_not_name(cli, repo: Path) -> None:
    grid = repo / "grids/110105001001001.yaml"
    grid.write_text(
        grid.read_text(encoding="utf-8").replace("boundary: {", "boundary: {polygon: {type: Polygon}, "),
        encoding="utf-8",
    )
    git.Repo(repo).git.commit("-qam", "边界")
    done = run(cli, repo, "zh", "edit", "第一网格", "--set", "四至=东至幸福大街，北至建设北路")
    assert done.exit_code == 0, done.output
    shown = json.loads(run(cli, repo, "en", "show", "110105001001001", "-f", "json").stdout)["boundary"]
    assert shown == {
        "east": "幸福大街",
        "west": "光明街",
        "south": "和平里",
        "north": "建设北路",
        "polygon": {"type": "Polygon"},
    }
    assert run(cli, repo, "zh", "edit", "第一网格", "--set", "四至.西至=光明西街").exit_code == 0
    assert "west: 光明西街" in grid.read_text(encoding="utf-8")
    bad = run(cli, repo, "zh", "edit", "第一网格", "--set", "四至=中间是公园")
    assert bad.exit_code == 2 and "东至" in bad.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_field_lists_the_fields(cli, repo: Path, lang: str) -> None:
    before = git.Repo(repo).head.commit.hexsha
    result = run(cli, repo, lang, "edit", "S0002", "--set", "电邮=li@example.cn")
    assert result.exit_code == 2
    assert ("没有字段 电邮；可用的字段" if lang == "zh" else "no field 电邮; the fields are") in result.output
    assert "phone (联系电话)" in result.output and "photo (照片)" in result.output
    assert git.Repo(repo).head.commit.hexsha == before


def test_a_name_of_another_kinds_field_is_refused_before_the_model(cli, repo: Path) -> None:
    """备注 names an event's or a visit's note; a household has none. It was written as `note:` and
    refused by the model as "未知字段: note", a word the clerk never typed."""
    before = git.Repo(repo).head.commit.hexsha
    result = run(cli, repo, "zh", "edit", "H000001", "--set", "备注=独居")
    assert result.exit_code == 2, result.output
    assert "没有字段 备注；可用的字段" in result.output and "extra.名称" in result.output
    assert "note" not in result.output
    assert git.Repo(repo).head.commit.hexsha == before
    done = run(cli, repo, "zh", "edit", "H000001", "--set", "extra.备注=独居")
    assert done.exit_code == 0, done.output


def test_show_history_diff_and_log_name_fields_in_chinese(cli, repo: Path) -> None:
    assert run(cli, repo, "en", "edit", "P0000001", "--set", "phones=13912345679").exit_code == 0
    shown = run(cli, repo, "zh", "show", "P0000001").output
    assert "联系电话:" in shown and "姓名: 张伟" in shown and "phones" not in shown
    assert "phones:" in run(cli, repo, "en", "show", "P0000001").output
    history = run(cli, repo, "zh", "history", "H000001").output
    assert "家庭成员 P0000001 联系电话: [139****5678] → [139****5679]" in history
    assert "members[P0000001].phones:" in run(cli, repo, "en", "history", "H000001").output
    assert "修改人员 P0000001: 联系电话" in run(cli, repo, "zh", "log").output
    assert "changed person P0000001: phones" in run(cli, repo, "en", "log").output
    (repo / "staff/S0002.yaml").write_text(
        (repo / "staff/S0002.yaml").read_text(encoding="utf-8").replace("专职", "兼职"), encoding="utf-8"
    )
    assert "    用工形式: 专职 → 兼职" in run(cli, repo, "zh", "diff").output
    assert "    employment: 专职 → 兼职" in run(cli, repo, "en", "diff").output


def test_event_steps_in_log_by_their_names(cli, repo: Path) -> None:
    env = {**AUTHOR_ENV, "GRIDCTL_TODAY": "2026-03-02 09:00"}
    reported = cli("-C", str(repo), "--lang", "zh", "event", "report", "--grid", "第一网格", "--type", "矛盾纠纷",
                   "--title", "漏水", "--by", "王芳", env=env)  # fmt: skip
    assert reported.exit_code == 0, reported.output
    event = reported.output.split("上报事件 ")[1].split("：")[0]
    assert cli("-C", str(repo), "event", "accept", event, "--by", "王芳", env=env).exit_code == 0
    assert subject(repo) == f"受理事件 {event}：漏水"
    log = cli("-C", str(repo), "--lang", "zh", "log", env=env).output.splitlines()
    assert log[0].endswith(f"事件 {event} (漏水): 受理") and "status" not in log[0] and "timeline" not in log[0]
    assert (
        cli("-C", str(repo), "--lang", "en", "log", env=env)
        .output.splitlines()[0]
        .endswith(f"event {event} (漏水): 受理")
    )


def test_old_words_are_read_as_the_new_ones(cli, repo: Path) -> None:
    """五保户 is now 特困供养人员 (the 2014 rules); a register or a hand edit with the old word still validates."""
    write(repo, "households/110105001001001/H000001.yaml", household(extra="tags: [五保户]\n"))
    assert run(cli, repo, "en", "validate").exit_code == 0
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.files import WorkTree

    settings, _ = load_settings(WorkTree(repo))
    assert settings is not None
    assert (
        "特困供养人员" in settings.vocabularies["care_groups"] and "五保户" not in settings.vocabularies["care_groups"]
    )


def jpeg(size: tuple[int, int], rotate: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (180, 120, 90))
    exif = Image.Exif()
    if rotate:
        exif[0x0112] = 6  # taken sideways: the viewer turns it 90°
    exif[0x0132] = "2026:03:05 09:30:00"
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_photo_is_put_in_at_print_size_with_its_record(cli, repo: Path, tmp_path: Path, lang: str) -> None:
    photo = tmp_path / "手机拍的.jpg"
    photo.write_bytes(jpeg((4000, 3000), rotate=True))
    done = run(cli, repo, lang, "photo", "李强", str(photo))
    assert done.exit_code == 0, done.output
    commit = git.Repo(repo).head.commit
    assert sorted(commit.stats.files) == ["photos/S0002.jpg", "staff/S0002.yaml"]
    assert subject(repo) == "照片 工作人员 S0002：李强"
    assert "photo: photos/S0002.jpg" in (repo / "staff/S0002.yaml").read_text(encoding="utf-8")
    with Image.open(repo / "photos/S0002.jpg") as printed:
        assert printed.size == (360, 480) and not printed.getexif()  # upright 3:4, where and when not kept
    assert run(cli, repo, lang, "validate").exit_code == 0
    not_a_photo = tmp_path / "说明.txt"
    not_a_photo.write_text("照片", encoding="utf-8")
    refused = run(cli, repo, lang, "photo", "S0002", str(not_a_photo))
    assert (
        refused.exit_code == 2 and ("不是可以读取的图片" if lang == "zh" else "not a readable image") in refused.output
    )
    assert git.Repo(repo).head.commit == commit


def test_a_photo_the_ledger_does_not_have_is_an_error(cli, repo: Path) -> None:
    refused = run(cli, repo, "zh", "edit", "S0002", "--set", "照片=photos/S0002.jpg")
    assert refused.exit_code == 1 and "GC150" in refused.output and "未写入" in refused.output
    staff = repo / "staff/S0002.yaml"
    for path in ("photos/S0002.jpg", "../outside.jpg", "/etc/hostname"):
        staff.write_text(f"kind: staff\nid: S0002\nname: 李强\nphone: '13900139000'\nphoto: {path}\n", encoding="utf-8")
        found = json.loads(run(cli, repo, "en", "validate", "-f", "json").stdout)["problems"]
        assert [p["code"] for p in found] == ["GC150"], path
    (repo / "photos").mkdir()
    (repo / "photos/S0002.jpg").write_bytes(jpeg((360, 480)))
    staff.write_text(
        "kind: staff\nid: S0002\nname: 李强\nphone: '13900139000'\nphoto: photos/S0002.jpg\n", encoding="utf-8"
    )
    assert run(cli, repo, "en", "validate").exit_code == 0
    (repo / "photos/S0002.jpg").unlink()  # deleted by hand, nothing else changed: not a cached "clean"
    assert run(cli, repo, "en", "validate").exit_code == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_board_warns_about_what_it_lacks(cli, repo: Path, lang: str) -> None:
    result = cli("-C", str(repo), "--lang", lang, "print", "board", "第一网格")
    assert result.exit_code == 0
    warned = result.stderr
    if lang == "zh":
        assert "注意: 公示牌缺监督电话" in warned and "缺 李强 (S0002) 的照片" in warned and "四至" not in warned
    else:
        assert "warning: boards lack the supervision hotline" in warned and "the photo of 李强 (S0002)" in warned
    assert "<html" in result.stdout  # the board is still printed
