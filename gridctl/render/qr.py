"""Contact QR codes: a vCard 3.0 in UTF-8 that a phone's camera saves as a contact.

Always a full QR code (`segno.make_qr`), never Micro QR, which phone cameras do not read.
"""

from __future__ import annotations

import base64
import io

_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "令狐",
    "端木",
    "申屠",
    "呼延",
    "独孤",
    "南宫",
    "西门",
    "万俟",
    "闻人",
    "澹台",
)


def _escape(value: str) -> str:
    """RFC 2426 text value escaping; every line break (CRLF, LF or a lone CR) is `\\n`, so no value can
    start a line of its own (a forged TEL or END:VCARD)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a Chinese name; a name with a space or Latin letters is kept whole."""
    if not name or " " in name or name.isascii():
        return name, ""
    for surname in _COMPOUND_SURNAMES:
        if name.startswith(surname) and len(name) > len(surname):
            return surname, name[len(surname) :]
    return name[:1], name[1:]


def vcard(name: str, phone: str, role: str = "", organization: str = "", note: str = "") -> str:
    """A vCard 3.0 for one staff member (UTF-8 text, CRLF line ends as the RFC asks)."""
    family, given = split_name(name)
    tel_type = "CELL,VOICE" if phone.startswith("1") and len(phone) == 11 else "WORK,VOICE"
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_escape(family)};{_escape(given)};;;",
        f"FN:{_escape(name)}",
    ]
    if organization:
        lines.append(f"ORG:{_escape(organization)}")
    if role:
        lines.append(f"TITLE:{_escape(role)}")
    if phone:
        lines.append(f"TEL;TYPE={tel_type}:{_escape(phone)}")
    if note:
        lines.append(f"NOTE:{_escape(note)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def qr_png(text: str, scale: int = 4) -> bytes:
    """A QR code (never Micro QR) of `text` in UTF-8 as PNG bytes, with the standard quiet zone."""
    import segno

    code = segno.make_qr(text, encoding="utf-8", error="m")
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_data_uri(text: str, scale: int = 4) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(text, scale)).decode("ascii")
