"""One spreadsheet cell as the value a record field holds.

Excel hands over numbers, datetimes and text; CSV hands over text only. A cell that cannot be
read raises CellError with a message in both languages; the caller adds the row and column.
Whether a value is *valid* (an ID number's check digit, a phone's 号段, a vocabulary word) is
not decided here: that is the models' and gridctl.checks' job.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from gridctl.model.dates import WRITTEN as _DATE
from gridctl.model.masking import SEALED_SHOWN
from gridctl.model.patterns import SCIENTIFIC
from gridctl.model.quotes import unquoted

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to Excel (or hides one, OWASP's CSV injection list);
exports neutralise it with an apostrophe."""

EXCEL_DIGITS = 15
"""Excel keeps 15 significant digits of a number: an 18-digit ID number stored as one is lost."""


class CellError(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _integral(value: float) -> bool:
    return value == int(value)


def text(value: Any) -> str | None:
    """Any cell as text: numbers without a spurious `.0`, dates as 2026-01-31, blanks as None."""
    if blank(value):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if _integral(value) else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    out = str(value).strip()
    if len(out) > 1 and out[0] == "'" and out[1] in FORMULA_START:
        out = out[1:]  # an exported cell neutralised against formulas
    return out or None


_HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""Han characters, the rare ones of names included (𠮷 is U+20BB7, beyond the basic plane)."""
_ALIGNED = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")


def person_name(value: Any) -> str | None:
    """A person's name as a register writes it: spaces that line up a two-character name (`张　三`,
    `王 芳`) are no part of it; a foreign name keeps its spaces (`John Smith`)."""
    out = text(value)
    return _ALIGNED.sub("", out) if out else out


def _compact(value: str) -> str:
    """Full-width digits and letters to ASCII, spaces removed (`１１０ １０５` → `110105`)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))


_SCIENTIFIC = re.compile(SCIENTIFIC, re.IGNORECASE)

PRECISION_LOST = CellError(
    "单元格存成了数字，18 位号码超过 Excel 的 15 位有效数字，后几位已丢失；请把该列设为“文本”格式，对照原件重新录入",
    "the cell holds a number: Excel keeps only 15 significant digits, so the last digits of the "
    "18-digit number are lost; format the column as Text and re-enter it from the ID card",
)


def id_number(value: Any) -> str | None:
    """An identity document number as text; lower-case x becomes X. A number that lost digits is an error."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("应为证件号码", "should be an ID number")
    if isinstance(value, float) and not _integral(value):
        raise CellError("应为证件号码，不是小数", "should be an ID number, not a fraction")
    if isinstance(value, int | float):
        number = int(value)
        if len(str(abs(number))) > EXCEL_DIGITS:
            raise PRECISION_LOST
        return str(number)
    out = text(value)
    if out is None:
        return None
    out = _compact(unquoted(out) or out).lstrip("'")
    if _SCIENTIFIC.match(out):
        raise PRECISION_LOST
    return out.upper()


def code(value: Any) -> str | None:
    """An id or code: digits typed as a number keep all their digits (grid codes have 15)."""
    if isinstance(value, float) and _integral(value) and len(str(int(value))) > EXCEL_DIGITS:
        raise PRECISION_LOST
    out = text(value)
    return _compact(unquoted(out) or out) if out is not None else None


def credit_code(value: Any) -> str | None:
    """A 统一社会信用代码: capitals (GB 32100), as written on the licence; `ma01` typed in lower case is `MA01`."""
    out = code(value)
    return out.upper() if out is not None else None


_SERIAL_MAX = 100_000
"""Excel serial numbers up to here (year 2173) are dates; 8-digit numbers are 19900101."""

DATE_EXPECTED = CellError(
    "应为日期，如 1990-01-01、1990/1/1、1990年1月1日 或 19900101",
    "should be a date such as 1990-01-01, 1990/1/1, 1990年1月1日 or 19900101",
)


def _ymd(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(
            f"{year}年{month}月{day}日不是有效日期", f"{year}-{month:02d}-{day:02d} is not a valid date"
        ) from None


def date(value: Any, epoch: dt.datetime | None = None) -> dt.date | None:
    """Dates as Excel gives them (datetime cells, serial numbers) or as clerks type them."""
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise DATE_EXPECTED
    if isinstance(value, int | float):
        if not _integral(value) and value < _SERIAL_MAX:
            return _serial(value, epoch)
        return _number_date(int(value), epoch)
    raw = unicodedata.normalize("NFKC", str(value)).strip().lstrip("'")
    raw = unquoted(raw) or raw
    m = _DATE.match(raw)
    if m:
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if re.fullmatch(r"\d{4}-\*\*-\*\*", raw) or raw == SEALED_SHOWN:
        return raw  # type: ignore[return-value]  # a masked birth date (an export without --reveal): import compares it
    if raw.isdigit():
        return _number_date(int(raw), epoch)
    raise DATE_EXPECTED


def _number_date(number: int, epoch: dt.datetime | None) -> dt.date:
    digits = str(number)
    if len(digits) == 8:
        return _ymd(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if 0 < number < _SERIAL_MAX:
        return _serial(number, epoch)
    raise DATE_EXPECTED


def _serial(number: float, epoch: dt.datetime | None) -> dt.date:
    from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

    found = from_excel(number, epoch or CALENDAR_WINDOWS_1900)
    return found.date() if isinstance(found, dt.datetime) else found


_LIST_SPLIT = re.compile(r"[、,，;；/\n|]+")


PHONE_DIGITS_LOST = CellError(
    "单元格是科学计数法 (如 1.8E+10)：Excel 把电话号码存成了数字，另存后只剩前几位，后几位已丢失；"
    "请把该列设为“文本”格式，对照原件重新录入",
    "the cell is in scientific notation (like 1.8E+10): Excel stored the phone number as a number and "
    "kept only its first digits when the file was saved; format the column as Text and re-enter the numbers",
)


def phones(value: Any) -> list[str]:
    """One or more phone numbers; numbers become text (13912345678.0 → 13912345678). A number Excel
    saved as 1.8E+10 lost its digits: an error that says so (as for an ID number, PRECISION_LOST)."""
    if blank(value):
        return []
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not _integral(value):
            raise CellError("应为电话号码", "should be a phone number")
        return [str(int(value))]
    out = text(value) or ""
    parts = _LIST_SPLIT.split(unicodedata.normalize("NFKC", out))
    found = [p for part in parts for p in _numbers(unquoted(part.strip()) or part)]
    if any(_SCIENTIFIC.match(p.lstrip("'")) for p in found):
        raise PHONE_DIGITS_LOST
    return found


_PHONE_DIGITS = 7
"""The fewest digits of a phone number (a local landline): a group of a cell that has as many is a number of its own."""


def _numbers(part: str) -> list[str]:
    """`13912345678 13812345678` is two numbers; `139 1234 5678` and `010 12345678` are one written in groups."""
    groups = part.split()
    if len(groups) > 1 and all(sum(c.isdigit() for c in g) >= _PHONE_DIGITS for g in groups):
        return groups
    return ["".join(groups)] if groups else []


def phone(value: Any) -> str | None:
    found = phones(value)
    if len(found) > 1:
        raise CellError("只能填写一个电话号码", "only one phone number goes here")
    return found[0] if found else None


def words(value: Any) -> list[str]:
    """A list of vocabulary words: 空巢老人、残疾人 (separated by 、 , ; / or spaces)."""
    out = text(value)
    if out is None:
        return []
    return [unquoted(w) or w for w in re.split(r"[、,，;；/\s|]+", unquoted(out) or out) if w]


_YES = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_NO = {"否", "n", "no", "false", "0", "×", "✗", "无"}


def boolean(value: Any) -> bool | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = (text(value) or "").strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError("应为“是”或“否”", "should be 是 (yes) or 否 (no)")


def integer(value: Any) -> int | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("应为整数", "should be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and _integral(value):
        return int(value)
    raw = _compact(str(value))
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    raise CellError("应为整数", "should be a whole number")


PARSERS = {
    "text": text,
    "name": person_name,
    "code": code,
    "credit_code": credit_code,
    "id_number": id_number,
    "date": date,
    "phones": phones,
    "phone": phone,
    "words": words,
    "bool": boolean,
    "int": integer,
}
"""Cell readers by the name a column spec uses. `date` also takes the workbook's epoch."""


def csv_cells(values: Iterable[Any], keep_text: Iterable[bool]) -> Iterator[str]:
    """Cells as CSV text: formulas neutralised; `keep_text` cells get a tab so Excel keeps all digits."""
    for value, as_text in zip(values, keep_text, strict=False):
        if value is None:
            yield ""
            continue
        if isinstance(value, bool):
            value = "是" if value else "否"
        cell = value.isoformat() if isinstance(value, dt.date) else str(value)
        if cell.startswith(FORMULA_START):
            cell = "'" + cell
        elif as_text and cell[:1].isdigit():
            cell = "\t" + cell
        yield cell


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document (RFC 4180: CRLF, a cell holding CR or LF quoted), every cell neutralised against formulas."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(csv_cells(row, [False] * len(row)))
    return out.getvalue()
