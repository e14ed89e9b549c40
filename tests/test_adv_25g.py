"""An encrypted ledger under stress: outputs without a key, exports read back, keys changed in two clones."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_encryption import env, identity


@pytest.fixture
def people(tmp_path: Path) -> dict[str, dict[str, str]]:
    """Two clerks' identities (GRIDCTL_IDENTITY) and a computer with none (an empty config folder)."""
    a, b = identity(), identity()
    return {
        "wang": {"GRIDCTL_IDENTITY": a[0], "public": a[1]},
        "li": {"GRIDCTL_IDENTITY": b[0], "public": b[1]},
        "none": {"GRIDCTL_IDENTITY": "", "XDG_CONFIG_HOME": str(tmp_path / "no-config")},
    }


@pytest.fixture
def sealed(demo: Path, cli, people) -> Path:
    result = cli("-C", str(demo), "encrypt", "--name", "王芳", env=env(people["wang"]))
    assert result.exit_code == 0, result.output
    return demo


def run(cli, root: Path, who: dict[str, str], *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(root), "--lang", "en", *args, env=env(who))


def test_reveal_without_a_key_never_writes_ciphertext_and_says_what_stayed_encrypted(
    sealed: Path, cli, people, tmp_path: Path
) -> None:
    """`--reveal` where no key opens the ledger: every value still encrypted is named (已加密), the tags too
    (they were printed as ENC[…] tokens in list and export), and the export says the sheet is not in full."""
    none = people["none"]
    sheet = tmp_path / "户籍.csv"
    for args in (("list", "person", "--reveal", "--format", "csv"),
                 ("list", "household", "--reveal", "--format", "json"),
                 ("export", "household", "-o", "-", "--format", "json", "--reveal"),
                 ("export", "household", "-o", str(sheet), "--reveal")):  # fmt: skip
        result = run(cli, sealed, none, *args)
        assert result.exit_code == 0, (args, result.output)
        assert "ENC[" not in result.output, (args, [ln for ln in result.output.splitlines() if "ENC[" in ln][:2])
    text = sheet.read_text(encoding="utf-8-sig")
    assert "ENC[" not in text and "(已加密)" in text
    said = run(cli, sealed, none, "export", "household", "-o", str(sheet), "--reveal").output
    assert "no key here opens" in said, said


def test_a_register_exported_without_a_key_reads_back(sealed: Path, cli, people, tmp_path: Path) -> None:
    """A worker with no key exports the register, corrects a room, and imports it: (已加密) means "as before"
    (as a masked value does), so the address is updated; every row was rejected before, for (已加密)."""
    none, wang = people["none"], people["wang"]
    for reveal in ((), ("--reveal",)):
        sheet = tmp_path / f"户籍{len(reveal)}.csv"
        assert run(cli, sealed, none, "export", "household", "-o", str(sheet), *reveal).exit_code == 0
        text = sheet.read_text(encoding="utf-8-sig")
        assert "(已加密)" in text
        row = next(ln for ln in text.splitlines() if ln.startswith("H000001,P0000001,"))
        was, room = ("103", "102") if reveal else ("101", "103")
        sheet.write_text(text.replace(row, row.replace(f",\t{was},", f",\t{room},", 1)), encoding="utf-8-sig")
        done = run(cli, sealed, none, "import", "household", str(sheet), "--accept-address")
        assert done.exit_code == 0, done.output
        assert "updated 1" in done.output, done.output
        assert f"room: '{room}'" in run(cli, sealed, wang, "show", "H000001").output
        again = run(cli, sealed, wang, "import", "household", str(sheet))  # with a key: still "as before"
        assert again.exit_code == 0 and "unchanged" in again.output, again.output
    shown = run(cli, sealed, wang, "show", "P0000001", "--reveal").output
    assert "120101194207160392" in shown and "15104652337" in shown and "1942-07-16" in shown  # nothing lost
    assert run(cli, sealed, wang, "validate").output.startswith("no problems")
    new = tmp_path / "新户.csv"  # a new person cannot be "as before": refused at the cell, nothing written
    new.write_text("\ufeff" + "所属网格,姓名,与户主关系,性别,公民身份号码,出生日期\n"
                   "110105017006001,新人,户主,男,(已加密),(已加密)\n", encoding="utf-8")  # fmt: skip
    refused = run(cli, sealed, wang, "import", "household", str(new))
    assert refused.exit_code == 1 and "masked value" in refused.output, refused.output
