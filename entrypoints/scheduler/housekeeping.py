"""Periodic checks that feed metrics and warnings: the acceptance SLA and the outbox's depth and age."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from ..application import Portside
from .acceptance_sla import check_acceptance_sla
from .outage import OutageTest, PassFailures, is_storage_outage
from .timing import sleep_or_stop


class Housekeeping:
    def __init__(
        self,
        app: Portside,
        *,
        every_s: float,
        acceptance_sla: timedelta,
        is_outage: OutageTest = is_storage_outage,
    ) -> None:
        self.app = app
        self.every_s = every_s
        self.acceptance_sla = acceptance_sla
        self._sla_failures = PassFailures("acceptance SLA check", is_outage=is_outage)
        self._depth_failures = PassFailures("outbox depth check", is_outage=is_outage)

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
