"""Building blocks for synthetic ledgers: names, numbers that pass their checks, YAML text.

Check digits come from python-stdnum (GB 11643 resident ID numbers, GB 32100 credit codes),
never written by hand; mobile prefixes are confirmed with phonenumbers once per run. The YAML
is written as text (no dumper) because a ledger of 100,000 households must be fast to write.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
from functools import cache
from pathlib import Path
from random import Random
from typing import Any

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

# --- names ----------------------------------------------------------------------------------

# The hundred commonest surnames, most frequent first (weights fall off roughly as in the census).
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
            "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施")
SURNAME_WEIGHTS = [max(1.0, 100.0 / (i + 1) ** 0.9) for i in range(len(SURNAMES))]
GIVEN_NAMES = {  # common given names by sex and by the decade people were born in
    ("男", "old"): "建国 建华 国庆 德明 春生 连生 振华 永刚 建军 志明 玉林 长海 福生 宝山 国强 文华 德福 立新",
    ("男", "mid"): "伟 磊 勇 军 涛 强 志强 海涛 晓东 建伟 明辉 永强 俊 斌 鹏 海军 立军 宏伟 卫东 红军 晓峰 东升",
    ("男", "young"): "浩然 子轩 宇航 俊杰 文博 博文 一鸣 梓豪 天佑 思远 家豪 皓轩 宇轩 子涵 睿 晨阳 铭泽 宇辰",
    ("女", "old"): "秀兰 桂英 淑珍 玉梅 秀云 凤英 桂兰 秀英 玉兰 淑华 素芬 翠花 秀珍 玉珍 桂芳 凤兰 淑英",
    ("女", "mid"): "丽娟 晓燕 静 芳 丽 艳 敏 雪梅 红梅 海燕 春梅 丽华 晓丽 慧 颖 燕 霞 娜 婷 丽萍",
    ("女", "young"): "欣怡 梓涵 雨萱 诗涵 佳怡 思彤 可馨 婉婷 子涵 雨桐 梦瑶 一诺 语嫣 紫涵 芷若 悦 佳琪",
}
ETHNICITIES = ["汉族"] * 92 + ["回族"] * 3 + ["满族"] * 3 + ["蒙古族", "朝鲜族"]


def surname(rng: Random) -> str:
    return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]


def given_name(rng: Random, gender: str, born: int = 1975) -> str:
    generation = "old" if born < 1960 else "mid" if born < 1995 else "young"
    return rng.choice(GIVEN_NAMES[(gender, generation)].split())


def full_name(rng: Random, gender: str, family: str | None = None, born: int = 1975) -> str:
    return (family or surname(rng)) + given_name(rng, gender, born)


# --- resident ID numbers (GB 11643) ---------------------------------------------------------

HOME_REGION = "110105"
BEIJING_REGIONS = ["110101", "110102", "110106", "110108"]
"""Other Beijing districts: 人户分离 residents are registered there."""
PROVINCE_REGIONS = ["130102", "130104", "370102", "370202", "410105", "420106", "320106", "330106", "340104",
                    "360102", "430104", "510104", "510107", "610113", "210102", "220102", "230103", "350102",
                    "440305", "440106", "500103", "140105", "412825", "310104", "120101"]
"""Where 流动 residents come from; each code counts only for the birth years stdnum knows it."""


@cache
def region_known(region: str, year: int) -> bool:
    """Whether stdnum's GB/T 2260 data has `region` in `year` (the rule gridctl checks, GC105)."""
    try:
        ric.get_birth_place(f"{region}{year}01010000")
    except ValidationError:
        return False
    return True


def pick_region(rng: Random, pool: list[str], year: int) -> str:
    known = [r for r in pool if region_known(r, year)]
    return rng.choice(known) if known else HOME_REGION


def id_number(rng: Random, region: str, born: dt.date, gender: str, used: set[str]) -> str:
    """A valid 18-digit number: region, birth date, order code (odd for men), check digit."""
    while True:
        order = rng.randrange(0, 1000)
        if (order % 2 == 1) != (gender == "男"):
            order = (order + 1) % 1000
        body = f"{region}{born:%Y%m%d}{order:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in used:
            used.add(number)
            return number


# --- phones ---------------------------------------------------------------------------------

MOBILE_PREFIXES = ["138", "139", "135", "137", "136", "150", "151", "152", "158", "159", "186", "185", "156",
                   "131", "132", "177", "189", "133", "153", "180", "181", "173", "199", "188", "187", "182"]


def mobile(rng: Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: Random) -> str:
    """A Beijing fixed line (010 + 8 digits starting 5 or 6; 800 numbers are toll-free)."""
    return f"010-{rng.choice('56')}{rng.randrange(10**7):07d}"


def confirm_phones(rng: Random) -> None:
    """Check a few numbers of every prefix with phonenumbers, the library gridctl checks with."""
    import phonenumbers

    samples = [p + f"{rng.randrange(10**8):08d}" for p in MOBILE_PREFIXES for _ in range(3)]
    samples += [landline(rng) for _ in range(20)]
    bad = [s for s in samples if not phonenumbers.is_valid_number(phonenumbers.parse(s, "CN"))]
    if bad:
        raise SystemExit(f"phone prefixes no longer valid in phonenumbers: {', '.join(bad)}")


# --- unified social credit codes (GB 32100) -------------------------------------------------

_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
CREDIT_PREFIX = {"企业": "91", "物业公司": "91", "个体工商户": "92", "社会组织": "52", "幼儿园": "52",
                 "学校": "12", "医疗机构": "12", "机关事业单位": "11"}
"""Registering authority + entity type: 9 市场监管, 5 民政, 1 机构编制 (GB 32100 table 1/2)."""


def gb11714_check(body: str) -> str:
    """Check character of an 8-character organization code (GB 11714): mod 11, 10 → X."""
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _GB11714_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def credit_code(rng: Random, org_type: str, region: str, used: set[str]) -> str:
    prefix = CREDIT_PREFIX.get(org_type, "91")
    while True:
        body = f"{rng.randrange(10**8):08d}" if prefix != "92" else "L" + f"{rng.randrange(10**7):07d}"
        code17 = prefix + region + body + gb11714_check(body)
        code = code17 + uscc.calc_check_digit(code17)
        if code not in used:
            used.add(code)
            return code


# --- YAML text ------------------------------------------------------------------------------


class Q(str):
    """A value always written in double quotes: ids, codes, phones, ID numbers."""


class Flow(list):
    """A short list written on one line: `[空巢老人, 残疾人]`."""


_PLAIN_START = re.compile(r"[-?:,\[\]{}#&*!|>'\"%@`\s]")
_LOOKS_TYPED = re.compile(r"[-+.\d:_eE]*|(?i:true|false|yes|no|on|off|null|y|n|~)")


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6f}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, Q) or not text or _PLAIN_START.match(text) or _LOOKS_TYPED.fullmatch(text) \
            or ": " in text or " #" in text or text.endswith((":", " ")) or "\n" in text:
        return json.dumps(text, ensure_ascii=False)
    return text


def _flow(items: list[Any]) -> str:
    return "[" + ", ".join(_flow(i) if isinstance(i, list) else scalar(i) for i in items) + "]"


def _block(obj: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in obj.items():
        if value is None or (isinstance(value, (list, dict)) and not value):
            continue
        if isinstance(value, dict):
            out.append(f"{pad}{key}:")
            _block(value, indent + 2, out)
        elif isinstance(value, Flow):
            out.append(f"{pad}{key}: {_flow(value)}")
        elif isinstance(value, list):
            out.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    start = len(out)
                    _block(item, indent + 4, out)
                    out[start] = f"{pad}  - {out[start][indent + 4:]}"
                else:
                    out.append(f"{pad}  - {scalar(item)}")
        else:
            out.append(f"{pad}{key}: {scalar(value)}")


def to_yaml(record: dict[str, Any], comment: str | None = None) -> str:
    out = [f"# {line}" for line in comment.splitlines()] if comment else []
    _block(record, 0, out)
    return "\n".join(out) + "\n"


def write_record(path: Path, record: dict[str, Any], comment: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_yaml(record, comment), encoding="utf-8", newline="\n")


# --- placeholder photos ---------------------------------------------------------------------


def placeholder_jpeg(mask: list[str], background: tuple[int, int, int], figure: tuple[int, int, int],
                     width: int | None = None) -> bytes:
    """A tiny baseline JPEG, one flat colour per 8×8 block (`#` = figure, `.` = background).

    Every block is flat, so only its DC coefficient is non-zero and the whole entropy-coded
    stream needs two Huffman tables of a handful of codes: a valid JPEG without an imaging library.
    """
    rows, cols = len(mask), len(mask[0])
    colours = {".": _ycbcr(background), "#": _ycbcr(figure)}
    bits = _BitWriter()
    previous = [0, 0, 0]
    for row in mask:
        for cell in row:
            for c, level in enumerate(colours[cell]):
                dc = level - 128  # the DC term of a flat block is 8·(p−128); the table divides by 8
                diff, previous[c] = dc - previous[c], dc
                size = abs(diff).bit_length()
                code, length = _DC_CODES[size]
                bits.put(code, length)
                if size:
                    bits.put(diff if diff > 0 else diff + (1 << size) - 1, size)
                bits.put(0, 1)  # AC: end of block, the only AC symbol
    height, width = rows * 8, width or cols * 8  # a narrower frame crops the last block column

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    quant = segment(0xDB, bytes([0]) + bytes([8] * 64))
    frame = segment(0xC0, struct.pack(">BHHB", 8, height, width, 3) + b"".join(
        bytes([i, 0x11, 0]) for i in (1, 2, 3)))
    dc_table = segment(0xC4, bytes([0x00]) + bytes(_DC_BITS) + bytes(_DC_SYMBOLS))
    ac_table = segment(0xC4, bytes([0x10, 1] + [0] * 15 + [0x00]))
    scan = segment(0xDA, bytes([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]))
    jfif = segment(0xE0, b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    return b"\xff\xd8" + jfif + quant + frame + dc_table + ac_table + scan + bits.flush() + b"\xff\xd9"


# DC table: every size 0–11 gets a code; sizes 0 and 1–11 as in the standard luminance table.
_DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
_DC_SYMBOLS = list(range(12))


def _canonical_codes(bits: list[int], symbols: list[int]) -> dict[int, tuple[int, int]]:
    codes, code, k = {}, 0, 0
    for length, count in enumerate(bits, 1):
        for _ in range(count):
            codes[symbols[k]] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    return codes


_DC_CODES = _canonical_codes(_DC_BITS, _DC_SYMBOLS)


def _ycbcr(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    r, g, b = rgb
    y = 0.299 * r + 0.587 * g + 0.114 * b
    return round(y), round(128 + (b - y) / 1.772), round(128 + (r - y) / 1.402)


class _BitWriter:
    def __init__(self) -> None:
        self.acc, self.count, self.out = 0, 0, bytearray()

    def put(self, value: int, length: int) -> None:
        self.acc = (self.acc << length) | value
        self.count += length
        while self.count >= 8:
            self.count -= 8
            byte = (self.acc >> self.count) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)  # byte stuffing

    def flush(self) -> bytes:
        if self.count:
            self.put((1 << (8 - self.count)) - 1, 8 - self.count)
        return bytes(self.out)
