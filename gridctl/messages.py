"""The problem-code catalog: severity, message and hint in Chinese and English.

Codes are stable: tests/cases/<CODE>/ holds a golden case for each, and docs/problems.md is
generated from this table and those cases (`python -m gridctl.docs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class _Args(dict):  # type: ignore[type-arg]
    """Format arguments. `{x_zh}` is `x` in Chinese (from the tables below) unless given;
    an unknown placeholder stays visible instead of failing."""

    def __missing__(self, key: str) -> str:
        if key.endswith("_zh") and key[:-3] in self:
            return to_zh(str(self[key[:-3]]))
        return "{" + key + "}"


@dataclass(frozen=True)
class Spec:
    severity: str
    title: str
    zh: str
    en: str
    hint_zh: str | None = None
    hint_en: str | None = None

    def render(self, lang: str, args: Mapping[str, Any]) -> str:
        return (self.zh if lang == "zh" else self.en).format_map(_Args(args))

    def render_hint(self, lang: str, args: Mapping[str, Any]) -> str | None:
        hint = self.hint_zh if lang == "zh" else self.hint_en
        return hint.format_map(_Args(args)) if hint else None


E, W = "error", "warning"

VOCAB_ZH: dict[str, str] = {
    "roles": "责任角色",
    "genders": "性别",
    "employment": "用工形式",
    "grid_types": "网格类型",
    "areas": "城乡类型",
    "id_types": "证件类型",
    "relations": "与户主关系",
    "residence_types": "人员类型",
    "care_groups": "重点人群类别",
    "housing_types": "住房性质",
    "place_types": "场所类型",
    "hazard_levels": "隐患等级",
    "rental_categories": "出租房屋管理类别",
    "person_categories": "人员管理类别",
    "org_types": "组织类型",
    "thing_types": "物件类型",
    "thing_statuses": "物件状态",
    "event_types": "事件类型",
    "event_grades": "事件等级",
    "event_statuses": "事件状态",
    "event_actions": "处置环节",
    "levels": "网格层级",
    "checklists": "检查表",
    "activity_types": "活动类型",
    "activity_occasions": "活动时机",
    "document_types": "文件类型",
}

TYPE_ZH: dict[str, str] = {
    "list": "列表",
    "str": "一段文字",
    "int": "数字",
    "float": "数字",
    "bool": "true/false",
    "NoneType": "空值",
    "date": "日期",
    "datetime": "日期时间",
    "nothing": "空文档",
    "GBK": "像是 GBK 编码",
    "UTF-16": "UTF-16 编码",
    "unknown encoding": "编码未知",
}

YAML_ZH: list[tuple[str, str]] = [
    ("full-width space", "缩进里有全角空格 (中文输入法的空格)；请换成半角空格"),
    ("full-width colon", "字段名后是全角冒号“：”；请改成半角冒号加空格“: ”"),
    ("full-width comma", "列表里是全角逗号“，”；请改成半角逗号“,”"),
    ("without its leading '- '", "这一行是列表的新一项，但缺了开头的“- ”；请在此处补上“- ”"),
    ("mapping values are not allowed", "此处不能出现“冒号+空格”；值里含有 ': ' 时，请给整个值加引号"),
    ("unclosed quote", "引号没有闭合"),
    ("quoted scalar", "引号没有闭合"),
    ("unclosed bracket", "括号没有闭合"),
    ("did not find expected key", "缩进不一致，或上一行缺少冒号"),
    ("did not find expected", "缩进不一致或括号、引号没有闭合"),
    ("invalid indentation", "缩进不一致"),
    ("Invalid tag", "不支持的标签 (以 ! 开头的写法)"),
    ("unexpected end", "文件意外结束：括号或引号没有闭合"),
    ("could not find expected ':'", "缺少冒号"),
    ("block sequence entries are not allowed", "此处不能以 - 开头"),
]


def to_zh(value: str) -> str:
    """A Chinese rendering of an English word or YAML error, or the value itself."""
    if value in KIND_ZH:
        return KIND_ZH[value]
    if value in VOCAB_ZH:
        return VOCAB_ZH[value]
    if value in TYPE_ZH:
        return TYPE_ZH[value]
    for needle, zh in YAML_ZH:
        if needle in value:
            return zh
    return value


KIND_ZH: dict[str, str] = {
    "grid": "网格",
    "staff": "工作人员",
    "household": "户",
    "person": "人员",
    "place": "场所",
    "org": "组织",
    "thing": "物",
    "event": "事件",
    "inspection": "检查记录",
    "visit": "走访记录",
    "activity": "活动记录",
    "document": "文件",
}

CATALOG: dict[str, Spec] = {
    # -- files and YAML ---------------------------------------------------------------------
    "GC001": Spec(
        E,
        "YAML syntax error",
        "YAML 格式错误: {detail_zh}",
        "YAML syntax error: {detail}",
        "检查冒号、缩进和引号；用文本编辑器打开该行核对",
        "check colons, indentation and quotes on this line",
    ),
    "GC002": Spec(
        E,
        "duplicate key",
        "同一记录中字段重复: {key}",
        "duplicate key in one mapping: {key}",
        "删除或合并重复的字段，否则后一个会悄悄覆盖前一个",
        "remove or merge the repeated key; otherwise one value silently wins",
    ),
    "GC003": Spec(
        E,
        "not UTF-8",
        "文件不是 UTF-8 编码 ({found_zh}，第 {byte} 字节)",
        "file is not UTF-8 ({found}, byte {byte})",
        "用文本编辑器把文件另存为 UTF-8 编码 (记事本: 另存为 → 编码 UTF-8)",
        "save the file as UTF-8 (Notepad: Save as → Encoding UTF-8)",
    ),
    "GC004": Spec(
        E,
        "binary file",
        "文件是二进制内容，不是 YAML",
        "file is binary, not YAML",
        "把照片等文件放在 photos/ 下",
        "keep photos and other binary files under photos/",
    ),
    "GC005": Spec(
        E,
        "file holds no record",
        "文件里没有任何记录 (空的，或只有空白、注释、---)：原本写在这里的记录已不在台账里",
        "the file holds no record (empty, or only blanks, comments or ---): whatever record it held is missing from the ledger",
        "记录若是被误删或误清空，用 git checkout HEAD -- {file} 恢复 (清空已提交的，gridctl show 编号 会说从哪一版恢复)；不需要的文件请删除",
        "if its record was deleted or emptied by mistake, restore it: git checkout HEAD -- {file} "
        "(once the emptying is committed, gridctl show ID says from which version); delete the file if it is not wanted",
    ),
    "GC006": Spec(
        E,
        "file too large",
        "文件过大 ({size} MB，上限 {limit} MB)",
        "file too large ({size} MB; limit {limit} MB)",
        "每户、每人员一个文件；不要把整个台账放进一个文件",
        "keep one record per file; do not put the whole ledger in one file",
    ),
    "GC007": Spec(
        E,
        "alias expansion too large",
        "锚点/别名展开过多，拒绝读取 (可能是恶意文件)",
        "too many alias expansions; refused (possibly a malicious file)",
        "不要使用 & 和 * 锚点别名，直接写出内容",
        "write the values out instead of using & anchors and * aliases",
    ),
    "GC008": Spec(
        E,
        "link leaves the ledger",
        "符号链接指向台账之外: {target}",
        "symlink points outside the ledger: {target}",
        "把文件复制进台账，删除链接",
        "copy the file into the ledger and remove the link",
    ),
    "GC015": Spec(
        E,
        "linked folder",
        "这是指向文件夹的符号链接 ({target})，其中的记录不会被读取",
        "a symbolic link to a folder ({target}): its records are not read",
        "把文件夹本身放进台账，删除链接",
        "put the folder itself into the ledger and remove the link",
    ),
    "GC016": Spec(
        E,
        "file name Windows cannot hold",
        "文件名 “{name}” 在 Windows 上无法存在 (设备名 CON、NUL、COM1 等，含换行、Tab 等控制字符，或以点、空格结尾)",
        "the name {name!r} cannot exist on Windows (a device name such as CON, NUL, COM1, a control character such as "
        "a line break or a tab, or a trailing dot or space)",
        "改名，例如用记录的 id 作文件名 (S0001.yaml)；否则 Windows 电脑无法取出这个台账",
        "rename it, e.g. after the record's id (S0001.yaml); otherwise a Windows PC cannot check out the ledger",
    ),
    "GC017": Spec(
        E,
        "record file not read for its name",
        "文件名以 “{ending}” 结尾，台账不读这个文件：其中的记录不在台账里",
        "the name ends in {ending!r}: the ledger does not read this file, and its records are not in the ledger",
        "改名为 {name} (Windows 可能隐藏了扩展名：在资源管理器“查看”中勾选“文件扩展名”)；不需要的文件请删除",
        "rename it {name} (Windows may hide the ending: tick View > File name extensions in Explorer); "
        "delete it if it is not wanted",
    ),
    "GC018": Spec(
        E,
        "record file not read, its right name taken",
        "文件名以 “{ending}” 结尾，台账不读这个文件；同一文件夹里已有 {name}，台账读的是那个",
        "the name ends in {ending!r}: the ledger does not read this file; {name} is in the same folder, and the ledger reads that one",
        "不要改名为 {name}，那会覆盖它。{both_zh}把本文件中还需要的内容写进 {name}，再删除本文件{unless_zh}",
        "do not rename it {name}: that would overwrite it. {both}, copy what is still needed from this file into {name}, "
        "then delete this file{unless}",
    ),
    "GC019": Spec(
        E,
        "record of prints cannot be read",
        "打印记录无法读取: {reason_zh} (print stale 说不出哪些公示牌、联系卡、责任图要重印，新的打印也记不进去)",
        "the record of prints cannot be read: {reason} (print stale cannot say which boards, cards and charts to "
        "print again, and new prints are not noted in it)",
        "{advice_zh}；改好后 gridctl print stale 会再列出要重印的",
        "{advice}; once it is mended, gridctl print stale again lists what to reprint",
    ),
    "GC009": Spec(
        E,
        "tab indentation",
        "缩进中使用了制表符 (Tab)",
        "tab character used for indentation",
        "YAML 只能用空格缩进；把 Tab 换成两个空格",
        "YAML indents with spaces only; replace the tab with two spaces",
    ),
    "GC010": Spec(
        E,
        "document is not a mapping",
        "文档应为“字段: 值”的映射，实际是{found_zh}",
        "document should be a mapping of field: value, found {found}",
        "每个文档以 kind: 和 id: 开头",
        "every document starts with kind: and id:",
    ),
    "GC011": Spec(
        E,
        "missing kind",
        "缺少 kind 字段",
        "missing kind",
        "写明记录类型，例如 kind: household",
        "say what the record is, e.g. kind: household",
    ),
    "GC012": Spec(
        E, "unknown kind", "未知的记录类型: {kind}", "unknown kind: {kind}", "可用类型: {kinds}", "known kinds: {kinds}"
    ),
    "GC013": Spec(
        E,
        "missing id",
        "{kind_zh}记录缺少 id",
        "{kind} record has no id",
        "每条记录需要唯一且永不重用的 id",
        "every record needs a unique id that is never reused",
    ),
    "GC014": Spec(
        E,
        "invalid settings",
        "gridctl.yaml 设置错误 ({field}): {detail_zh}",
        "gridctl.yaml: {field}: {detail}",
        "默认设置见 gridctl/profiles/ 下的方案文件；gridctl.yaml 只写与方案不同的部分",
        "defaults are in the profile under gridctl/profiles/; gridctl.yaml states only what differs",
    ),
    # -- one record ---------------------------------------------------------------------------
    "GC100": Spec(E, "invalid field", "字段 {field}: {detail_zh}", "field {field}: {detail}", None, None),
    "GC101": Spec(
        E,
        "unknown field",
        "未知字段: {field}",
        "unknown field: {field}",
        "检查拼写；本社区自定义的字段请放在 extra: 下",
        "check the spelling; the ledger's own fields go under extra:",
    ),
    "GC102": Spec(
        E,
        "value not in vocabulary",
        "“{value}”不在{vocabulary_zh}词表 ({vocabulary}) 中",
        "{value} is not in vocabulary {vocabulary}",
        "可选值: {allowed}；{suggest_zh}如需新增，在 gridctl.yaml 的 vocabularies 中添加",
        "allowed: {allowed}; {suggest}to add one, extend vocabularies in gridctl.yaml",
    ),
    "GC103": Spec(
        E,
        "ID number checksum",
        "公民身份号码校验位错误: {value}",
        "resident ID number check digit is wrong: {value}",
        "核对身份证原件；若为外籍或无身份证人员，设置 id_type",
        "check the ID card; for other documents set id_type",
    ),
    "GC104": Spec(
        E,
        "ID number format",
        "公民身份号码格式错误: {value} ({detail_zh})",
        "resident ID number is malformed: {value} ({detail})",
        "居民身份证号码为 18 位，最后一位可以是 X",
        "an ID number has 18 characters; the last may be X",
    ),
    "GC105": Spec(
        E,
        "ID number region unknown",
        "公民身份号码地区码 {region} 不存在",
        "unknown region code {region} in ID number",
        "核对身份证原件前 6 位",
        "check the first 6 digits against the ID card",
    ),
    "GC106": Spec(
        E,
        "birth date disagrees with ID number",
        "出生日期 {birth_date} 与公民身份号码中的 {id_birth} 不一致 (号码第 {digits} 位)",
        "birth_date {birth_date} disagrees with the ID number ({id_birth}, its digits {digits})",
        "以身份证为准修改出生日期",
        "correct birth_date from the ID card",
    ),
    "GC107": Spec(
        E,
        "gender disagrees with ID number",
        "性别 {gender} 与公民身份号码 (第 17 位为{id_gender}性) 不一致",
        "gender {gender} disagrees with the ID number (digit 17 says {id_gender})",
        "以身份证为准修改 gender",
        "correct gender from the ID card",
    ),
    "GC108": Spec(
        E,
        "invalid phone number",
        "电话号码无效: {value}",
        "invalid phone number: {value}",
        "手机号 11 位；固定电话加区号，如 010-12345678",
        "mobiles have 11 digits; landlines need the area code",
    ),
    "GC109": Spec(
        E,
        "invalid credit code",
        "统一社会信用代码无效: {value} ({detail_zh})",
        "invalid unified social credit code: {value} ({detail})",
        "对照营业执照核对 18 位代码",
        "check the 18-character code against the business licence",
    ),
    "GC110": Spec(
        E,
        "id format",
        "{kind_zh}的 id {value} 不符合本台账格式 {format}",
        "{kind} id {value} does not match the ledger format {format}",
        "按 gridctl.yaml 中 id_formats 的格式编写 id (# 代表数字)",
        "write ids in the id_formats of gridctl.yaml (# is a digit)",
    ),
    "GC111": Spec(
        E,
        "grid code",
        "网格编码 {value} 不符合规则: {detail_zh}",
        "grid code {value} breaks the rule: {detail}",
        "编码 = 上级编码 + 本级序号，位数见 gridctl.yaml 的 levels",
        "a grid code is its parent's code plus a sequence; digits per level are in gridctl.yaml",
    ),
    # -- across the ledger --------------------------------------------------------------------
    "GC112": Spec(
        E,
        "unsafe id or code",
        "{field} 的值 “{value}” 不能用作编号：只能用字母、数字、- 和 _ (最多 64 个)，且不能是 Windows 保留名",
        "{field} {value!r} cannot be an id or code: letters, digits, - and _ only (at most 64), "
        "not a Windows device name",
        "编号会成为文件名和文件夹名；改成如 H000123 或 110105001001001 这样的编号",
        "ids become file and folder names; use one like H000123 or 110105001001001",
    ),
    "GC113": Spec(
        E,
        "control character",
        "字段 {field} 含有控制字符 ({char})",
        "field {field} holds a control character ({char})",
        "控制字符会扰乱终端和打印件；删除它 (常见于从网页或其他系统复制的文字)",
        "control characters garble terminals and prints; remove it (often pasted from a web page or another system)",
    ),
    "GC114": Spec(
        E,
        "line break in a one-line field",
        "字段 {field} 应为一行，不能换行",
        "field {field} must be one line",
        "把换行去掉；较长的说明写在备注等字段里",
        "remove the line break; longer notes belong in a note or description field",
    ),
    "GC115": Spec(
        E,
        "ID number written in free text",
        "身份证号码写在了文字里: {value}",
        "an ID number is written in free text: {value}",
        "身份证号码只写在本人的“身份证号”字段 (那里会打码、可加密)；这里改写姓名或删去号码",
        "an ID number belongs in the person's id_number field (masked there, and encrypted on an encrypted "
        "ledger); write the name here instead, or remove the number",
    ),
    "GC116": Spec(
        E,
        "mobile number written in free text",
        "手机号码写在了文字里: {value}",
        "a mobile number is written in free text: {value}",
        "居民的手机号只写在本人的“联系电话”字段 (那里会打码、可加密)；这里改写姓名或删去号码。"
        "确需保留的台账可在 gridctl.yaml 的 disabled: 中关闭 GC116",
        "a resident's mobile belongs in their phones field (masked there, and encrypted on an encrypted "
        "ledger); write the name here instead, or remove the number. A ledger that must keep them can "
        "switch GC116 off under disabled: in gridctl.yaml",
    ),
    "GC117": Spec(
        E,
        "leading zero lost",
        "字段 {field} 的 {value} 没有加引号，被读成了数字，开头的 0 会丢掉",
        "{field}: {value} without quotes is read as a number and loses its leading 0",
        '加引号: {lead}"{value}"',
        'put it in quotes: {lead}"{value}"',
    ),
    "GC118": Spec(
        E,
        "number not as typed",
        "字段 {field} 的 {value} 没有加引号，被读成了数字 {read}，与所写的不同",
        "{field}: {value} without quotes is read as the number {read}, not as typed",
        '加引号: {lead}"{value}"',
        'put it in quotes: {lead}"{value}"',
    ),
    "GC119": Spec(
        E,
        "name with lost characters",
        "姓名“{name}”中有问号或替换符：字在转换编码时丢了 (GBK 的 CSV、生僻字)",
        "the name {name} holds a question mark or a replacement character: characters were lost in an encoding round trip (a GBK CSV, a rare character)",
        "按身份证或原始登记改回正确的字；用 Excel 另存为 .xlsx 或 UTF-8 的 CSV 再导入，生僻字才不会丢",
        "write the name as on the ID card or the original register; save the sheet as .xlsx or UTF-8 CSV "
        "before importing, so rare characters are kept",
    ),
    "GC150": Spec(
        E,
        "photo not in the ledger",
        "照片 {path} 不在台账中 (或路径在台账之外)",
        "photo {path} is not in the ledger (or the path leads outside it)",
        "用 gridctl photo {record_id} 照片文件 放入照片，或改正 photo 的路径",
        "put it in with gridctl photo {record_id} FILE, or correct the photo path",
    ),
    "GC201": Spec(
        E,
        "duplicate id",
        "id {id} 重复，另见 {other}",
        "duplicate id {id}; also at {other}",
        "id 终身唯一；{fix_zh}",
        "ids are unique for life; {fix}",
    ),
    "GC202": Spec(
        E,
        "missing reference",
        "引用的{target_kind_zh} {target} 不存在",
        "refers to missing {target_kind} {target}",
        "先添加该记录，或修正 id",
        "add that record first, or correct the id",
    ),
    "GC210": Spec(
        E,
        "grid tree root",
        "网格树应只有一个根节点，实际有 {count} 个: {roots}",
        "the grid tree needs exactly one root; found {count}: {roots}",
        "除最上级网格外，每个网格都要写 parent",
        "every grid but the top one needs a parent",
    ),
    "GC211": Spec(
        E,
        "grid tree cycle",
        "网格上下级形成循环: {cycle}",
        "the grid tree has a cycle: {cycle}",
        "检查这些网格的 parent",
        "check the parent of these grids",
    ),
    "GC212": Spec(
        E,
        "level jump",
        "{level}的上级应为{expected}，实际是{parent_level}",
        "a {level} must sit under a {expected}; its parent is a {parent_level}",
        "子网格比上级低一级",
        "a child sits exactly one level below its parent",
    ),
    "GC213": Spec(
        E,
        "grid outside a community",
        "网格未归属到唯一的村/社区 (找到 {count} 个)",
        "grid is not inside exactly one village or community (村/社区; found {count})",
        "每个网格都属于且仅属于一个村或社区，不能直接挂在街道/镇下",
        "every grid belongs to one village or community, never directly to a town",
    ),
    "GC220": Spec(
        E,
        "not in a leaf grid",
        "{kind_zh}应归属到最末级网格，{grid_name} ({grid}) 下还有子网格",
        "{kind} must sit in a leaf grid; {grid_name} ({grid}) has child grids",
        "把记录分配到具体的网格 (人无遗漏)",
        "assign the record to a leaf grid (no one missed)",
    ),
    "GC221": Spec(
        E,
        "file in another grid's folder",
        "文件放在 {folder}/ 中，但 grid 写的是 {grid}：这个{kind_zh}的文件应在 {expected}/",
        "the file lies in {folder}/ but its grid says {grid}: this {kind}'s file belongs in {expected}/",
        "两处须一致。它属于 {grid}，就把文件移回去: gridctl move {id} --to {grid}{also_zh}",
        "the two must agree. If it belongs to {grid}, put the file back: gridctl move {id} --to {grid}{also}",
    ),
    "GC222": Spec(
        E,
        "file in another month's folder",
        "文件放在 {folder}/ 中，但{field_zh}是 {date}：这个{kind_zh}的文件应在 {expected}/",
        "the file lies in {folder}/ but its {field} is {date}: this {kind}'s file belongs in {expected}/",
        "两处须一致。{field_zh} {date} 没错，就照原样再设一次，文件会移到 {expected}/: gridctl edit {id} --set {again}；"
        "日期错了，就设成正确的日期，文件随之归入那个月的文件夹: gridctl edit {id} --set {field}=日期",
        "the two must agree. If {date} is right, set it again as it is and the file moves to {expected}/: "
        "gridctl edit {id} --set {again}; if not, set the right date and the file goes to its month's folder: "
        "gridctl edit {id} --set {field}=DATE",
    ),
    "GC223": Spec(
        E,
        "record in a retired grid",
        "{what_zh} 在已注销的网格 {grid_name} ({grid}) 中 ({date} 注销)",
        "{what} is in grid {grid_name} ({grid}), retired on {date}",
        "注销的网格不再有户、场所、物件、组织、未办结的事件、待报送的文件、下级网格和责任人，也没有注销之日起的"
        "检查和活动记录。{fix_zh}；网格注销有误时，撤销注销: gridctl edit {grid} --unset retired",
        "a retired grid holds no household, place, thing, org, open event, document still owed, child grid or "
        "responsible person, and no inspection or activity from its retirement's day on. "
        "{fix}; if the grid was retired by mistake, reinstate it: gridctl edit {grid} --unset retired",
    ),
    "GC230": Spec(
        E,
        "grid chief",
        "网格应有且只有一名{role}，实际 {count} 名",
        "grid needs exactly one {role}; has {count}",
        "指定{role} (定人): gridctl assign {grid} --role {role} --staff 人员编号 --duty 职责",
        "name the {role}: gridctl assign {grid} --role {role} --staff STAFF --duty DUTY",
    ),
    "GC231": Spec(
        E,
        "grid worker",
        "网格至少需要一名{roles}",
        "grid needs at least one {roles}",
        "配备{roles}并写明职责: gridctl assign {grid} --role {role} --staff 人员编号 --duty 职责",
        "add one with duties: gridctl assign {grid} --role {role} --staff STAFF --duty DUTY",
    ),
    "GC232": Spec(
        E,
        "responsibility without duties",
        "{role} {staff} 没有写明职责",
        "{role} {staff} has no duties",
        "写明职责 (定责): gridctl assign {grid} --role {role} --staff {staff} --duty 职责",
        "write the duties out: gridctl assign {grid} --role {role} --staff {staff} --duty DUTY",
    ),
    "GC233": Spec(
        E,
        "responsible staff inactive",
        "责任人 {staff} ({name}) 已不在岗",
        "responsible staff {staff} ({name}) is not active",
        "换成在岗人员: gridctl unassign {grid} --role {role} --staff {staff}，再 gridctl assign {grid} --role {role} …",
        "put someone active in: gridctl unassign {grid} --role {role} --staff {staff}, then gridctl assign",
    ),
    "GC234": Spec(
        E,
        "responsibility ends before it began",
        "{role} {staff} 的卸任日期 {until} 早于任职日期 {since}",
        "{role} {staff} left on {until}, before starting on {since}",
        "核对任免文件后改正 former 中的 since 或 until (until 是不再负责的第一天)",
        "check the appointment papers and correct since or until under former (until: the first day no longer responsible)",
    ),
    "GC235": Spec(
        W,
        "responsibility date still to come",
        "{role} {staff} 的{what} {date} 晚于今天",
        "{role} {staff}: {what_en} {date} is after today",
        "gridctl 不记还没到的任免 (assign --since、unassign --date 都不接受今天以后的日子)，多半是年份写错了："
        "核对任免文件后改正；到任那天再 gridctl assign",
        "gridctl records no appointment still to come (assign --since and unassign --date refuse a day after "
        "today); most likely the year is wrong: check the appointment papers and correct it, or assign on the day",
    ),
    "GC236": Spec(
        W,
        "包户人 not serving the household's grid",
        "户 {id} 的包户人 {staff} ({name}) {state}",
        "household {id}: its assigned worker (包户人) {staff} ({name}) {state_en}",
        "换成在本网格任职的在岗人员: gridctl edit {id} --set assigned_to=人员编号 (月报按户计发包户补助){also_zh}",
        "name someone in post who serves the grid: gridctl edit {id} --set assigned_to=STAFF (the monthly report "
        "pays 包户 per household){also}",
    ),
    "GC240": Spec(
        E,
        "one person, two records",
        "公民身份号码 {value} 重复 (一人一档)，另见 {other}",
        "ID number {value} appears twice (one person, one record); also at {other}",
        "同一人只保留一条记录：{remedy_zh}",
        "keep one record per person: {remedy}",
    ),
    "GC241": Spec(
        W,
        "contract ended",
        "{name}的聘用合同已于 {date} 到期，仍是{grid}的责任人",
        "{name}'s contract ended on {date} but is still responsible for {grid}",
        "续聘后更新 contract_end，或更换责任人",
        "renew contract_end or assign someone else",
    ),
    "GC250": Spec(
        E,
        "required role missing",
        "{level}“{name}”没有{role}（每个{level}须配备: {required}）",
        "{level} {name} has no {role} (every {level} needs: {required})",
        "gridctl assign {grid} --role {role} --staff 人员编号 --duty 职责",
        "gridctl assign {grid} --role {role} --staff STAFF --duty DUTY",
    ),
    # -- policy (warnings) --------------------------------------------------------------------
    "GC301": Spec(
        W,
        "grid size",
        "城市基础网格有 {count} 户，不在 {min}–{max} 户的规定范围内",
        "urban basic grid has {count} households, outside {min}–{max}",
        "调整网格划分；规模见 gridctl.yaml 的 policy",
        "adjust the grid plan; the range is policy in gridctl.yaml",
    ),
    "GC302": Spec(
        W,
        "households per staff",
        "{count} 户仅有 {staff} 名工作人员，未达到每{ratio}户1名的配备要求",
        "{count} households with {staff} staff: fewer than one staff member per {ratio} households",
        "增配工作人员或调整包户",
        "add staff or rebalance household assignments",
    ),
    "GC303": Spec(
        W,
        "natural village split",
        "自然村{village}被拆分到多个网格: {grids}",
        "natural village {village} is split across grids: {grids}",
        "涉农网格以自然村为单元，原则上不拆分自然村",
        "rural grids follow natural villages; do not split one",
    ),
    "GC260": Spec(
        W,
        "rental without its plate",
        "出租房屋“{name}”没有挂牌编号 (出租房屋全部挂牌管理)",
        "rental {name} has no plate number (every rental is plated)",
        "挂牌后登记编号: gridctl edit {id} --set rental.plate_number=编号",
        "plate it and record the number: gridctl edit {id} --set rental.plate_number=NUMBER",
    ),
    "GC261": Spec(
        W,
        "no 四类管理 category",
        "{what} 未落实四类管理 (未分类)",
        "{what_en} has no category (四类管理)",
        "走访核实后分类: gridctl edit {id} --set category=类别 (出租房屋: --set rental.category=类别)",
        "classify it after a visit: gridctl edit {id} --set category=… (a rental: rental.category)",
    ),
    "GC262": Spec(
        W,
        "building without its 楼栋长",
        "楼栋“{name}”没有{role}",
        "building {name} has no {role}",
        "gridctl assign {grid} --role {role} --staff 人员编号 --duty 职责，再 gridctl edit {id} --set responsible=人员编号",
        "gridctl assign {grid} --role {role} --staff STAFF --duty DUTY, then gridctl edit {id} --set responsible=STAFF",
    ),
    "GC263": Spec(
        W,
        "household without a living head",
        "户 {id} {state}",
        "household {id} {state_en}",
        "户内无人则注销该户: gridctl retire {id} --reason 原因；仍有人居住则指定新户主: "
        "gridctl edit 人员编号 --set relation=户主 (新立的户: gridctl add person --household {id} --set name=姓名)",
        "if no one lives there, retire the household: gridctl retire {id} --reason REASON; otherwise name the new "
        'head: gridctl edit PERSON --set "relation=户主" (a new household: gridctl add person --household {id} '
        "--set name=NAME)",
    ),
    "GC264": Spec(
        E,
        "household with two heads",
        "户 {id} 有 {count} 名户主: {people}",
        "household {id} has {count} heads (户主): {people}",
        "一户只能有一名户主；把其他人的与户主关系改正: gridctl edit 人员编号 --set relation=配偶 (或子、女…)；"
        "迁入他户的户主: gridctl move 人员编号 --to-household 户编号 --relation 关系",
        "a household has one head: correct the others' relation: gridctl edit PERSON --set relation=RELATION; "
        "a head moved into another household: gridctl move PERSON --to-household HOUSEHOLD --relation RELATION",
    ),
    # -- supervision ---------------------------------------------------------------------------
    "GC400": Spec(
        E,
        "timeline rewritten",
        "事件 {event} 的处置记录第 {step} 步（{action}，{at}）在 {commit} 中被改写或删除",
        "event {event}: timeline step {step} ({action}, {at}) was rewritten or deleted in {commit}",
        "处置记录只能追加：恢复原来的这一步，需要更正时追加一步说明",
        "the timeline is append-only: restore the step; to correct it, append a step that says so",
    ),
    "GC401": Spec(
        E,
        "deadline before its start",
        "事件 {event} 的{what} {deadline} 早于{since} {start}",
        "event {event}: {what_en} {deadline} is before {since_en} ({start})",
        "期限从{since}起算，应在 {start} 当时或之后：核对原始记录后改正",
        "a deadline runs from {since_en}, so it falls on or after {start}: check the paper record and correct it",
    ),
    "GC402": Spec(
        W,
        "event time still to come",
        "事件 {event} 的{what} {at} 晚于今天",
        "event {event}: {what_en} is dated {at}, after today",
        "还没到的时间不会是已发生的事，多半是年份写错了：核对原始记录后改正；{then}",
        "a time still to come cannot have happened, most likely the year is wrong: check the paper record "
        "and correct it; {then_en}",
    ),
    "GC410": Spec(
        E,
        "attached file missing",
        "附件 {path} 不在台账中",
        "attached file {path} is not in the ledger",
        "把文件提交进台账: {fix_zh}；或改正路径",
        "commit the file with its record: {fix}; or correct the path",
    ),
    "GC411": Spec(
        E,
        "attachment path outside the ledger",
        "附件路径 {path} 不是台账内的相对路径",
        "attachment path {path} is not a relative path inside the ledger",
        "写成台账内的路径，如 photos/activities/A202603-0001-1.jpg；{fix_zh} 会把文件放好",
        "use a path inside the ledger, e.g. photos/activities/A202603-0001-1.jpg; {fix} puts the file there",
    ),
    "GC412": Spec(
        E,
        "accident closed without its review",
        "{type} {event} 已结案，但{checklist}没有逐项填写，缺: {missing}",
        "{type} {event} is closed but {checklist} is not answered item by item; missing: {missing}",
        '逐项填写: gridctl event review {event} --by 人员编号 --review "1: 原因：…" --review "2: …" …',
        'answer each item: gridctl event review {event} --by STAFF --review "1: …" --review "2: …" …',
    ),
    # -- a town over its units (roll-up) -----------------------------------------------------
    "GC600": Spec(
        E,
        "person in two units",
        "公民身份号码 {value} 在 {unit} 和 {other_unit} 都有登记，另见 {other}",
        "ID number {value} is registered in {unit} and in {other_unit}; also at {other}",
        "一人只在一个社区登记：核实其户籍和居住地后，在迁出的社区注销 (gridctl retire)",
        "a person is registered in one community only: find out where they live, retire the other record",
    ),
    "GC601": Spec(
        W,
        "staff in too many units",
        "{name} (电话 {phone}) 在 {count} 个单位担任责任人 ({units})，方案规定最多 {max} 个",
        "{name} (phone {phone}) is responsible in {count} units ({units}); the plan allows {max}",
        "核实是否同一人；确需兼任的，在 gridctl.yaml 的 policy.units_per_staff 写明方案允许的数目",
        "check it is the same person; if the plan allows it, set policy.units_per_staff in gridctl.yaml",
    ),
    # -- privacy: encryption at rest (gridctl encrypt, gridctl keys) ------------------------------------
    "GC701": Spec(
        E,
        "personal value not encrypted",
        "{field} 是明文，但本台账的个人信息应加密保存",
        "{field} is in plain text, but this ledger keeps personal data encrypted",
        "用 gridctl edit 重新写入该值 (会自动加密)，或运行 gridctl encrypt 加密全部明文",
        "write the value again with gridctl edit (it is encrypted on the way), or run gridctl encrypt",
    ),
    "GC702": Spec(
        E,
        "encrypted value does not open",
        "{field} 的加密值无法解开: {detail}",
        "the encrypted value of {field} does not open: {detail}",
        "加密值与记录 id 和字段绑定，不能复制到别的人员或字段；从 git 历史恢复原值，或用 gridctl edit 重新写入",
        "a sealed value is bound to its record and field: restore it from git history, or write it again with gridctl edit",
    ),
    "GC703": Spec(
        E,
        "ID hash missing or wrong",
        "{field}: 加密的公民身份号码{state_zh} id_hash，无法核对一人一档",
        "{field}: the encrypted ID number's id_hash is {state}: one person one record cannot be checked",
        "用 gridctl edit 重新写入该身份证号码，gridctl 会同时写入 id_hash",
        "write the ID number again with gridctl edit; gridctl writes its id_hash with it",
    ),
    "GC704": Spec(
        E,
        "encrypted value without recipients",
        "记录中有加密值，但台账没有 .gridctl/recipients，任何人都无法解开",
        "the record holds encrypted values but the ledger has no .gridctl/recipients: nobody can open them",
        "从 git 历史恢复 .gridctl/recipients (git checkout -- .gridctl/recipients)",
        "restore .gridctl/recipients from git history (git checkout -- .gridctl/recipients)",
    ),
    # -- the tool itself ----------------------------------------------------------------------
    "GC900": Spec(
        E,
        "check failed",
        "检查 {check} 内部出错: {detail}",
        "check {check} failed internally: {detail}",
        "请把此信息报告给维护者",
        "please report this to the maintainers",
    ),
}

HINT_PHRASES: dict[str, dict[str, str]] = {
    "GC236": {
        "also_zh": "；其人在岗、确在本网格包户的，让其任职: gridctl assign {grid} --role 网格员 --staff {staff} --duty 职责 "
        "(不在岗的不写这一句；任职日期未到的写：或到那天再让其包户)",
        "also": "; if they are in post and do serve it: gridctl assign {grid} --role 网格员 --staff {staff} --duty DUTY "
        "(not said of one no longer in post); of one whose role begins later: or make them its 包户人 on that day",
    },
    # What docs/problems.md shows for a hint's placeholders that stand for a phrase, which each check
    # words for the case at hand: every way it can read, a record's values left as {grid}, {id} ….
    "GC018": {
        "both_zh": "对照两个文件：是同一条记录，就",
        "both": "Compare the two: if they are one record",
        "unless_zh": "；不是，就把本文件改名为其中记录的编号",
        "unless": "; if not, name this file after the record it holds",
    },
    "GC102": {
        "suggest_zh": "有相近的词时: 最接近“{word}”(若“{value}”就是“{word}”，在 gridctl.yaml 的 aliases 中加一行)；",
        "suggest": "where a word is near: nearest: {word} (if {value} means {word}, add a line to aliases in "
        "gridctl.yaml); ",
    },
    "GC019": {
        "advice_zh": "合并留下了冲突标记: gridctl sync 把两边的打印记录合在一起并完成合并 (或 git merge --abort，"
        "gridctl setup 后再合并)；其他损坏: 从 git 取回完好的一版 (git log -p -- .gridctl/printed.json)",
        "advice": "markers a merge left: gridctl sync merges both sides' prints and finishes the merge (or git merge "
        "--abort, gridctl setup, merge again); other damage: take a sound version from git (git log -p -- "
        ".gridctl/printed.json)",
    },
    "GC117": {"lead": "room: "},
    "GC118": {"lead": "phone: "},
    "GC201": {
        "fix_zh": "给其中一条分配新 id；两边各自新增了这个编号 (合并时): gridctl resolve {id} --renumber mine "
        "(本方的记录换用下一个空闲编号，两条都保留)",
        "fix": "give one of them a new id; where both sides added it (a merge): gridctl resolve {id} --renumber mine "
        "(this side's record gets the next free id; both are kept)",
    },
    "GC221": {
        "also_zh": "；它属于文件夹的网格，就用 gridctl move {id} --to 该网格 (grid 改为该网格)",
        "also": "; if it belongs to the folder's grid, gridctl move {id} --to GRID (its grid: becomes that grid)",
    },
    "GC222": {
        "field_zh": "日期 (检查、走访、活动的日期，事件的上报时间)",
        "again": "date=YYYY-MM-DD",
    },
    "GC223": {
        "fix_zh": "迁到现有网格 (gridctl move 编号 --to 网格)、办结事件，或免去责任人 (gridctl unassign)",
        "fix": "move it to a grid in use (gridctl move ID --to GRID), close the event, or unassign the person "
        "(gridctl unassign)",
    },
    "GC240": {
        "remedy_zh": "迁户时把人员移到新户，并从原户删除；本机重复录入、尚未同步的，删除那一条: gridctl remove 编号 "
        "(已同步共享的，注销: gridctl retire)；其中一条是此人已注销 (迁出) 的记录时，迁回的人恢复原记录，"
        "不再新增一条: gridctl edit 编号 --unset retired -m 原因 (在已注销的户中时，恢复原户: gridctl edit 户编号 "
        "--unset retired -m 原因)",
        "remedy": "on a move, take the person out of the old household; one typed in twice here and never "
        "synced is removed: gridctl remove ID (one already shared is retired: gridctl retire); where one of them "
        "is their retired "
        "(moved-out) record, someone who came back is reinstated, not added a second time: "
        "gridctl edit ID --unset retired -m REASON (in a retired household: that household, gridctl edit "
        "HOUSEHOLD --unset retired -m REASON)",
    },
    "GC401": {"since": "上报时间或该环节的时间", "since_en": "the report or that step"},
    "GC402": {
        "then": "改正前这个事件不算逾期 (一步的时间: 这一步和它之后的各步都不算已办)",
        "then_en": "until then the event is not overdue (a step's time: that step and those after it count as not "
        "yet taken)",
    },
    **{
        code: {
            "fix_zh": "gridctl activity {grid} --type {type} --photo 文件 (活动的照片) 或 "
            "gridctl document submit {id} --file 文件 (文件的附件)",
            "fix": "gridctl activity {grid} --type {type} --photo FILE (an activity's photo) or "
            "gridctl document submit {id} --file FILE (a document's attachment)",
        }
        for code in ("GC410", "GC411")
    },
}

# pydantic error types → short phrases, so schema errors read naturally in Chinese too.
PYDANTIC_ZH: dict[str, str] = {
    "missing": "缺少必填字段",
    "string_type": "应为文本",
    "string_too_short": "不能为空",
    "string_too_long": "太长：最多 {max_length} 个字",
    "too_long": "太长：最多 {max_length} 个字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，如 2026-01-31",
    "phone_scientific": "电话号码写成了科学计数法 (Excel 显示长数字的样子)，后几位已丢失；对照原件重新录入，加引号",
    "date_parsing": "应为日期，如 2026-01-31",
    "date_from_datetime_parsing": "应为日期，如 2026-01-31",
    "date_from_datetime_inexact": "应为日期，不带时间",
    "datetime_type": "应为日期或日期时间，如 2026-01-31 或 2026-01-31T09:30:00",
    "datetime_parsing": "应为日期或日期时间，如 2026-01-31 或 2026-01-31T09:30:00",
    "datetime_from_date_parsing": "应为日期时间，如 2026-01-31T09:30:00",
    "list_type": "应为列表 (每项以 - 开头)",
    "dict_type": "应为 字段: 值 的映射",
    "model_type": "应为 字段: 值 的映射",
    "model_attributes_type": "应为 字段: 值 的映射",
    "literal_error": "应为以下之一: {expected}",
    "greater_than_equal": "不能小于 {ge}",
    "too_short": "至少需要 {min_length} 项",
    "value_error": "{error}",
    "settings": "{zh}",
    "union_tag_invalid": "类型不正确",
}
