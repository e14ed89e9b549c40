"""Synonyms of vocabulary words: the words registers really use, read as the ledger's own.

A register says 户籍人口 where the vocabulary says 户籍, 男性 for 男, 汉 for 汉族. A value is
read as its word wherever it enters (import, --set, a hand-edited file), so a category is never
split by a synonym. Built-in synonyms apply only where their word is in the ledger's
vocabulary; a ledger adds its own under `aliases:` in gridctl.yaml:

    aliases:
      residence_types: {常住户籍: 户籍}
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

BUILTIN: dict[str, dict[str, str]] = {
    "residence_types": {
        "户籍人口": "户籍", "户籍人员": "户籍", "常住户籍": "户籍", "本地户籍": "户籍",
        "流动人口": "流动", "流动人员": "流动", "外来人口": "流动", "暂住人口": "流动",
        "境外人员": "境外", "境外人口": "境外", "外籍人员": "境外",
        "未落户人员": "未落户", "人户分离人员": "人户分离",
    },
    "genders": {"男性": "男", "女性": "女"},
    "roles": {"法制副校长": "法治副校长"},
    "relations": {
        "本人": "户主", "户主本人": "户主", "妻": "配偶", "妻子": "配偶", "丈夫": "配偶", "夫": "配偶",
        "儿子": "子", "长子": "子", "次子": "子", "女儿": "女", "长女": "女", "次女": "女",
        "父": "父亲", "母": "母亲", "孙": "孙子", "外孙": "外孙子", "租客": "租户",
    },
    "id_types": {"身份证": "居民身份证", "二代身份证": "居民身份证", "居民身份证号码": "居民身份证"},
    "housing_types": {"自有住房": "自有", "自购": "自有", "自购房": "自有", "租赁": "租住", "租房": "租住"},
    "care_groups": {
        "空巢": "空巢老人", "独居": "独居老人", "残疾": "残疾人", "低保": "低保家庭", "低保户": "低保家庭",
        "特困": "特困人员", "五保": "特困供养人员", "五保户": "特困供养人员", "五保对象": "特困供养人员",
        "刑释人员": "刑满释放", "刑满释放人员": "刑满释放",
        "社区矫正人员": "社区矫正", "社区矫正对象": "社区矫正", "严重精神障碍患者": "严重精神障碍",
        "吸毒": "吸毒人员", "留守": "留守儿童",
    },
}  # fmt: skip

_ETHNIC_TEXT = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
ETHNIC = frozenset(_ETHNIC_TEXT.split(" "))
"""The 56 民族 (GB/T 3304) without 族: a register's 汉 is the ledger's 汉族."""


def ethnicity(value: object) -> object:
    if isinstance(value, str) and value.strip() in ETHNIC:
        return value.strip() + "族"
    return value


def merged(vocabularies: Mapping[str, tuple[str, ...] | list[str]], own: Mapping[str, Mapping[str, str]]):  # type: ignore[no-untyped-def]
    """alias → word per vocabulary: the built-in ones whose word the ledger has, then the ledger's own."""
    out: dict[str, dict[str, str]] = {}
    for name, words in vocabularies.items():
        table = {a: w for a, w in BUILTIN.get(name, {}).items() if w in words and a not in words}
        table.update(own.get(name, {}))
        if table:
            out[name] = table
    return out


def nearest(value: str, words: tuple[str, ...] | list[str]) -> str | None:
    """The word a clerk most likely meant: one that contains or is contained in the value, else the closest."""
    inside = [w for w in words if w and (w in value or value in w)]
    if inside:
        return max(inside, key=len)
    found = difflib.get_close_matches(value, list(words), n=1, cutoff=0.4)
    return found[0] if found else None


def alias_line(vocabulary: str, value: str, word: str) -> str:
    """The gridctl.yaml line that makes `value` read as `word`."""
    return f"aliases: {{{vocabulary}: {{{value}: {word}}}}}"


def vocab_fields(model: type) -> dict[str, str]:
    """Field name → vocabulary name, for the model's vocabulary fields (single words and lists)."""
    import typing

    from gridctl.model.types import VOCAB_KEY

    def find(tp: object) -> str | None:
        extra = getattr(tp, "json_schema_extra", None)
        if isinstance(extra, dict) and VOCAB_KEY in extra:
            return str(extra[VOCAB_KEY])
        for arg in typing.get_args(tp):
            found = find(arg)
            if found:
                return found
        return None

    from pydantic import BaseModel

    out = {}
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        found = find(info) or find(info.annotation)
        if found:
            out[name] = found
        for tp in (info.annotation, *typing.get_args(info.annotation)):
            if isinstance(tp, type) and issubclass(tp, BaseModel) and tp is not model:
                out |= {f"{name}.{k}": v for k, v in vocab_fields(tp).items()}
    return out


def read_words(values: dict[str, object], fields: Mapping[str, str], context: Mapping[str, object]) -> None:
    """Synonyms in `values` (field → value or list of values) replaced by their words, in place."""
    tables = context.get("aliases") or {}
    assert isinstance(tables, Mapping)
    for key, vocabulary in fields.items():
        table = tables.get(vocabulary)
        value = values.get(key)
        if not table or value is None:
            continue
        if isinstance(value, list):
            values[key] = [table.get(v, v) if isinstance(v, str) else v for v in value]
        elif isinstance(value, str):
            values[key] = table.get(value, value)
    if isinstance(values.get("ethnicity"), str):
        values["ethnicity"] = ethnicity(values["ethnicity"])
