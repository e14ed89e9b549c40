"""What a checked 18-digit ID number says when the register leaves it blank: 出生日期 and 性别.

Filled at import, not derived where shown: every view (list, export, boards, checks by age) reads
the stored field, and a derived copy in each would be one more place to forget. Only a number that
passes gridctl's own check (GB 11643 checksum, date, region) gives anything, and only for a person
the row adds: a known person's record is never changed by a blank cell (an export read back, or the
same register imported twice, changes nothing). Where the
ledger keeps ID numbers encrypted and birth dates in plain text, a birth date written from the
number would put eight of its digits in the clear; it is left blank there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gridctl.checks.people import MAINLAND_ID, check_id_number
from gridctl.model.settings import Settings

DERIVED = ("birth_date", "gender")


def from_id_number(person: dict[str, Any], settings: Settings) -> set[str]:
    """Fill `person`'s blank birth date and gender from its ID number; the fields filled."""
    number = person.get("id_number")
    if not isinstance(number, str) or person.get("id_type", MAINLAND_ID) != MAINLAND_ID:
        return set()
    if check_id_number(number) is not None:
        return set()  # a bad number is named by the checks; nothing is read from it
    number = number.upper()
    found = {
        "birth_date": dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        "gender": "男" if int(number[16]) % 2 else "女",
    }
    genders = settings.vocabularies.get("genders")
    if genders is not None and found["gender"] not in genders:
        del found["gender"]
    encrypt = settings.privacy.encrypt
    if "id_number" in encrypt and "birth_date" not in encrypt:
        del found["birth_date"]
    filled = {k for k in found if person.get(k) in (None, "")}
    person.update({k: found[k] for k in filled})
    return filled
