"""gridctl.yaml: the ledger's settings. A profile supplies defaults; the ledger overrides them.

Vocabulary is configuration, not code (design.md §1): levels, roles, checklists and event
types differ between a community, a town and a school system.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from gridctl.model.base import Strict
from gridctl.model.supervision import SchoolCalendar, Supervision
from gridctl.model.types import ZONE_KEY, Code, Text, to_text


def _bilingual(zh: str, en: str) -> PydanticCustomError:
    return PydanticCustomError("settings", "{en}", {"zh": zh, "en": en})


class Level(Strict):
    """One tier of the grid tree. Children sit exactly one tier below their parent."""

    names: list[Text] = Field(min_length=1)
    code_digits: int | None = Field(default=None, ge=1, description="length of a numeric grid code")
    community: bool = Field(default=False, description="the 村/社区 tier every basic grid belongs to")
    required_roles: list[Text] = Field(
        default_factory=list, description="roles every grid of this level must have (第一责任人, 网格长 …)"
    )


class Range(Strict):
    min: int = Field(ge=0)
    max: int = Field(ge=0)


class BuildingHead(Strict):
    """选齐配强楼栋长: every place of `place_type` has a responsible who holds `role` in some grid."""

    role: str = "楼栋长"
    place_type: str = "楼栋"


class Policy(Strict):
    """Thresholds from the seed texts; findings are warnings, switched off per code."""

    chief_role: str = "网格长"
    worker_roles: list[str] = Field(default_factory=lambda: ["网格员"])
    basic_grid_type: str = "基础网格"
    urban_area: str = "城市"
    rural_area: str = "农村"
    urban_grid_households: Range | None = Field(default_factory=lambda: Range(min=500, max=800))
    households_per_staff: int | None = Field(default=100, ge=1)
    micro_levels: list[str] = Field(
        default_factory=lambda: ["微网格", "楼栋"],
        description="levels run by a 楼栋长/信息员: need a responsible person, not a 网格长",
    )
    staff_roles: list[str] = Field(
        default_factory=lambda: ["网格长", "网格员"], description="roles counted for households per staff"
    )
    rental_type: str | None = Field(
        default=None, description="place type of rental housing: 挂牌 (GC260) and 四类管理 (GC261) checked"
    )
    floating_residence: list[str] = Field(
        default_factory=list, description="residence types under 四类管理 (流动): each person needs a category"
    )
    building_head: BuildingHead | None = Field(default=None, description="every building has its 楼栋长 (GC262)")
    units_per_staff: int | None = Field(
        default=1, ge=1, description="a town's roll-up: in how many units one person may be responsible (GC601)"
    )


class Labels(Strict):
    """The words a profile's reports and printed pages use: titles, headings, column names.

    A school's ledger speaks of 年级/处室 and 责任人, never of 走访, 包户 or 网格员考核.
    """

    grid: Text = Field(default="网格", description="an inspected grid, in report columns")
    unit: Text = Field(default="社区", description="the 村/社区 tier (学校, 中小学 …) in per-unit summaries")
    staff: Text = Field(default="工作人员", description="the people counted one by one")
    monthly: Text = "网格化服务管理月报"
    assessment: Text = "网格员考核"
    bulletin: Text = Field(default="网格化管理工作通报", description="通报: units ranked, with comments")
    registers: Text = "三本台账及重点人群名单"
    chart: Text = "网格管理责任图"
    board: Text = "网格公示牌"
    board_people: Text = "网格工作人员"
    cards: Text = "网格服务联系卡"
    form: Text = Field(default="日常巡查表", description="the printed inspection form")
    households: bool = Field(default=True, description="走访, 包户 and 补助 columns (households are served)")
    chart_details: bool = Field(
        default=False, description="each grid's 重点部位 and its responsible people's 职责 on the responsibility chart"
    )


class Unit(Strict):
    """A unit ledger a town or bureau reads: its git remote and branch."""

    name: Code
    url: Text
    branch: Code | None = Field(default=None, description="default: the branch the remote's HEAD names")
    title: Text | None = Field(default=None, description="the unit's name as printed (default: its ledger's name)")


class Checklist(Strict):
    name: Text
    items: list[Text] = Field(min_length=1)


_ID_FORMAT = re.compile(r"^[^#{}]*(\{(yyyy|mm|dd)\}[^#{}]*)*#+$")


@functools.cache
def id_format_regex(fmt: str) -> re.Pattern[str]:
    """`E{yyyy}{mm}-####` → a regex; `#` is a digit, the run may grow beyond its width. Kept per
    format: every file's identity check asks for every kind's (a seventh of a cold validate's CPU)."""
    out = ""
    i = 0
    while i < len(fmt):
        if fmt.startswith("{yyyy}", i):
            out, i = out + r"\d{4}", i + 6
        elif fmt.startswith("{mm}", i) or fmt.startswith("{dd}", i):
            out, i = out + r"\d{2}", i + 4
        elif fmt[i] == "#":
            j = i
            while j < len(fmt) and fmt[j] == "#":
                j += 1
            out, i = out + r"\d{" + str(j - i) + ",}", j
        else:
            out, i = out + re.escape(fmt[i]), i + 1
    return re.compile(out + r"\Z")


class _Vocabulary(tuple):  # type: ignore[type-arg]
    """An ordered vocabulary (for hints) with set-speed membership (it is checked 100,000s of times)."""

    def __new__(cls, values: Any) -> _Vocabulary:
        self = super().__new__(cls, tuple(values))
        self._set = frozenset(self)  # type: ignore[attr-defined]
        return self

    def __contains__(self, value: object) -> bool:
        return value in self._set  # type: ignore[attr-defined]


BARE_NAME = r"gridctl\s*(\[[^\]]*\])?\s*([<>=!~].*)?"
"""A requirement by bare name (`gridctl`, `gridctl[pdf]`, `gridctl==0.1.0`): pip takes it from a package index."""


class GridctlPin(Strict):
    """Which gridctl checks this ledger, and where CI gets it: a source the ledger's owner controls."""

    version: Annotated[str, BeforeValidator(to_text)] = Field(pattern=r"^\d+(\.\d+)*([a-z]+\d*)?$")
    source: Text = Field(
        min_length=1, description="pip requirement that is not a bare name, e.g. git+https://…/gridctl@v0.1.0"
    )

    @field_validator("source")
    @classmethod
    def _not_by_name(cls, v: str) -> str:
        if re.fullmatch(BARE_NAME, v.strip(), re.IGNORECASE):
            raise _bilingual(
                f"不能按名称从软件包索引安装 gridctl ({v})：索引上的同名软件包与本项目无关；请写本项目仓库地址，如 "
                "git+https://github.com/gridctl/gridctl@v0.1.0",
                f"{v} installs gridctl by its bare name from a package index, where an unrelated package has "
                "that name: give a source the ledger's owner controls, e.g. git+https://github.com/gridctl/gridctl@v0.1.0",
            )
        return v


DEFAULT_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
)
"""Chinese fonts PDF printing accepts, in order: Linux packages, Adobe's, Windows', macOS's."""


ENCRYPTABLE = ("id_number", "phones", "tags", "birth_date")
"""The personal fields (x-sensitive in the models) an encrypted ledger can keep encrypted."""


class Privacy(Strict):
    """What an encrypted ledger encrypts, and where the leak guard lets a spreadsheet be committed."""

    encrypt: list[Literal["id_number", "phones", "tags", "birth_date"]] = Field(
        default_factory=lambda: list(ENCRYPTABLE),
        description="personal fields kept encrypted at rest once the ledger is encrypted (gridctl encrypt)",
    )
    spreadsheet_folder: str = Field(
        default="templates",
        description="the one folder where the leak guard lets spreadsheets (blank forms) be committed",
    )


class Settings(Strict):
    name: Text
    region_code: Annotated[str, BeforeValidator(to_text)] | None = Field(
        default=None, description="6-digit county code (GB/T 2260)"
    )
    profile: str = "community"
    supervision_phone: str | None = Field(default=None, description="监督电话 on notice boards")
    levels: list[Level] = Field(min_length=1)
    id_formats: dict[str, str] = Field(default_factory=dict)
    vocabularies: dict[str, list[Text]] = Field(default_factory=dict)
    aliases: dict[str, dict[Text, Text]] = Field(
        default_factory=dict, description="synonyms per vocabulary, read as their word (户籍人口: 户籍)"
    )
    checklists: list[Checklist] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)
    disabled: list[str] = Field(default_factory=list, description="problem codes switched off")
    supervision: Supervision = Field(default_factory=Supervision, description="event cycle, limits, 考核")
    calendar: SchoolCalendar = Field(default_factory=SchoolCalendar, description="校历: terms and vacations")
    labels: Labels = Field(default_factory=Labels, description="the words of reports and printed pages")
    extra: dict[str, Any] = Field(default_factory=dict)
    review: Literal["required", "optional"] = Field(
        default="optional", description="required: sync never writes the main branch; the chief approves (审核)"
    )
    units: list[Unit] = Field(default_factory=list, description="a town's (or bureau's) unit ledgers")
    fonts: list[Text] = Field(
        default_factory=lambda: list(DEFAULT_FONTS),
        min_length=1,
        description="Chinese fonts for PDF printing: the first one installed is used",
    )
    gridctl: GridctlPin | None = Field(
        default=None, description="the gridctl that checks this ledger (CI installs exactly this)"
    )
    privacy: Privacy = Field(default_factory=Privacy, description="encryption at rest and the leak guard")
    timezone: str = Field(
        default="Asia/Shanghai",
        description="the ledger's one time zone (IANA name): every today, date boundary and time is read in it",
    )

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise _bilingual(
                f"未知的时区 {v}，应为 IANA 时区名，如 Asia/Shanghai",
                f"unknown time zone {v}; use an IANA name such as Asia/Shanghai",
            ) from None
        return v

    def zone(self) -> Any:
        """The ledger's zone as a tzinfo."""
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)

    @field_validator("region_code")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d{6}", v):
            raise _bilingual("应为 6 位区县代码 (GB/T 2260)，如 110105", "must be 6 digits (GB/T 2260), e.g. 110105")
        return v

    @field_validator("id_formats")
    @classmethod
    def _formats(cls, v: dict[str, str]) -> dict[str, str]:
        for kind, fmt in v.items():
            if not _ID_FORMAT.match(fmt):
                raise _bilingual(
                    f"{kind} 的 id 格式应以 # 结尾，如 S####: {fmt}",
                    f"id format for {kind} must end in # digits, e.g. S####: {fmt}",
                )
        return v

    @model_validator(mode="after")
    def _unique_level_names(self) -> Settings:
        seen: set[str] = set()
        for level in self.levels:
            for name in level.names:
                if name in seen:
                    raise _bilingual(f"层级 {name} 在 levels 中出现了两次", f"level {name} appears twice in levels")
                seen.add(name)
        return self

    @model_validator(mode="after")
    def _aliases_name_words(self) -> Settings:
        for name, table in self.aliases.items():
            words = self.vocabularies.get(name)
            if words is None:
                raise _bilingual(f"aliases 中的 {name} 不是词表名", f"aliases: {name} is not a vocabulary")
            for alias, word in table.items():
                if word not in words:
                    raise _bilingual(
                        f"aliases.{name}: “{alias}”指向的“{word}”不在词表中",
                        f"aliases.{name}: {alias} points at {word}, which is not in the vocabulary",
                    )
        return self

    def vocabulary_context(self) -> dict[str, Any]:
        """The validation context the record models check vocabulary fields against (and read synonyms with)."""
        from gridctl.model.aliases import merged

        vocab = {name: _Vocabulary(values) for name, values in self.vocabularies.items()}
        vocab["levels"] = _Vocabulary(n for level in self.levels for n in level.names)
        vocab["checklists"] = _Vocabulary(c.name for c in self.checklists)
        return {"vocabularies": vocab, "aliases": merged(self.vocabularies, self.aliases), ZONE_KEY: self.zone()}

    def level_index(self) -> dict[str, int]:
        return {name: i for i, level in enumerate(self.levels) for name in level.names}

    def id_patterns(self) -> dict[str, re.Pattern[str]]:
        return {kind: id_format_regex(fmt) for kind, fmt in self.id_formats.items()}
