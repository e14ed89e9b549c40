"""Bad input never crashes: every broken file becomes a located problem, exit 1, nothing changed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from conftest import gridctl, write

BOMB = "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}" if i else '"lol"'] * 9) + "]\n" for i in range(9)
)


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


CASES = [
    ("malformed", "staff/S0009.yaml", b"kind: staff\nid: S0009\nname: [\n", "GC001", 3),
    ("mapping in value", "staff/S0009.yaml", "kind: staff\nid: S0009\nname: 王: 五\n".encode(), "GC001", 3),
    ("duplicate key", "staff/S0009.yaml", "kind: staff\nid: S0009\nname: 王五\nname: 王六\n".encode(), "GC002", 4),
    ("tab", "staff/S0009.yaml", "kind: staff\nid: S0009\nname: 王五\naddress:\n\tcity: x\n".encode(), "GC009", 5),
    ("gbk", "staff/S0009.yaml", "kind: staff\nid: S0009\nname: 王五\n".encode("gbk"), "GC003", 3),
    ("binary", "staff/S0009.yaml", b"\x89PNG\r\n\x1a\n\0\0\0IHDR", "GC004", 1),
    ("empty", "staff/S0009.yaml", b"", "GC005", 1),
    ("comments only", "staff/S0009.yaml", "# 待补充\n".encode(), "GC005", 1),
    ("unknown kind", "staff/S0009.yaml", b"kind: robot\nid: R1\n", "GC012", 1),
    ("missing kind", "staff/S0009.yaml", "id: S0009\nname: 王五\n".encode(), "GC011", 1),
    ("missing id", "staff/S0009.yaml", "kind: staff\nname: 王五\n".encode(), "GC013", 1),
    ("top-level list", "staff/S0009.yaml", b"- kind: staff\n  id: S0009\n", "GC010", 1),
    ("scalar document", "staff/S0009.yaml", b"just words\n", "GC010", 1),
    ("alias bomb", "staff/S0009.yaml", BOMB.encode(), "GC007", 2),
    ("python tag", "staff/S0009.yaml", b"kind: staff\nid: !!python/object:os.system S0009\n", "GC001", 2),
    ("huge", "staff/S0009.yaml", b"kind: staff\nid: S0009\nname: x\n" + b"# padding\n" * 300_000, "GC006", 1),
]


@pytest.mark.parametrize(("label", "rel", "content", "code", "line"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_a_located_problem(
    ledger: Path, label: str, rel: str, content: bytes, code: str, line: int
) -> None:
    (ledger / rel).parent.mkdir(parents=True, exist_ok=True)
    (ledger / rel).write_bytes(content)
    before = snapshot(ledger)
    status, out, err = gridctl("validate", "--lang", "en", cwd=ledger)
    assert "Traceback" not in out + err
    head = next(ln for ln in out.splitlines() if f"[{code}]" in ln)
    assert head.startswith(f"{rel}:{line}:"), out
    assert status == 1, out
    assert snapshot(ledger) == before


def test_symlink_leaving_the_ledger(ledger: Path, tmp_path: Path) -> None:
    outside = write(tmp_path, "elsewhere/secret.yaml", "kind: staff\nid: S0100\nname: 外人\n")
    os.symlink(outside, ledger / "staff" / "S0100.yaml")
    status, out, _err = gridctl("validate", "--lang", "zh", cwd=ledger)
    assert status == 1
    assert "staff/S0100.yaml:1:1: error[GC008] 符号链接指向台账之外" in out
    assert "外人" not in out  # the outside record is never read


def test_symlink_inside_the_ledger_is_read(ledger: Path) -> None:
    os.symlink(ledger / "staff" / "S0002.yaml", ledger / "staff" / "alias.yaml")
    status, out, _ = gridctl("validate", "--lang", "en", cwd=ledger)
    assert status == 1
    assert "[GC201] duplicate id S0002" in out


def test_several_documents_in_one_file(ledger: Path) -> None:
    write(
        ledger,
        "staff/more.yaml",
        "kind: staff\nid: S0010\nname: 甲\n---\nkind: staff\nid: S0011\nname: 乙\ncolour: blue\n",
    )
    status, out, _ = gridctl("validate", "--lang", "en", cwd=ledger)
    assert status == 1
    assert "staff/more.yaml:8:1: error[GC101] unknown field: colour" in out


def test_document_marker_without_second_document(ledger: Path) -> None:
    write(ledger, "staff/S0012.yaml", "---\nkind: staff\nid: S0012\nname: 丙\n")
    assert gridctl("validate", cwd=ledger)[0] == 0


def test_broken_settings_stop_with_a_located_problem(ledger: Path) -> None:
    write(ledger, "gridctl.yaml", "name: 幸福里社区\nregion_code: '1101'\n")
    status, out, _ = gridctl("validate", "--lang", "en", cwd=ledger)
    assert status == 1
    assert out.startswith("gridctl.yaml:2:14: error[GC014] gridctl.yaml: region_code:")


def test_unknown_profile(ledger: Path) -> None:
    write(ledger, "gridctl.yaml", "name: 幸福里社区\nprofile: 月球\n")
    status, out, _ = gridctl("validate", "--lang", "en", cwd=ledger)
    assert status == 1
    assert "gridctl.yaml:2:10: error[GC014]" in out and "unknown profile 月球" in out


def test_wrong_types_point_at_the_value(ledger: Path) -> None:
    write(ledger, "staff/S0013.yaml", "kind: staff\nid: S0013\nname: 丁\nparty_member: 是\ncontract_end: 明年\n")
    status, out, _ = gridctl("validate", "--lang", "zh", cwd=ledger)
    assert status == 1
    assert "staff/S0013.yaml:4:15: error[GC100] 字段 party_member: 应为 true 或 false" in out
    assert "staff/S0013.yaml:5:15: error[GC100] 字段 contract_end: 应为日期，如 2026-01-31" in out
