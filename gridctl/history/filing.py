"""备案: the change sheet of grids, responsible people and key sites filed upward since the last filing.

The education plan asks every school to file its grids, responsible people and key sites with
the county bureau and to file again whenever one of them changes. A filing is marked by a tag
`filing/YYYY-MM-DD` on the commit that was filed, so the next sheet starts where this one ended.
Nothing is stored but the tag: the sheet is computed from the two commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.history.gitlog import git
from gridctl.history.records import Version, records_in
from gridctl.history.revisions import ledger_clock, resolve
from gridctl.i18n import Text
from gridctl.ledger.clock import Clock

TAG_PREFIX = "filing/"
KEY_SITE_TYPES = ("重点部位", "重点场所")
"""Place types that are key sites even when no grid lists them under key_sites."""


@dataclass
class Row:
    """One changed grid, responsible person or key site, with what it was and what it is."""

    section: str
    """网格, 责任人 or 重点部位."""
    id: str
    name: str
    change: str
    """新增, 撤销 or 变更."""
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    grid: str = ""


@dataclass
class Filing:
    ledger_name: str
    since: str
    """What the sheet starts from, as the user named it (a tag, a revision, 首次提交)."""
    since_commit: str
    head_commit: str
    rows: list[Row]
    date: dt.date
    from_first: bool = False
    """No filing before: the sheet starts at the first commit (`since` is then 首次提交, for the printed sheet)."""

    @property
    def tag(self) -> str:
        return f"{TAG_PREFIX}{self.date.isoformat()}"

    def count(self, section: str) -> int:
        return sum(1 for r in self.rows if r.section == section)


def last_filing(root: Path) -> str | None:
    """The newest `filing/*` tag (tags are named by date, so the greatest name is the newest)."""
    out = git(root, "tag", "--list", f"{TAG_PREFIX}*", "--sort=-refname").decode("utf-8", "replace")
    tags = [t for t in out.splitlines() if t.strip()]
    return tags[0] if tags else None


def _first_commit(root: Path) -> str:
    out = git(root, "rev-list", "--max-parents=0", "HEAD").decode().split()
    if not out:
        raise GridctlError(Text("台账还没有提交", "the ledger has no commit yet"))
    return out[-1]


def _snapshot(root: Path, commit: str) -> dict[str, Version]:
    """Grids, staff and places at a commit, by id (households are not part of a filing)."""
    from gridctl.ledger.files import GitTree

    tree = GitTree(root, commit)
    out: dict[str, Version] = {}
    for rel in tree.paths():
        if rel.split("/", 1)[0] in ("grids", "staff", "places"):
            out.update(records_in(rel, tree.read(rel)))
    return out


def _settings_name(root: Path, commit: str) -> str:
    import yaml_rs

    try:
        data = yaml_rs.loads(git(root, "show", f"{commit}:gridctl.yaml").decode("utf-8-sig"))
    except Exception:  # a ledger without readable settings still gets a sheet
        return root.name
    return str(data.get("name") or root.name) if isinstance(data, dict) else root.name


def build_filing(
    root: Path, since: str | None = None, date: dt.date | None = None, clock: Clock | None = None
) -> Filing:
    """The change sheet from `since` (default: the last filing tag, else the first commit) to HEAD.

    `date` (the filing's day) and a date as `since` are read on the ledger's `clock`.
    """
    clock = clock or ledger_clock(root)
    tag = last_filing(root) if since is None else None
    if since is None:
        since_label, since_commit = (tag, resolve(root, tag, clock)) if tag else ("首次提交", _first_commit(root))
    else:
        since_label, since_commit = since, resolve(root, since, clock)
    head = resolve(root, "HEAD", clock)
    before, after = _snapshot(root, since_commit), _snapshot(root, head)
    rows = [*_grid_rows(before, after), *_staff_rows(before, after), *_site_rows(before, after)]
    first = since is None and tag is None
    day = date or clock.today()
    return Filing(_settings_name(root, head), since_label, since_commit, head, rows, day, from_first=first)


# --- what a sheet shows of each record ---------------------------------------------------------


def _of(kind: str, snapshot: dict[str, Version]) -> dict[str, dict[str, Any]]:
    return {rid: v.data for rid, v in snapshot.items() if v.kind == kind}


def _active(data: dict[str, Any] | None) -> bool:
    return data is not None and not data.get("retired") and data.get("active", True) is not False


def _person(staff: dict[str, dict[str, Any]], sid: Any) -> str:
    member = staff.get(str(sid))
    if member is None:
        return str(sid)
    phone = f" {member['phone']}" if member.get("phone") else ""
    return f"{member.get('name', sid)}{phone}"


def _grid_lines(data: dict[str, Any], snap: dict[str, Version]) -> dict[str, list[str]]:
    grids, staff, places = _of("grid", snap), _of("staff", snap), _of("place", snap)
    parent = data.get("parent")
    lines: dict[str, list[str]] = {
        "名称": [f"名称: {data.get('name', '')}（{data.get('level', '')}）"],
        "上级": [f"上级: {grids.get(str(parent), {}).get('name', parent)}"] if parent else [],
        "责任人": [
            f"{r.get('role')}: {_person(staff, r.get('staff'))}"
            for r in data.get("responsible") or []
            if isinstance(r, dict)
        ],
        "重点部位": [f"重点部位: {places.get(str(k), {}).get('name', k)}" for k in data.get("key_sites") or []],
    }
    if data.get("retired"):
        lines["名称"].append(f"撤销: {data['retired'].get('date', '')} {data['retired'].get('reason', '')}")
    return lines


def _diff_lines(old: dict[str, list[str]] | None, new: dict[str, list[str]] | None) -> tuple[list[str], list[str]]:
    """Only the lines that differ: a new 网格员 shows that one person, a changed phone the old and new line."""
    before: list[str] = []
    after: list[str] = []
    for aspect in dict.fromkeys([*(old or {}), *(new or {})]):
        a, b = (old or {}).get(aspect, []), (new or {}).get(aspect, [])
        before += [line for line in a if line not in b]
        after += [line for line in b if line not in a]
    return before, after


def _change(old: dict[str, Any] | None, new: dict[str, Any] | None) -> str:
    if not _active(old) and _active(new):
        return "新增"
    if _active(old) and not _active(new):
        return "撤销"
    return "变更"


def _rows(
    section: str,
    ids: Iterable[str],
    old: dict[str, dict[str, Any]],
    new: dict[str, dict[str, Any]],
    lines,  # type: ignore[no-untyped-def]
    where,  # type: ignore[no-untyped-def]
) -> list[Row]:
    out = []
    for rid in sorted(ids):
        a, b = old.get(rid), new.get(rid)
        if not _active(a) and not _active(b):
            continue
        before, after = _diff_lines(lines(a, 0) if a else None, lines(b, 1) if b else None)
        if not before and not after:
            continue
        data = b if b is not None else a
        assert data is not None
        out.append(Row(section, rid, str(data.get("name", rid)), _change(a, b), before, after, where(data)))
    return out


def _grid_rows(before: dict[str, Version], after: dict[str, Version]) -> list[Row]:
    """Both sides name people, parents and sites as they are called now: a new name or phone is its
    own record's change, never also a change of every grid that lists it."""
    old, new = _of("grid", before), _of("grid", after)
    names = {**{k: v.get("name", k) for k, v in old.items()}, **{k: v.get("name", k) for k, v in new.items()}}
    now = {**before, **after}
    return _rows(
        "网格",
        set(old) | set(new),
        old,
        new,
        lambda d, _side: _grid_lines(d, now),
        lambda d: str(names.get(str(d.get("parent")), d.get("parent") or "")),
    )


def _responsible_ids(snapshot: dict[str, Version]) -> set[str]:
    return {
        str(r.get("staff"))
        for g in _of("grid", snapshot).values()
        for r in g.get("responsible") or []
        if isinstance(r, dict)
    } | {str(p["responsible"]) for p in _of("place", snapshot).values() if p.get("responsible")}


def _staff_rows(before: dict[str, Version], after: dict[str, Version]) -> list[Row]:
    """People's own details (name, phone, post); who holds which grid is on the grid's row."""
    old, new = _of("staff", before), _of("staff", after)
    ids = (set(old) | set(new)) & (_responsible_ids(before) | _responsible_ids(after))

    def lines(d: dict[str, Any], _side: int) -> dict[str, list[str]]:
        post = "，".join(str(x) for x in (d.get("organization"), d.get("position")) if x)
        out = {"姓名": [f"姓名: {d.get('name', '')}"], "电话": [f"电话: {d.get('phone') or ''}"]}
        out["职务"] = [f"单位职务: {post}"] if post else []
        if not _active(d):
            out["状态"] = ["已离任"]
        return out

    return _rows("责任人", ids, old, new, lines, lambda d: str(d.get("organization") or ""))


def _site_rows(before: dict[str, Version], after: dict[str, Version]) -> list[Row]:
    old, new = _of("place", before), _of("place", after)
    listed = {str(k) for snap in (before, after) for g in _of("grid", snap).values() for k in g.get("key_sites") or []}

    def is_site(d: dict[str, Any] | None) -> bool:
        return d is not None and (d.get("type") in KEY_SITE_TYPES or str(d.get("id")) in listed)

    ids = {rid for rid in set(old) | set(new) if is_site(old.get(rid)) or is_site(new.get(rid))}
    grid_names = {k: v.get("name", k) for snap in (before, after) for k, v in _of("grid", snap).items()}
    staff = {**_of("staff", before), **_of("staff", after)}

    def lines(d: dict[str, Any], _side: int) -> dict[str, list[str]]:
        return {
            "名称": [f"名称: {d.get('name', '')}（{d.get('type', '')}）"],
            "网格": [f"所属网格: {grid_names.get(str(d.get('grid')), d.get('grid'))}"],
            "地址": [f"位置: {d['address']}"] if d.get("address") else [],
            "负责人": [f"负责人: {_person(staff, d['responsible'])}"] if d.get("responsible") else [],
        }

    return _rows("重点部位", ids, old, new, lines, lambda d: str(grid_names.get(str(d.get("grid")), "")))


# --- publishing --------------------------------------------------------------------------------


def publish(root: Path, filing: Filing, tagger: tuple[str, str]) -> str:
    """Tag HEAD `filing/DATE`; refuses when that tag exists (a filing is never moved)."""
    tag = filing.tag
    existing = git(root, "tag", "--list", tag).decode().strip()
    if existing:
        at = git(root, "rev-list", "-n", "1", tag).decode().strip()
        same = at == filing.head_commit
        raise GridctlError(
            Text(
                f"备案标签 {tag} 已存在" + ("，就是当前版本" if same else f"，指向 {at[:10]}"),
                f"the tag {tag} already exists" + (", on this very revision" if same else f", on {at[:10]}"),
            ),
            hint=Text(
                "一天只备案一次；要重新备案请先与上级核对，再用 git tag -d 删除旧标签",
                "one filing a day; to file again, check with the office above, then delete the old tag (git tag -d)",
            ),
        )
    import os

    env = {**os.environ, "GIT_COMMITTER_NAME": tagger[0], "GIT_COMMITTER_EMAIL": tagger[1]}
    summary = "、".join(f"{s} {filing.count(s)} 项" for s in ("网格", "责任人", "重点部位"))
    message = f"备案 {filing.date.isoformat()}: {summary}（自 {filing.since}）"
    import subprocess

    from gridctl.ledger.tools import git_exe

    proc = subprocess.run(
        [git_exe(), "tag", "-a", tag, "-m", message, filing.head_commit], cwd=root, env=env, capture_output=True
    )
    if proc.returncode != 0:
        from gridctl.ledger.gitrepo import git_failed

        raise git_failed("git tag", proc.stderr.decode("utf-8", "replace").strip())
    return tag


def render_html(root: Path, filing: Filing, size: str = "A4", printed: dt.date | None = None) -> str:
    """The sheet as HTML; `printed` is the print date in its footer (default: the filing's day)."""
    from gridctl.render.env import environment

    sections = [(s, [r for r in filing.rows if r.section == s]) for s in ("网格", "责任人", "重点部位")]
    day = printed or filing.date
    footer = f"{filing.ledger_name} · 备案变动表 · 台账版本 {filing.head_commit[:10]} · 打印日期 {day}"
    template = environment(root).get_template("filing.html")
    return template.render(
        title=f"{filing.ledger_name} 网格备案变动表",
        filing=filing,
        sections=sections,
        footer=footer,
        size=size,
    )
