"""A record's fields as the cache keeps them, read like the typed record (`row.address.room`).

`list`, `status` and other whole-ledger views read every household and person; building 50,000
typed records takes seconds, reading their cached fields milliseconds. A row is the record's own
`model_dump(mode="json")` (so aliases are already their words, defaults are filled in, and dates
are ISO text that compares as dates do), taken once per file content and kept by the cache.
"""

from __future__ import annotations

from typing import Any


class Row:
    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._data[name]
        except KeyError:
            raise AttributeError(name) from None
        return wrap(value)

    @property
    def is_active(self) -> bool:
        return self._data.get("retired") is None and self._data.get("active", True) is not False

    def get(self, name: str, default: Any = None) -> Any:
        return wrap(self._data.get(name, default))

    def plain(self, name: str, default: Any = None) -> Any:
        """The field as the cache keeps it (dicts and lists, not rows): for a hot loop that only reads."""
        return self._data.get(name, default)


def wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Row(value)
    if isinstance(value, list):
        return [wrap(v) for v in value]
    return value


def dump(record: Any) -> dict[str, Any] | None:
    """The fields a row keeps: the whole record; a household's members as id, tags, residence, category, retired."""
    if record is None:
        return None
    if getattr(record, "kind", None) == "household":
        data = record.model_dump(mode="json", exclude={"members"})
        data["members"] = [
            {
                "id": p.id,
                "tags": list(p.tags),
                "residence": p.residence,
                "category": p.category,
                "retired": None if p.retired is None else True,
            }
            for p in record.members
        ]
        return data
    return record.model_dump(mode="json")
