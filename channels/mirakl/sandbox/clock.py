"""The sandbox clock (anchored at the configured "now", then real time, whole seconds) and Mirakl's timestamp format."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class SandboxClock:
    """Mirakl writes whole-second UTC timestamps (``2025-06-02T08:03:27Z``, reference §2)."""

    def __init__(self, anchor: datetime | None = None) -> None:
        self._anchor = (anchor or datetime.now(UTC)).astimezone(UTC)
        self._started = time.monotonic()

    def now(self) -> datetime:
        elapsed = timedelta(seconds=time.monotonic() - self._started)
        return (self._anchor + elapsed).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    """An ISO-8601 timestamp from a query string or an order; an unencoded ``+`` arrives as a space."""
    text = value.strip().replace(" ", "+").replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
