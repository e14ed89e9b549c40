"""A photo or scan to commit beside a record: what it is, its size, and nothing the leak guard refuses.

gridctl commits through git fast-import, so the ledger's leak-guard hook never sees these files: the
same guard is asked here, before anything is written. A file whose content is not what its name
says (a text or sheet renamed .jpg, a download that stopped at 0 bytes) is refused too: it would be
committed as evidence and print as an empty box.
"""

from __future__ import annotations

from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".pdf")
MAX_FILE_MB = 20
"""A scan or photo larger than this is refused: git keeps every version of it for ever."""
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
KINDS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WebP", ".gif": "GIF", ".heic": "HEIC", ".pdf": "PDF"}


def looks_like(data: bytes, suffix: str) -> bool:
    """The file's first bytes are those of the kind its suffix names (the formats' own signatures)."""
    if suffix in (".jpg", ".jpeg"):
        return data.startswith(b"\xff\xd8")
    if suffix == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix == ".gif":
        return data.startswith((b"GIF87a", b"GIF89a"))
    if suffix == ".webp":
        return data.startswith(b"RIFF") and data[8:12] == b"WEBP"
    if suffix == ".heic":  # an ISO box 'ftyp' naming a HEIF brand: an MP4 or MOV film has the box too
        size = int.from_bytes(data[:4], "big")
        brands = {data[i : i + 4] for i in range(8, min(size, 64), 4)} - {data[12:16]}  # minus the version
        return data[4:8] == b"ftyp" and bool(brands & HEIF_BRANDS)
    return b"%PDF-" in data[:1024]  # readers allow a little before the header


def read_attachment(ledger: Ledger, path: Path) -> tuple[bytes, str]:
    """(bytes, lower-case suffix) of a photo or scan to commit, or a clear refusal."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        allowed = " ".join(SUFFIXES)
        raise GridctlError(
            Text(f"{path.name}: 不是照片或 PDF 文件", f"{path.name}: not a photo or PDF"),
            hint=Text(f"可用的文件: {allowed}", f"allowed: {allowed}"),
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_MB * 2**20:  # before reading it: a film of 2 GB is not read into memory
            shown = f"{size / 2**20:.1f}"
            raise GridctlError(
                Text(
                    f"{path.name} 有 {shown} MB，文件过大 (最多 {MAX_FILE_MB} MB)",
                    f"{path.name} is {shown} MB; at most {MAX_FILE_MB} MB",
                ),
                hint=Text("用较低的分辨率扫描，或压缩照片", "scan at a lower resolution or compress the photo"),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise GridctlError(Text(f"无法读取 {path}: {exc.strerror}", f"cannot read {path}: {exc.strerror}")) from None
    if not looks_like(data, suffix):
        kind = KINDS[suffix]
        raise GridctlError(
            Text(
                f"{path.name}: 内容不是 {kind} 文件 (文件已损坏，或改过扩展名)",
                f"{path.name}: its content is not a {kind} file (damaged, or renamed)",
            ),
            hint=Text(
                "重新扫描或拍照，保存为 JPEG、PNG 或 PDF", "scan or photograph it again, saved as JPEG, PNG or PDF"
            ),
        )
    refuse_leaks(ledger, path.name, data)
    return data, suffix


def refuse_leaks(ledger: Ledger, name: str, data: bytes) -> None:
    """Refuse a file holding what the ledger's leak guard refuses: a resident's ID number or mobile as text."""
    from gridctl.leakguard import Guard
    from gridctl.ops.privacy import public_digits

    guard = Guard(ledger.root, False, ledger.settings.privacy.spreadsheet_folder, public_digits(ledger))
    leaks = guard.check(name, data)
    if not leaks:
        return
    raise GridctlError(
        Text(
            "；".join(leak.text("zh") for leak in leaks) + "。提交后会永久留在台账的历史里",
            "; ".join(leak.text("en") for leak in leaks) + ". Once committed, every clone keeps it",
        ),
        hint=Text(
            "提交不含居民身份证号码和手机号的扫描件 (遮盖后重新扫描)；台账的 leak-guard 也会拒绝这个文件",
            "commit a scan without residents' ID numbers and mobiles (cover them and scan again); "
            "the ledger's leak-guard refuses this file too",
        ),
    )
