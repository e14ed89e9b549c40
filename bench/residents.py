"""Households and their members as a 户口簿 lists them: believable families, valid numbers.

A household is drawn as a shape (独居老人, 三口之家, 合租 …) and a residence type; members get
ages that fit their relation, ID numbers whose birth date and gender agree with the record,
phones for adults, and "N" care-group tags on a few percent of people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random
from typing import Any

import synth
from synth import Flow, Q

AS_OF = dt.date(2026, 3, 1)
"""Ages are counted to this day: the register was last checked in March 2026."""

RESIDENCE = [("户籍", 72), ("流动", 20), ("人户分离", 6), ("境外", 2)]
FAMILY_SHAPES = [("独居老人", 7), ("老年夫妇", 13), ("夫妻", 10), ("三口之家", 30), ("四口之家", 10),
                 ("三代同堂", 20), ("单身", 5), ("单亲", 5)]
MIGRANT_SHAPES = [("单身", 35), ("夫妻", 28), ("三口之家", 25), ("合租", 12)]
HOUSING_LOCAL = [("自有", 88), ("公租房", 6), ("租住", 4), ("单位宿舍", 2)]
PERSON_TAGS = [  # (tag, probability, min age, max age)
    ("残疾人", 0.012, 0, 120), ("优抚对象", 0.004, 45, 120), ("严重精神障碍", 0.0025, 18, 120),
    ("刑满释放", 0.0015, 25, 65), ("社区矫正", 0.0008, 20, 60), ("吸毒人员", 0.0005, 20, 55),
    ("重点青少年", 0.003, 12, 18), ("信访老户", 0.001, 40, 120),
]
FOREIGN = [  # (id_type, region prefix for GB 11643-shaped permits, or None for a passport)
    ("港澳居民居住证", "810000"), ("港澳居民居住证", "820000"), ("台湾居民居住证", "830000"), ("护照", None),
]
FOREIGN_NAMES = {"男": ["金敏俊", "佐藤健", "安德鲁·米勒", "朴成勋", "马克·施耐德"],
                 "女": ["玛丽亚·加西亚", "朴智恩", "铃木美穗", "安娜·彼得罗娃", "艾米丽·布朗"]}


def weighted(rng: Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


@dataclass
class Draft:
    """A member before numbers are given: relation, gender, age."""

    relation: str
    gender: str
    age: int


@dataclass
class Residents:
    rng: Random
    next_person: Callable[[], str]
    used_numbers: set[str] = field(default_factory=set)
    home: tuple[str, ...] = (synth.HOME_REGION,)
    """Where 户籍 residents were registered: the county's codes over the years (宁乡县 430124 → 宁乡市 430182)."""
    nearby: tuple[str, ...] = tuple(synth.BEIJING_REGIONS)
    """The rest of the city: 人户分离 residents are registered there."""

    def household(self, residence: str | None = None, shape: str | None = None) -> dict[str, Any]:
        """`residence`, `housing`, `tags` and `members` of one new household (drawn unless given)."""
        rng = self.rng
        residence = residence or weighted(rng, RESIDENCE)
        if residence == "流动":
            shape, housing = shape or weighted(rng, MIGRANT_SHAPES), "租住"
        elif residence == "境外":
            shape, housing = shape or rng.choice(["单身", "夫妻"]), "租住" if rng.random() < 0.8 else "自有"
        else:
            shape = shape or weighted(rng, FAMILY_SHAPES)
            housing = weighted(rng, HOUSING_LOCAL) if residence == "户籍" else rng.choice(["租住", "借住", "自有"])
        drafts = self.shape(shape)
        members = self.members(drafts, residence)
        tags = []
        if residence in ("户籍", "人户分离") and rng.random() < 0.015:
            tags.append("低保家庭")
        if shape == "独居老人" and rng.random() < 0.06:
            tags.append("特困人员")
        return {"residence": residence, "housing": housing, "tags": tags, "members": members, "shape": shape}

    def shape(self, shape: str) -> list[Draft]:
        rng = self.rng
        head_gender = "男" if rng.random() < 0.62 else "女"
        other = "女" if head_gender == "男" else "男"
        if shape == "独居老人":
            return [Draft("户主", rng.choice("男女"), rng.randint(65, 92))]
        if shape == "单身":
            return [Draft("户主", head_gender, rng.randint(22, 58))]
        if shape == "合租":
            people = [Draft("户主", head_gender, rng.randint(21, 40))]
            people += [Draft("同住人", rng.choice("男女"), rng.randint(21, 40)) for _ in range(rng.randint(1, 2))]
            return people
        if shape == "老年夫妇":
            age = rng.randint(60, 86)
            return [Draft("户主", head_gender, age), Draft("配偶", other, _near(rng, age, 4, 58))]
        age = {"夫妻": rng.randint(24, 58), "三口之家": rng.randint(28, 52), "四口之家": rng.randint(32, 50),
               "三代同堂": rng.randint(32, 52), "单亲": rng.randint(30, 52)}[shape]
        people = [Draft("户主", head_gender, age)]
        if shape != "单亲":
            people.append(Draft("配偶", other, _near(rng, age, 4, 22)))
        kids = {"三口之家": 1, "四口之家": 2, "三代同堂": rng.randint(1, 2), "单亲": 1}.get(shape, 0)
        youngest_parent = min(p.age for p in people)
        for _ in range(kids):
            gender = rng.choice("男女")
            age_gap = rng.randint(22, 34)
            people.append(Draft("子" if gender == "男" else "女", gender, max(0, youngest_parent - age_gap)))
        if shape == "三代同堂":
            elder = age + rng.randint(24, 32)
            parents = [("父亲", "男"), ("母亲", "女")]
            if rng.random() < 0.4:  # one grandparent only
                parents = [rng.choice(parents)]
            people += [Draft(rel, g, min(elder + rng.randint(-2, 2), 98)) for rel, g in parents]
        return people

    def members(self, drafts: list[Draft], residence: str) -> list[dict[str, Any]]:
        rng = self.rng
        family, spouse_family = synth.surname(rng), synth.surname(rng)
        has_spouse = any(d.relation == "配偶" for d in drafts)
        kids_family = family if drafts[0].gender == "男" or not has_spouse else spouse_family
        names = {"户主": family, "父亲": family, "配偶": spouse_family, "子": kids_family, "女": kids_family}
        head_region = None
        out = []
        for d in drafts:
            family_name = names.get(d.relation)
            born = AS_OF - dt.timedelta(days=d.age * 365 + d.age // 4 + rng.randrange(365))
            person: dict[str, Any] = {"id": Q(self.next_person())}
            if residence == "境外":
                id_type, prefix = rng.choice(FOREIGN)
                person["name"] = synth.full_name(rng, d.gender, family_name, born.year) if prefix else rng.choice(
                    FOREIGN_NAMES[d.gender])
                person["id_type"] = id_type
                person["id_number"] = Q(self._permit(prefix, born, d.gender))
            else:
                person["name"] = synth.full_name(rng, d.gender, family_name, born.year)
                region = self._region(residence, born.year, head_region if d.relation in ("子", "女") else None)
                head_region = head_region or region
                person["id_number"] = Q(synth.id_number(rng, region, born, d.gender, self.used_numbers))
            person["gender"] = d.gender
            person["birth_date"] = born
            if residence != "境外":
                person["ethnicity"] = rng.choice(synth.ETHNICITIES)
            person["relation"] = d.relation
            person["phones"] = self._phones(d.age)
            person["residence"] = residence
            person["tags"] = self._tags(d.age, drafts)
            out.append(person)
        return out

    def _region(self, residence: str, year: int, parent: str | None) -> str:
        rng = self.rng
        if parent is not None and synth.region_known(parent, year) and rng.random() < 0.8:
            return parent
        if residence == "户籍":
            roll = rng.random()
            pool = list(self.home) if roll < 0.75 else list(self.nearby) if roll < 0.9 else synth.PROVINCE_REGIONS
        elif residence == "人户分离":
            pool = list(self.nearby) if rng.random() < 0.7 else synth.PROVINCE_REGIONS
        else:
            pool = synth.PROVINCE_REGIONS
        if not any(synth.region_known(r, year) for r in pool):
            pool = list(self.home)  # born before the code existed: registered at home
        return synth.pick_region(rng, pool, year)

    def _permit(self, prefix: str | None, born: dt.date, gender: str) -> str:
        """港澳台居民居住证 numbers follow GB 11643 with region 810000/820000/830000."""
        if prefix is None:
            letters = "EGKPS"
            return self.rng.choice(letters) + f"{self.rng.randrange(10**8):08d}"
        return synth.id_number(self.rng, prefix, born, gender, self.used_numbers)

    def _phones(self, age: int) -> Flow:
        rng = self.rng
        chance = 0.0 if age < 14 else 0.6 if age >= 75 else 0.92
        phones = Flow()
        if rng.random() < chance:
            phones.append(Q(synth.mobile(rng)))
            if rng.random() < 0.05:
                phones.append(Q(synth.mobile(rng)))
        return phones

    def _tags(self, age: int, drafts: list[Draft]) -> Flow:
        rng = self.rng
        tags = Flow()
        elderly_only = all(d.age >= 60 for d in drafts)
        if elderly_only and age >= 60:
            if len(drafts) == 1 and age >= 65:
                tags.append("独居老人")
            elif rng.random() < 0.5:
                tags.append("空巢老人")
        for tag, chance, low, high in PERSON_TAGS:
            if low <= age <= high and rng.random() < chance:
                tags.append(tag)
        return tags


def _near(rng: Random, age: int, spread: int, minimum: int) -> int:
    return max(minimum, age + rng.randint(-spread, spread))
