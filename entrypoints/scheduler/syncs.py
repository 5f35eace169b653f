"""The sync loop: claim due stores (leased with ``SKIP LOCKED``) and import each, a few at a time."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import timedelta

from portside.core.errors import PortsideError, SyncAlreadyRunning, SyncLeaseLost
from portside.core.model import Store

from ..application import Portside
from .outage import OutageTest, PassFailures, is_storage_outage, reason
from .retry import failures_in_a_row, retry_delay
from .timing import sleep_or_stop

log = logging.getLogger("portside.scheduler")

IDLE_STORE_DELAY = timedelta(days=1)  # an inactive store is looked at again this often (reactivation reschedules)
RESCHEDULE_PAUSE_S = (0.5, 10.0)  # first and longest wait between tries to record a failure while the database is away


class SyncLoop:
    def __init__(
        self,
        app: Portside,
        *,
        concurrency: int,
        poll_s: float,
        lease_s: float,
        shutdown_grace_s: float,
        retry_s: float = 30.0,
        rng: random.Random | None = None,
        is_outage: OutageTest = is_storage_outage,
    ) -> None:
        self.app = app
        self.concurrency = concurrency
        self.poll_s = poll_s
        self.lease_s = lease_s
        self.shutdown_grace_s = shutdown_grace_s
        self.retry_s = retry_s
        self._rng = rng or random.Random()
        self._running: set[asyncio.Task[None]] = set()
        self._is_outage = is_outage
        self._claims = PassFailures("claiming due store syncs", is_outage=is_outage)
        self._stop = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        self._stop = stop
        while not stop.is_set():
            free = self.concurrency - len(self._running)
            if free > 0:
                try:
                    await self._start_due(free)
                except Exception as exc:
                    self._claims.failed(exc)
                else:
                    self._claims.succeeded()
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
        store: Store | None = None
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
        except SyncLeaseLost as exc:
            log.warning("%s", exc)  # another worker holds the store now: its schedule is its own
        except asyncio.CancelledError:
            await self._due_again(store_id)
            raise
        except Exception as exc:
            await self._after_failure(store_id, store, owner, exc)

    async def _due_again(self, store_id: str) -> None:
        """Cut short by a shutdown: due again at once, for whichever process runs next (the import
        recorded the cut and released the lease at the store's full interval)."""
        try:
            async with asyncio.timeout(2.0), self.app.uow() as u:
                await u.sync_leases.schedule(store_id, self.app.clock.now())
                await u.commit()
        except Exception as exc:
            log.warning("store %s was cut short and could not be made due again (%s)", store_id, reason(exc))

    async def _after_failure(self, store_id: str, store: Store | None, owner: str, error: Exception) -> None:
        """Decide when the store runs again and record it, trying again while the database is away
        (a sync that failed with the database has not released its lease, and the lease may be long)."""
        expected = isinstance(error, PortsideError) or self._is_outage(error)
        log.warning("sync of store %s failed: %s", store_id, reason(error), exc_info=None if expected else error)
        loop = asyncio.get_running_loop()
        give_up_at = loop.time() + self.lease_s  # by then the lease has lapsed: claim_due takes it again
        pause, longest = RESCHEDULE_PAUSE_S
        while True:
            try:
                await self._reschedule(store_id, store, owner, error)
                return
            except Exception as exc:
                if not self._is_outage(exc) or self._stop.is_set() or loop.time() + pause > give_up_at:
                    log.warning(
                        "could not record when store %s syncs again (%s); it runs again once its lease lapses",
                        store_id,
                        reason(exc),
                    )
                    return
            await sleep_or_stop(self._stop, pause)
            pause = min(pause * 2, longest)

    async def _reschedule(self, store_id: str, store: Store | None, owner: str, error: Exception) -> None:
        app = self.app
        async with app.uow() as u:
            if store is None:  # it could not even be read: try again soon if the database was the reason
                store = await u.stores.get(store_id)
            interval = store.sync_interval_s if store is not None else IDLE_STORE_DELAY.total_seconds()
            failures = failures_in_a_row(await u.sync_reports.find(store_id, limit=8))
            delay = retry_delay(
                error,
                failures=max(1, failures),
                first_s=self.retry_s,
                interval_s=interval,
                channel_minimum_s=self._channel_minimum(store),
                rng=self._rng,
                is_outage=self._is_outage,
            )
            next_run_at = app.clock.now() + timedelta(seconds=interval if delay is None else delay)
            # Still ours when the failure came before the import released the lease (or while it was
            # recording its report); else the import released it at the store's interval, and only a
            # passing fault moves the next run closer.
            await u.sync_leases.release(store_id, owner=owner, next_run_at=next_run_at)
            if delay is not None:
                await u.sync_leases.schedule(store_id, next_run_at)
            await u.commit()
        if delay is not None:
            log.info("store %s syncs again in %.1f s", store_id, delay)

    def _channel_minimum(self, store: Store | None) -> float:
        if store is None:
            return 0.0
        try:
            return float(self.app.channels.bundle_for(store).capabilities.min_poll_interval_s)
        except Exception:  # a store whose channel cannot be built fails for good: no floor needed
            return 0.0

    async def _release(self, store_id: str, owner: str, delay: timedelta) -> None:
        async with self.app.uow() as u:
            await u.sync_leases.release(store_id, owner=owner, next_run_at=self.app.clock.now() + delay)
            await u.commit()
