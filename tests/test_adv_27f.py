"""Privacy sweep: a resident's ID number, phones and care tags, planted, looked for in what gridctl prints and keeps."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from conftest import write

GRID = "110105001001001"
PHONE = "13912345678"  # 张伟's own mobile (conftest.household), masked on his household as 139****5678

RENTAL = f"""\
kind: place
id: PL00001
grid: "{GRID}"
type: 出租房屋
name: 阳光小区3-2-502
rental:
  landlord: 张伟
  landlord_phone: "{PHONE}"
"""


def _run(cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", "zh", *args)


def _commit(repo: Path) -> None:
    import subprocess

    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "出租房屋"], cwd=repo, check=True)


def test_a_landlords_phone_is_masked_as_a_residents_is(repo: Path, cli, tmp_path: Path) -> None:
    """A landlord (出租房屋业主) is a private person, here the resident 张伟 of the same grid. His mobile was
    masked on his household and in `show`/`list`/JSON of the place, yet exported whole to CSV and xlsx
    without --reveal, accepted in a reason (-m) that every clone keeps, and let stand in any note: a
    "public" phone. Together the outputs gave what each of them masked."""
    write(repo, "places/110105001001001/PL00001.yaml", RENTAL)
    _commit(repo)
    assert "139****5678" in _run(cli, repo, "show", "PL00001").output
    for fmt in ("csv", "xlsx", "json"):
        out = tmp_path / f"出租房屋.{fmt}"
        assert _run(cli, repo, "export", "place", "-o", str(out)).exit_code == 0
        if fmt == "xlsx":
            text = " ".join(str(c.value) for row in load_workbook(out).active.iter_rows() for c in row)
        else:
            text = out.read_bytes().decode("utf-8-sig")
        assert PHONE not in text and "139****5678" in text, (fmt, text)
    revealed = tmp_path / "全.csv"
    assert _run(cli, repo, "export", "place", "-o", str(revealed), "--reveal").exit_code == 0
    assert PHONE in revealed.read_bytes().decode("utf-8-sig")
    result = _run(cli, repo, "-m", f"房东电话 {PHONE} 已核实", "edit", "PL00001", "--set", "name=阳光小区3-2-503")
    assert result.exit_code != 0 and "139****5678" in result.output, result.output
    write(repo, "places/110105001001001/PL00001.yaml", RENTAL + f"extra: {{备注: 房东电话 {PHONE}}}\n")
    result = _run(cli, repo, "validate", "-f", "json")
    found = [(p["code"], p["record"], p["message"]) for p in json.loads(result.output)["problems"]]
    assert ("GC116", "PL00001", "手机号码写在了文字里: 139****5678") in found, result.output


def test_an_error_naming_a_file_does_not_print_the_id_number_in_its_name(repo: Path, cli, tmp_path: Path) -> None:
    """A scan saved as `张伟110105198003151234承诺书.pdf` (the clerk's habit: a file per person) and refused
    for the mobile inside: the refusal masked the mobile and printed the ID number of the file's name whole.
    The trailer of a write masks the same name."""
    from conftest import id_number

    number = id_number()
    scan = tmp_path / f"张伟{number}承诺书.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>stream\nBT (13987654321) Tj ET\nendstream\n%%EOF\n")
    add = ("document", "add", GRID, "--type", "工作计划", "--title", "承诺书", "--file")
    result = _run(cli, repo, *add, str(scan))
    assert result.exit_code != 0 and "139****4321" in result.output, result.output
    assert number not in result.output and f"张伟{number[:6]}{'*' * 12}承诺书.pdf" in result.output, result.output
    missing = _run(cli, repo, *add, str(scan) + "x")
    assert missing.exit_code == 2 and number not in missing.output, missing.output
