"""`gridctl unit add NAME URL` and `gridctl sync --units`: the units a town reads, and fetching them.

Each unit's branch is fetched to `refs/units/<name>` in the town's own repository; nothing is
checked out. A unit that cannot be reached is reported and the others still fetched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError, settings_broken
from gridctl.i18n import Text
from gridctl.ledger.gitrepo import GitFailed, run_git
from gridctl.ledger.safepath import safe_segment
from gridctl.ops.records import Change

REF = "refs/units/"


def ref(name: str) -> str:
    return REF + safe_segment(name, "unit name")


def fetch_units(root: Path, now: dt.datetime, settings=None) -> Iterator[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    """(unit, None) for each unit fetched, (unit, git's words) for one that failed; each try is noted
    with its time (`now`), so the town's views can say how old a copy is."""
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.files import WorkTree
    from gridctl.units.copies import record_fetch

    if settings is None:
        settings, _ = load_settings(WorkTree(root))
    if settings is None:
        raise settings_broken()
    if not settings.units:
        raise no_units()
    for unit in settings.units:
        try:
            source = f"refs/heads/{unit.branch}" if unit.branch else "HEAD"
            run_git(root, "fetch", "-q", "--no-tags", unit.url, f"+{source}:{ref(unit.name)}")
        except GitFailed as exc:
            said = exc.message.splitlines()[0] if exc.message else "git fetch failed"
            record_fetch(root, unit, now, said)
            yield unit.name, said
        else:
            record_fetch(root, unit, now, None)
            yield unit.name, None


def add_unit(root: Path, name: str, url: str, branch: str | None, title: str | None) -> Change:
    """gridctl.yaml with one more unit (a round-trip edit: the clerk's comments stay)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from gridctl.ledger.files import SETTINGS_FILE
    from gridctl.ledger.yamlfile import dump_rt, load_rt

    safe_segment(name, "unit name")
    text = (root / SETTINGS_FILE).read_text(encoding="utf-8-sig")
    docs = load_rt(text)
    settings = docs[0]
    units = settings.get("units")
    if units is None:
        units = settings["units"] = CommentedSeq()
    if any(str(u.get("name")) == name for u in units):
        raise GridctlError(Text(f"下级单位 {name} 已存在", f"unit {name} is already listed"))
    entry = CommentedMap([("name", name), ("url", url)])
    if branch:
        entry["branch"] = branch
    if title:
        entry["title"] = title
    units.append(entry)
    return Change(Text(f"新增下级单位 {name}：{url}", f"unit add {name}: {url}"), {SETTINGS_FILE: dump_rt(text, docs)})


def remove_unit(root: Path, name: str) -> tuple[Change, str]:
    """gridctl.yaml without the unit `name` (its code, or its title as printed), and that unit's code
    (a round-trip edit: the clerk's comments stay)."""
    from gridctl.ledger.files import SETTINGS_FILE
    from gridctl.ledger.yamlfile import dump_rt, load_rt

    text = (root / SETTINGS_FILE).read_text(encoding="utf-8-sig")
    docs = load_rt(text)
    settings = docs[0]
    units = settings.get("units") or []
    found = [
        i for i, u in enumerate(units) if name in (str(u.get("name")), str(u.get("title") or _fetched_name(root, u)))
    ]
    if not found:
        listed = "、".join(str(u.get("name")) for u in units) or "-"
        raise NotListed(
            Text(
                f"gridctl.yaml 没有下级单位 {name} (已列出: {listed})",
                f"gridctl.yaml lists no unit {name} (listed: {listed})",
            )
        )
    if len(found) > 1:
        codes = "、".join(str(units[i].get("name")) for i in found)
        raise GridctlError(
            Text(
                f"“{name}”对应 {len(found)} 个下级单位 ({codes})，请写代码",
                f"{name!r} names {len(found)} units ({codes}); give the code",
            )
        )
    code = str(units[found[0]].get("name"))
    del units[found[0]]
    if not units:
        del settings["units"]
    return Change(Text(f"移除下级单位 {code}", f"unit remove {code}"), {SETTINGS_FILE: dump_rt(text, docs)}), code


class NotListed(GridctlError):
    """gridctl.yaml lists no such unit (a copy fetched before may still be in the repository)."""


def drop_fetched(root: Path, code: str) -> bool:
    """Delete the copy of unit `code` fetched into this repository (and the note of when it was
    fetched); False when there is none."""
    from gridctl.units.copies import forget

    try:
        run_git(root, "rev-parse", "--verify", "--quiet", ref(code))
    except (GitFailed, GridctlError):
        forget(root, code)
        return False
    run_git(root, "update-ref", "-d", ref(code))
    forget(root, code)
    return True


def _fetched_name(root: Path, unit: Any) -> str:
    """The name a fetched unit's own gridctl.yaml gives it (what the town's views print), or ""."""
    return str(own_settings(root, str(unit.get("name"))).get("name") or "")


def own_settings(root: Path, code: str) -> dict[str, Any]:
    """The fetched unit's own gridctl.yaml as plain data ({} when not fetched or unreadable)."""
    import yaml_rs

    try:
        settings = run_git(root, "show", f"{ref(code)}:gridctl.yaml")
        own = yaml_rs.loads(settings.decode("utf-8-sig"))
    except (GitFailed, GridctlError, ValueError, UnicodeDecodeError, yaml_rs.YAMLDecodeError):
        return {}
    return own if isinstance(own, dict) else {}


def no_units() -> GridctlError:
    return GridctlError(
        Text(
            "gridctl.yaml 没有列出下级单位",
            "gridctl.yaml lists no units",
        ),
        hint="gridctl unit add NAME URL",
    )
