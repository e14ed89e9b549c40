"""Every field of every record kind has a Chinese name, so `show`, `history`, `diff` and `log` never
fall back to an English field name under a Chinese locale, and `--set 名称=…` works for every field."""

from __future__ import annotations

import typing
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

import gridctl.model as m
from gridctl.model.labels import COMMON, LABELS, field_path, label

KINDS = {
    "grid": m.Grid,
    "staff": m.Staff,
    "household": m.Household,
    "place": m.Place,
    "org": m.Org,
    "thing": m.Thing,
    "event": m.Event,
    "inspection": m.Inspection,
    "visit": m.Visit,
    "activity": m.Activity,
    "document": m.Document,
}


def models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [found for arg in typing.get_args(annotation) for found in models(arg)]


def fields(model: type[BaseModel], prefix: str = "", seen: tuple[type, ...] = ()) -> Iterator[str]:
    for name, info in model.model_fields.items():
        yield prefix + name
        for sub in models(info.annotation):
            if sub not in seen:
                yield from fields(sub, f"{prefix}{name}.", (*seen, sub))


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_field_has_a_chinese_name(kind: str) -> None:
    own = LABELS.get(kind, {})
    missing = [f for f in fields(KINDS[kind]) if f not in own and f not in COMMON and not f.startswith("extra")]
    assert not missing, f"{kind}: no Chinese name for {missing} (gridctl/model/labels.py)"


def test_a_chinese_name_leads_back_to_its_field() -> None:
    assert label("document", ["attachment"]) == "附件" and field_path("document", "附件") == "attachment"
    assert label("activity", ["participants"]) == "参加人数" and field_path("activity", "参加人数") == "participants"
    assert label("event", ["review", 0, "note"]) == "说明"
