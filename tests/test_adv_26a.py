"""What gridctl prints, read as the residents, the clerk and the inspector read the paper."""

from __future__ import annotations

from pathlib import Path

import git

from conftest import empty_fontconfig, gridctl, id_number, write

GRID_FILE = "grids/110105001001001.yaml"
RESIDENT_MOBILE = "13912345678"


def commit_by_hand(root: Path, message: str) -> None:
    repo = git.Repo(root)
    repo.git.add(A=True)
    repo.index.commit(message)


def test_a_residents_number_in_a_duty_is_found_by_validate_and_refused_by_assign(repo: Path, cli) -> None:
    """Duties are free text printed on every board: an ID number or a resident's mobile written there is
    personal data (GC115/GC116). The whole `responsible` list was passed over as if it were an id field
    (a place's `responsible` is one), so validate said nothing and assign wrote it."""
    refused = cli(
        "-C", str(repo), "--lang", "en", "assign", "110105001001001", "--role", "网格员", "--staff", "S0002",
        "--duty", f"联系张伟 {RESIDENT_MOBILE}",
    )  # fmt: skip
    assert refused.exit_code == 1 and "GC116" in refused.output, refused.output
    # the staff member's own (public) phone in a duty is no resident's
    fine = cli(
        "-C", str(repo), "--lang", "en", "assign", "110105001001001", "--role", "网格员", "--staff", "S0002",
        "--duty", "夜间值班电话 13900139000",
    )  # fmt: skip
    assert fine.exit_code == 0 and "GC116" not in fine.output, fine.output
    number = id_number()
    text = (repo / GRID_FILE).read_text(encoding="utf-8")
    duty = "负责网格内人、地、事、物、组织的全面管理"
    write(repo, GRID_FILE, text.replace(duty, f"走访独居老人张伟(身份证{number}，电话{RESIDENT_MOBILE})"))
    commit_by_hand(repo, "职责")
    checked = cli("-C", str(repo), "--lang", "en", "validate")
    assert checked.exit_code == 1, checked.output
    assert "error[GC115]" in checked.output and "error[GC116]" in checked.output, checked.output
    assert number not in checked.output and RESIDENT_MOBILE not in checked.output


def test_boards_and_cards_never_print_a_residents_number_written_in_free_text(repo: Path, cli) -> None:
    """A ledger that switched GC115 and GC116 off (with them on, a page from records with errors is
    refused: tests/test_print_refused.py) still posts no resident's ID number or mobile: boards and
    cards withhold them from duties, boundary and position, as a filled-in inspection form does. The
    staff's own phones stay."""
    number = id_number()
    settings = (repo / "gridctl.yaml").read_text(encoding="utf-8") + "disabled: [GC115, GC116]\n"
    write(repo, "gridctl.yaml", settings)
    text = (repo / GRID_FILE).read_text(encoding="utf-8")
    text = text.replace("每天巡查网格一次", f"走访独居老人张伟(身份证{number}，电话{RESIDENT_MOBILE})")
    text = text.replace("south: 和平里", "south: 张伟家 139 1234 5678")
    write(repo, GRID_FILE, text)
    staff = (repo / "staff/S0002.yaml").read_text(encoding="utf-8")
    write(repo, "staff/S0002.yaml", staff + f"position: 楼栋长 (住户张伟 {RESIDENT_MOBILE})\n")
    commit_by_hand(repo, "职责")
    for what in ("board", "cards"):
        result = cli("-C", str(repo), "print", what, "第一网格", "--no-record")
        assert result.exit_code == 0, result.output
        html = result.stdout
        digits = html.replace(" ", "")
        assert number not in digits and RESIDENT_MOBILE not in digits, what
        assert number[:6] + "19800315" not in digits, what
        assert "（号码已隐去）" in html, what
        assert "13900139000" in html and "13800138000" in html, what  # the staff's own phones are posted


def test_a_responsible_person_left_off_the_board_is_said(repo: Path, cli) -> None:
    """A grid names three people; one staff record is missing, one has an error, one left (active:
    false). The board printed only those it could read, without a word: the clerk posted a board
    short of people. `status` now says who is not on it, and why; `print board` refuses, naming each error."""
    text = (repo / GRID_FILE).read_text(encoding="utf-8")
    extra = "".join(
        f"  - role: 网格员\n    staff: {sid}\n    duties: [协助巡查]\n" for sid in ("S0003", "S0009", "S0004")
    )
    write(repo, GRID_FILE, text + extra)
    write(repo, "staff/S0003.yaml", 'kind: staff\nid: S0003\nname: "赵\u202e新"\nphone: "13700137000"\n')
    write(repo, "staff/S0004.yaml", 'kind: staff\nid: S0004\nname: 钱退\nphone: "13600136000"\nactive: false\n')
    commit_by_hand(repo, "人员")
    # a board short of people is not printed at all: each one's error is named where it is
    result = cli("-C", str(repo), "--lang", "en", "print", "board", "第一网格", "--no-record")
    assert result.exit_code == 1 and result.stdout == "", result.output
    said = result.stderr
    assert "staff/S0003.yaml:" in said and "error[GC202] refers to missing staff S0009" in said, said
    assert "error[GC233] responsible staff S0004 (钱退) is not active" in said, said
    assert "nothing printed" in said, said
    status = cli("-C", str(repo), "--lang", "en", "status").output
    assert "S0009 is not on the board" in status and "钱退 (S0004)" in status, status


def test_a_board_too_long_for_its_page_says_so(repo: Path, cli, tmp_path: Path) -> None:
    """Twelve people with long written duties: the board came out as two pages (the first two thirds
    empty) with nothing said, and the clerk found it at the printer, or on the wall. The PDF now says
    how many pages it has where one was meant; a board that fits says nothing."""
    duty = "负责网格内人、地、事、物、组织的全面管理，" * 14
    people = "".join(f"  - role: 网格员\n    staff: S01{i:02d}\n    duties: [{duty}, {duty}]\n" for i in range(12))
    for i in range(12):
        staff = f'kind: staff\nid: S01{i:02d}\nname: 网格员{i}\nphone: "137001370{i:02d}"\n'
        write(repo, f"staff/S01{i:02d}.yaml", staff)
    write(repo, "grids/110105001001002.yaml", (
        'kind: grid\nid: "110105001001002"\nname: 第二网格\nlevel: 网格\nparent: "110105001001"\n'
        "boundary: {east: 幸福路, west: 光明街, south: 和平里, north: 建设路}\nresponsible:\n"
        "  - role: 网格长\n    staff: S0001\n    duties: [全面负责]\n" + people
    ))  # fmt: skip
    commit_by_hand(repo, "第二网格")
    pdf = ("-f", "pdf", "-o")
    long = cli("-C", str(repo), "--lang", "en", "print", "board", "第二网格", *pdf, str(tmp_path / "2.pdf"))
    assert long.exit_code == 0, long.output
    assert "pages where it is meant to take 1: some text is too long" in long.stderr, long.stderr
    fits = cli("-C", str(repo), "--lang", "zh", "print", "board", "第一网格", *pdf, str(tmp_path / "1.pdf"))
    assert fits.exit_code == 0, fits.output
    assert "PDF 有" not in fits.stderr and "已生成" in fits.stdout, fits.output


def test_a_pdf_without_a_chinese_font_speaks_only_the_clerks_language(repo: Path, tmp_path: Path) -> None:
    """On a computer with no font at all, `print board -f pdf` refused rightly, in Chinese, but WeasyPrint's
    own Python warning ("UserWarning: No fonts configured in FontConfig. Expect ugly output.", with a
    site-packages path) came first. doctor already kept it back; print now does too."""
    conf = empty_fontconfig(tmp_path)
    out = tmp_path / "公示 牌.pdf"
    code, _stdout, err = gridctl(
        "-C", str(repo), "--lang", "zh", "print", "board", "第一网格", "-f", "pdf", "-o", str(out),
        env={"FONTCONFIG_FILE": str(conf)},
    )  # fmt: skip
    assert code == 2, err
    assert "没有找到可用的中文字体" in err and "浏览器" in err, err
    assert "UserWarning" not in err and "Expect ugly output" not in err and "site-packages" not in err, err
    assert not out.exists()


def test_a_long_latin_name_stays_inside_its_box_on_the_board(repo: Path, cli, tmp_path: Path) -> None:
    """A 50-letter name with no break point ran 2.4 times its box's width, over the next person's name."""
    import weasyprint

    long = "Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx"
    assert cli("-C", str(repo), "edit", "S0002", "--set", f"name={long}").exit_code == 0
    page = tmp_path / "board.html"
    done = cli("-C", str(repo), "print", "board", "110105001001001", "-f", "html", "-o", str(page), "--no-record")
    assert done.exit_code == 0, done.output
    laid = weasyprint.HTML(string=page.read_text(encoding="utf-8"), base_url=str(repo)).render()

    def boxes(box, within=None):  # type: ignore[no-untyped-def]
        element = getattr(box, "element", None)
        if element is not None and "person" in (element.get("class") or "").split():
            within = box
        yield box, within
        for child in getattr(box, "children", None) or []:
            yield from boxes(child, within)

    pieces = [(b, person) for b, person in boxes(laid.pages[0]._page_box) if "Abcdef" in (getattr(b, "text", "") or "")]
    assert pieces and all(person is not None for _b, person in pieces)
    for b, person in pieces:
        assert b.position_x + b.width <= person.position_x + person.width + 0.5, (b.text, b.width, person.width)


def test_a_damaged_or_missing_photo_is_named_not_printed_as_a_blank_box(repo: Path, cli, tmp_path: Path) -> None:
    """A photo file that is no image printed as an empty box, and one the record names but the ledger lacks
    as the placeholder, both without a word: print board and status now say which, and how to mend it."""
    (repo / "photos").mkdir()
    (repo / "photos/S0001.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a picture at all" * 20)
    for sid in ("S0001", "S0002"):
        path = repo / f"staff/{sid}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + f"photo: photos/{sid}.jpg\n", encoding="utf-8")
    commit_by_hand(repo, "照片")
    page = tmp_path / "board.html"
    status = cli("-C", str(repo), "--lang", "zh", "status")
    assert "photos/S0002.jpg 不在台账里" in status.output
    # a photo the record names and the ledger lacks is an error of that record (GC150): no board
    refused = cli("-C", str(repo), "--lang", "zh", "print", "board", "110105001001001", "-o", str(page))
    assert refused.exit_code == 1 and not page.exists(), refused.output
    assert "staff/S0002.yaml:" in refused.stderr and "error[GC150]" in refused.stderr, refused.stderr
    (repo / "photos/S0002.jpg").write_bytes(b"GIF89a but no picture" * 20)
    commit_by_hand(repo, "照片")
    done = cli("-C", str(repo), "--lang", "zh", "print", "board", "110105001001001", "-f", "html", "-o", str(page))
    assert done.exit_code == 0, done.output
    assert "photos/S0001.jpg 不是能读的图片" in done.output and "gridctl photo S0001" in done.output
    assert "photos/S0002.jpg 不是能读的图片" in done.output and "gridctl photo S0002" in done.output
    html = page.read_text(encoding="utf-8")
    assert "data:image/jpeg" not in html and html.count('class="nophoto"') == 2
