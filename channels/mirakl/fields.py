"""Operator additional fields (``{code, type, value}``) as plain text, and the loose keys tables match on."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from .schemas import WireAdditionalField


def loose_key(value: str) -> str:
    """Case, accents, spaces and punctuation do not matter: ``Mondial Relay`` meets ``mondial_relay``."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def field_text(value: Any) -> str | None:
    """A field value as text. Values are strings, lists of strings for MULTIPLE_VALUES_LIST, and
    numbers and booleans spelled as strings (§5.3); other JSON is tolerated the same way."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float | Decimal):
        text = str(value).strip()
        return text or None
    if isinstance(value, list):
        items = [t for t in (field_text(v) for v in value) if t]
        return ", ".join(items) or None
    return None  # an object: no text a label or a person can use


def additional_fields(fields: list[WireAdditionalField] | None) -> dict[str, str]:
    """``code → text`` for every field with a code and a value; a repeated code keeps its last value."""
    found: dict[str, str] = {}
    for field in fields or ():
        code = (field.code or "").strip()
        text = field_text(field.value)
        if code and text is not None:
            found[code] = text
    return found
