"""An ID number or a resident's mobile typed into free text (GC115, GC116): found by validate, refused
by every write that adds one (at the field, or the spreadsheet cell, it came from), as the ledger's
own leak guard refuses a hand commit of it."""

from __future__ import annotations

import typing
from pathlib import Path

import git
from pydantic import BaseModel
from test_import import GRID, HEADERS, LIU, ZHAO, log, run_import, snapshot, xlsx

from conftest import id_number

HOUSE = "households/110105001001001/H000001.yaml"
OLD = id_number(region="110108", born="19491231", seq="002")


def commit_by_hand(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git.Repo(root).git.commit("-qam", "手工修改")


def test_edit_refuses_a_mobile_typed_into_a_note_and_says_where(repo: Path, cli) -> None:
    before = snapshot(repo)
    result = cli("-C", str(repo), "--lang", "zh", "edit", "P0000001", "--set", "extra.备注=女儿电话 138-1234-5678")
    assert result.exit_code == 1, result.output
    assert f"{HOUSE}:" in result.output and "error[GC116] 手机号码写在了文字里: 138****5678" in result.output
    assert "修改未写入" in result.output or "未写入" in result.output
    assert "5678" in result.output and "13812345678" not in result.output and "1234-5678" not in result.output
    assert snapshot(repo) == before
    # an ID number typed as a bare number (YAML reads it as a number, not text)
    result = cli("-C", str(repo), "--lang", "en", "edit", "H000001", "--set", f"extra.旧证号={OLD}")
    assert result.exit_code == 1, result.output
    assert f"error[GC115] an ID number is written in free text: {OLD[:6]}{'*' * 12}" in result.output
    assert OLD not in result.output and snapshot(repo) == before


def test_an_event_title_with_a_mobile_is_refused(repo: Path, cli) -> None:
    before = snapshot(repo)
    result = cli("-C", str(repo), "--lang", "en", "event", "report", "--grid", GRID, "--type", "矛盾纠纷",
                 "--title", "13912345670 反映漏水", "--by", "S0002")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "error[GC116]" in result.output and "139****5670" in result.output
    assert snapshot(repo) == before


def test_an_import_names_the_row_and_column_and_skip_invalid_imports_the_rest(repo: Path, cli, tmp_path: Path) -> None:
    sheet = xlsx(
        tmp_path / "户籍登记表.xlsx",
        [
            [*HEADERS, "备注"],
            ["刘洋", "男", LIU, "1990-01-01", "13512345678", "户主", GRID, "阳光小区", "5", "1", "101", "独居"],
            [
                "赵敏",
                "女",
                ZHAO,
                "1985-05-05",
                "13712345678",
                "户主",
                GRID,
                "阳光小区",
                "6",
                "2",
                "202",
                "紧急联系人 儿子 13812345678",
            ],
        ],
    )
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet))
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0] == "户籍登记表.xlsx:row 3: 列 备注: 手机号码写在了文字里: 138****5678"
    assert "13812345678" not in result.output and snapshot(repo) == before
    skipped = run_import(cli, repo, "household", str(sheet), "--skip-invalid")
    assert skipped.exit_code == 1, skipped.output
    assert "新增 1 户 1 人" in skipped.output and "拒绝 1" in skipped.output
    assert "独居" in (repo / f"households/{GRID}/H000002.yaml").read_text(encoding="utf-8")
    assert "13812345678" not in log(repo)[0].message


def test_one_already_there_is_an_error_for_validate_but_blocks_no_other_edit(repo: Path, cli) -> None:
    commit_by_hand(
        repo, HOUSE, "    residence: 户籍\n", "    residence: 户籍\n    extra: {备注: 家属电话13812345678}\n"
    )
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert result.exit_code == 1
    assert f"{HOUSE}:16:17:" in result.output and "error[GC116]" in result.output and "138****5678" in result.output
    # the clerk's next edit of the same household does not add it: it is written
    edited = cli("-C", str(repo), "--lang", "en", "edit", "P0000001", "--set", "name=张伟民")
    assert edited.exit_code == 0, edited.output
    # a ledger that decides to keep such numbers switches the code off
    commit_by_hand(repo, "gridctl.yaml", "profile: community\n", "profile: community\ndisabled: [GC116]\n")
    assert cli("-C", str(repo), "validate").exit_code == 0
    added = cli("-C", str(repo), "edit", "P0000001", "--set", "extra.备注2=13812345679")
    assert added.exit_code == 0, added.output


def test_public_phones_ids_and_plain_text_pass(repo: Path, cli) -> None:
    """A staff member's note may repeat their own (public) phone; ids, dates, short numbers and a
    number field are not free text; a resident's own phone repeated in a note is still one."""
    staff = "staff/S0002.yaml"
    phone = next(
        line.split('"')[1] for line in (repo / staff).read_text(encoding="utf-8").splitlines() if "phone" in line
    )
    commit_by_hand(repo, staff, "employment: 专职\n", f"employment: 专职\nextra: {{备注: 值班电话 {phone}}}\n")
    commit_by_hand(
        repo,
        HOUSE,
        "    residence: 户籍\n",
        "    residence: 户籍\n    extra: {门牌: 3-2-501, 登记: 2026-05-01, 人数: 3}\n",
    )
    assert cli("-C", str(repo), "validate").exit_code == 0
    commit_by_hand(repo, HOUSE, "门牌: 3-2-501", "门牌: 本人 13912345678")
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert result.exit_code == 1 and "error[GC116]" in result.output


def test_the_leak_guard_passes_an_encrypted_id_number_hash_that_reads_like_a_mobile(repo: Path, cli) -> None:
    """An encrypted ledger keeps each ID number's keyed hash in hex; one in a hundred holds 11 digits
    in a row that read as a mobile, and the hook (and validate) refused the file."""
    from gridctl.leakguard import Guard
    from gridctl.ledger.mentions import personal_in_text
    from gridctl.ledger.reader import parse

    text = (
        "kind: household\nid: H000009\nmembers:\n  - id: P0000009\n"
        '    id_number: "ENC[AES256_GCM,key:320c1ad2,data:ZC5k,type:str]"\n'
        '    id_hash: "3a13912345678e30c287ffeeab216e00"\n'
    )
    assert Guard(repo, True, "templates", set()).check("households/x/H000009.yaml", text.encode()) == []
    docs, problems = parse("households/x/H000009.yaml", text)
    assert problems == [] and personal_in_text("households/x/H000009.yaml", docs) == []
    leaked = text + "    extra: {备注: 13912345678}\n"
    docs, _ = parse("households/x/H000009.yaml", leaked)
    assert [p.code for p in personal_in_text("households/x/H000009.yaml", docs)] == ["GC116"]
    assert [leak.what for leak in Guard(repo, True, "templates", set()).check("h.yaml", leaked.encode())] == ["mobile"]


def _code_fields(model: type[BaseModel], seen: set[type]) -> set[str]:
    from gridctl.model.patterns import SAFE_CODE

    out: set[str] = set()
    if model in seen:
        return out
    seen.add(model)

    def look(name: str, tp: object, meta: tuple[object, ...]) -> None:
        flat = [x for m in meta for x in (m, *getattr(m, "metadata", ()))]
        if any(getattr(m, "pattern", None) == SAFE_CODE for m in flat):
            out.add(name)
        if typing.get_origin(tp) is typing.Annotated:
            inner, *more = typing.get_args(tp)
            look(name, inner, tuple(more))
            return
        for arg in typing.get_args(tp):
            look(name, arg, ())
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            out.update(_code_fields(tp, seen))

    for name, info in model.model_fields.items():
        look(name, info.annotation, tuple(info.metadata))
    return out


def test_the_id_fields_passed_over_are_the_models_code_fields() -> None:
    from gridctl.ledger.mentions import CODE_FIELDS
    from gridctl.model import KINDS

    seen: set[type] = set()
    found = set().union(*(_code_fields(model, seen) for model in KINDS.values()))
    assert found == CODE_FIELDS


def test_a_phone_the_ledger_makes_public_may_be_quoted_in_any_note(repo: Path, cli) -> None:
    """A staff member's phone in a household's note (网格员王芳 139…负责联系) is no resident's: the
    leak guard lets it stand, and validate, the writes and check-files now agree with it."""
    lines = (repo / "staff/S0002.yaml").read_text(encoding="utf-8").splitlines()
    phone = next(line.split('"')[1] for line in lines if "phone" in line)
    result = cli("-C", str(repo), "--lang", "en", "edit", "H000001", "--set", f"extra.备注=网格员电话 {phone}")
    assert result.exit_code == 0, result.output
    assert cli("-C", str(repo), "validate").exit_code == 0
    assert cli("-C", str(repo), "check-files", str(repo / HOUSE)).exit_code == 0
    # a resident's mobile beside it is still one
    refused = cli("-C", str(repo), "--lang", "en", "edit", "H000001", "--set", "extra.备注2=女儿 13812345670")
    assert refused.exit_code == 1 and "GC116" in refused.output
    commit_by_hand(repo, HOUSE, f"网格员电话 {phone}", f"网格员电话 {phone} 女儿 13812345670")
    checked = cli("-C", str(repo), "--lang", "en", "check-files", str(repo / HOUSE))
    assert checked.exit_code == 1 and checked.output.count("error[GC116]") == 1, checked.output
