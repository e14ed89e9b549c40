"""A Windows console in code page 936 (simulated with PYTHONIOENCODING=gbk): machine formats stay UTF-8.

JSON, CSV and GitHub annotations go to files and programs, so they are UTF-8 bytes whatever the
console; 黄𠮷新 (𠮷 is not in GBK) survives them. Only text for a person may show a `?` there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import gridctl, make_ledger, make_repo

NAME = "黄𠮷新"
GBK = {"PYTHONIOENCODING": "gbk", "LANG": "C.UTF-8"}


@pytest.fixture
def ledger_with_name(tmp_path: Path) -> Path:
    root = make_ledger(tmp_path / "ledger")
    staff = root / "staff/S0002.yaml"
    text = staff.read_text(encoding="utf-8").replace("李强", NAME) + "contract_end: 2020-01-01\n"
    staff.write_text(text, encoding="utf-8")
    household = root / "households/110105001001001/H000001.yaml"
    household.write_text(household.read_text(encoding="utf-8").replace("张伟", NAME), encoding="utf-8")
    return make_repo(root)


def raw(root: Path, *args: str) -> tuple[int, bytes, str]:
    import os
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "gridctl", "--lang", "zh", *args],
        cwd=root,
        env={**os.environ, **GBK},
        capture_output=True,
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr.decode("gbk", "replace")


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--format", "json"),
        ("validate", "--format", "github"),
        ("list", "staff", "--format", "json"),
        ("list", "person", "--format", "csv"),
        ("show", "S0002", "--format", "json"),
        ("log", "--format", "json"),
        ("due", "--format", "json", "--date", "2026-03-02"),
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_machine_formats_are_utf8_on_a_gbk_console(ledger_with_name: Path, args: tuple[str, ...]) -> None:
    code, out, err = raw(ledger_with_name, *args)
    assert code in (0, 1), err
    text = out.decode("utf-8")  # never GBK, never '?'
    assert NAME in text, text
    if "json" in args:
        json.loads(text)


def test_text_for_a_person_is_gbk_and_replaces_what_gbk_lacks(ledger_with_name: Path) -> None:
    code, out, err = raw(ledger_with_name, "list", "staff")
    assert code == 0, err
    text = out.decode("gbk")
    assert "黄?新" in text and "Traceback" not in err
    code, out, _err = gridctl("--lang", "zh", "validate", cwd=ledger_with_name, env=GBK, encoding="gbk")
    assert code == 0 and "黄?新的聘用合同已于 2020-01-01 到期" in out


def test_a_reader_that_stops_early_ends_gridctl_quietly(demo: Path) -> None:
    """`gridctl export … | head -c 0`: "cannot read or write : Broken pipe" with an empty path, and a hint
    to check permissions. The reader went away; there is nothing to say, and nothing traced."""
    import subprocess
    import sys

    for args in (("export", "household", "-o", "-", "-f", "json"), ("doctor", "-f", "json")):
        proc = subprocess.Popen(
            [sys.executable, "-m", "gridctl", "-C", str(demo), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # before gridctl writes a byte
        said = proc.stderr.read().decode("utf-8", "replace")
        assert proc.wait(timeout=120) == 2, said
        assert "Broken pipe" not in said and "Traceback" not in said and "cannot read or write" not in said, said
