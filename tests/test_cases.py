"""Golden cases: one tiny broken ledger per problem code, and exactly what a clerk and CI see.

`tests/cases/<CODE>/ledger/` is copied to a temp folder; `make.py`, when the case has one, adds the
file that cannot sensibly live in git (GBK bytes, a binary, a symlink, a 3 MB file). The real CLI
validates the copy, and its output must equal `expected.zh.txt`, `expected.en.txt` (text) and
`expected.json` (JSON in English, the absolute ledger path replaced by "<ledger>").

After a deliberate change to a message, a check or the layout, regenerate and read every diff
before committing (the message must make sense to a clerk, the caret sit under the bad value):

    python tests/test_cases.py --regen [GC103 ...]
    GRIDCTL_REGEN=1 pytest tests/test_cases.py

docs/problems.md is generated from the catalog and these cases: `python -m gridctl.docs`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import yaml_rs
from typer.testing import CliRunner

from gridctl.cli.main import app
from gridctl.messages import CATALOG

CASES = Path(__file__).resolve().parent / "cases"
REPO = CASES.parent.parent
NO_CASE = {"GC900"}
"""Codes without a data case: GC900 (a check that crashes) is tested by registering a crashing check."""

EXPECTED = ("expected.zh.txt", "expected.en.txt", "expected.json")
RUNS = {
    "expected.zh.txt": ("--lang", "zh", "--format", "text"),
    "expected.en.txt": ("--lang", "en", "--format", "text"),
    "expected.json": ("--lang", "en", "--format", "json"),
}


def case_codes() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir() and (p / "ledger").is_dir())


def build(code: str, dest: Path) -> Path:
    """A fresh copy of the case's ledger in dest, with make.py applied."""
    root = dest / "ledger"
    shutil.copytree(CASES / code / "ledger", root, symlinks=True)
    maker = CASES / code / "make.py"
    if maker.is_file():
        spec = importlib.util.spec_from_file_location(f"case_{code}_make", maker)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.make(root)
    return root


def validate(root: Path, *args: str) -> tuple[int, str]:
    """Run `gridctl -C root validate ARGS` in process; (exit code, stdout). A traceback fails the test."""
    result = CliRunner().invoke(app, ["-C", str(root), "validate", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def normalise(name: str, output: str, root: Path) -> str:
    if name.endswith(".json"):
        doc = json.loads(output)  # exactly one JSON document, or this fails
        assert doc["ledger"] == str(root.resolve())
        return output.replace(json.dumps(str(root.resolve()), ensure_ascii=False), '"<ledger>"', 1)
    return output


def outputs(code: str, dest: Path) -> tuple[dict[str, str], dict[str, int]]:
    """The case's three outputs (normalised) and their exit codes."""
    root = build(code, dest)
    texts, codes = {}, {}
    for name, args in RUNS.items():
        codes[name], out = validate(root, *args)
        texts[name] = normalise(name, out, root)
    codes["--strict"], _ = validate(root, "--strict", "--lang", "en")
    return texts, codes


def regen(code: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        texts, _ = outputs(code, Path(tmp))
    for name, text in texts.items():
        (CASES / code / name).write_text(text, encoding="utf-8", newline="\n")


@pytest.mark.parametrize("code", case_codes())
def test_case_output(code: str, tmp_path: Path) -> None:
    if os.environ.get("GRIDCTL_REGEN"):
        regen(code)
    texts, codes = outputs(code, tmp_path)
    for name in EXPECTED:
        expected = (CASES / code / name).read_text(encoding="utf-8")
        assert texts[name] == expected, f"{code}/{name} differs; see the module docstring to regenerate"
    summary = json.loads(texts["expected.json"])["summary"]
    want = 1 if summary["errors"] else 0
    assert codes == {"expected.zh.txt": want, "expected.en.txt": want, "expected.json": want, "--strict": 1}


def test_every_code_has_a_case() -> None:
    codes = set(case_codes())
    assert codes == set(CATALOG) - NO_CASE
    for code in codes:
        folder = CASES / code
        assert (folder / "README.md").read_text(encoding="utf-8").startswith(f"{code}: ")
        assert (folder / "ledger" / "gridctl.yaml").is_file()
        for name in EXPECTED:
            assert (folder / name).is_file(), f"{code}/{name} missing: python tests/test_cases.py --regen {code}"


@pytest.mark.parametrize("code", case_codes())
def test_case_shows_its_own_code(code: str) -> None:
    severity = CATALOG[code].severity
    for name in ("expected.zh.txt", "expected.en.txt"):
        assert f": {severity}[{code}] " in (CASES / code / name).read_text(encoding="utf-8")
    problems = json.loads((CASES / code / "expected.json").read_text(encoding="utf-8"))["problems"]
    assert code in {p["code"] for p in problems}
    settings = yaml_rs.loads((CASES / code / "ledger" / "gridctl.yaml").read_text(encoding="utf-8"))
    assert code not in settings.get("disabled", []), "a case must not switch off the code it demonstrates"


def test_crashing_check_becomes_gc900(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gridctl.checks as checks

    def broken(ledger, settings):  # type: ignore[no-untyped-def]
        yield from ()
        raise KeyError("county")

    monkeypatch.setattr(checks, "GLOBAL", [*checks.GLOBAL, ("rental_plates", broken)])
    code, out = validate(ledger, "--lang", "zh")
    assert code == 1
    assert "error[GC900] 检查 rental_plates 内部出错: KeyError: 'county'" in out
    assert "Traceback" not in out
    code, out = validate(ledger, "--lang", "en", "--format", "json")
    assert code == 1
    (problem,) = json.loads(out)["problems"]
    assert problem["code"] == "GC900" and problem["severity"] == "error"
    assert problem["message"] == "check rental_plates failed internally: KeyError: 'county'"


def test_problem_reference_is_current() -> None:
    from gridctl.docs import render

    current = (REPO / "docs" / "problems.md").read_text(encoding="utf-8")
    assert current == render(), "docs/problems.md is stale: python -m gridctl.docs"


def test_every_hint_in_the_reference_reads_as_text() -> None:
    """GC240's hint read "同一人只保留一条记录：{remedy_zh}" / "keep one record per person: {remedy}": a
    placeholder for a phrase the check words for each case. The page may keep only a record's values
    ({grid}, {role}, an id), which its introduction says are filled in from the record."""
    import re

    from gridctl.docs import VALUES
    from gridctl.messages import HINT_PHRASES

    page = (REPO / "docs" / "problems.md").read_text(encoding="utf-8")
    left = {
        (code, name)
        for code, row in re.findall(r"## (GC\d+) ·.*?\n\| hint \| ([^\n]*)", page, re.DOTALL)
        for name in re.findall(r"\{([^{}]*)\}", row)
        if name not in VALUES
    }
    assert not left, f"placeholders for phrases, not values, in docs/problems.md: {sorted(left)}"
    for code, phrases in HINT_PHRASES.items():  # and no phrase is written out for a placeholder gone from its hint
        hints = f"{CATALOG[code].hint_zh} {CATALOG[code].hint_en}"
        assert all("{" + name + "}" in hints for name in phrases), code
    assert "| hint | 同一人只保留一条记录：迁户时把人员移到新户，并从原户删除；" in page


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Regenerate the expected output of golden cases.")
    parser.add_argument("--regen", action="store_true", help="write expected.* for the cases")
    parser.add_argument("codes", nargs="*", help="cases to regenerate (default: all)")
    args = parser.parse_args(argv)
    if not args.regen:
        parser.error("nothing to do; pass --regen (the tests run under pytest)")
    for code in args.codes or case_codes():
        regen(code)
        print(f"{code}: wrote {', '.join(EXPECTED)}")
    print("review the diffs (git diff tests/cases), then: python -m gridctl.docs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
