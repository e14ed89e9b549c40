"""`gridctl validate` as a clerk and as CI use it: exit codes, the three formats, languages."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import gridctl, household, id_number, write


def test_clean_ledger_exits_zero_in_both_languages(ledger: Path, cli) -> None:
    result = cli("-C", str(ledger), "validate", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "没有发现问题 (检查了 6 个文件、6 条记录)"
    result = cli("validate", "-C", str(ledger), "--lang", "en")
    assert result.exit_code == 0
    assert result.output.strip() == "no problems (6 files, 6 records checked)"


def test_text_layout_is_path_line_col_with_caret_and_hint(ledger: Path, cli) -> None:
    bad = id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1")
    write(
        ledger,
        "households/110105001001001/H000002.yaml",
        household("H000002", "P0000002", number=bad).replace("张伟", "张敏"),
    )
    result = cli("-C", str(ledger), "--lang", "zh", "validate", "--reveal")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"households/110105001001001/H000002.yaml:10:16: error[GC103] 公民身份号码校验位错误: {bad}"
    assert lines[1] == f'   10 |     id_number: "{bad}"'
    assert lines[2] == "      |                " + "^" * 20
    assert lines[3] == "   = 提示: 核对身份证原件；若为外籍或无身份证人员，设置 id_type"
    assert lines[-1] == "发现 1 个错误、0 个警告 (检查了 7 个文件、8 条记录)"


def test_personal_data_is_masked_unless_revealed(ledger: Path, cli) -> None:
    bad = id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1")
    masked = bad[:6] + "*" * 12
    write(
        ledger,
        "households/110105001001001/H000002.yaml",
        household("H000002", "P0000002", number=bad, extra="    tags: [信访老户]\n")
        .replace("张伟", "张敏")
        .replace("13912345678", "1391234"),
    )
    for fmt in ("text", "json", "github"):
        out = cli("-C", str(ledger), "--lang", "zh", "validate", "--format", fmt).output
        assert bad not in out and "1391234" not in out, fmt
        assert masked in out, fmt
    text = cli("-C", str(ledger), "--lang", "zh", "validate").output.splitlines()
    assert text[1] == f'   10 |     id_number: "{masked}"'
    assert "电话号码无效: *******" in "\n".join(text)
    assert any(line.startswith("   14 |     tags: [***]") for line in text) or "信访老户" not in "\n".join(text)
    revealed = cli("-C", str(ledger), "--lang", "zh", "validate", "--reveal").output
    assert bad in revealed and "1391234" in revealed


def test_every_problem_is_reported_sorted(ledger: Path, cli) -> None:
    write(ledger, "staff/S0003.yaml", "kind: staff\nid: S0003\nname: 赵六\nphone: '123'\ncolour: red\n")
    write(
        ledger,
        "households/110105001001001/H000002.yaml",
        household("H000002", "P0000002", number=id_number()).replace('grid: "110105001001001"', 'grid: "999"'),
    )
    result = cli("-C", str(ledger), "--lang", "en", "validate")
    assert result.exit_code == 1
    heads = [ln for ln in result.output.splitlines() if ": error[" in ln or ": warning[" in ln]
    codes = [h.split("[")[1].split("]")[0] for h in heads]
    assert codes == ["GC240", "GC202", "GC240", "GC101"]
    assert heads == sorted(heads, key=lambda h: (h.split(":")[0], int(h.split(":")[1])))


def test_json_is_exactly_one_document(ledger: Path, cli) -> None:
    write(ledger, "staff/S0003.yaml", "kind: staff\nid: S0003\nname: 赵六\nphone: '12345'\n")
    result = cli("-C", str(ledger), "validate", "--format", "json", "--lang", "zh")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["summary"] == {"errors": 1, "warnings": 0, "files": 7, "records": 7}
    (problem,) = doc["problems"]
    assert problem == {
        "code": "GC108",
        "severity": "error",
        "file": "staff/S0003.yaml",
        "line": 4,
        "column": 8,
        "record": "S0003",
        "field": "phone",
        "message": "电话号码无效: 12345",
        "hint": "手机号 11 位；固定电话加区号，如 010-12345678",
    }


def test_github_annotations_repeat_the_location(ledger: Path, cli) -> None:
    write(ledger, "staff/S0003.yaml", "kind: staff\nid: S0003\nname: 赵六\nphone: '12345'\n")
    result = cli("-C", str(ledger), "validate", "--format", "github", "--lang", "en")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("::error file=staff/S0003.yaml,line=4,col=8,title=GC108::staff/S0003.yaml:4:8: [GC108]")


def test_warnings_pass_unless_strict(ledger: Path, cli) -> None:
    settings = (ledger / "gridctl.yaml").read_text(encoding="utf-8").replace("min: 1", "min: 500")
    write(ledger, "gridctl.yaml", settings)
    result = cli("-C", str(ledger), "validate", "--lang", "en")
    assert result.exit_code == 0
    assert "warning[GC301]" in result.output
    assert cli("-C", str(ledger), "validate", "--strict").exit_code == 1


def test_disabled_codes_are_not_reported(ledger: Path, cli) -> None:
    write(ledger, "staff/S0003.yaml", "kind: staff\nid: S0003\nname: 赵六\nphone: '12345'\n")
    settings = (ledger / "gridctl.yaml").read_text(encoding="utf-8") + "disabled: [GC108]\n"
    write(ledger, "gridctl.yaml", settings)
    assert cli("-C", str(ledger), "validate").exit_code == 0


def test_language_follows_the_locale(ledger: Path, cli) -> None:
    write(ledger, "staff/S0003.yaml", "kind: staff\nid: S0003\nname: 赵六\nphone: '12345'\n")
    zh = cli("-C", str(ledger), "validate", env={"LANG": "zh_CN.UTF-8", "LC_ALL": "", "GRIDCTL_LANG": ""})
    assert "电话号码无效" in zh.output
    en = cli("-C", str(ledger), "validate", env={"LANG": "C.UTF-8", "LC_ALL": "", "GRIDCTL_LANG": ""})
    assert "invalid phone number" in en.output


def test_no_ledger_is_a_usage_error(tmp_path: Path) -> None:
    code, _out, err = gridctl("validate", cwd=tmp_path)
    assert code == 2
    assert "gridctl.yaml" in err and "Traceback" not in err


def test_unknown_option_is_a_usage_error(ledger: Path) -> None:
    code, _out, err = gridctl("validate", "--bogus", cwd=ledger)
    assert code == 2
    assert "Traceback" not in err


def test_subprocess_finds_the_ledger_from_a_subfolder(ledger: Path) -> None:
    code, out, err = gridctl("--lang", "en", "validate", cwd=ledger / "households")
    assert code == 0, err
    assert out.startswith("no problems")


def test_gbk_console_does_not_crash(ledger: Path) -> None:
    """A Windows console in code page 936: characters GBK lacks are replaced, never a crash."""
    write(ledger, "staff/S0003.yaml", "kind: staff\nid: S0003\nname: 赵六\nphone: '12345'\nposition: 主任✓\n")
    code, out, err = gridctl("validate", "--lang", "zh", cwd=ledger, env={"PYTHONIOENCODING": "gbk"}, encoding="gbk")
    assert code == 1, err
    assert "电话号码无效: 12345" in out
    assert "Traceback" not in err


def test_crlf_and_bom_files_read_like_any_other(ledger: Path, cli) -> None:
    path = ledger / "staff/S0002.yaml"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = cli("-C", str(ledger), "validate")
    assert result.exit_code == 0, result.output


def test_internal_error_exit_code_is_3_with_a_private_log_of_its_own(capsys, tmp_path: Path, monkeypatch) -> None:
    """The log is the user's (platform cache folder), a new file each time, readable by its owner alone."""
    import stat

    import gridctl.cli.main as main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    logs = []
    for _ in range(2):
        assert main.handle(RuntimeError("disk on fire")) == 3
        captured = capsys.readouterr()
        assert "internal error: RuntimeError: disk on fire" in captured.err
        logs.append(Path(captured.err.split("details: ", 1)[1].strip()))
    assert logs[0] != logs[1]
    for log in logs:
        assert log.parent == tmp_path / "cache/gridctl/crashes"
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
        assert "RuntimeError: disk on fire" in log.read_text(encoding="utf-8")


def test_an_unwritable_output_is_an_environment_error(ledger: Path) -> None:
    """/proc takes no new files, even for root: a message naming the file, exit 2, no traceback."""
    code, _out, err = gridctl("print", "board", "110105001001001", "-o", "/proc/公示牌.html", cwd=ledger)
    assert code == 2
    assert "cannot write /proc/公示牌.html" in err and "Traceback" not in err
