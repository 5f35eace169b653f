"""Opaque list cursors: where the next page starts, as (modified_at, id), base64url-encoded JSON."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

import msgspec

from portside.core.errors import ValidationFailed
from portside.core.services.tenancy import is_order_id

_VERSION = 1


class _Cursor(msgspec.Struct, array_like=True, frozen=True):
    version: int
    modified_at: datetime
    id: str


_decoder = msgspec.json.Decoder(_Cursor)
_encoder = msgspec.json.Encoder()


def encode_cursor(position: tuple[datetime, str]) -> str:
    raw = _encoder.encode(_Cursor(_VERSION, position[0], position[1]))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, str]:
    """The position a ``next_cursor`` stands for; ValidationFailed if it is not one we gave out."""
    try:
        cursor = _decoder.decode(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, msgspec.DecodeError):
        cursor = None
    if cursor is None or cursor.version != _VERSION or cursor.modified_at.tzinfo is None or not is_order_id(cursor.id):
        raise ValidationFailed(
            "this cursor is not one the API gave out", {"cursor": "pass next_cursor from the previous page unchanged"}
        )
    return cursor.modified_at, cursor.id
