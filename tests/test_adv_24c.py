"""Personal data written the ways a clerk types it, where the masks did not look: each test failed before its fix.

An ID number in groups (`110105 19630406 1145`) or with full-width digits (a Chinese input method); a
mobile in 4-4-3 groups or with dots; a number kept in an extra field as a list, a mapping or a float; a
mobile typed after a person's name; an event's title in `diff`'s heading; a recorded inspection
printed on its form.
"""

from __future__ import annotations

import json
from pathlib import Path

import git

from gridctl.model.masking import mask_free, mask_text

from conftest import id_number

SPACED = id_number(born="19630406", seq="114")
WIDE = id_number(born="19620305", seq="113")
FULL_WIDTH = WIDE.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
HOUSE = "households/110105017006001/H000001.yaml"


def _grouped(number: str, sep: str) -> str:
    return f"{number[:6]}{sep}{number[6:14]}{sep}{number[14:]}"


def _whole(text: str) -> list[str]:
    """Which planted numbers `text` still holds whole, however spaced or full-width."""
    import unicodedata

    flat = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())
    cores = {"spaced": SPACED[6:17], "wide": WIDE[6:17], "m443": "00013131", "mdot": "00012121",
             "mwide": "00005555", "mfloat": "00006666", "mlist": "00002222", "mname": "00007777"}  # fmt: skip
    return [k for k, core in cores.items() if core in flat]


def test_numbers_written_in_groups_or_full_width_are_masked_in_free_text() -> None:
    for text in (_grouped(SPACED, " "), _grouped(SPACED, "-"), FULL_WIDTH, "1370 0013 131", "137.0001.2121",
                 "１３７００００５５５５"):  # fmt: skip
        masked = mask_text(f"联系{text}。")
        assert _whole(masked) == [] and "*" in masked, (text, masked)
    assert mask_text("第一网格 110105001001001 与 110105017006001") == "第一网格 110105001001001 与 110105017006001"
    assert mask_text("2026-03-05 10:30:00 E202603-0001 价格 13.5 元") == "2026-03-05 10:30:00 E202603-0001 价格 13.5 元"
    assert mask_free([{"a": 13700002222}, 1.3700006666e10]) == [{"a": "137****2222"}, "137****6666"]


def _plant(demo: Path) -> None:
    path = demo / HOUSE
    text = path.read_text(encoding="utf-8").replace("name: 黄立新", "name: 黄立新137-0000-7777")
    text += (
        f'    extra:\n      备注: "{_grouped(SPACED, " ")} {FULL_WIDTH} 1370 0013 131"\n'
        f'      列表: ["+86 13700002222", {{号: {WIDE}}}]\n      浮点: 1.3700006666e10\n'
    )
    path.write_text(text, encoding="utf-8")
    event = demo / "events/2026/03/E202603-0002.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("\ntitle: ", "\ntitle: 137.0001.2121 ", 1), encoding="utf-8")
    inspection = demo / "inspections/2026/03/I202603-0001.yaml"
    text = inspection.read_text(encoding="utf-8").replace(
        "  - item: 有无矛盾纠纷苗头\n    result: ok",
        f'  - item: "有无矛盾纠纷苗头 １３７００００５５５５"\n    result: ok\n'
        f'    note: "{_grouped(SPACED, "-")} +86 13700002222"',
    )
    inspection.write_text(text, encoding="utf-8")
    repo = git.Repo(demo)
    repo.git.add(A=True)
    repo.index.commit("补充信息")


def test_every_default_output_masks_numbers_however_typed(demo: Path, cli, tmp_path: Path) -> None:
    """show, history, diff (its heading named the event by its whole title), list person (a name was
    listed as typed), and export: a list or a mapping in an extra field was written whole to csv and
    crashed the xlsx export."""
    _plant(demo)
    said = {}
    for args in (("show", "H000001"), ("show", "P0000001", "--format", "json"), ("history", "H000001"),
                 ("show", "E202603-0002"), ("diff", "HEAD~1", "HEAD"), ("log",), ("list", "person"),
                 ("list", "person", "--format", "csv"), ("show", "I202603-0001")):  # fmt: skip
        result = cli("-C", str(demo), *args)
        assert result.exit_code == 0, (args, result.output)
        said[" ".join(args)] = result.output
    for fmt in ("csv", "json", "xlsx"):
        out = tmp_path / f"户.{fmt}"
        result = cli("-C", str(demo), "export", "household", "-o", str(out))
        assert result.exit_code == 0, result.output
        if fmt == "xlsx":
            from openpyxl import load_workbook

            said[fmt] = repr([[c.value for c in r] for r in load_workbook(out).active.iter_rows()])
        else:
            said[fmt] = out.read_text(encoding="utf-8-sig")
    for args, text in said.items():
        assert _whole(text) == [], (args, _whole(text), text)
    assert "137****2121" in said["diff HEAD~1 HEAD"] and "黄立新137****7777" in said["list person"]
    assert json.loads(said["json"])  # still a document
    revealed = cli("-C", str(demo), "show", "H000001", "--reveal").output
    assert WIDE in revealed and _grouped(SPACED, " ") in revealed


def test_a_filled_in_inspection_form_holds_no_residents_number_even_masked(demo: Path, cli, tmp_path: Path) -> None:
    _plant(demo)
    out = tmp_path / "form.html"
    result = cli("-C", str(demo), "print", "form", "--inspection", "I202603-0001", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert _whole(html) == [] and "137****" not in html and "110105*" not in html
    assert "有无矛盾纠纷苗头" in html and "号码已隐去" in html


def test_the_guards_read_numbers_as_the_masks_do(repo: Path, cli) -> None:
    """The masks read an ID number or a mobile typed in groups or full-width; the leak guard, the
    refusal of a reason holding personal data and the plain-mention scan did not, so such a note
    was committed, or a reason stayed in the history, whole."""
    from conftest import id_number

    number = id_number(born="19751120", seq="456")
    grouped = f"{number[:6]} {number[6:14]} {number[14:]}"
    wide = number.translate({0x30 + i: 0xFF10 + i for i in range(10)})
    note = repo / "备注.txt"
    note.write_text(f"张敏 {grouped}\n王丽 {wide}\n电话 1371 234 5678\n", encoding="utf-8")
    result = cli("-C", str(repo), "--lang", "en", "leak-guard", str(note))
    assert result.exit_code != 0, result.output
    assert result.output.count("id number in plain text: 110105************") == 2, result.output
    assert "mobile in plain text: 137****5678" in result.output and number not in result.output
    refused = cli("-C", str(repo), "--lang", "en", "-m", f"按 {grouped} 本人要求", "edit", "H000001",
                  "--set", "address.room=502")  # fmt: skip
    assert refused.exit_code == 2 and number not in refused.output, refused.output
