"""Adversary's findings on names read from the kept rows, and on values a write quotes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git

from conftest import household, id_number, write


def _commit(repo: Path, message: str) -> str:
    r = git.Repo(repo)
    r.git.add(A=True)
    r.git.commit("-qm", message)
    return r.head.commit.hexsha


def test_each_household_of_a_repeated_id_answers_to_its_own_head(repo: Path, cli) -> None:
    """Two files hold household H000001 (张伟户 and 李四户). Each name finds the id, and the
    clerk is told that the id is used twice (GC201): the heads were read from the people's rows
    by household id, so one of the two names said there was no such record at all."""
    other = household("H000001", "P0000002", id_number(seq="456")).replace("张伟", "李四")
    write(repo, "households/110105001001001/H000001-copy.yaml", other)
    _commit(repo, "重复的户")
    for name in ("张伟户", "李四户"):
        result = cli("-C", str(repo), "--lang", "zh", "show", name)
        assert result.exit_code == 2 and "编号 H000001 被 2 条记录使用" in result.output, (name, result.output)


def test_a_value_quoted_as_text_stays_text(repo: Path, cli) -> None:
    """A value a write quotes to keep it a string ("2026-05-01", "10:15:00") is read back as that
    string: the reader made the quoted day a date, so the edit was refused ("Input should be a
    valid string"), and a time of day, quoted or not, stopped every command with an internal
    error (exit 3) that a cache could not keep."""
    for value in ("2026-05-01", "10:15:00", "2026-05-01 10:15"):
        result = cli("-C", str(repo), "--lang", "en", "--author", "王芳 <wf@example.cn>",
                     "edit", "S0001", "--set", f"name={value}", "-m", "t")  # fmt: skip
        assert result.exit_code == 0, (value, result.output)
        assert f'name: "{value}"' in (repo / "staff/S0001.yaml").read_text(encoding="utf-8")
        shown = cli("-C", str(repo), "--lang", "en", "show", value)
        assert shown.exit_code == 0 and "S0001" in shown.output, (value, shown.output)
    text = (repo / "staff/S0002.yaml").read_text(encoding="utf-8")
    (repo / "staff/S0002.yaml").write_text(text + "extra: {duty: 08:30:00, since: '2026-01-02'}\n", encoding="utf-8")
    checked = cli("-C", str(repo), "--lang", "en", "validate")
    assert checked.exit_code == 0, checked.output
    listed = cli("-C", str(repo), "--lang", "en", "show", "S0002")
    assert listed.exit_code == 0 and "08:30:00" in listed.output and "2026-01-02" in listed.output, listed.output
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    assert status.strip() == "M staff/S0002.yaml"


def test_a_record_file_reads_a_quoted_day_as_text(repo: Path, cli, tmp_path: Path) -> None:
    """`gridctl add staff --file`: a value the clerk quoted to keep it text ("2026-05-01") is text,
    as it is once in the ledger; the file's reader made it a date and the add was refused."""
    record = tmp_path / "新同事.yaml"
    record.write_text('name: "2026-05-01"\ngender: 女\nphone: "13700137008"\nemployment: 专职\n', encoding="utf-8")
    author = ("--author", "王芳 <wf@example.cn>")
    result = cli("-C", str(repo), "--lang", "en", *author, "add", "staff", "--file", str(record))
    assert result.exit_code == 0, result.output
    shown = cli("-C", str(repo), "--lang", "en", "show", "2026-05-01")
    assert shown.exit_code == 0 and "S0003" in shown.output, shown.output


def test_a_register_text_that_reads_like_a_time_is_written_as_text(repo: Path, cli, tmp_path: Path) -> None:
    """A register's extra column holding `2026-05-01 10:15` (text) was written plain into an existing
    record, and read back as a date and time: the record showed 2026-05-01T10:15:00, and importing
    the same register again wanted to update it again, every time."""
    sheet = tmp_path / "工作人员.csv"
    sheet.write_text("编号,姓名,到岗时间\nS0001,王芳,2026-05-01 10:15\n", encoding="utf-8")
    author = ("--author", "王芳 <wf@example.cn>")
    first = cli("-C", str(repo), "--lang", "zh", *author, "import", "staff", str(sheet))
    assert first.exit_code == 0 and "更新 1" in first.output, first.output
    written = (repo / "staff/S0001.yaml").read_text(encoding="utf-8")
    assert written.endswith('extra:\n  到岗时间: "2026-05-01 10:15"\n'), written  # last, as edit puts it
    again = cli("-C", str(repo), "--lang", "zh", *author, "import", "staff", str(sheet))
    assert again.exit_code == 0 and "更新 0, 未变 1" in again.output, again.output
    shown = cli("-C", str(repo), "show", "S0001", "--format", "json")
    assert '"到岗时间": "2026-05-01 10:15"' in shown.output, shown.output
