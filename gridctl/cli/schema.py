"""`gridctl schema`: JSON Schema per kind, for editors (VS Code) and other validators."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def schema(
    out: Annotated[
        Path, typer.Option("-o", "--output", metavar="DIR", help="Folder to write the schemas into.")
    ] = Path("schemas"),
) -> None:
    """Write one JSON Schema per record kind (and gridctl.yaml) into -o DIR."""
    from gridctl.schemas import write_schemas

    for path in write_schemas(out):
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
