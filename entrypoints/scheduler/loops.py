"""The scheduler: store syncs, the outbox relay, event publishing and housekeeping, side by side.

Store syncs, outbox messages and unpublished events are all leased or locked in the database
(``SKIP LOCKED``), so any number of processes run these loops together without a leader.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from ..application import Portside
from .housekeeping import Housekeeping
from .outage import OutageTest, PassFailures, storage_outages
from .syncs import SyncLoop
from .timing import sleep_or_stop


class Scheduler:
    def __init__(
        self,
        app: Portside,
        *,
        sync_concurrency: int = 4,
        sync_poll_s: float = 5.0,
        relay_poll_s: float = 1.0,
        events_poll_s: float = 1.0,
        housekeeping_s: float = 30.0,
        acceptance_sla: timedelta = timedelta(hours=24),
        sync_lease_s: float = 600.0,
        sync_retry_s: float = 30.0,
        shutdown_grace_s: float = 30.0,
        connection_failure: OutageTest | None = None,
    ) -> None:
        """``connection_failure``: the storage adapter's test for a raw lost connection (an outage too,
        besides the core's StorageUnavailable); the composition root passes it."""
        self.app = app
        self.relay_poll_s = relay_poll_s
        self.events_poll_s = events_poll_s
        self.is_outage = storage_outages(connection_failure)
        self.syncs = SyncLoop(
            app,
            concurrency=sync_concurrency,
            poll_s=sync_poll_s,
            lease_s=sync_lease_s,
            retry_s=sync_retry_s,
            shutdown_grace_s=shutdown_grace_s,
            is_outage=self.is_outage,
        )
        self.housekeeping = Housekeeping(
            app, every_s=housekeeping_s, acceptance_sla=acceptance_sla, is_outage=self.is_outage
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set; then take no new work, let what is in hand finish (syncs up to
        the grace period, the relay's claimed batches, the publishing pass to its end) and return.
        Work cut short is recovered by other processes once its lease lapses."""
        await asyncio.gather(
            self.syncs.run(stop), self._relay_loop(stop), self._events_loop(stop), self.housekeeping.run(stop)
        )

    async def _relay_loop(self, stop: asyncio.Event) -> None:
        failures = PassFailures("outbox relay", is_outage=self.is_outage)
        while not stop.is_set():
            try:
                # A pass may be long (many batches): a stop ends it after the batches in hand.
                report = await self.app.relay_once(keep_claiming=lambda: not stop.is_set())
            except Exception as exc:
                failures.failed(exc)
                report = None
            else:
                failures.succeeded()
            if report is None or report.claimed == 0:
                await sleep_or_stop(stop, self.relay_poll_s)

    async def _events_loop(self, stop: asyncio.Event) -> None:
        batch = 500
        failures = PassFailures("event publishing", is_outage=self.is_outage)
        while not stop.is_set():
            try:
                report = await self.app.publish_events(batch=batch)
            except Exception as exc:
                failures.failed(exc)
                report = None
            else:
                failures.succeeded()
            if report is None or report.records < batch:  # a full batch means more are waiting
                await sleep_or_stop(stop, self.events_poll_s)
