"""Sync and relay loops. Store syncs and outbox rows are leased from the database (``SKIP LOCKED``),
so any number of processes run these loops side by side without a leader."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from portside.core.errors import SyncAlreadyRunning

from ..application import Portside

log = logging.getLogger("portside.scheduler")

IDLE_STORE_DELAY = timedelta(days=1)  # an inactive store is looked at again this often (reactivation reschedules)


class Scheduler:
    def __init__(
        self,
        app: Portside,
        *,
        sync_concurrency: int = 4,
        sync_poll_s: float = 5.0,
        relay_poll_s: float = 1.0,
        sync_lease_s: float = 600.0,
        shutdown_grace_s: float = 30.0,
    ) -> None:
        self.app = app
        self.sync_concurrency = sync_concurrency
        self.sync_poll_s = sync_poll_s
        self.relay_poll_s = relay_poll_s
        self.sync_lease_s = sync_lease_s
        self.shutdown_grace_s = shutdown_grace_s
        self._syncs: set[asyncio.Task[None]] = set()

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set; then take no new work, let what is in hand finish (up to the
        grace period) and return. Work cut short is recovered by others once its lease lapses."""
        await asyncio.gather(self._sync_loop(stop), self._relay_loop(stop))

    async def _sync_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            free = self.sync_concurrency - len(self._syncs)
            if free > 0:
                try:
                    await self._start_due_syncs(free)
                except Exception:
                    log.exception("could not claim due store syncs; retrying")
            await _sleep_or_stop(stop, self.sync_poll_s)
        if self._syncs:
            log.info("waiting up to %.0f s for %d running sync(s)", self.shutdown_grace_s, len(self._syncs))
            _, pending = await asyncio.wait(self._syncs, timeout=self.shutdown_grace_s)
            for task in pending:
                task.cancel()  # the import records the failure and releases its lease
            await asyncio.gather(*pending, return_exceptions=True)

    async def _start_due_syncs(self, limit: int) -> None:
        app = self.app
        owner = app.run_owner()
        async with app.uow() as u:
            due = await u.sync_leases.claim_due(owner=owner, now=app.clock.now(), ttl_s=self.sync_lease_s, limit=limit)
            await u.commit()
        for store_id in due:
            task = asyncio.create_task(self._sync(store_id, owner), name=f"sync:{store_id}")
            self._syncs.add(task)
            task.add_done_callback(self._syncs.discard)

    async def _sync(self, store_id: str, owner: str) -> None:
        app = self.app
        try:
            store = await app.store(store_id)
            if not store.active:
                await self._release(store_id, owner, IDLE_STORE_DELAY)
                return
            report = await app.sync_store(store_id, owner=owner)
            log.info(
                "synced store %s: %d fetched, %d new, %d updated, %d quarantined in %.1f s",
                store_id,
                report.fetched,
                report.new,
                report.updated,
                report.quarantined,
                report.duration_s or 0,
            )
        except SyncAlreadyRunning:
            log.info("store %s is being synced elsewhere", store_id)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the import already recorded a failed report and released its lease
            log.warning("sync of store %s failed: %s", store_id, exc)
            await self._release(store_id, owner, timedelta(minutes=5))

    async def _release(self, store_id: str, owner: str, delay: timedelta) -> None:
        async with self.app.uow() as u:
            await u.sync_leases.release(store_id, owner=owner, next_run_at=self.app.clock.now() + delay)
            await u.commit()

    async def _relay_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                report = await self.app.relay_once()
            except Exception:
                log.exception("outbox relay pass failed; retrying")
                report = None
            if report is None or report.claimed == 0:
                await _sleep_or_stop(stop, self.relay_poll_s)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
