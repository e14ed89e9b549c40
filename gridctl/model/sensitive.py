"""Which field paths hold personal data, read off the models' `x-sensitive` marks.

Outputs ask `is_sensitive(path)` instead of keeping their own list, so marking a new field in
a model is enough to have it masked everywhere.
"""

from __future__ import annotations

from functools import cache
from typing import Any

SENSITIVE_KEY = "x-sensitive"  # the mark gridctl.model.types puts on personal-data fields

Path = tuple[str | int, ...]


def _walk(schema: dict[str, Any], defs: dict[str, Any], prefix: tuple[str, ...], out: set[tuple[str, ...]]) -> None:
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get(SENSITIVE_KEY):
        out.add(prefix)
        return
    for option in schema.get("anyOf", []):
        _walk(option, defs, prefix, out)
    if "items" in schema:
        _walk(schema["items"], defs, (*prefix, "*"), out)
    for name, prop in schema.get("properties", {}).items():
        _walk(prop, defs, (*prefix, name), out)


_preloaded: list[frozenset[tuple[str, ...]]] = []


def preload(paths: frozenset[tuple[str, ...]]) -> None:
    """The paths as computed before (kept by the ledger's cache for this gridctl): skips the models' start-up."""
    _preloaded[:] = [paths]


def preload_kept(kept: Any) -> None:
    """The paths a past run of the same gridctl kept (its cache's code pack, "sensitive"), if any:
    building every model's JSON schema to find them again took 60 ms of a `show`."""
    if isinstance(kept, list) and all(isinstance(p, (list, tuple)) for p in kept):
        preload(frozenset(tuple(p) for p in kept))


def sensitive_paths() -> frozenset[tuple[str, ...]]:
    return _preloaded[0] if _preloaded else _from_models()


@cache
def _from_models() -> frozenset[tuple[str, ...]]:
    from gridctl.model import KINDS

    out: set[tuple[str, ...]] = set()
    for model in KINDS.values():
        schema = model.model_json_schema()
        _walk(schema, schema.get("$defs", {}), (), out)
    return frozenset(p[:-1] if p and p[-1] == "*" else p for p in out)


def is_sensitive(path: Path) -> bool:
    """True when `path` (list indexes as ints) is, or lies inside, a personal-data field."""
    shape = tuple("*" if isinstance(p, int) else p for p in path)
    return _within(shape, sensitive_paths())


@cache
def _within(shape: tuple[str, ...], paths: frozenset[tuple[str, ...]]) -> bool:
    # one answer per field shape: validate asks it of each of 40,000 warnings
    return any(shape[: len(p)] == p for p in paths)


def mask_record(data: Any, path: Path = ()) -> Any:
    """A copy of a record's data (or of any part of it, at `path`) with every personal field masked.

    Free text in it (notes, addresses) is scanned too: an ID number or a mobile typed there is masked.
    """
    from gridctl.model.masking import mask_any, mask_free

    if isinstance(data, dict):
        return {k: mask_record(v, (*path, k)) for k, v in data.items()}
    if isinstance(data, list):
        if path and is_sensitive((*path, 0)):
            return mask_any(".".join(str(p) for p in path), data)
        return [mask_record(v, (*path, i)) for i, v in enumerate(data)]
    if data is not None and path and is_sensitive(path):
        return mask_any(".".join(str(p) for p in path), data)
    if path and path[-1] != "phone":
        return mask_free(data)
    return data


def unsealed(data: Any) -> Any:
    """Revealed data as shown: a value still encrypted (no key here) is named as such, never printed as ciphertext."""
    from gridctl.model.masking import SEALED_SHOWN, is_sealed

    if isinstance(data, dict):
        return {k: unsealed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [unsealed(v) for v in data]
    return SEALED_SHOWN if is_sealed(data) else data
