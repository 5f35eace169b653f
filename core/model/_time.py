"""Time invariants shared by the model: every datetime is timezone-aware and held in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def require_utc(value: datetime, field: str) -> datetime:
    """Return ``value`` converted to UTC, refusing naive datetimes (their offset is a guess)."""
    if value.tzinfo is UTC:
        return value  # the usual case, and a hot path: every order construction checks three dates
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def optional_utc(value: datetime | None, field: str) -> datetime | None:
    return None if value is None else require_utc(value, field)
