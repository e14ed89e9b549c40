"""Put an Excel workbook, renamed to .yaml, into the household folder."""

from pathlib import Path

# The head of an .xlsx file: a zip archive (local file header, then [Content_Types].xml).
XLSX_HEAD = (
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01\x00\x00\x90\x04\x00\x00"
    b"\x13\x00\x08\x02[Content_Types].xml \xa2\x04\x02(\xa0\x00\x02\x00\x00\x00\x00\x00\x00"
)


def make(ledger_dir: Path) -> None:
    path = ledger_dir / "households/110105001001001/住户名单.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(XLSX_HEAD + bytes(512))
