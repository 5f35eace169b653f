"""The sync loop: claim due stores (leased with ``SKIP LOCKED``) and import each, a few at a time."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from portside.core.errors import SyncAlreadyRunning

from ..application import Portside
from .timing import sleep_or_stop

log = logging.getLogger("portside.scheduler")

IDLE_STORE_DELAY = timedelta(days=1)  # an inactive store is looked at again this often (reactivation reschedules)
FAILED_SYNC_DELAY = timedelta(minutes=5)


class SyncLoop:
    def __init__(
        self, app: Portside, *, concurrency: int, poll_s: float, lease_s: float, shutdown_grace_s: float
    ) -> None:
        self.app = app
        self.concurrency = concurrency
        self.poll_s = poll_s
        self.lease_s = lease_s
        self.shutdown_grace_s = shutdown_grace_s
        self._running: set[asyncio.Task[None]] = set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            free = self.concurrency - len(self._running)
            if free > 0:
                try:
                    await self._start_due(free)
                except Exception:
                    log.exception("could not claim due store syncs; retrying")
            await sleep_or_stop(stop, self.poll_s)
        await self._drain()

    async def _drain(self) -> None:
        """Let running syncs finish within the grace period; cancel the rest (each records a failed
        report and releases its lease; one cut short mid-page is re-read from the old cursor)."""
        if not self._running:
            return
        log.info("waiting up to %.0f s for %d running sync(s)", self.shutdown_grace_s, len(self._running))
        _, pending = await asyncio.wait(self._running, timeout=self.shutdown_grace_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _start_due(self, limit: int) -> None:
        app = self.app
        owner = app.run_owner()
        async with app.uow() as u:
            due = await u.sync_leases.claim_due(owner=owner, now=app.clock.now(), ttl_s=self.lease_s, limit=limit)
            await u.commit()
        for store_id in due:
            task = asyncio.create_task(self._sync(store_id, owner), name=f"sync:{store_id}")
            self._running.add(task)
            task.add_done_callback(self._running.discard)

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
        except Exception as exc:
            # The import already recorded a failed report and released its lease (then this release
            # matches nothing); a failure before the import began still holds the claim: let it go.
            log.warning("sync of store %s failed: %s", store_id, exc)
            await self._release(store_id, owner, FAILED_SYNC_DELAY)

    async def _release(self, store_id: str, owner: str, delay: timedelta) -> None:
        async with self.app.uow() as u:
            await u.sync_leases.release(store_id, owner=owner, next_run_at=self.app.clock.now() + delay)
            await u.commit()
