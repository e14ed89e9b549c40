"""Lines are numbered as git, editors and GitHub number them, whatever a pasted note holds.

A note pasted into a record file from a web page or Word carries U+2028 (LINE SEPARATOR); the YAML
composers and Python's splitlines() break lines there, git does not. Every problem below it was
reported one line too far down per such character, in text, JSON and GitHub annotations, and the
quoted line was another one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import gridctl

FILE = "households/110105017006001/H000002.yaml"


def paste(demo: Path, note: str, *, crlf: bool = False) -> tuple[int, int]:
    """A hand-pasted note holding `note`'s odd breaks, then two typos below it: an ID number's
    check digit (GC103) and a room typed as 1.10 (GC118). Their lines, as grep counts them."""
    path = demo / FILE
    text = path.read_text(encoding="utf-8")
    text = text.replace('grid: "110105017006001"\n', f'grid: "110105017006001"\nextra: {{备注: "{note}"}}\n', 1)
    text = text.replace('"110105199202151514"', '"110105199202151515"')
    text = text.replace('room: "302"', "room: 1.10")
    assert 'room: 1.10' in text and '"110105199202151515"' in text
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-8"))
    lines = path.read_bytes().split(b"\n")
    number = next(i for i, line in enumerate(lines, 1) if b"110105199202151515" in line)
    room = next(i for i, line in enumerate(lines, 1) if b"room: 1.10" in line)
    return number, room


@pytest.mark.parametrize(
    ("note", "crlf"),
    [("2026年3月入户核实\u2028子女在外地\u2029每周电话回访\x85", False), ("入户核实\u2028子女在外地", True)],
)
def test_problems_below_a_pasted_line_separator_are_on_the_line_git_shows(demo: Path, note: str, crlf: bool) -> None:
    number, room = paste(demo, note, crlf=crlf)
    code, out, _err = gridctl("validate", "--format", "json", cwd=demo)
    assert code == 1
    found = {p["code"]: p for p in json.loads(out)["problems"] if p["file"] == FILE}
    assert (found["GC103"]["line"], found["GC103"]["column"]) == (number, 16)
    assert found["GC118"]["line"] == room
    code, out, _err = gridctl("validate", "--format", "github", cwd=demo)
    assert f"file={FILE},line={number},col=16,title=GC103" in out
    code, out, _err = gridctl("validate", cwd=demo)
    assert f"{FILE}:{number}:16: error[GC103]" in out
    assert f"{number} |     id_number: \"110105************\"" in out  # the line named, masked
    assert f"{room} |   room: 1.10" in out
