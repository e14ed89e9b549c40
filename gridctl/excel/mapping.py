"""Which spreadsheet column holds which field: the usual Chinese register headers, per kind.

A `--mapping MAP.yaml` file overrides the defaults field by field:

    # 字段 (或默认表头): 本表的表头，可以写多个
    id_number: [身份证, 证件号]
    姓名: 户主姓名
    ethnicity: null          # 不导入这一列
    ignore: [填表说明]        # 跳过这些列，不放进 extra

Export writes each field under its first header, so an export is read back unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text


@dataclass(frozen=True)
class Column:
    key: str
    """Where the value goes: a field name (`name`), a nested one (`rental.landlord`), `extra.X`,
    or an importer key (`grid_name`, `household_id`)."""
    headers: tuple[str, ...]
    parse: str = "text"
    """A reader from gridctl.excel.values.PARSERS."""

    @property
    def header(self) -> str:
        """The header export writes."""
        return self.headers[0]


def C(key: str, headers: str, parse: str = "text") -> Column:
    return Column(key, tuple(headers.split()), parse)


_GRID = [C("grid", "所属网格 网格编码 网格编号 网格", "code"), C("grid_name", "网格名称")]

DEFAULTS: dict[str, list[Column]] = {
    "household": [
        C("household_id", "户编号", "code"),
        C("person_id", "人员编号", "code"),
        *_GRID,
        C("address.estate", "小区 小区名称"),
        C("address.building", "楼栋 楼号 楼栋号 幢号"),
        C("address.unit", "单元 单元号"),
        C("address.room", "房号 门牌号 房间号"),
        C("address.text", "现住址 居住地址 现居住地址 现住地址 住址"),
        C("housing", "住房性质 房屋性质"),
        C("household_tags", "家庭类别 户类别 家庭标签", "words"),
        C("name", "姓名", "name"),
        C("relation", "与户主关系 与户主的关系"),
        C("gender", "性别"),
        C("id_type", "证件类型"),
        C("id_number", "公民身份号码 身份证号 身份证号码 身份证 证件号码 证件号", "id_number"),
        C("birth_date", "出生日期 出生年月日 生日", "date"),
        C("ethnicity", "民族"),
        C("phones", "联系电话 手机号 手机号码 手机 电话 联系方式", "phones"),
        C("residence", "人员类型 居住类型 人口类型 户籍性质 户籍类型 人口性质"),
        C("tags", "重点人群类别 人员标签 重点人群", "words"),
        C("category", "管理类别 四类管理 人员管理类别"),
        C("extra.户籍地址", "户籍地址 户籍所在地 户籍地"),
        C("extra.备注", "备注"),
    ],
    "staff": [
        C("id", "编号 人员编号 工号", "code"),
        C("name", "姓名", "name"),
        C("gender", "性别"),
        C("phone", "联系电话 手机号 手机号码 电话", "phone"),
        C("organization", "工作单位 所在单位 单位"),
        C("position", "职务 岗位"),
        C("employment", "用工形式 聘用形式 人员类别"),
        C("party_member", "是否党员 党员", "bool"),
        C("contract_end", "合同到期日期 合同到期日 合同到期", "date"),
        C("active", "是否在岗 在岗", "bool"),
        C("photo", "照片"),
        C("extra.备注", "备注"),
    ],
    "place": [
        C("id", "编号 场所编号 房屋编号", "code"),
        *_GRID,
        C("type", "类型 场所类型 房屋类型"),
        C("name", "名称 场所名称 房屋名称"),
        C("address", "地址 详细地址 房屋地址"),
        C("responsible", "责任人"),
        C("rental.landlord", "房东 房东姓名 出租人"),
        C("rental.landlord_phone", "房东电话 房东联系电话 出租人电话", "phone"),
        C("rental.plate_number", "挂牌编号"),
        C("rental.filing_number", "租赁备案号 备案号"),
        C("rental.max_occupants", "核定人数 最多居住人数", "int"),
        C("rental.hazard_level", "隐患等级"),
        C("rental.category", "管理类别 四类管理"),
        C("extra.备注", "备注"),
    ],
    "org": [
        C("id", "编号 组织编号 单位编号", "code"),
        *_GRID,
        C("name", "名称 单位名称 组织名称"),
        C("type", "类型 组织类型 单位类型"),
        C("credit_code", "统一社会信用代码 信用代码", "credit_code"),
        C("address", "地址 单位地址"),
        C("contact.name", "联系人"),
        C("contact.position", "联系人职务"),
        C("contact.phone", "联系电话 联系人电话", "phone"),
        C("first_responsible.name", "第一责任人 负责人"),
        C("first_responsible.position", "第一责任人职务 负责人职务"),
        C("first_responsible.phone", "第一责任人电话 负责人电话", "phone"),
        C("extra.备注", "备注"),
    ],
}

IGNORED = ("序号", "序", "年龄", "原因")
"""Columns read past: a running number; 年龄 (derived from the birth date, never stored); and the
reason column of a rejected-rows file, so a corrected one imports as it is."""

REASON = "原因"

KINDS = tuple(DEFAULTS)


def norm(text: str) -> str:
    """Headers compare without spaces, `*` required marks, notes in brackets or a final colon."""
    out = unicodedata.normalize("NFKC", text)
    out = re.sub(r"\s+", "", out)
    out = re.sub(r"\([^)]*\)", "", out)
    return out.strip("*:").lower()


class MappingError(GridctlError):
    """The --mapping file is unreadable or names fields that do not exist."""


@dataclass
class Mapping:
    kind: str
    columns: list[Column]
    ignored: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._by_header: dict[str, Column] = {}
        for column in self.columns:
            for header in column.headers:
                self._by_header.setdefault(norm(header), column)

    def column_for(self, header: str) -> Column | None:
        return self._by_header.get(norm(header))

    def key_of(self, header: str) -> str | None:
        """The field a header label stands for, or None."""
        column = self._by_header.get(norm(header)) if header else None
        return column.key if column is not None else None

    def skip(self, header: str) -> bool:
        return norm(header) in self.ignored

    def by_key(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def default_mapping(kind: str) -> Mapping:
    return Mapping(kind, list(DEFAULTS[kind]), {norm(h) for h in IGNORED})


def load_mapping(kind: str, path: Path | None) -> Mapping:
    """The defaults for `kind`, overridden by the mapping file when one is given.

    Every line is checked: a key that is no field, or a value that is neither a header nor a list
    of headers (`residence: {header: 人员类型, values: …}`), stops the import naming the line.
    """
    mapping = default_mapping(kind)
    if path is None:
        return mapping
    data, lines = _read(path)
    columns = {c.key: c for c in mapping.columns}
    aliases = {norm(h): c.key for c in mapping.columns for h in c.headers}
    ignored = set(mapping.ignored)
    for name, value in data.items():
        name = str(name)
        where = f"{path.name}:{lines.get(name, 1)}"
        if name == "ignore":
            ignored |= {norm(h) for h in _headers(value, where, name)}
            continue
        key = name if name in columns else aliases.get(norm(name))
        if key is None:
            listed = ", ".join(c.key for c in mapping.columns) + ", ignore"
            raise MappingError(
                Text(f"{where}: 映射文件中的字段“{name}”不存在", f"{where}: unknown field {name!r} for {kind}"),
                hint=Text(f"可用字段: {listed}", f"fields: {listed}"),
            )
        if value is None:
            ignored |= {norm(h) for h in columns.pop(key).headers}  # not imported at all, not even as extra
        else:
            columns[key] = replace(columns[key], headers=tuple(_headers(value, where, name)))
    return Mapping(kind, list(columns.values()), ignored)


def _read(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The mapping and the line of each key."""
    import yaml

    if not path.is_file():
        raise MappingError(Text(f"找不到映射文件: {path}", f"no such mapping file: {path}"))
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}:{mark.line + 1}" if mark is not None else path.name
        raise MappingError(
            Text(
                f"{where}: 映射文件格式错误 ({type(exc).__name__})",
                f"{where}: not a readable YAML mapping ({type(exc).__name__})",
            )
        ) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise MappingError(
            Text(
                f"{path.name}:1: 映射文件应为“字段: 表头”各行",
                f"{path.name}:1: expected `field: header` lines",
            )
        )
    lines = {str(k.value): k.start_mark.line + 1 for k, _v in node.value}
    return data, lines


def _headers(value: Any, where: str, name: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if isinstance(value, dict) or any(isinstance(v, dict | list) for v in items):
        raise MappingError(
            Text(
                f"{where}: “{name}”后面应写表头 (或表头列表)，不能是嵌套的内容",
                f"{where}: {name}: a header or a list of headers, not {type(value).__name__}",
            ),
            hint=Text(
                "例如 residence: 人员类型；表格用词与台账不同时，请在 gridctl.yaml 的 aliases 中登记",
                "e.g. residence: 人员类型 — to read the sheet's words as the ledger's, use aliases: in gridctl.yaml",
            ),
        )
    out = [str(v).strip() for v in items if v is not None and str(v).strip()]
    if not out:
        raise MappingError(Text(f"{where}: “{name}”请写出表头", f"{where}: {name}: give a header or a list of headers"))
    return out
