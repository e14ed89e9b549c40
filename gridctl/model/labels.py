"""Every field's Chinese name, as registers and notice boards call it.

`show`, `history`, `diff`, `log` and commit subjects name fields this way in Chinese; `--set`
takes these names as well as the field names (`--set 联系电话=…` is `--set phones=…`).
tests/test_labels.py keeps the table complete: every field of every model has a name here.
"""

from __future__ import annotations

from collections.abc import Iterable

COMMON: dict[str, str] = {
    "kind": "记录类别",
    "id": "编号",
    "retired": "注销",
    "retired.date": "注销日期",
    "retired.reason": "注销原因",
    "extra": "其他信息",
    "grid": "所属网格",
    "name": "名称",
    "type": "类型",
    "address": "地址",
    "note": "备注",
    "date": "日期",
    "photo": "照片",
}

_PERSON = {
    "name": "姓名",
    "id_type": "证件类型",
    "id_number": "公民身份号码",
    "gender": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "relation": "与户主关系",
    "phones": "联系电话",
    "residence": "人员类型",
    "tags": "重点人群类别",
    "category": "管理类别",
    "id_hash": "身份证号校验值",
}

LABELS: dict[str, dict[str, str]] = {
    "grid": {
        "level": "层级",
        "type": "网格类型",
        "area": "城乡类型",
        "parent": "上级网格",
        "boundary": "四至",
        "boundary.east": "东至",
        "boundary.west": "西至",
        "boundary.south": "南至",
        "boundary.north": "北至",
        "boundary.polygon": "边界图形",
        "households_declared": "申报户数",
        "township": "属地乡镇",
        "natural_villages": "自然村",
        "key_sites": "重点部位",
        "responsible": "责任人",
        "responsible.role": "责任角色",
        "responsible.staff": "责任人员",
        "responsible.duties": "职责",
        "responsible.since": "任职日期",
        "former": "历任责任人",
        "former.role": "责任角色",
        "former.staff": "责任人员",
        "former.duties": "职责",
        "former.since": "任职日期",
        "former.until": "卸任日期",
    },
    "staff": {
        "name": "姓名",
        "gender": "性别",
        "phone": "联系电话",
        "organization": "工作单位",
        "position": "职务",
        "party_member": "是否党员",
        "employment": "用工形式",
        "contract_end": "合同到期日期",
        "active": "是否在岗",
    },
    "household": {
        "address.community": "社区",
        "address.estate": "小区",
        "address.building": "楼栋",
        "address.unit": "单元",
        "address.room": "房号",
        "address.text": "详细地址",
        "place": "房屋",
        "housing": "住房性质",
        "tags": "家庭类别",
        "assigned_to": "包户人",
        "members": "家庭成员",
        **{f"members.{k}": v for k, v in _PERSON.items()},
        "members.id": "人员编号",
        "members.retired": "注销",
        "members.retired.date": "注销日期",
        "members.retired.reason": "注销原因",
        "members.extra": "其他信息",
    },
    "person": {**_PERSON, "id": "人员编号"},
    "place": {
        "type": "场所类型",
        "rental": "出租信息",
        "rental.landlord": "房东",
        "rental.landlord_phone": "房东电话",
        "rental.plate_number": "挂牌编号",
        "rental.filing_number": "租赁备案号",
        "rental.max_occupants": "核定居住人数",
        "rental.hazard_level": "隐患等级",
        "rental.category": "管理类别",
        "responsible": "责任人",
    },
    "org": {
        "type": "组织类型",
        "credit_code": "统一社会信用代码",
        "contact": "联系人",
        "contact.name": "联系人姓名",
        "contact.position": "联系人职务",
        "contact.phone": "联系人电话",
        "first_responsible": "第一责任人",
        "first_responsible.name": "第一责任人姓名",
        "first_responsible.position": "第一责任人职务",
        "first_responsible.phone": "第一责任人电话",
    },
    "thing": {
        "type": "物件类型",
        "location": "位置",
        "place": "所在场所",
        "status": "状态",
        "next_inspection": "下次检查日期",
        "expires": "有效期至",
    },
    "event": {
        "type": "事件类型",
        "category": "事件分类",
        "grade": "等级",
        "title": "标题",
        "description": "描述",
        "refs": "关联",
        "refs.places": "关联场所",
        "refs.people": "关联人员",
        "refs.orgs": "关联组织",
        "refs.things": "关联物件",
        "reported": "上报",
        "reported.by": "上报人",
        "reported.at": "上报时间",
        "reported.via": "上报途径",
        "occurred": "发生时间",
        "deadline": "办理期限",
        "status": "状态",
        "timeline": "处置经过",
        "timeline.at": "时间",
        "timeline.by": "经办人",
        "timeline.action": "环节",
        "timeline.note": "说明",
        "timeline.to": "交办对象",
        "timeline.deadline": "本环节期限",
        "review": "事故四不放过",
        "review.item": "项目",
        "review.note": "说明",
    },
    "inspection": {
        "date": "检查日期",
        "inspector": "检查人",
        "checklist": "检查表",
        "items": "检查项目",
        "items.item": "检查项",
        "items.result": "结果",
        "items.note": "说明",
        "items.event": "事件",
        "signed_by": "签字人",
    },
    "visit": {
        "household": "走访户",
        "date": "走访日期",
        "by": "走访人",
        "purpose": "走访事由",
    },
    "activity": {
        "type": "活动类型",
        "date": "活动日期",
        "occasion": "时机",
        "title": "主题",
        "host": "组织人",
        "participants": "参加人数",
        "attendees": "参加人员",
        "summary": "内容和效果",
        "photos": "照片",
    },
    "document": {
        "type": "文件类型",
        "title": "标题",
        "due": "报送期限",
        "date": "完成日期",
        "to": "报送对象",
        "attachment": "附件",
        "signed_by": "签订人",
        "signed_with": "签订对象",
    },
}

ALIASES: dict[str, dict[str, str]] = {
    "grid": {
        "网格名称": "name",
        "东": "boundary.east",
        "西": "boundary.west",
        "南": "boundary.south",
        "北": "boundary.north",
    },
    "staff": {"手机号": "phone", "电话": "phone", "单位": "organization", "党员": "party_member", "在岗": "active"},
    "person": {"手机号": "phones", "电话": "phones", "身份证号": "id_number", "标签": "tags", "人群类别": "tags"},
    "household": {"标签": "tags", "住址": "address.text", "楼号": "address.building", "门牌号": "address.room"},
}
"""Other names clerks use for a field (as register headers do); `--set` takes them too."""

WORDS: dict[str, dict[str, dict[str, str]]] = {
    "inspection": {"items.result": {"ok": "正常", "hazard": "有隐患", "na": "不适用"}},
}
"""Values a record stores as codes, as the clerk says them (an inspection item's result)."""


def _key(path: Iterable[str | int]) -> str:
    return ".".join(str(p) for p in path if not isinstance(p, int))


def label(kind: str, path: Iterable[str | int]) -> str:
    """The Chinese name of the field at `path` of a `kind` record (`phones` → 联系电话)."""
    steps = [p for p in path if not isinstance(p, int)]
    own = LABELS.get(kind, {})
    key = _key(steps)
    if key in own:
        return own[key]
    if key in COMMON:
        return COMMON[key]
    if steps and steps[0] == "extra":
        return "·".join(str(s) for s in steps[1:]) or COMMON["extra"]
    out: list[str] = []
    for i in range(len(steps)):
        partial = _key(steps[: i + 1])
        out.append(own.get(partial) or COMMON.get(str(steps[i])) or str(steps[i]))
    return "·".join(out) if out else ""


def field_path(kind: str, name: str) -> str | None:
    """The field a Chinese name (or a clerk's other word for it) stands for, as a dotted path; None if none."""
    if kind in ALIASES and name in ALIASES[kind]:
        return ALIASES[kind][name]
    for table in (LABELS.get(kind, {}), COMMON):
        for key, zh in table.items():
            if zh == name:
                return key
    return None


def word(kind: str, path: Iterable[str | int], value: object) -> object:
    """A stored code as the clerk says it (`ok` → 正常); any other value as it is."""
    words = WORDS.get(kind, {}).get(_key(path))
    return words.get(value, value) if words and isinstance(value, str) else value
