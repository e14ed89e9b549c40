"""A clerk edits record files by hand (Notepad, WPS, VS Code): gridctl's later writes stay right."""

from __future__ import annotations

import subprocess
from pathlib import Path

LAST = "households/110105017006004/H000040.yaml"  # the example's last household; its member is P0000100


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def _commit_by_hand(root: Path, rel: str, data: bytes) -> None:
    """The clerk saves the file and commits it with git, past the hook."""
    (root / rel).write_bytes(data)
    _git(root, "commit", "-q", "--no-verify", "-am", "手工修改")


def _run(cli, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(root), "--lang", "zh", *args)


def test_an_unreadable_file_keeps_its_ids_from_being_given_again(demo: Path, cli) -> None:
    """H000040.yaml saved as GBK by old Notepad and committed: the ledger could not read it, so
    `add household` in another grid gave the new household H000040 again and `add person` gave
    P0000100 again; once the clerk saved the file as UTF-8, the ledger held each id twice."""
    text = (demo / LAST).read_text("utf-8")
    _commit_by_hand(demo, LAST, text.encode("gbk"))
    added = _run(cli, demo, "add", "household", "--set", "grid=110105017006001", "--set", "address.room=909")
    assert added.exit_code == 0, added.output
    person = _run(cli, demo, "add", "person", "--household", "H000001", "--set", "name=张三")
    assert person.exit_code == 0, person.output
    log = _git(demo, "log", "--format=%s", "-2")
    assert "H000040" not in log and "P0000100" not in log, log
    _commit_by_hand(demo, LAST, text.encode("utf-8"))
    checked = _run(cli, demo, "validate")
    assert checked.exit_code == 0, checked.output


def test_full_width_punctuation_is_named_on_its_own_line(demo: Path, cli) -> None:
    """A Chinese input method types 　 (U+3000), ： and ，: validate said "simple key expect ':'"
    (English, in the Chinese output) one line below the full-width colon, and "此处不能出现冒号+空格"
    on the line after full-width indentation; the clerk could not see what to change."""
    rel = "households/110105017006001/H000001.yaml"
    text = (demo / rel).read_text("utf-8")
    lines = text.splitlines()
    cases = [
        (text.replace("\n  estate:", "\n\u3000\u3000estate:"), "全角空格", "full-width space", "  estate:", 1),
        (text.replace("name: 黄立新", "name：黄立新"), "全角冒号", "full-width colon", "name: 黄立新", 9),
        (
            text.replace('phones: ["15104652337"]', 'phones: ["15104652337"，"13912345678"]'),
            "全角逗号",
            "full-width comma",
            "phones:",
            27,
        ),
    ]
    for changed, zh, en, marker, column in cases:
        _commit_by_hand(demo, rel, changed.encode("utf-8"))
        line = next(n for n, ln in enumerate(lines, 1) if marker in ln)
        checked = _run(cli, demo, "check-files", str(demo / rel))
        assert checked.exit_code == 1 and zh in checked.output, checked.output
        assert f"{rel}:{line}:{column}:" in checked.output, checked.output
        english = cli("-C", str(demo), "--lang", "en", "validate", "--format", "github")
        assert english.exit_code == 1 and en in english.output and f"line={line},col={column}" in english.output
