"""一人一档 and the numbers that identify people and organizations.

Checksums come from python-stdnum (GB 11643 resident ID numbers, GB 32100 credit codes) and
phone rules from phonenumbers, never hand-written. The region lookup in stdnum reads a data
file per call (3 s for 48,000 numbers), so it is cached by region and birth year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from gridctl.checks import answers
from gridctl.ledger.index import Ledger, Source
from gridctl.ledger.sealing import scrub
from gridctl.model import Org, Place, Staff
from gridctl.model.masking import SEALED_SHOWN, is_sealed
from gridctl.model.settings import Settings
from gridctl.problem import Problem

MAINLAND_ID = "居民身份证"


def _region_known(region: str) -> bool:
    """Whether the 6-digit code ever named a county in GB/T 2260 (python-stdnum's table; the
    answer is kept, gridctl.checks.answers).

    Not tied to the birth year: a number carries the code of the place of first registration,
    which may be a county created after the holder was born (房山区 110111 since 1986).
    """
    known = answers.REGIONS.get(region)
    if known is None:
        from stdnum import numdb

        info = {k: v for _part, props in numdb.get("cn/loc").info(region) for k, v in props.items()}
        known = answers.REGIONS[region] = bool(info.get("county"))
    return known


def _detail(value: str, zh: str, en: str) -> dict[str, str]:
    return {"value": value, "detail": en, "detail_zh": zh}


def check_id_number(value: str) -> tuple[str, dict[str, str]] | None:
    """The problem code and arguments for a bad mainland ID number, or None when it is valid."""
    number = value.upper()
    if len(number) != 18:
        return "GC104", _detail(value, f"{len(number)} 位，应为 18 位", f"{len(number)} characters, not 18")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "GC104", _detail(
            value, "含有数字和末位 X 以外的字符", "contains characters other than digits and a final X"
        )
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "GC104", _detail(value, "第 7–14 位不是有效的出生日期", "digits 7–14 are not a valid birth date")
    from stdnum.cn import ric  # (stdnum brings ssl and pydoc: only when a number is checked)

    if ric.calc_check_digit(number) != number[17]:
        return "GC103", {"value": value}
    if not _region_known(number[:6]):
        return "GC105", {"value": value, "region": number[:6]}
    return None


def resident_ids(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    for person, _household, src in ledger.people():
        if person.id_number is None or person.id_type != MAINLAND_ID or is_sealed(person.id_number):
            continue  # an encrypted number no key here opens: checked where the key is (validate says so)
        path = (*src.path, "id_number")
        bad = check_id_number(person.id_number)
        if bad is not None:
            args = scrub(bad[1]) if "id_number" in person._sealed else bad[1]
            yield Problem(bad[0], src.file, args, doc=src.doc, path=path, record=person.id)
            continue
        number = person.id_number.upper()
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        if isinstance(person.birth_date, dt.date) and person.birth_date != born:
            args = {
                "birth_date": person.birth_date.isoformat(),
                "id_birth": born.isoformat(),
                "digits": _differ(person.birth_date, born),
            }
            args = scrub(args) if person._sealed & {"id_number", "birth_date"} else args
            yield Problem("GC106", src.file, args, doc=src.doc, path=(*src.path, "birth_date"), record=person.id)
        id_gender = "男" if int(number[16]) % 2 else "女"
        if person.gender is not None and person.gender in ("男", "女") and person.gender != id_gender:
            args = {"gender": person.gender, "id_gender": id_gender}
            yield Problem("GC107", src.file, args, doc=src.doc, path=(*src.path, "gender"), record=person.id)


def _differ(given: dt.date, born: dt.date) -> str:
    """Which digits of the ID number hold the part that differs: masked, both dates read as one year."""
    if given.year != born.year:
        return "7–10"
    return "11–12" if given.month != born.month else "13–14"


def one_person_one_record(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    repeated = ledger.repeated_numbers()  # once: a pass over every ID number (70 ms at 100,000 households)
    seen: dict[str, list[tuple[str, Source]]] = {}
    for number, found in repeated.items():
        seen[number] = [(e.id, e.source) for e in map(ledger.entry_at, found)]
    retired: dict[str, tuple[str, str | None]] = {}
    for number, found in repeated.items():
        entries = list(map(ledger.entry_at, found))
        gone = [(e.id, None) for e in entries if getattr(e.record, "retired", None) is not None]
        gone = gone or [(e.id, e.household) for e in entries if _in_retired_household(ledger, e)]
        if gone:
            retired[number] = gone[0]
    for number, holders in seen.items():
        if len(holders) < 2:
            continue
        remedy = _remedy(*retired.get(number, (None, None)))
        for i, (pid, src) in enumerate(holders):
            other_id, other = holders[1] if i == 0 else holders[0]
            shown = SEALED_SHOWN if number.startswith("hmac:") else number  # a keyed hash says nothing to a clerk
            args = {"value": shown, "other": f"{other.file} ({other_id})", **remedy}
            yield Problem("GC240", src.file, args, doc=src.doc, path=(*src.path, "id_number"), record=pid)


def _in_retired_household(ledger: Ledger, entry: Any) -> bool:
    """Whether a person's household is retired as a whole (全户迁出), the person not one by one."""
    home = ledger.get(entry.household) if entry.household else None
    return home is not None and getattr(home.record, "retired", None) is not None


def _remedy(retired: str | None, household: str | None = None) -> dict[str, str]:
    """GC240's advice: a move's, or a record typed in twice removed where it was never shared (which only
    git can tell: `remove` checks); or, when one record is retired (迁出) or in a retired household,
    taking that one back (迁回), as an import names it (gridctl.errors.household_retired)."""
    if retired is None:
        return {
            "remedy": "on a move, take the person out of the old household; one typed in twice here and never "
            "synced is removed: gridctl remove ID (one already shared is retired: gridctl retire)",
            "remedy_zh": "迁户时把人员移到新户，并从原户删除；本机重复录入、尚未同步的，删除那一条: "
            "gridctl remove 编号 (已同步共享的，注销: gridctl retire)",
        }
    if household is not None:
        undo = f"gridctl edit {household} --unset retired -m"
        return {
            "remedy": f"{retired} is in household {household}, retired (moved out): a household that came back "
            f"is reinstated, not added a second time: {undo} REASON",
            "remedy_zh": f"{retired} 所在的户 {household} 已注销 (迁出)；这户迁回的，恢复原户，不再新增一条: "
            f"{undo} 原因",
        }
    undo = f"gridctl edit {retired} --unset retired -m"
    return {
        "remedy": f"{retired} is their retired (moved-out) record: someone who came back is reinstated, "
        f"not added a second time: {undo} REASON",
        "remedy_zh": f"{retired} 是此人已注销 (迁出) 的记录；迁回的人恢复原记录，不再新增一条: {undo} 原因",
    }


@lru_cache(maxsize=65536)
def phone_valid(value: str) -> bool:
    """A phone as people write it (digits, spaces, -, +, brackets), and a number phonenumbers accepts.

    phonenumbers itself reads past other characters: `[13612345678` would pass.
    """
    import re

    if not re.fullmatch(r"[0-9+()（） -]+", value):
        return False
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) == 11 and digits.isdigit() and digits[0] == "1":
        return _mobile_segment_valid(digits[:5])
    import phonenumbers

    try:
        parsed = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def _mobile_segment_valid(segment: str) -> bool:
    """Mainland mobile validity depends on the first 5 digits only (see phonenumbers' CN mobile
    pattern, `1(?:610\\d|740[0-5])\\d{6}|...`); tests check every 5-digit prefix. The answer is
    kept (gridctl.checks.answers)."""
    known = answers.SEGMENTS.get(segment)
    if known is None:
        import phonenumbers

        # the number built, not parsed from text: the same answer for every prefix, in a third of the time
        known = phonenumbers.is_valid_number(
            phonenumbers.PhoneNumber(country_code=86, national_number=int(segment + "000000"))
        )
        answers.SEGMENTS[segment] = known
    return known


def phones(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    for person, _h, src in ledger.people():
        for i, phone in enumerate(person.phones):
            if not is_sealed(phone) and not phone_valid(phone):
                args = scrub({"value": phone}) if "phones" in person._sealed else {"value": phone}
                yield Problem("GC108", src.file, args, doc=src.doc, path=(*src.path, "phones", i), record=person.id)
    for staff, src in ledger.records(Staff):
        if staff.phone and not phone_valid(staff.phone):
            yield Problem("GC108", src.file, {"value": staff.phone}, doc=src.doc, path=("phone",), record=staff.id)
    for place, src in ledger.records(Place):
        if place.rental and place.rental.landlord_phone and not phone_valid(place.rental.landlord_phone):
            yield Problem(
                "GC108",
                src.file,
                {"value": place.rental.landlord_phone},
                doc=src.doc,
                path=("rental", "landlord_phone"),
                record=place.id,
            )
    for org, src in ledger.records(Org):
        for part in ("contact", "first_responsible"):
            contact = getattr(org, part)
            if contact and contact.phone and not phone_valid(contact.phone):
                yield Problem(
                    "GC108", src.file, {"value": contact.phone}, doc=src.doc, path=(part, "phone"), record=org.id
                )


_USCC_DETAIL = {
    "InvalidLength": ("长度应为 18 位", "must be 18 characters"),
    "InvalidFormat": ("含有不允许的字符 (不使用 I、O、Z、S、V)", "contains characters not allowed (no I, O, Z, S, V)"),
    "InvalidChecksum": ("校验位错误", "check digit is wrong"),
    "InvalidComponent": ("登记管理部门或机构类别代码无效", "invalid registration or category code"),
}
"""By the name of stdnum's exception class (stdnum.exceptions), so that importing the checks imports no stdnum."""


def credit_codes(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    for org, src in ledger.records(Org):
        if not org.credit_code:
            continue
        from stdnum import exceptions
        from stdnum.cn import uscc

        try:
            uscc.validate(org.credit_code)
        except exceptions.ValidationError as exc:
            found = (d for name, d in _USCC_DETAIL.items() if isinstance(exc, getattr(exceptions, name)))
            zh, en = next(found, (str(exc), str(exc)))
            yield Problem(
                "GC109", src.file, _detail(org.credit_code, zh, en), doc=src.doc, path=("credit_code",), record=org.id
            )
