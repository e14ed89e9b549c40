"""Masking of personal data, the same rule everywhere (design.md §2), so no output can be undone.

An ID number is 6 region digits, 8 birth-date digits, 3 sequence digits and a check digit. A
mask that kept the date or the sequence would let anyone rebuild the number from what a masked
view prints beside it (the birth date, the gender), so the mask keeps the region alone, and a
birth date is shown as its year. Phones keep 3 + 4 digits (10,000 numbers fit one mask).
Care-group tags are replaced as a whole. An encrypted value (gridctl.ledger.vault) shows as
encrypted, never as its ciphertext.

Free text (a reason, a note, a line of a file quoted in a message) is scanned: an ID number or a
mobile number in it is masked wherever it stands (`mask_text`), and `personal_data` names what a
reason must not hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

SEALED_PREFIX = "ENC["
"""How an encrypted value starts (gridctl.ledger.vault writes `ENC[AES256_GCM,…]`)."""
SEALED_SHOWN = "(已加密)"

DATE = re.compile(r"(?<![0-9])(\d{4})-(\d{1,2})-(\d{1,2})(?![0-9])")


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def mask_id_number(value: str) -> str:
    """The region (6 characters) of a resident ID number; nothing of a short document number."""
    if is_sealed(value):
        return SEALED_SHOWN
    if len(value) < 15:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 6)


def mask_phone(value: str) -> str:
    if is_sealed(value):
        return SEALED_SHOWN
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_date(value: Any) -> str:
    """A birth date as its year: `1942-**-**` (the year is what a masked view may show)."""
    text = str(value)
    if is_sealed(text):
        return SEALED_SHOWN
    m = re.match(r"^\s*(\d{4})", text)
    return f"{m.group(1)}-**-**" if m else "*" * len(text)


def mask_tag(value: str) -> str:
    """Mask a free value of unknown shape (e.g. a tag) without hinting at its content."""
    return "***"


def mask_value(field: str, value: str) -> str:
    """Mask `value` by what kind of sensitive field it came from."""
    if is_sealed(value) or value == SEALED_SHOWN:
        return SEALED_SHOWN
    if "phone" in field:
        return mask_phone(value)
    if "id_number" in field:
        return mask_id_number(value)
    if "birth" in field:
        return mask_date(value)
    return mask_tag(value)


def mask_any(field: str, value: Any) -> Any:
    """A field's value (one value or a list) masked by its kind; tags as one `***`."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        if "tags" in field:
            return ["***"] if value else []
        return [mask_value(field, str(v)) for v in value]
    return mask_value(field, str(value))


SENSITIVE_NAMES = ("id_number", "phones", "tags", "birth_date")
"""Field names (also as import columns and command-line keys) that hold personal data."""


def is_sensitive_name(key: str) -> bool:
    """`members[0].phones`, `household_tags`, `--set=id_number`: the field a key names holds personal data."""
    return key.endswith(SENSITIVE_NAMES)


# -- free text -----------------------------------------------------------------------------------

_SEP = r"[ .\-]?"
ID_WRITTEN = re.compile(
    rf"(?<![0-9A-Za-z])(\d{{6}}){_SEP}((?:18|19|20)\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{2}})"
    rf"{_SEP}(\d{{3}}){_SEP}([0-9Xx])(?![0-9A-Za-z])"
)
"""An ID number as a clerk may type it in text: whole, or in groups with spaces, hyphens or dots between.
A 15-digit number of the first generation is not looked for: a grid code (GB/T 10114 community code + 3)
reads as one, region, YYMMDD and all."""
MOBILE_WRITTEN = re.compile(
    r"(?<![0-9])((?:\+|00)?86[ -]?|\(\+?86\) ?)?(1" + _SEP + r"[3-9](?:" + _SEP + r"\d){9})(?![0-9])"
)
"""A mobile as typed: 11 digits with at most one space, hyphen or dot between any two, +86/0086/86- before."""
_FOLD = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF38: "X", 0xFF58: "x", 0xFF0B: "+", 0xFF0D: "-"}
"""Full-width digits (and X, +, -) as a Chinese input method types them: read as their ASCII selves."""


def _mask_id_match(m: re.Match[str]) -> str:
    return m.group(1) + "*" * 12


def _mask_mobile(m: re.Match[str]) -> str:
    return (m.group(1) or "") + mask_phone(_digits(m.group(2)))


_DIGIT = re.compile(r"\d")
"""Any digit (as `\\d` in the patterns: full-width ones too): most text has none to mask."""


def mask_text(text: str, public_phones: Iterable[str] = ()) -> str:
    """Free text with every ID number, every mobile and every landline (but the ledger's public phones)
    masked, however written: in groups or full-width. A resident's home phone in a note (家中电话
    0571-8888 8888) is theirs as a mobile is. Text with something masked comes back with its
    full-width digits as ASCII ones; text with nothing to mask comes back as it was."""
    return _replaced(text, public_phones, _mask_id_match, _mask_mobile, _mask_landline)


def mask_ids(text: str) -> str:
    """Text with every ID number masked and mobiles as they are: an error message, which may name a file
    or quote a value the clerk gave (a staff member's phone is public there)."""
    return _replaced(text, (), _mask_id_match, _as_typed, _as_typed)


WITHHELD = "（号码已隐去）"
"""What a public print shows where a clerk's text held an ID number or a mobile: not even a mask of it."""


def withhold_text(text: str, public_phones: Iterable[str] = ()) -> str:
    """Free text for a public print (a filled-in form): every ID number, private mobile and landline in it
    removed whole (a landline no record publishes may be a resident's home)."""
    return _replaced(text, public_phones, _withheld, _withheld, _withheld)


def _withheld(_m: re.Match[str]) -> str:
    return WITHHELD


def _as_typed(m: re.Match[str]) -> str:
    return m.group(0)


def _replaced(text: str, public_phones: Iterable[str], id_with: Any, mobile_with: Any, landline_with: Any) -> str:
    """`text` with each ID number replaced by `id_with(match)`, each mobile not among the public
    phones by `mobile_with(match)` and each such landline by `landline_with(match)`, read however
    written (full-width digits folded); the text as it was when nothing is found."""
    if not text or _DIGIT.search(text) is None:
        return text
    public = frozenset(_digits(p) for p in public_phones)
    folded = text.translate(_FOLD)
    out = ID_WRITTEN.sub(id_with, folded)
    out = MOBILE_WRITTEN.sub(lambda m: m.group(0) if _digits(m.group(2)) in public else mobile_with(m), out)
    out = LANDLINE_WRITTEN.sub(lambda m: m.group(0) if _digits(m.group(0)) in public else landline_with(m), out)
    return text if out == folded else out


def mask_free(value: Any) -> Any:
    """A free value with every ID number and mobile in it masked: text, or a number typed where text
    was meant (`extra: {旧证号: 310104198807061139}` unquoted is a number, and was shown whole by
    show, history, list and export; `1.3800138000e10` is one too), in lists and mappings as well
    (an extra field may hold either). Other values as they are."""
    if isinstance(value, str):
        return mask_text(value)
    number = isinstance(value, int) and not isinstance(value, bool)
    whole = number or (isinstance(value, float) and value.is_integer())
    if whole and abs(value) >= 10_000_000:
        text = str(int(value))
        masked = mask_text(text)
        return value if masked == text else masked
    if isinstance(value, list | tuple):
        return [mask_free(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_free(v) for k, v in value.items()}
    return value


LANDLINE_WRITTEN = re.compile(r"(?<![0-9])([(（]?0\d{2,3}[)）]?[ -]?)(\d{3,4}[ -]?)(\d{4})(?![0-9])")
"""A landline as typed: area code (010, 0571) and 7 or 8 digits, perhaps in groups (0571-8888 8888, (010)62345678)."""


def mask_landlines(text: str) -> str:
    """Text with every landline's local number masked but its last 4 digits (`010-****5678`): a resident's
    home phone is theirs as a mobile is. For text bound for no reader but a maintainer (a crash log):
    an organisation's published number is masked too."""
    if not text or _DIGIT.search(text) is None:
        return text
    folded = text.translate(_FOLD)
    out = LANDLINE_WRITTEN.sub(_mask_landline, folded)
    return text if out == folded else out


def _mask_landline(m: re.Match[str]) -> str:
    return m.group(1) + "****" + m.group(3)


def mask_words(text: str, words: Iterable[str]) -> str:
    """Text with each of `words` (a ledger's care groups: 低保家庭, 社区矫正 …) replaced by ***, the longest first."""
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        if word in text:
            text = text.replace(word, "***")
    return text


def mask_line(line: str, public_phones: Iterable[str] = ()) -> str:
    """A line of a ledger file as a message may quote it: free-text masking, and a birth date as its year."""
    line = mask_text(line, [*public_phones, *public_in_line(line)])
    if SEALED_PREFIX in line:  # ciphertext says nothing to a reader: named, like a sealed value shown anywhere
        line = re.sub(r"ENC\[[A-Z0-9_]+,[^\]]*\]", SEALED_SHOWN, line)
    if "date(" in line:  # a date as a traceback or repr shows it
        line = re.sub(r"date\((\d{4}), \d{1,2}, \d{1,2}\)", lambda m: f"date({m.group(1)}, **, **)", line)
    if "birth" in line:
        line = re.sub(
            r"(birth_date['\"]?\s*:\s*['\"]?)(\d{4})-\d{1,2}-\d{1,2}", lambda m: f"{m.group(1)}{m.group(2)}-**-**", line
        )
    return line


def public_in_line(line: str) -> list[str]:
    """The phones a line gives under a `phone:` key: a staff member's or an organisation contact's, which are public."""
    return re.findall(r"(?<![\w])phone['\"]?\s*:\s*['\"]?([0-9 +-]{11,16})", line)


def _digits(value: str) -> str:
    out = "".join(ch for ch in str(value) if ch.isdigit())
    return out[2:] if len(out) == 13 and out.startswith("86") else out


def valid_id_number(number: str) -> bool:
    """A mainland ID number whose date and check digit are right (python-stdnum's GB 11643 check digit)."""
    import datetime as dt

    from stdnum.cn import ric

    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return ric.calc_check_digit(number) == number[17]


def ids_in(text: str) -> Iterator[tuple[int, str]]:
    """(where it starts, its 18 characters) of every ID number in `text`, however written (in groups,
    full-width): what the masks hide, the checks that refuse personal data find too."""
    for m in ID_WRITTEN.finditer((text or "").translate(_FOLD)):
        yield m.start(), "".join(m.groups()).upper()


def mobiles_in(text: str) -> Iterator[tuple[int, str]]:
    """(where it starts, its 11 digits) of every mobile in `text`, however written."""
    for m in MOBILE_WRITTEN.finditer((text or "").translate(_FOLD)):
        yield m.start(), _digits(m.group(2))


def personal_data(text: str, public_phones: Iterable[str] = ()) -> list[str]:
    """What free text must not hold, masked for the message that names it: valid ID numbers, private mobiles."""
    found = [number[:6] + "*" * 12 for _at, number in ids_in(text) if valid_id_number(number)]
    public = frozenset(_digits(p) for p in public_phones)
    found += [mask_phone(digits) for _at, digits in mobiles_in(text) if digits not in public]
    return found
