"""`gridctl doctor`: a clerk's view of what this computer has and lacks, each with its fix; exit 1 only when
something needed is missing. Each condition is made for real: no git on PATH, no Chinese font, a write
interrupted or under way, another user's folder, Git for Windows' autocrlf, a CI pin of another version.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from gridctl import __version__

from conftest import another_users, empty_fontconfig, gridctl


def doctor(root: Path | None, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    where = ("-C", str(root)) if root else ()
    code, out, err = gridctl(*where, "doctor", "--format", "json", *args, env={"LANG": "C.UTF-8", **(env or {})})
    assert err == "" or code != 0, err
    report = json.loads(out)
    return code, {f["key"]: f for f in report["findings"]}, out


def init(tmp_path: Path) -> Path:
    from gridctl.ledger.message import Author
    from gridctl.ops.init import create_ledger

    root = tmp_path / "ledger"
    create_ledger(root, "幸福里", "community", None, Author("王芳", "wangfang@example.cn"))
    return root


def test_a_ready_computer_and_ledger(tmp_path: Path) -> None:
    root = init(tmp_path)
    code, found, _ = doctor(root)
    assert code == 0
    assert found["git"]["status"] == "ok" and "git version" in found["git"]["found"]
    assert found["ledger_zone"]["found"].startswith("Asia/Shanghai")
    assert found["ci_gridctl"]["status"] == "ok" and __version__ in found["ci_gridctl"]["found"]
    assert found["writes"]["status"] == "ok" and found["line_endings"]["status"] == "ok"
    code, out, _err = gridctl("-C", str(root), "--lang", "zh", "doctor")
    assert code == 0 and "必需的部分齐全" in out and "正常" in out


def test_no_git_is_missing_with_the_fix_and_exit_1(tmp_path: Path) -> None:
    code, found, _ = doctor(None, env={"PATH": str(tmp_path)})
    assert code == 1
    assert found["git"]["status"] == "missing" and "Git for Windows" in found["git"]["fix"]
    assert found["graphviz"]["status"] == "warn" and found["graphviz"]["needed"] is False


def test_no_chinese_font_is_reported_but_only_printing_needs_it(tmp_path: Path) -> None:
    code, found, _ = doctor(None, env={"FONTCONFIG_FILE": str(empty_fontconfig(tmp_path))})
    assert code == 0
    font = found["pdf_font"]
    assert font["status"] == "missing" and font["needed"] is False
    assert "Noto Sans CJK SC" in font["found"] and "browser" in font["fix"]


def test_an_interrupted_write_and_a_write_under_way(tmp_path: Path) -> None:
    from gridctl.ledger.lock import ledger_lock

    root = init(tmp_path)
    journal = root / ".git/gridctl-journal.json"
    journal.write_text("{}", encoding="utf-8")
    code, found, _ = doctor(root)
    assert code == 0 and found["writes"]["status"] == "warn" and "interrupted" in found["writes"]["found"]
    assert journal.is_file()  # doctor reports; the next real command finishes it
    journal.unlink()
    with ledger_lock(root / ".git", "gridctl import household 户籍.xlsx", 0):
        code, found, _ = doctor(root)
    assert found["writes"]["status"] == "warn" and "gridctl import household 户籍.xlsx" in found["writes"]["found"]


def test_a_pin_of_another_version_and_crlf_checkouts(tmp_path: Path) -> None:
    root = init(tmp_path)
    settings = root / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(f'"{__version__}"', '"9.9"'), encoding="utf-8")
    (root / ".gitattributes").write_text("* text=auto\n", encoding="utf-8")
    subprocess.run(["git", "config", "core.autocrlf", "true"], cwd=root, check=True)
    code, found, _ = doctor(root)
    assert code == 0
    pin = found["ci_gridctl"]
    assert pin["status"] == "warn" and "CI runs 9.9" in pin["found"] and f"this computer {__version__}" in pin["found"]
    ends = found["line_endings"]
    assert ends["status"] == "warn" and "*.yaml text eol=lf" in ends["fix"]


def test_another_users_folder_is_missing_with_gits_advice(tmp_path: Path) -> None:
    root = init(tmp_path)
    code, found, _ = doctor(root, env=another_users(root, tmp_path))
    assert code == 1
    owner = found["ledger_folder_owner"]
    assert owner["status"] == "missing" and f"safe.directory {root}" in owner["fix"]
