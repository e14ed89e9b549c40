"""`gridctl schema`: JSON Schema per kind, for editors (VS Code) and other validators."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the schemas into.")] = Path("schemas"),
) -> None:
    """Write one JSON Schema per record kind (and gridctl.yaml) into --out."""
    from gridctl.schemas import write_schemas

    for path in write_schemas(out):
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
