"""Encryption at rest: an encrypted ledger works as today with a key, checks what it can without one,
never leaks an opened value into a cache, and a removed recipient opens nothing written after."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import git
import pytest
import yaml_rs

from conftest import AUTHOR_ENV, env, gridctl, household, id_number, make_ledger, write

HOUSE = "households/110105017006001/H000001.yaml"


def secrets_of(root: Path) -> set[str]:
    """Every resident's ID number, phone, birth date and care-group word, read from the plain ledger."""
    out: set[str] = set()
    for path in (root / "households").rglob("*.yaml"):
        data = yaml_rs.loads(path.read_text(encoding="utf-8"))
        for m in data.get("members", []):
            out |= {m.get("id_number") or "", *m.get("phones", []), str(m.get("birth_date") or "")}
    return {s for s in out if len(s) > 6}


def run(cli, root: Path, who: dict[str, str], *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(root), "--lang", "en", *args, env=env(who))


def test_encrypt_seals_every_personal_value_and_says_history_keeps_the_plain_text(demo: Path, cli, keys) -> None:
    secrets = secrets_of(demo)
    result = cli("-C", str(demo), "--lang", "en", "encrypt", "--name", "王芳", env=env(keys["wang"]))
    assert result.exit_code == 0, result.output
    assert "commits before this one still hold the personal data in plain text" in result.output
    head = git.Repo(demo).head.commit
    assert "此前的提交中这些信息仍是明文" in head.message  # the ledger's language, as the subject
    files = "\n".join(p.read_text(encoding="utf-8") for p in (demo / "households").rglob("*.yaml"))
    assert not [s for s in secrets if s in files]
    for path in (demo / "households").rglob("*.yaml"):
        data = yaml_rs.loads(path.read_text(encoding="utf-8"))
        words = [*data.get("tags", []), *(t for m in data.get("members", []) for t in m.get("tags", []))]
        assert all(w.startswith("ENC[AES256_GCM,") for w in words), path
    assert "# 2026年3月入户核实，独居" in (demo / HOUSE).read_text(encoding="utf-8")  # comments stay, and
    assert "households/110105017006004/H000036.yaml:1: # 社区矫正对象" in result.output  # the clerk is told
    listed = [ln for ln in result.output.splitlines() if ln.startswith("  households/")]
    assert not [ln for ln in listed if any(f in ln for f in ("id_number:", "phones:", "tags:"))], listed[:3]  # sealed
    old = git.Repo(demo).git.show(f"HEAD~1:{HOUSE}")
    assert "120101194207160392" in old  # the commit before: plain text, as the output said
    recipients = (demo / ".gridctl/recipients").read_text(encoding="utf-8")
    assert keys["wang"]["public"] in recipients and keys["wang"]["GRIDCTL_IDENTITY"] not in recipients


def test_with_a_key_every_read_is_as_on_the_plain_ledger(demo: Path, cli, keys, tmp_path: Path) -> None:
    reads = [
        ("list", "person", "--format", "csv", "--reveal"),
        ("list", "person", "--format", "csv"),
        ("list", "household", "--format", "csv", "--reveal"),
        ("show", "P0000001", "--reveal"),
        ("show", "H000002"),
        ("status",),
        ("validate",),
        ("report", "registers", "--reveal"),
        ("list", "person", "--tag", "独居老人"),
        ("export", "household", "-o", "-", "--format", "csv", "--reveal"),
    ]
    plain = [run(cli, demo, keys["wang"], *args).output for args in reads]
    assert cli("-C", str(demo), "encrypt", env=env(keys["wang"])).exit_code == 0
    sealed = [run(cli, demo, keys["wang"], *args).output for args in reads]
    for args, before, after in zip(reads, plain, sealed, strict=True):
        if args[0] == "export":  # names the commit it was made from
            before, after = before.split("\n", 1)[1], after.split("\n", 1)[1]
        assert after.replace("id_hash", "") == before or args[0] == "show", args
    assert "120101194207160392" in sealed[3] and "1942-07-16" in sealed[3]


def test_with_a_key_writes_seal_what_they_write(encrypted: Path, cli, keys) -> None:
    wang = keys["wang"]
    assert run(cli, encrypted, wang, "-m", "换号", "edit", "P0000001", "--set", "phones=13912345600").exit_code == 0
    number = id_number(born="19991231", seq="123")
    added = run(
        cli, encrypted, wang, "add", "person", "--household", "H000001", "--set", "name=测试人",
        f"--set=id_number={number}", "--set", "gender=男", "--set", "birth_date=1999-12-31", "--set", "relation=其他",
        "--set", "tags=残疾人",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert (
        run(cli, encrypted, wang, "move", "P0000001", "--to-household", "H000002", "--relation", "配偶").exit_code == 0
    )
    text = "\n".join(p.read_text(encoding="utf-8") for p in (encrypted / "households").rglob("*.yaml"))
    for secret in ("13912345600", number, "1999-12-31", "残疾人"):
        assert secret not in text
    shown = run(cli, encrypted, wang, "show", "P0000101", "--reveal").output
    assert number in shown and "1999-12-31" in shown and "残疾人" in shown
    moved = run(cli, encrypted, wang, "show", "P0000001", "--reveal").output  # its values are bound to its id
    assert "household: H000002" in moved and "13912345600" in moved
    checked = run(cli, encrypted, wang, "validate").output  # H000001's 户主 moved out: the one warning
    assert checked.splitlines()[-1].startswith("0 errors, 1 warning"), checked
    assert "warning[GC263] household H000001 has no 户主" in checked


def test_history_and_diff_reveal_opened_values_or_name_them_never_ciphertext(encrypted: Path, cli, keys) -> None:
    wang, none = keys["wang"], keys["none"]
    assert run(cli, encrypted, wang, "edit", "P0000001", "--set", "phones=13912345600").exit_code == 0
    diffs = [("diff", "HEAD~1", "HEAD", "--reveal"), ("diff", "HEAD~1", "HEAD", "--reveal", "--format", "json")]
    for args in (("history", "P0000001", "--reveal"), ("history", "H000001", "--reveal"), *diffs):
        opened = run(cli, encrypted, wang, *args).output
        assert "13912345600" in opened and "15104652337" in opened and "ENC[" not in opened, (args, opened)
        closed = run(cli, encrypted, none, *args).output
        assert "13912345600" not in closed and "(已加密)" in closed and "ENC[" not in closed, (args, closed)
    shown = run(cli, encrypted, wang, "history", "P0000001", "--reveal").output
    assert "120101194207160392 → 120101194207160392" not in shown  # encrypt sealed it: not a change of value


def test_without_a_key_reads_work_validate_checks_what_it_can_and_personal_writes_refuse(
    encrypted: Path, cli, keys
) -> None:
    none = keys["none"]
    for args in (("list", "person"), ("show", "H000001"), ("status",), ("log",), ("history", "H000001")):
        result = run(cli, encrypted, none, *args)
        assert result.exit_code == 0, (args, result.output)
        assert "ENC[" not in result.output and "120101194207160392" not in result.output
    assert "(已加密)" in run(cli, encrypted, none, "show", "P0000001", "--reveal").output
    code, out, err = gridctl("-C", str(encrypted), "--lang", "en", "validate", env={**AUTHOR_ENV, **env(none)})
    assert code == 0 and out.startswith("no problems") and "Not checked (they need a key)" in err
    head = git.Repo(encrypted).head.commit.hexsha
    refused = run(cli, encrypted, none, "edit", "P0000001", "--set", "phones=13912345600")
    assert refused.exit_code == 2 and "no key here" in refused.output
    assert git.Repo(encrypted).head.commit.hexsha == head
    assert run(cli, encrypted, none, "edit", "H000001", "--set", "address.room=102").exit_code == 0  # nothing personal


def test_without_a_key_one_person_one_record_still_holds_by_hash(encrypted: Path, cli, keys) -> None:
    path = encrypted / HOUSE
    first = yaml_rs.loads(path.read_text(encoding="utf-8"))["members"][0]
    other = encrypted / "households/110105017006001/H000002.yaml"
    text = other.read_text(encoding="utf-8")
    data = yaml_rs.loads(text)["members"][0]
    other.write_text(text.replace(data["id_hash"], first["id_hash"]), encoding="utf-8")
    out = run(cli, encrypted, keys["none"], "validate").output
    assert "GC240" in out and "(已加密)" in out and first["id_hash"] not in out.split("GC240")[1].split("\n")[0]
    with_key = run(cli, encrypted, keys["wang"], "validate").output
    assert "GC703" in with_key  # the hash no longer matches its (opened) number


def test_a_sealed_value_moved_to_another_person_does_not_open(encrypted: Path, cli, keys) -> None:
    path = encrypted / HOUSE
    text = path.read_text(encoding="utf-8")
    mine = yaml_rs.loads(text)["members"][0]["phones"][0]
    other = encrypted / "households/110105017006001/H000002.yaml"
    theirs = yaml_rs.loads(other.read_text(encoding="utf-8"))["members"][0]["phones"][0]
    other.write_text(other.read_text(encoding="utf-8").replace(theirs, mine), encoding="utf-8")
    out = run(cli, encrypted, keys["wang"], "validate").output
    assert "error[GC702]" in out and "does not open for this record and field" in out
    assert '["(已加密)"]' in out


def test_a_quoted_line_names_every_sealed_value_on_it() -> None:
    """A flow-style member quoted whole: the other fields' ciphertext is named too, never printed."""
    from gridctl.model.masking import mask_line

    token = "ENC[AES256_GCM,key:1a2b3c4d,data:q3Vyi2EIqPJV0t+/AqtNm4LE==,type:str]"
    line = f'  - {{id: P0000001, id_number: "{token}", birth_date: "{token[:-4]}date]", phones: ["{token}"]}}'
    assert mask_line(line) == '  - {id: P0000001, id_number: "(已加密)", birth_date: "(已加密)", phones: ["(已加密)"]}'


def seal_into(root: Path, rel: str, member: int, name: str, value: str) -> None:
    """A sealed value written as another tool (or an older gridctl) would leave it (GRIDCTL_IDENTITY set)."""
    from gridctl.ledger.vault import RECIPIENTS, vault_from

    path = root / rel
    text = path.read_text(encoding="utf-8")
    data = yaml_rs.loads(text)["members"][member]
    token = vault_from((root / RECIPIENTS).read_bytes()).seal(value, data["id"], name)
    old = data[name][0] if name == "phones" else data[name]
    path.write_text(text.replace(old, token), encoding="utf-8")


def test_nothing_under_git_gridctl_holds_an_opened_value_after_a_clerks_day(
    demo: Path, cli, keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file gridctl keeps in .git/gridctl (columns, results, log, the reveal log …) after a day with a key.

    The values written after `encrypt` only ever existed sealed: none may be found. The residents'
    values of before are in the plain commits that history still holds (encrypt says so): only the
    history's cache (log-*.bin, those commits described) may repeat them, nothing else.
    """
    before = secrets_of(demo)
    wang = {**env(keys["wang"]), "GRIDCTL_TODAY": "2026-03-10"}
    assert cli("-C", str(demo), "encrypt", env=wang).exit_code == 0
    number = id_number(born="19991231", seq="123")
    added = ("add", "person", "--household", "H000001", "--set", "name=测试人", f"--set=id_number={number}",
             "--set", "gender=男", "--set", "birth_date=1999-12-31", "--set", "relation=其他",
             "--set", "phones=13912345601")  # fmt: skip
    sheet = tmp_path / "户籍.csv"
    day = [*DAY, ("edit", "P0000003", "--set", "phones=13912345600"), added, ("validate",),
           ("list", "person", "--reveal", "--format", "json"), ("show", "P0000001", "--reveal"),
           ("report", "registers", "--reveal"), ("list", "person", "--tag", "独居老人", "--reveal"),
           ("export", "household", "-o", str(sheet), "--reveal"), ("show", "P0000101", "--reveal")]  # fmt: skip
    for args in day:
        result = cli("-C", str(demo), "--lang", "en", *args, env=wang)
        assert result.exit_code in (0, 1), (args, result.output)
    text = sheet.read_text(encoding="utf-8-sig")
    assert number in text  # opened for the export the supervisor asked for
    sheet.write_text(text.replace("13912345601", "13912345602"), encoding="utf-8-sig")
    for args in (("import", "household", str(sheet)), ("log",), ("history", "P0000101", "--reveal"), ("status",)):
        result = cli("-C", str(demo), "--lang", "en", *args, env=wang)
        assert result.exit_code in (0, 1), (args, result.output)
    bad = {"120101194207160393", "1391234560"}  # a check digit and a phone's length wrong, sealed: found by validate
    monkeypatch.setenv("GRIDCTL_IDENTITY", keys["wang"]["GRIDCTL_IDENTITY"])
    seal_into(demo, HOUSE, 0, "id_number", "120101194207160393")
    seal_into(demo, HOUSE, 0, "phones", "1391234560")
    for _ in range(2):  # cold, then warm from the cache
        out = cli("-C", str(demo), "--lang", "en", "validate", env=wang).output
        assert "GC10" in out and not any(s in out for s in bad), out
    kept = [p for p in (demo / ".git" / "gridctl").rglob("*") if p.is_file()]
    names = {p.name for p in kept}
    assert {"columns.bin", "reveals.log"} <= names and any(n.startswith("log-") for n in names), names
    assert any(p.parent.name == "results" for p in kept)  # the kept validations, one file per state
    assert b"show P0000001 --reveal" in (demo / ".git" / "gridctl" / "reveals.log").read_bytes()
    sealed_only = {number, "13912345600", "13912345601", "13912345602", "1999-12-31", *bad}
    leaked = [(s, p.name) for p in kept for s in sealed_only if s.encode() in p.read_bytes()]
    assert not leaked, leaked[:3]
    older = [(s, p.name) for p in kept if not p.name.startswith("log-") for s in before if s.encode() in p.read_bytes()]
    assert not older, older[:3]
    tagged = [p for p in kept if "独居老人".encode() in p.read_bytes()]
    allowed = {"reveals.log"} | {n for n in names if n.startswith("log-")}  # a command typed
    allowed |= {"settings.pickle"}  # gridctl.yaml's own list of care groups, as committed in plain text
    assert all(p.name in allowed or p.parent.name == "views" for p in tagged), tagged  # or a kept status's count


def test_the_bulk_packs_of_a_large_encrypted_ledger_hold_no_opened_value(
    tmp_path: Path, cli, keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past 2,000 records gridctl keeps parsed documents ("docs") and rows ("rows") too: never opened."""
    from gridctl.ledger.vault import RECIPIENTS, vault_from

    root = make_ledger(tmp_path / "big")

    def commit() -> None:
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
        subprocess.run(["git", "-C", str(root), "commit", "-qm", "台账"], check=True, env={**os.environ, **AUTHOR_ENV})

    subprocess.run(["git", "init", "-q", str(root)], check=True)
    commit()
    wang, none = env(keys["wang"]), env(keys["none"])
    done = cli("-C", str(root), "encrypt", env={**wang, **AUTHOR_ENV})  # a CI machine has no git user of its own
    assert done.exit_code == 0, done.output
    monkeypatch.setenv("GRIDCTL_IDENTITY", wang["GRIDCTL_IDENTITY"])
    vault = vault_from((root / RECIPIENTS).read_bytes())
    member = (
        '  - {{id: {p}, name: 张伟, id_number: "{n}", id_hash: "{i}", gender: 男, birth_date: "{b}", relation: {r}, '
        'phones: ["{ph}"]}}\n'
    )
    secrets = set()
    for h in range(700):  # sealed as gridctl writes them (sealing 700 files one by one would take the test's time)
        people = ""
        for k in range(3):
            i = h * 3 + k
            p, year, seq = f"P{i + 1:07d}", 1950 + i // 500, f"{i % 500 * 2 + 1:03d}"  # odd: 男
            number, phone = id_number(seq=seq, born=f"{year}0101"), f"1390{p[1:]}"
            secrets |= {number, phone}
            people += member.format(
                p=p, n=vault.seal(number, p, "id_number"), i=vault.index(number), r="户主" if k == 0 else "子",
                b=vault.seal(dt.date(year, 1, 1), p, "birth_date"), ph=vault.seal(phone, p, "phones"),
            )  # fmt: skip
        head = household(f"H{h + 1:06d}").split("members:")[0]
        write(root, f"households/110105001001001/H{h + 1:06d}.yaml", head + "members:\n" + people)
    commit()
    monkeypatch.setattr("gridctl.prefetch.MIN_FILES", 200)  # a cold validate reads on every core, each with the vault
    for who in (wang, none):
        cold = cli("-C", str(root), "--lang", "en", "validate", env={**who, "GRIDCTL_NO_CACHE": "1"})
        assert "error[" not in cold.output and "1 warning" in cold.output, cold.output[:600]  # GC302 only
    for who, args in ((none, ("list", "person")), (wang, ("validate",)), (wang, ("list", "person", "--reveal")),
                      (wang, ("status",))):  # fmt: skip
        result = cli("-C", str(root), *args, env=who)
        assert result.exit_code in (0, 1), (args, result.output)
    from gridctl.ledger.index import load

    ledger, _problems = load(root)
    assert ledger is not None
    people = [p.id_number for p, _h, _s in ledger.people()]  # 2,100 records built: the documents kept in bulk
    assert len(people) == 2100 and set(people) <= secrets  # opened here, in memory
    ledger.remember()
    kept = [p for p in (root / ".git" / "gridctl").rglob("*") if p.is_file()]
    assert {"rows", "docs"} <= {p.name.split("-")[0] for p in kept}, kept
    blobs = b"".join(p.read_bytes() for p in kept)
    assert len(blobs) > 100_000
    leaked = [s for s in secrets if s.encode() in blobs]
    assert not leaked, leaked[:3]


def test_a_removed_recipient_opens_nothing_written_after(encrypted: Path, cli, keys) -> None:
    wang, li = keys["wang"], keys["li"]
    assert run(cli, encrypted, li, "keys", "list").output.count("does not open here") == 1
    added = run(cli, encrypted, wang, "keys", "add", "李强", li["public"])
    assert added.exit_code == 0, added.output
    assert "120101194207160392" in run(cli, encrypted, li, "show", "P0000001", "--reveal").output
    before = (encrypted / HOUSE).read_text(encoding="utf-8")
    removed = run(cli, encrypted, wang, "keys", "remove", "李强")
    assert removed.exit_code == 0, removed.output
    head = git.Repo(encrypted).head.commit
    assert "此前的提交仍可用旧密钥" in head.message and len(head.stats.files) == 41
    after = (encrypted / HOUSE).read_text(encoding="utf-8")
    assert after != before and after.count("ENC[") == before.count("ENC[")  # every value sealed again
    shown = run(cli, encrypted, li, "show", "P0000001", "--reveal").output
    assert "120101194207160392" not in shown and "(已加密)" in shown
    assert "120101194207160392" in run(cli, encrypted, wang, "show", "P0000001", "--reveal").output
    old = cli("-C", str(encrypted), "--as-of", "HEAD~1", "show", "P0000001", "--reveal", env=env(li)).output
    assert "120101194207160392" in old  # the old commit, with the old key, as the message said
    assert run(cli, encrypted, wang, "validate").output.startswith("no problems")


def test_a_register_imports_into_an_encrypted_ledger(encrypted: Path, cli, keys, tmp_path: Path) -> None:
    wang = keys["wang"]
    sheet = tmp_path / "户籍.csv"
    assert run(cli, encrypted, wang, "export", "household", "-o", str(sheet), "--reveal").exit_code == 0
    text = sheet.read_text(encoding="utf-8-sig")
    assert "15104652337" in text  # opened for the export the supervisor asked for
    sheet.write_text(text.replace("15104652337", "13912345609"), encoding="utf-8-sig")
    done = run(cli, encrypted, wang, "import", "household", str(sheet))
    assert done.exit_code == 0, done.output
    assert "updated 1" in done.output or "更新 1" in done.output
    files = "\n".join(p.read_text(encoding="utf-8") for p in (encrypted / "households").rglob("*.yaml"))
    assert "13912345609" not in files and "15104652337" not in files
    again = run(cli, encrypted, wang, "import", "household", str(sheet))
    assert again.exit_code == 0 and ("unchanged" in again.output or "没有变化" in again.output), again.output
    refused = run(cli, encrypted, keys["none"], "import", "household", str(sheet))
    assert refused.exit_code != 0


DAY = [
    ("visit", "H000001", "--by", "S0004", "--date", "2026-03-09"),
    ("inspect", "110105017006001", "--by", "S0004", "--all-ok", "--date", "2026-03-09"),
    ("event", "report", "--grid", "110105017006001", "--type", "矛盾纠纷", "--title", "邻里漏水纠纷", "--by", "S0004"),
    ("retire", "P0000002", "--reason", "迁出", "--date", "2026-03-10"),
    ("move", "H000003", "--to", "110105017006002"),
    ("edit", "H000003", "--set", "assigned_to=S0010"),  # its 包户人 now one of 第二网格's (GC236 otherwise)
    ("edit", "H000001", "--set", "address.room=102"),
    ("status",), ("due",), ("log",), ("diff", "HEAD~3", "HEAD"), ("history", "H000001"), ("show", "H000001"),
    ("list", "person", "--format", "json"), ("report", "monthly", "--month", "2026-03"), ("report", "registers"),
    ("print", "board", "110105017006001", "--no-record"), ("filing",),
    ("export", "household", "-o", "-", "--format", "json"), ("validate", "--format", "json"), ("keys", "list"),
    ("activity", "110105017006001", "--type", "工作例会", "--date", "2026-03-09", "--title", "例会", "--by", "S0004"),
    ("report", "assessment", "--period", "2026-03"), ("report", "bulletin", "--period", "2026-03"),
    ("print", "cards", "--all", "--no-record"), ("print", "chart", "--no-record"), ("audit", "reveals"),
    ("document", "add", "110105017006001", "--type", "工作计划", "--title", "三月工作计划", "--due", "2026-03-31"),
]  # fmt: skip
"""A clerk's day beyond the personal fields: none of it needs the key, all of it works on an encrypted ledger.
(Choosing people by care group needs the key: tests/test_sealed_tags.py.)"""


@pytest.mark.parametrize("who", ["wang", "none"])
def test_a_clerks_day_on_an_encrypted_ledger(encrypted: Path, cli, keys, who: str) -> None:
    secrets = {"120101194207160392", "15104652337", "1942-07-16"}
    for args in DAY:
        result = cli("-C", str(encrypted), "--lang", "en", *args, env={**env(keys[who]), "GRIDCTL_TODAY": "2026-03-10"})
        assert result.exit_code in (0, 1), (args, result.output)
        assert not any(s in result.output for s in secrets), args
        assert "ENC[" not in result.output, args  # ciphertext is never shown either
    files = "\n".join(p.read_text(encoding="utf-8") for p in (encrypted / "households").rglob("*.yaml"))
    assert not any(s in files for s in secrets)
    checked = run(cli, encrypted, keys["wang"], "validate").output  # H000002's 户主 moved away: the one warning
    assert checked.splitlines()[-1].startswith("0 errors, 1 warning"), checked
    assert "warning[GC263] household H000002 has no living 户主 (the head, P0000002, is retired)" in checked
