"""JSON Schemas generated from the models; `schemas/` in the repository is their committed copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gridctl.model import KINDS, Settings

BASE = "https://gridctl.example/schemas/"


def schema_documents() -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for kind, model in KINDS.items():
        doc = model.model_json_schema()
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        doc["$id"] = f"{BASE}{kind}.schema.json"
        docs[f"{kind}.schema.json"] = doc
    settings = Settings.model_json_schema()
    settings["required"] = ["name"]  # the rest comes from the profile
    settings["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    settings["$id"] = f"{BASE}settings.schema.json"
    docs["settings.schema.json"] = settings
    return docs


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in schema_documents().items():
        path = out / name
        path.write_text(render(doc), encoding="utf-8", newline="\n")
        written.append(path)
    return written
