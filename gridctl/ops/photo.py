"""`gridctl photo`: a staff member's (or a place's) photo into photos/, at print size, with its record.

A phone photo is 4000×3000 pixels and 5 MB, sideways by its EXIF tag, and carries where and when it
was taken; a notice board prints it 22×29 mm (31×41 mm on A3). So the photo is turned upright, cut to
the board's 3:4 frame (faces sit high: the cut keeps the top), scaled to 360×480 (30×40 mm at
300 dpi) and saved as a JPEG without its EXIF, in the same commit that names it in the record.
"""

from __future__ import annotations

import io

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.ledger.safepath import safe_segment
from gridctl.messages import KIND_ZH
from gridctl.ops.records import Change, Edit, find

SIZE = (360, 480)
"""Pixels of a printed photo: 30×40 mm at 300 dpi, the board's 3:4 frame (22×29 mm, 31×41 mm on A3)."""
FOLDER = "photos"


def print_size(data: bytes, name: str) -> bytes:
    """The image in `data` upright, cut to 3:4, at print size, as a JPEG without EXIF."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            framed = ImageOps.fit(upright.convert("RGB"), SIZE, Image.Resampling.LANCZOS, centering=(0.5, 0.35))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise GridctlError(
            Text(
                f"{name} 不是可以读取的图片 ({type(exc).__name__})",
                f"{name} is not a readable image ({type(exc).__name__})",
            ),
            hint=Text("用 JPEG 或 PNG 格式的照片", "use a JPEG or PNG photo"),
        ) from None
    out = io.BytesIO()
    framed.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def set_photo(ledger: Ledger, record_id: str, jpeg: bytes) -> Change:
    """The photo file and the record that names it, as one change."""
    entry = find(ledger, record_id, ["staff", "place"])
    rel = f"{FOLDER}/{safe_segment(entry.id, 'id')}.jpg"
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    node["photo"] = rel
    name = str(node.get("name") or "")
    kind = KIND_ZH.get(entry.kind, entry.kind)
    subject = Text(
        f"照片 {kind} {entry.id}：{name}".rstrip("："), f"photo of {entry.kind} {entry.id}: {name}".rstrip(": ")
    )
    return Change(subject, {rel: jpeg, doc.rel: doc.dump()}, entry.id)
