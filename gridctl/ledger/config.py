"""Finding a ledger and reading gridctl.yaml over its profile's defaults."""

from __future__ import annotations

from typing import Any

from gridctl.ledger.files import Files
from gridctl.ledger.profiles import merge, profile_defaults, profile_names
from gridctl.ledger.reader import SETTINGS_FILE, parse, read_text
from gridctl.messages import CATALOG
from gridctl.model.settings import Settings
from gridctl.problem import Problem


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
        from gridctl.ledger.schema import problems_from_error  # (all the record models: only on this path)

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
    Settings to validate them again took 50 ms of every command. Kept behind the CRC-32 of the
    settings, as every cache pack: one changed digit still unpickled, and the boards printed a
    supervision line the ledger does not hold."""
    import contextlib
    import pickle
    import zlib

    where = _settings_file(files, text)
    if where is None:
        return None
    with contextlib.suppress(Exception):  # missing, damaged, or of another gridctl: validated again
        with open(where[0], "rb") as handle:
            key, data, crc = pickle.load(handle)
        if key == where[1] and zlib.crc32(data) == crc:
            found = pickle.loads(data)
            if isinstance(found, Settings):
                return found
    return None


def _keep_settings(files: Files, text: str, settings: Settings) -> None:
    import contextlib
    import os
    import pickle
    import zlib

    where = _settings_file(files, text)
    if where is None:
        return
    path, key = where
    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        data = pickle.dumps(settings)
        tmp.write_bytes(pickle.dumps((key, data, zlib.crc32(data))))
        os.replace(tmp, path)
