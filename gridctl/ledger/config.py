"""Finding a ledger and reading gridctl.yaml over its profile's defaults."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml_rs

from gridctl.ledger.files import Files
from gridctl.ledger.reader import SETTINGS_FILE, own_settings, parse, read_text
from gridctl.ledger.schema import problems_from_error
from gridctl.messages import CATALOG
from gridctl.model.settings import Settings
from gridctl.problem import Problem

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


def load_settings(files: Files) -> tuple[Settings | None, list[Problem]]:
    """The ledger's settings, or the problems in gridctl.yaml that stop validation."""
    text, problems = read_text(files, SETTINGS_FILE)
    if text is None:
        return None, problems
    docs, problems = parse(SETTINGS_FILE, text)
    if problems:
        return None, problems
    if len(docs) != 1 or not isinstance(docs[0].data, dict):
        found = type(docs[0].data).__name__ if docs else "nothing"
        return None, [Problem("GC010", SETTINGS_FILE, {"found": found})]
    own = docs[0].data
    profile = str(own.get("profile", "community"))
    defaults = profile_defaults(profile)
    if defaults is None:
        detail = f"unknown profile {profile}; known: {', '.join(profile_names())}"
        return None, [Problem("GC014", SETTINGS_FILE, {"field": "profile", "detail": detail}, path=("profile",))]
    unknown = [code for code in own.get("disabled") or [] if str(code) not in CATALOG]
    if unknown:
        detail = f"unknown problem codes: {', '.join(map(str, unknown))}"
        detail_zh = f"没有这些问题代码: {'、'.join(map(str, unknown))}"
        args = {"field": "disabled", "detail": detail, "detail_zh": detail_zh}
        return None, [Problem("GC014", SETTINGS_FILE, args, path=("disabled",))]
    kept = _kept_settings(files, text)
    if kept is not None:
        return kept, []
    try:
        settings = Settings.model_validate(merge(defaults, own))
        _keep_settings(files, text, settings)
        return settings, []
    except Exception as exc:  # pydantic.ValidationError; imported lazily by the caller chain
        found = problems_from_error(exc, SETTINGS_FILE, 0, None)
        return None, [
            Problem(
                "GC014",
                p.file,
                {
                    "field": p.field or "-",
                    "detail": p.args.get("detail", p.code),
                    "detail_zh": p.args.get("detail_zh", p.args.get("detail", p.code)),
                },
                path=p.path,
                key=p.key,
            )
            for p in found
        ]


def _settings_file(files: Files, text: str) -> tuple[Any, str] | None:
    """Where the settings made from this gridctl.yaml are kept, and the key they are kept under
    (gridctl's code, profiles included, and the file's text)."""
    import hashlib

    from gridctl.ledger.cache import cache_folder, code_fingerprint

    root = getattr(files, "root", None)
    folder = cache_folder(root) if root is not None else None
    if folder is None:
        return None
    key = hashlib.sha1(f"{code_fingerprint()}\n{text}".encode(), usedforsecurity=False).hexdigest()
    return folder / "settings.pickle", key


def _kept_settings(files: Files, text: str) -> Settings | None:
    """The settings a past run validated from the same text: building the pydantic schemas of
    Settings to validate them again took 50 ms of every command."""
    import contextlib
    import pickle

    where = _settings_file(files, text)
    if where is None:
        return None
    with contextlib.suppress(Exception):  # missing, damaged, or of another gridctl: validated again
        with open(where[0], "rb") as handle:
            key, data = pickle.load(handle)
        if key == where[1]:
            found = pickle.loads(data)
            if isinstance(found, Settings):
                return found
    return None


def _keep_settings(files: Files, text: str, settings: Settings) -> None:
    import contextlib
    import os
    import pickle

    where = _settings_file(files, text)
    if where is None:
        return
    path, key = where
    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps((key, pickle.dumps(settings))))
        os.replace(tmp, path)
