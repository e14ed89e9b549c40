"""A Problem: one finding, with its provenance (beancount's `source, message, entry`).

Schema errors, broken references and policy warnings all come out as the same value, so every
output format serves all of them. The message is rendered late, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gridctl.messages import CATALOG
from gridctl.model.masking import mask_date, mask_free, mask_value
from gridctl.model.quotes import unquoted
from gridctl.model.sensitive import is_sensitive

Path = tuple[str | int, ...]
PUBLIC_ARGS = frozenset({"phone"})
"""Arguments that hold a staff member's phone, which notice boards print (GC601)."""
DATE_ARGS = frozenset({"birth_date", "id_birth"})
"""Arguments that hold a birth date (GC106): shown as the year, like every masked view."""


def dotted(path: Path) -> str:
    """A field path as messages name it: members[0].phones[1]."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    file: str
    args: Mapping[str, Any] = field(default_factory=dict)
    doc: int = 0
    path: Path = ()
    record: str | None = None
    line: int | None = None
    column: int | None = None
    width: int = 1
    """How many characters of the source line the finding covers (for the caret)."""
    key: bool = False
    """Point at the key of `path`'s last step rather than at its value (unknown fields)."""

    @property
    def severity(self) -> str:
        return CATALOG[self.code].severity

    @property
    def field(self) -> str | None:
        return dotted(self.path) if self.path else None

    @property
    def sensitive(self) -> bool:
        """The finding is about personal data: its value is masked unless revealed."""
        return is_sensitive(self.path)

    def shown_args(self, reveal: bool) -> Mapping[str, Any]:
        """The arguments a message may show: personal values masked, ID numbers and mobiles in any text too."""
        if reveal:
            return _filled(self.args, self.args) if "fixed" in self.args else self.args
        out = {k: v if k in PUBLIC_ARGS else mask_free(v) for k, v in self.args.items()}
        for key in ("value", "read") if self.sensitive else ():
            if key in out:  # (read: the number a value typed without quotes became, GC118)
                out[key] = mask_value(self.field or "", str(self.args[key]))
        for key in DATE_ARGS & out.keys():
            out[key] = mask_date(self.args[key])
        if "fixed" in out:
            shown = _masked_shapes(self.field or "", out) if self.sensitive else out
            out = _filled(out, shown)
        return out

    def message(self, lang: str, reveal: bool = False) -> str:
        return CATALOG[self.code].render(lang, self.shown_args(reveal))

    def hint(self, lang: str, reveal: bool = False) -> str | None:
        return CATALOG[self.code].render_hint(lang, self.shown_args(reveal))

    def texts(self, lang: str, reveal: bool = False) -> tuple[str, str | None]:
        """The message and the hint, masking the arguments once (a report of thousands of problems)."""
        shown = self.shown_args(reveal)
        entry = CATALOG[self.code]
        return entry.render(lang, shown), entry.render_hint(lang, shown)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.code)


def _filled(args: Mapping[str, Any], shown: Mapping[str, Any]) -> dict[str, Any]:
    """The details of a value written in another shape (gridctl.ledger.schema._date_shape) with the
    value as typed and as it is to be written put in."""
    out = dict(args)
    for key in ("detail", "detail_zh"):
        out[key] = str(args[key]).replace("{typed}", str(shown["typed"])).replace("{fixed}", str(shown["fixed"]))
    return out


def _year_only(typed: Any) -> str:
    """A birth date as typed (19420716, 1942.7.16), its year alone shown: `1942****`, `1942.*.**`."""
    out, digits = [], 0
    for ch in str(typed):
        digits += ch.isdigit()
        out.append("*" if ch.isdigit() and digits > 4 else ch)
    return "".join(out)


def _masked_shapes(field: str, args: Mapping[str, Any]) -> dict[str, str]:
    """A personal value as typed and as it is to be written, masked as the field is (a birth date's
    shape kept, its year alone shown)."""
    typed, inner = str(args["typed"]), unquoted(args["typed"])
    if "birth" in field:
        typed = _year_only(typed)
    else:
        typed = typed[0] + mask_value(field, inner) + typed[-1] if inner else mask_value(field, typed)
    return {"typed": typed, "fixed": mask_value(field, str(args["fixed"]))}
