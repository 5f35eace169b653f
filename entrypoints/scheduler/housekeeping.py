"""Periodic checks that feed metrics and warnings (the acceptance SLA, the outbox's depth and age) and
the purge of expired pickup point cache entries."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from ..application import Portside
from .acceptance_sla import check_acceptance_sla
from .outage import OutageTest, PassFailures, is_storage_outage
from .timing import sleep_or_stop

# Expired pickup point cache entries deleted per transaction, and transactions per pass: each batch
# holds its row locks briefly, and a pass stops at PURGE_BATCH * PURGE_BATCHES (a backlog, after an
# upgrade or a long outage, drains over the next passes).
PURGE_BATCH = 500
PURGE_BATCHES = 20


class Housekeeping:
    def __init__(
        self,
        app: Portside,
        *,
        every_s: float,
        acceptance_sla: timedelta,
        is_outage: OutageTest = is_storage_outage,
        purge_batch: int = PURGE_BATCH,
        purge_batches: int = PURGE_BATCHES,
    ) -> None:
        if purge_batch < 1 or purge_batches < 1:
            raise ValueError("purge_batch and purge_batches must be at least 1")
        self.app = app
        self.every_s = every_s
        self.acceptance_sla = acceptance_sla
        self.purge_batch = purge_batch
        self.purge_batches = purge_batches
        self._sla_failures = PassFailures("acceptance SLA check", is_outage=is_outage)
        self._depth_failures = PassFailures("outbox depth check", is_outage=is_outage)
        self._purge_failures = PassFailures("pickup cache purge", is_outage=is_outage)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.once()
            await sleep_or_stop(stop, self.every_s)

    async def once(self) -> None:
        app = self.app
        try:
            sla = await check_acceptance_sla(uow=app.uow, clock=app.clock, threshold=self.acceptance_sla)
            app.observer.acceptance_overdue(sla.overdue, len(sla.newly_breached))
        except Exception as exc:
            self._sla_failures.failed(exc)
        else:
            self._sla_failures.succeeded()
        try:
            async with app.uow() as u:
                depth = await u.outbox.depth(now=app.clock.now())
            app.observer.outbox_depth(depth)
        except Exception as exc:
            self._depth_failures.failed(exc)
        else:
            self._depth_failures.succeeded()
        try:
            await self.purge_pickup_cache()
        except Exception as exc:
            self._purge_failures.failed(exc)
        else:
            self._purge_failures.succeeded()

    async def purge_pickup_cache(self) -> int:
        """Delete the pickup point cache entries expired now, a batch a transaction, while batches come
        back full and at most ``purge_batches`` of them; return how many went. Each committed batch is
        counted at once, so a pass cut short by an outage still reports what it deleted."""
        app = self.app
        now = app.clock.now()
        purged = 0
        for _ in range(self.purge_batches):
            async with app.uow() as u:
                deleted = await u.pickup_cache.purge_expired(now, limit=self.purge_batch)
                await u.commit()
            if deleted:
                app.observer.pickup_cache_purged(deleted)
            purged += deleted
            if deleted < self.purge_batch:
                break
        return purged
