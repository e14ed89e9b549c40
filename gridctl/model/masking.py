"""Masking of personal data, the same rule everywhere (design.md §2).

ID numbers keep 6 + 4 characters (region and last four), phones keep 3 + 4; anything too
short to mask meaningfully is fully starred. Care-group tags are replaced as a whole.
"""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_text(value: str) -> str:
    """Mask a free value of unknown shape (e.g. a tag) without hinting at its content."""
    return "***"


def mask_value(field: str, value: str) -> str:
    """Mask `value` by what kind of sensitive field it came from."""
    if "phone" in field:
        return mask_phone(value)
    if "id_number" in field:
        return mask_id_number(value)
    return mask_text(value)
