"""Identifiers: random ones for new things, derived ones where a retry must find the same thing."""

from __future__ import annotations

import uuid

_DERIVED = uuid.UUID("3b6f2f0e-2a51-4a0e-8d55-4f1c2bd0c7e9")


def new_id() -> str:
    return str(uuid.uuid4())


def derived_id(*parts: str) -> str:
    """The same parts always give the same id: a second enqueue of the same work collides."""
    return str(uuid.uuid5(_DERIVED, "\x1f".join(parts)))
