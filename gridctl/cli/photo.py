"""`gridctl photo STAFF_OR_PLACE FILE`: the photo a notice board prints, at print size, in one commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import change
from gridctl.cli.complete import ids_of
from gridctl.i18n import Text


def photo(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A staff member or a place (id or name).", autocompletion=ids_of("staff", "place")
        ),
    ],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The photo: a JPEG or PNG from a camera or phone.")],
) -> None:
    """Put a photo into photos/ (upright, cut to the board's frame, print size) and name it in the record."""
    from gridctl.errors import GridctlError
    from gridctl.ops.photo import print_size, set_photo

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise GridctlError(
            Text(
                f"无法读取 {file}: {exc.strerror or exc}",
                f"cannot read {file}: {exc.strerror or exc}",
            )
        ) from None
    jpeg = print_size(data, file.name)
    change(ctx, lambda ledger: set_photo(ledger, record_id, jpeg))


def register(app: typer.Typer) -> None:
    app.command("photo")(photo)
