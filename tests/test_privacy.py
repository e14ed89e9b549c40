"""Residents' privacy, leak by leak: each test is one way personal data used to get out, and its fix.

Audiences: public prints (boards, cards, charts, filings, forms) carry no resident data at all; the
default (a grid worker's) output is masked so nothing can be rebuilt; --reveal shows everything and
is recorded in the reveal log.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import git
import pytest
import yaml_rs

from gridctl.crashlog import write_crash_log

from conftest import AUTHOR_ENV, household, id_number, write

NUMBER = id_number()
OTHER = id_number(born="19751120", seq="456")
HOUSE = "households/110105001001001/H000001.yaml"


def heads(repo: Path) -> str:
    return git.Repo(repo).head.commit.hexsha


# -- the reason (-m) and commit messages --------------------------------------------------------------


def test_a_reason_holding_an_id_number_or_a_residents_mobile_is_refused(repo: Path, cli) -> None:
    before = heads(repo)
    for reason in (f"核实身份证 {OTHER}", "住户电话 13712345678 已核实", "住户电话 137-1234-5678"):
        result = cli("-C", str(repo), "--lang", "zh", "-m", reason, "edit", "H000001", "--set", "address.room=502")
        assert result.exit_code == 2, result.output
        assert "修改原因 (-m) 中有个人信息" in result.output
        assert OTHER not in result.output and "13712345678" not in result.output  # the refusal names it masked
    assert heads(repo) == before and 'room: "501"' in (repo / HOUSE).read_text(encoding="utf-8")
    # a staff member's phone is public (notice boards print it): allowed
    ok = cli("-C", str(repo), "-m", "已电话联系网格员 13900139000", "edit", "H000001", "--set", "address.room=502")
    assert ok.exit_code == 0, ok.output


def test_history_and_log_mask_numbers_in_a_hand_made_commit(repo: Path, cli) -> None:
    path = repo / HOUSE
    path.write_text(path.read_text(encoding="utf-8").replace('room: "501"', 'room: "503"'), encoding="utf-8")
    r = git.Repo(repo)
    r.git.add(A=True)
    r.index.commit(f"改房号 {OTHER} 电话13712345678\n\n原因: {OTHER} 本人要求")
    runs = (("history", "H000001"), ("history", "H000001", "--format", "json"), ("log",), ("log", "--format", "json"))
    for args in runs:
        out = cli("-C", str(repo), *args).output
        assert OTHER not in out and "13712345678" not in out, args
    assert "110105************" in cli("-C", str(repo), "history", "H000001").output
    assert OTHER in cli("-C", str(repo), "history", "H000001", "--reveal").output


def test_the_trailer_masks_every_way_of_writing_the_option(repo: Path, cli) -> None:
    result = cli(
        "-C", str(repo), "add", "person", "--household", "H000001", "--set=name=张敏", f"--set=id_number={OTHER}",
        "--set", "gender=女", "--set=birth_date=1975-11-20", "--set", "relation=配偶", "--set", "phones=13712345678",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    message = git.Repo(repo).head.commit.message
    for secret in (OTHER, "1975-11-20", "13712345678"):
        assert secret not in message
    assert "--set=id_number=110105************" in message and "birth_date=1975-**-**" in message


# -- validate --------------------------------------------------------------------------------------


def test_a_quoted_line_masks_the_other_phones_on_it(ledger: Path, cli) -> None:
    write(ledger, HOUSE, household().replace('phones: ["13912345678"]', 'phones: ["13912345678", "1371234"]'))
    for reveal in ((), ("--reveal",)):
        out = cli("-C", str(ledger), "--lang", "zh", "validate", *reveal).output
        assert "GC108" in out
        assert ("13912345678" in out) == bool(reveal), out
    assert '["139****5678", "*******"]' in cli("-C", str(ledger), "validate").output


def test_a_flow_style_member_on_one_line_is_masked_whole(ledger: Path, cli) -> None:
    flow = (
        f'  - {{id: P0000001, name: 张伟, id_number: "{NUMBER}", gender: 男, birth_date: 1980-03-15, '
        'relation: 户主, phones: ["13912345678"], residence: 户籍, hobby: 钓鱼}\n'
    )
    text = household().split("  - id: P0000001")[0] + flow
    write(ledger, HOUSE, text)
    out = cli("-C", str(ledger), "--lang", "zh", "validate").output
    assert "GC101" in out  # the unknown field quotes the whole member
    for secret in (NUMBER, "1980-03-15", "13912345678"):
        assert secret not in out
    assert "110105************" in out and "1980-**-**" in out and "139****5678" in out


def test_messages_mask_free_text_they_echo(ledger: Path, cli) -> None:
    text = household().replace("relation: 户主", f"relation: 户主{OTHER}").replace(
        "residence: 户籍", "residence: 13712345678"
    )
    write(ledger, HOUSE, text)
    for fmt in ("text", "json", "github"):
        out = cli("-C", str(ledger), "validate", "--format", fmt).output
        assert "GC102" in out
        assert OTHER not in out and "13712345678" not in out, fmt


def test_gc106_never_prints_the_birth_date(ledger: Path, cli) -> None:
    write(ledger, HOUSE, household().replace("birth_date: 1980-03-15", "birth_date: 1980-05-13"))
    out = cli("-C", str(ledger), "--lang", "zh", "validate").output
    assert "GC106" in out and "1980-05-13" not in out and "1980-03-15" not in out
    assert "出生日期 1980-**-** 与公民身份号码中的 1980-**-** 不一致 (号码第 11–12 位)" in out  # which part, not what
    assert "1980-03-15" in cli("-C", str(ledger), "validate", "--reveal").output


# -- crash logs, exports -------------------------------------------------------------------------------


def test_a_crash_log_masks_what_the_traceback_quotes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = write_crash_log(f"ValueError: {NUMBER!r} 13912345678 birth_date=datetime.date(1980, 3, 15)\n")
    text = Path(path).read_text(encoding="utf-8")
    assert NUMBER not in text and "13912345678" not in text and "(1980, 3, 15)" not in text
    assert "110105************" in text and "139****5678" in text and "date(1980, **, **)" in text


def test_a_crash_masks_care_groups_and_landlines_in_its_log_and_its_message(
    ledger: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A care group (the profile's, or one the ledger adds) and a landline are personal data like an ID number."""
    import gridctl.cli.main as main

    settings = ledger / "gridctl.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "vocabularies:\n  care_groups: [空巢老人, 困境儿童]\n", encoding="utf-8"
    )
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("sys.argv", ["gridctl", "-C", str(ledger), "edit", "H000001"])
    said = "tags=['困境儿童', '社区矫正'] 备注: 家中电话 0571-8888 8888，(010)62345678"
    assert main.handle(ValueError(said)) == 3
    err = capsys.readouterr().err
    log = Path(err.split("details: ", 1)[1].strip()).read_text(encoding="utf-8")
    for text in (err, log):
        assert "困境儿童" not in text and "社区矫正" not in text and "tags=['***', '***']" in text
        assert "8888 8888" not in text and "62345678" not in text
        assert "0571-****8888" in text and "(010)****5678" in text


def test_an_export_into_the_ledger_folder_is_refused_unless_git_ignores_it(repo: Path, cli, tmp_path: Path) -> None:
    result = cli("-C", str(repo), "--lang", "zh", "export", "household", "-o", str(repo / "户籍.xlsx"), "--reveal")
    assert result.exit_code == 2 and "在台账文件夹内" in result.output
    assert str(repo.parent / f"{repo.name}-导出" / "户籍.xlsx") in result.output  # where to put it instead
    assert not (repo / "户籍.xlsx").exists()
    (repo / ".gitignore").write_text("导出/\n", encoding="utf-8")
    (repo / "导出").mkdir()
    assert cli("-C", str(repo), "export", "household", "-o", str(repo / "导出" / "户籍.xlsx")).exit_code == 0
    assert cli("-C", str(repo), "export", "household", "-o", str(tmp_path / "户籍.xlsx")).exit_code == 0


# -- audiences ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", ["community", "town"])
def test_public_prints_hold_no_resident_data(example: str, cli, tmp_path: Path) -> None:
    from gridctl.demo import create_demo

    demo = tmp_path / "ledger"
    create_demo(demo, example)
    with git.Repo(demo).config_writer() as cfg:
        cfg.set_value("user", "name", "王芳")
        cfg.set_value("user", "email", "wangfang@example.cn")
    people = []
    for path in (demo / "households").rglob("*.yaml"):
        people += yaml_rs.loads(path.read_text(encoding="utf-8")).get("members", [])
    staff = {yaml_rs.loads(p.read_text(encoding="utf-8"))["name"] for p in (demo / "staff").glob("*.yaml")}
    secrets = {p["id_number"] for p in people if p.get("id_number")} | {x for p in people for x in p.get("phones", [])}
    secrets |= {p["name"] for p in people if not any(p["name"] in s for s in staff)}  # 郭丽 inside 郭丽华: staff
    secrets |= {p["id"] for p in people}
    secrets |= {p["id_number"][:6] + "*" * 12 for p in people if p.get("id_number")}  # not even masked
    grid = sorted(p.parent.name for p in (demo / "households").rglob("*.yaml"))[0]
    prints = {
        "chart": ("print", "chart"),
        "board": ("print", "board", "--all"),
        "cards": ("print", "cards", "--all"),
        "form": ("print", "form", grid, "--date", "2026-03-01", "--days", "3"),
        "filing": ("filing",),
        "bulletin": ("report", "bulletin", "--period", "2026-03", "--format", "html"),  # 通报: printed, sent out
    }
    for name, args in prints.items():
        out = tmp_path / f"{name}.html"
        record = ("--no-record",) if args[0] == "print" and name != "form" else ()
        result = cli("-C", str(demo), *args, "-o", str(out), *record)
        assert result.exit_code == 0, (name, result.output)
        html = out.read_text(encoding="utf-8")
        leaked = sorted(s for s in secrets if s in html)
        assert not leaked, (name, leaked[:5])


def test_reveal_is_recorded_and_audit_lists_it(repo: Path, cli) -> None:
    env = {"GRIDCTL_TODAY": "2026-03-05 09:30"}
    assert cli("-C", str(repo), "show", "P0000001", "--reveal", env=env).exit_code == 0
    assert cli("-C", str(repo), "show", "P0000001", env=env).exit_code == 0  # masked: not a reveal
    later = {"GRIDCTL_TODAY": "2026-03-07 16:00"}
    who = ("--author", "李强 <liqiang@example.cn>")
    assert cli("-C", str(repo), *who, "list", "person", "--tag", "空巢老人", "--reveal", env=later).exit_code == 0
    lines = cli("-C", str(repo), "audit", "reveals").output.splitlines()
    assert len(lines) == 3 and lines[-1] in ("2 reveals", "共 2 次")
    assert lines[0].startswith("2026-03-05 09:30:00  王芳 <wangfang@example.cn>")
    assert "show P0000001 --reveal" in lines[0]
    assert lines[1].startswith("2026-03-07 16:00:00  李强 <liqiang@example.cn>") and "--tag" in lines[1]
    since = json.loads(cli("-C", str(repo), "audit", "reveals", "--since", "2026年3月6日", "-f", "json").output)
    assert [r["who"] for r in since] == ["李强 <liqiang@example.cn>"]
    log = repo / ".git" / "gridctl" / "reveals.log"
    assert (log.stat().st_mode & 0o777) == 0o600
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == ""


def test_a_reveal_through_a_subprocess_is_recorded_too(repo: Path) -> None:
    from conftest import gridctl

    code, _out, _err = gridctl("-C", str(repo), "export", "household", "-o", "-", "--format", "csv", "--reveal",
                               env=AUTHOR_ENV)  # fmt: skip
    assert code == 0
    text = (repo / ".git" / "gridctl" / "reveals.log").read_text(encoding="utf-8")
    assert "export household -o - --format csv --reveal" in text


def test_history_and_diff_mask_numbers_typed_into_free_text(repo: Path, cli) -> None:
    path = repo / HOUSE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('room: "501"', 'room: "501", text: "联系人13712345678"'), encoding="utf-8")
    assert "137****5678" in cli("-C", str(repo), "diff").output
    r = git.Repo(repo)
    r.git.add(A=True)
    r.index.commit("补充地址")
    for args in (("history", "H000001"), ("diff", "HEAD~1", "HEAD"), ("show", "H000001")):
        out = cli("-C", str(repo), *args).output
        assert "13712345678" not in out and "137****5678" in out, (args, out)
    assert "13712345678" in cli("-C", str(repo), "history", "H000001", "--reveal").output


def test_titles_and_summaries_holding_a_mobile_are_masked_in_lists_commits_and_the_screen(demo: Path, cli) -> None:
    """An activity or an event whose title quotes a resident's mobile or ID number (issue 16's kinds too),
    in a ledger that keeps such numbers (GC115 and GC116 switched off: test_mentions.py has them refused)."""
    number = id_number(seq="777")
    grid = "110105017006001"
    settings = demo / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "disabled: [GC115, GC116]\n", encoding="utf-8")
    git.Repo(demo).git.commit("-qam", "保留文字里的号码")
    said = cli("-C", str(demo), "--lang", "en", "activity", grid, "--type", "工作例会", "--date", "2026-03-05",
               "--title", "走访13912345678家", "--summary", f"居民身份证{number}").output  # fmt: skip
    said += cli("-C", str(demo), "--lang", "en", "event", "report", "--grid", grid, "--type", "矛盾纠纷",
                "--title", "13912345678 反映漏水", "--by", "S0004").output  # fmt: skip
    assert "committed" in said and "139****5678" in said
    messages = git.Repo(demo).git.log("-2", "--format=%B")
    shown = [said, messages]
    for kind in ("activity", "event"):
        shown += [cli("-C", str(demo), "list", kind, *fmt).output for fmt in ((), ("--format", "json"))]
    day = {"GRIDCTL_TODAY": "2026-03-10"}
    shown.append(cli("-C", str(demo), "report", "monthly", "--month", "2026-03", env=day).output)
    assert "走访139****5678家" in shown[-1]
    for text in shown:
        assert "13912345678" not in text and number not in text, text
    assert "13912345678" in cli("-C", str(demo), "list", "activity", "--reveal").output


def member_extra(repo: Path, extra: str, message: str) -> None:
    """Give H000001's member an `extra:` mapping written as `extra` (flow style), committed by hand."""
    line = f"    extra: {extra}\n"
    text = (repo / HOUSE).read_text(encoding="utf-8").replace("    residence: 户籍\n", "    residence: 户籍\n" + line)
    (repo / HOUSE).write_text(text, encoding="utf-8")
    git.Repo(repo).git.commit("-qam", message)


def shown(repo: Path, cli, *runs: tuple[str, ...]) -> list[str]:  # type: ignore[no-untyped-def]
    """What each command says in Chinese (each must succeed)."""
    outputs = []
    for args in runs:
        result = cli("-C", str(repo), "--lang", "zh", *args)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    return outputs


def test_an_id_number_or_mobile_kept_in_an_extra_field_is_masked_everywhere(repo: Path, cli, tmp_path: Path) -> None:
    """`extra: {旧证号: 110105…, 备注: 家属电话138…}`: the xlsx and csv registers wrote any extra field
    (备注 too) unmasked, and a number left unquoted (a number, not text) was shown whole by show,
    history and every export. A masked register is what a grid worker carries."""
    member_extra(repo, f"{{旧证号: {OTHER}, 手机: 13712345678, 备注: 家属电话13812345678}}", "旧证号")
    outputs = shown(repo, cli, ("show", "P0000001"), ("show", "H000001", "--format", "json"), ("history", "P0000001"))
    for fmt in ("csv", "xlsx", "json"):
        out = tmp_path / f"户籍.{fmt}"
        assert cli("-C", str(repo), "export", "household", "-o", str(out)).exit_code == 0
        if fmt == "xlsx":
            from openpyxl import load_workbook

            outputs.append(repr([[c.value for c in r] for r in load_workbook(out).active.iter_rows()]))
        else:
            outputs.append(out.read_text(encoding="utf-8-sig"))
    for said in outputs:
        assert OTHER not in said and "13712345678" not in said and "13812345678" not in said, said
        assert OTHER[:6] + "*" * 12 in said and "138****5678" in said, said
    revealed = tmp_path / "全.csv"
    assert cli("-C", str(repo), "export", "household", "--reveal", "-o", str(revealed)).exit_code == 0
    assert OTHER in revealed.read_text(encoding="utf-8-sig")


def test_a_residents_landline_in_free_text_is_masked_like_a_mobile(repo: Path, cli, tmp_path: Path) -> None:
    """家中电话 0571-8888 8888 in a member's 备注 was shown whole by show, history and the exported
    register, where a mobile in the same note was masked: a home phone is the resident's as a mobile is."""
    member_extra(repo, "{备注: 家中电话 0571-8888 8888，单位（010）62345678}", "补充备注")
    outputs = shown(repo, cli, ("show", "H000001"), ("show", "P0000001", "--format", "json"), ("history", "H000001"))
    out = tmp_path / "户籍.csv"
    assert cli("-C", str(repo), "export", "household", "-o", str(out)).exit_code == 0
    outputs.append(out.read_text(encoding="utf-8-sig"))
    for said in outputs:
        assert "8888 8888" not in said and "62345678" not in said, said
        assert "0571-****8888" in said and "（010）****5678" in said, said
    revealed = cli("-C", str(repo), "show", "H000001", "--reveal").output
    assert "0571-8888 8888" in revealed


def test_a_public_print_withholds_a_landline_but_the_ledgers_own() -> None:
    from gridctl.model.masking import WITHHELD, mask_ids, withhold_text

    text = "住户家中电话 0571-88881234，监督电话 010-65071234"
    printed = withhold_text(text, ["010-65071234"])
    assert "88881234" not in printed and WITHHELD in printed and "010-65071234" in printed
    assert mask_ids(text) == text  # an error message quotes what the clerk typed
