"""The JSON Schemas in schemas/ are generated from the models and must never go stale."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gridctl.model import KINDS
from gridctl.schemas import render, schema_documents

REPO = Path(__file__).resolve().parent.parent


def test_committed_schemas_are_current() -> None:
    docs = schema_documents()
    stale = [
        name
        for name, doc in docs.items()
        if not (REPO / "schemas" / name).is_file()
        or (REPO / "schemas" / name).read_text(encoding="utf-8") != render(doc)
    ]
    assert not stale, f"run `gridctl schema -o schemas` and commit: {stale}"
    assert sorted(p.name for p in (REPO / "schemas").glob("*.json")) == sorted(docs)


def test_schema_command_writes_one_file_per_kind(tmp_path: Path, cli) -> None:
    result = cli("schema", "-o", str(tmp_path / "s"))
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == sorted([f"{k}.schema.json" for k in KINDS] + ["settings.schema.json"])
    household = json.loads((tmp_path / "s" / "household.schema.json").read_text(encoding="utf-8"))
    person = household["$defs"]["Person"]["properties"]
    assert person["id_number"]["anyOf"][0]["x-sensitive"] is True
    assert household["additionalProperties"] is False


def check_jsonschema(schema: str, record: Path) -> subprocess.CompletedProcess[str]:
    """The generic JSON Schema validator editors and other tools use, on one file."""
    args = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(REPO / "schemas" / schema), str(record)]
    return subprocess.run(args, capture_output=True, text=True)


def test_check_jsonschema_accepts_a_valid_record(ledger: Path) -> None:
    proc = check_jsonschema("staff.schema.json", ledger / "staff" / "S0001.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    bad = ledger / "staff" / "S0009.yaml"
    bad.write_text("kind: staff\nid: S0009\nname: 王五\ncolour: red\n", encoding="utf-8")
    assert check_jsonschema("staff.schema.json", bad).returncode == 1
