"""The sandbox clock: anchored at the configured "now", then running in real time, whole seconds."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

_LOST_PLUS = re.compile(r"\s(\d{2}:?\d{2})$")


class SandboxClock:
    """Wall time of the simulated API; every timestamp the sandbox writes comes from here.

    Octopia writes whole-second UTC timestamps (``2025-09-01T09:10:00Z``), so the clock truncates to
    the second: an order bumped twice in the same second keeps its place, ordered by ``orderId``.
    """

    def __init__(self, anchor: datetime | None = None) -> None:
        self._anchor = (anchor or datetime.now(UTC)).astimezone(UTC)
        self._started = time.monotonic()

    def now(self) -> datetime:
        elapsed = timedelta(seconds=time.monotonic() - self._started)
        return (self._anchor + elapsed).replace(microsecond=0)

    def monotonic(self) -> float:
        """Seconds for token lifetimes: immune to the anchor, never goes backwards."""
        return time.monotonic()


def iso(moment: datetime) -> str:
    """Octopia's timestamp format: UTC, seconds, ``Z`` suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    """Read an ISO-8601 timestamp from a query string or an order; naive values are taken as UTC."""
    # An unencoded "+02:00" in a query string arrives as " 02:00"; put the sign back.
    text = _LOST_PLUS.sub(r"+\1", value.strip()).replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
