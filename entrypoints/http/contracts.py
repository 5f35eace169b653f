"""What the HTTP app asks of the process that runs it: metrics, a readiness check, a sync launcher."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol


class HttpMetrics(Protocol):
    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """One answered request; ``route`` is the route's template (``/v1/orders/{id}``), never the raw path."""
        ...

    def render(self) -> str:
        """Every metric in the Prometheus text format 0.0.4, served at ``/metrics``."""
        ...


# None when the service can take traffic; otherwise why not (served in the 503 of ``/readyz``).
ReadinessCheck = Callable[[], Awaitable[str | None]]


class SyncLauncher(Protocol):
    async def start(self, store_id: str) -> None:
        """Start one sync of the store in the background and return at once. Raises
        SyncAlreadyRunning when a sync of that store holds its lease (here or in another process), and
        SyncTooSoon when its last sync started less than its channel's ``min_poll_interval_s`` ago
        (``portside.core.services.claim_on_demand_sync`` does both, and takes the lease)."""
        ...

    async def close(self) -> None:
        """Stop taking syncs; let running ones finish within a grace period, then cancel them."""
        ...
