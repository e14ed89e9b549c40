"""户 and its members, the way a 户口簿 lists them. People carry the most personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr

from gridctl.model.aliases import ethnicity as ethnic_name
from gridctl.model.base import Record, Retirement, Strict
from gridctl.model.types import BirthDate, Code, IdNumber, Label, Name, ResidentPhone, Short, vocab

HEAD = "户主"
"""The relation of a household's head (本人 and 户主本人 are read as it: gridctl.model.aliases)."""


def lived_in(members: Iterable[Any]) -> bool:
    """Whether anyone still lives in the household: a member not retired (病故, 迁出).

    Takes typed people, rows, or the plain member dicts rows keep. A household whose people all
    died or left (or that lists none) is no household the grid serves: status, `list grid`, the
    policy checks and the reports count it as they count a retired one, not at all.
    """
    return any(not (m.get("retired") if isinstance(m, dict) else m.retired) for m in members)


class Address(Strict):
    community: Short | None = None
    estate: Short | None = Field(default=None, description="小区")
    building: Label | None = Field(default=None, description="楼栋")
    unit: Label | None = Field(default=None, description="单元")
    room: Label | None = Field(default=None, description="房号")
    text: Short | None = Field(default=None, description="free text as written")


class Person(Strict):
    id: Code
    name: Name
    id_type: vocab("id_types") = "居民身份证"  # type: ignore[valid-type]
    id_number: IdNumber | None = None
    gender: vocab("genders") | None = None  # type: ignore[valid-type]
    birth_date: BirthDate | None = None
    ethnicity: Annotated[Label | None, BeforeValidator(ethnic_name)] = Field(default=None, description="民族")
    relation: vocab("relations") | None = Field(default=None, description="与户主关系")  # type: ignore[valid-type]
    phones: list[ResidentPhone] = Field(default_factory=list)
    residence: vocab("residence_types") | None = None  # type: ignore[valid-type]
    tags: list[vocab("care_groups", sensitive=True)] = Field(default_factory=list)  # type: ignore[valid-type]
    category: vocab("person_categories", sensitive=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="四类管理 (流动人口): 放心, 基本放心, 不放心, 重点"
    )
    retired: Retirement | None = None
    extra: dict[str, Any] = Field(default_factory=dict)
    id_hash: Label | None = Field(
        default=None, description="keyed hash of the encrypted ID number: one person one record without the key"
    )
    _sealed: frozenset[str] = PrivateAttr(default_factory=frozenset)
    """Fields that were encrypted in the file (opened with the key): their values stay out of caches."""


class Household(Record):
    kind_name = "household"
    kind: Literal["household"]
    grid: Code
    address: Address | None = None
    place: Code | None = Field(default=None, description="房屋 place id")
    housing: vocab("housing_types") | None = None  # type: ignore[valid-type]
    tags: list[vocab("care_groups", sensitive=True)] = Field(default_factory=list)  # type: ignore[valid-type]
    assigned_to: Code | None = Field(default=None, description="分片包户: staff id")
    members: list[Person] = Field(default_factory=list)
