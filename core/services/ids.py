"""Identifiers: random ones for new things, derived ones where a retry must find the same thing."""

from __future__ import annotations

import os
import uuid

from ..model._ids import uuid_text

_DERIVED = uuid.UUID("3b6f2f0e-2a51-4a0e-8d55-4f1c2bd0c7e9")


def new_id() -> str:
    """A random (version 4) UUID's text; ``str(uuid.uuid4())`` costs three times as much, and an
    import makes one per new order (its activity record)."""
    return uuid_text(os.urandom(16).hex(), 4)


def derived_id(*parts: str) -> str:
    """The same parts always give the same id: a second enqueue of the same work collides."""
    return str(uuid.uuid5(_DERIVED, "\x1f".join(parts)))
