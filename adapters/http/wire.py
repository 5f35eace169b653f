"""What every marketplace client does with wire data: JSON decoders built once per type, and times
written and read the way marketplaces' query strings and bodies hold them."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar, cast

import msgspec

T = TypeVar("T")


@cache
def _decoder(kind: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(kind)


def decoder(kind: type[T]) -> msgspec.json.Decoder[T]:
    """One JSON decoder per wire type, built on first use and reused."""
    return _decoder(cast(Any, kind))


def union_decoder(kind: Any) -> msgspec.json.Decoder[Any]:
    """The same for a union of wire types (``list[WireCarrier] | WireCarrierPage``)."""
    return _decoder(kind)


def iso_z(moment: datetime) -> str:
    """A query filter's time, ``2025-06-01T00:00:00Z``: a ``+00:00`` offset would need URL-encoding.
    Seconds are truncated, which only widens an ``updated since`` window; a naive datetime is
    refused, because guessing its offset skips orders."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"updated_since must be timezone-aware, got {moment.isoformat()}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: object) -> datetime | None:
    """A time as a marketplace wrote it (ISO 8601, ``Z`` or an offset; none given means UTC), in UTC;
    None when ``value`` is not one (read best-effort, from an order that may not decode)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
