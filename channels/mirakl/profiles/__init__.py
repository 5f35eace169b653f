"""Shipped marketplace profiles (JSON data in this folder) and the overrides a store lays on top.

Every profile starts from ``generic.json``; a marketplace file holds only what differs, and a
store's ``profile_overrides`` come last. Objects merge key by key, anything else replaces, and
``null`` removes a key (back to the schema default, or out of a table).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import msgspec

from ..profile import MarketplaceProfile

GENERIC = "generic"
_PACKAGE = __name__


class UnknownProfile(ValueError):
    pass


class InvalidOverrides(ValueError):
    """A store's overrides make its profile invalid: ``what`` is wrong at ``path`` (``.acceptance``)."""

    def __init__(self, name: str, error: str) -> None:
        what, _, at = error.partition(" - at `$")
        self.what, self.path = what, at.rstrip("`")
        where = f" at profile_overrides{self.path}" if self.path else ""
        super().__init__(f"Mirakl profile {name!r} with the store's overrides is invalid{where}: {what}")


@cache
def profile_names() -> tuple[str, ...]:
    """The shipped profiles, ``generic`` first."""
    names = sorted(p.name[: -len(".json")] for p in files(_PACKAGE).iterdir() if p.name.endswith(".json"))
    return (GENERIC, *(n for n in names if n != GENERIC))


@cache
def _raw(name: str) -> dict[str, Any]:
    if name not in profile_names():
        raise UnknownProfile(f"unknown Mirakl profile {name!r}; shipped profiles: {', '.join(profile_names())}")
    data = msgspec.json.decode((files(_PACKAGE) / f"{name}.json").read_bytes())
    if not isinstance(data, dict):
        raise UnknownProfile(f"profile {name!r} is not a JSON object")
    return data


def merged(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """``patch`` laid over ``base``: objects merge recursively, ``None`` deletes, the rest replaces."""
    result = dict(base)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def profile_data(name: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The profile as plain data: generic, then the marketplace file, then the store's overrides."""
    data = _raw(GENERIC) if name == GENERIC else merged(_raw(GENERIC), _raw(name))
    return merged(data, overrides) if overrides else data


def load_profile(name: str, overrides: Mapping[str, Any] | None = None) -> MarketplaceProfile:
    """The validated profile; raises UnknownProfile or ValueError naming the bad field."""
    key = msgspec.json.encode(overrides or {}, order="deterministic")
    return _load(name, key)


@cache
def _load(name: str, overrides_json: bytes) -> MarketplaceProfile:
    overrides = msgspec.json.decode(overrides_json)
    try:
        return msgspec.convert(profile_data(name, overrides), MarketplaceProfile)
    except msgspec.ValidationError as exc:
        raise InvalidOverrides(name, str(exc)) from None


__all__ = ["GENERIC", "InvalidOverrides", "UnknownProfile", "load_profile", "merged", "profile_data", "profile_names"]
