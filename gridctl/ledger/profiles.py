"""A profile's defaults, how gridctl.yaml lays over them, and the ledger's zone: read without pydantic.

`gridctl log`, `--as-of` and `clock` need the zone alone; importing the settings model for it cost
them 60 ms of every run.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml_rs

from gridctl.ledger.files import Files
from gridctl.ledger.reader import own_settings

MERGED_KEYS = ("vocabularies", "policy", "id_formats", "supervision", "labels")
"""Settings merged key by key over the profile, so a ledger can change one vocabulary alone."""

EXTENDS = "extends"
"""A profile may name the profile it builds on (`extends: community`) and state only what differs."""


def profile_names() -> list[str]:
    folder = resources.files("gridctl.profiles")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def profile_defaults(name: str, _seen: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """A profile's settings with the profiles it extends laid underneath, key by key as merge() does."""
    path = resources.files("gridctl.profiles") / f"{name}.yaml"
    if not path.is_file() or name in _seen:
        return None
    own = yaml_rs.loads(path.read_text(encoding="utf-8"))
    base_name = own.pop(EXTENDS, None)
    if base_name is None:
        return own
    base = profile_defaults(str(base_name), (*_seen, name))
    if base is None:
        raise ValueError(f"profile {name} extends {base_name}, which is unknown or extends {name} again")
    return merge(base, own)


def merge(defaults: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    out = dict(defaults)
    for key, value in own.items():
        if key in MERGED_KEYS and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep(out[key], value)
        else:
            out[key] = value
    return out


def _deep(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key at every depth (supervision.inspections.idle_days alone); lists replace."""
    out = dict(base)
    for key, value in own.items():
        out[key] = _deep(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def zone_name(files: Files) -> str:
    """The ledger's time zone from gridctl.yaml (or its profile), without validating the rest.

    Commands need the zone before (or without) loading the ledger: --as-of, log --since. A broken
    gridctl.yaml gives the default zone here; validate reports what is broken.
    """
    from gridctl.ledger.clock import DEFAULT_ZONE

    own = own_settings(files)
    if own is None:
        return DEFAULT_ZONE
    value = own.get("timezone")
    if value is None:
        try:
            value = (profile_defaults(str(own.get("profile", "community"))) or {}).get("timezone")
        except ValueError:  # a profile that extends itself: validate reports it
            value = None
    return str(value) if value else DEFAULT_ZONE
