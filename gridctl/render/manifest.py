"""The print manifest: what was printed, from which revision, and whether it still matches.

Choice: a small JSON file committed in the ledger, `.gridctl/printed.json`, updated through the
one validated write path (gridctl.ops.write) each time a board, a sheet of cards or a chart is
printed to a file. Why a committed file: the whole office (and every clone) sees the same list,
git keeps who printed what and when, and `print stale` needs no knowledge of where the printed
files went. The hidden folder keeps it out of record loading, and it holds no personal data
beyond what the posted pages show: per item the revision printed from and short hashes of each
shown aspect (name, role, phone, photo, duties), so `print stale` can say *what* changed without
reading history, and a print from uncommitted edits is compared exactly as it was printed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gridctl.errors import GridctlError
from gridctl.history.prints import MANIFEST as MANIFEST  # one path, written here, read by the log
from gridctl.history.prints import WHAT_EN, WHAT_ZH, damage, dump, repair
from gridctl.i18n import Said, Text, say
from gridctl.render.people import GridView, Person

Parts = dict[str, dict[str, Any]]
"""part key → {"label": shown name, "aspects": {aspect (Chinese): short hash}}."""
ASPECT_EN = {
    "姓名": "name",
    "电话": "phone",
    "照片": "photo",
    "职责": "duties",
    "单位": "organisation",
    "名称": "name",
    "四至": "boundary",
    "示意图": "map",
    "监督电话": "supervision phone",
    "服务范围": "service area",
    "上级": "parent grid",
}
"""The aspects as `print stale --lang en` names them (the manifest keeps the Chinese: older files have it)."""


def _h(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass
class Printed:
    """One printed item: a board or the cards of one grid, or a chart from one root."""

    what: str
    id: str
    title: str
    parts: Parts = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.what}:{self.id}"


def _person_part(p: Person, aspects: Iterable[str]) -> tuple[str, dict[str, Any]]:
    values = {"姓名": p.name, "电话": p.phone, "照片": p.photo_hash, "职责": list(p.duties), "单位": p.organization}
    return f"{p.staff_id}/{p.role}", {"label": f"{p.name}（{p.role}）", "aspects": {a: _h(values[a]) for a in aspects}}


def board_item(view: GridView, polygons: object, supervision_phone: str | None) -> Printed:
    grid = {
        "名称": _h([view.name, view.community]),
        "四至": _h(view.boundary),
        "示意图": _h(polygons),
        "监督电话": _h(supervision_phone),
    }
    parts: Parts = {"grid": {"label": view.name, "aspects": grid}}
    parts.update(_person_part(p, ("姓名", "电话", "照片", "职责")) for p in view.people)
    return Printed("board", view.id, f"{view.name} {WHAT_ZH['board']}", parts)


def cards_item(view: GridView) -> Printed:
    grid = {"名称": _h([view.name, view.community]), "服务范围": _h(view.boundary)}
    parts: Parts = {"grid": {"label": view.name, "aspects": grid}}
    parts.update(_person_part(p, ("姓名", "电话", "单位")) for p in view.people)
    return Printed("cards", view.id, f"{view.name} {WHAT_ZH['cards']}", parts)


def chart_item(root_id: str, title: str, views: list[GridView], details: bool = False) -> Printed:
    """`details`: the chart shows key sites and duties too (labels.chart_details), so a change to them is stale."""
    parts: Parts = {}
    for v in views:
        grid = {"名称": _h(v.name), "上级": _h(v.parent)} | ({"重点部位": _h(v.key_sites)} if details else {})
        parts[f"grid:{v.id}"] = {"label": v.name, "aspects": grid}
        for p in v.people:
            key, part = _person_part(p, ("姓名", "电话", "职责") if details else ("姓名", "电话"))
            parts[f"{v.id}/{key}"] = {"label": f"{v.name} {part['label']}", "aspects": part["aspects"]}
    return Printed("chart", root_id, title, parts)


def load(data: bytes | None) -> dict[str, Any]:
    """The manifest; none yet (no file) is nothing printed. A file that cannot be read is an error, never
    "nothing printed": `print stale` then called every print current, and the next print wrote over it."""
    if data is None:
        return {"version": 1, "printed": {}}
    why = damage(data)
    if why is not None:
        raise GridctlError(
            Text(f"打印记录 {MANIFEST} 无法读取: ", f"the record of prints {MANIFEST} cannot be read: ") + why,
            hint=repair(data),
        )
    manifest: dict[str, Any] = json.loads(data.decode("utf-8-sig"))
    return manifest


def updated(data: bytes | None, items: list[Printed], commit: str | None, dirty: bool, date: str, fmt: str) -> bytes:
    """The manifest with these items recorded as printed now (the latest print of an item wins)."""
    manifest = load(data)
    for item in items:
        manifest["printed"][item.key] = {
            "what": item.what,
            "id": item.id,
            "title": item.title,
            "commit": commit,
            "dirty": dirty,
            "date": date,
            "format": fmt,
            "parts": item.parts,
        }
    manifest["printed"] = dict(sorted(manifest["printed"].items()))
    return dump(manifest)


@dataclass
class Stale:
    key: str
    what: str
    id: str
    title: str
    commit: str | None
    date: str
    reasons: list[Said]
    gone: bool = False
    """The grid (or chart root) no longer exists: take the page down."""

    def title_in(self, lang: str) -> str:
        """The title noted at printing (Chinese, as on the page), its kind said in `lang`."""
        suffix = f" {WHAT_ZH.get(self.what, '')}"
        if lang == "zh" or self.what not in WHAT_EN or not self.title.endswith(suffix):
            return self.title
        return f"{self.title.removesuffix(suffix)} {WHAT_EN[self.what][0]}"

    def said(self, lang: str) -> Stale:
        """This item with its reasons in `lang`."""
        return Stale(*self._head(), [say(r, lang) for r in self.reasons], self.gone)

    def _head(self) -> tuple[str, str, str, str, str | None, str]:
        return (self.key, self.what, self.id, self.title, self.commit, self.date)

    def command(self) -> str:
        if self.gone:
            return ""
        if self.what == "chart":
            return "gridctl print chart" + ("" if self.id == "all" else f" --root {self.id}")
        return f"gridctl print {self.what} {self.id}"


def compare(manifest: dict[str, Any], current: dict[str, Printed]) -> list[Stale]:
    """Printed items whose shown content differs from `current` (by key), with the reasons in both languages."""
    out = []
    for key, entry in manifest.get("printed", {}).items():
        if not isinstance(entry, dict):
            continue
        then: Parts = entry.get("parts") or {}
        base = (
            key,
            str(entry.get("what")),
            str(entry.get("id")),
            str(entry.get("title", key)),
            entry.get("commit"),
            str(entry.get("date", "")),
        )
        now = current.get(key)
        if now is None:
            gone = Text("网格已不存在或已注销，请取下", "the grid no longer exists or was retired: take it down")
            out.append(Stale(*base, [gone], gone=True))
            continue
        reasons = _differences(then, now.parts)
        if reasons:
            out.append(Stale(*base, reasons))
    return out


def _differences(then: Parts, now: Parts) -> list[Said]:
    reasons: list[Said] = []
    for key, part in now.items():
        label = part["label"]
        if key not in then:
            reasons.append(Text(f"新增 {label}", f"{label} added"))
            continue
        changed = [a for a, h in part["aspects"].items() if then[key].get("aspects", {}).get(a) != h]
        if changed:
            en = ", ".join(ASPECT_EN.get(a, a) for a in changed)
            reasons.append(Text(f"{label}: {'、'.join(changed)}有变化", f"{label}: {en} changed"))
    for key, part in then.items():
        if key not in now:
            label = part.get("label", key)
            reasons.append(Text(f"{label} 已不再列出", f"{label} no longer listed"))
    return reasons
