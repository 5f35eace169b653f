"""Import a store's orders: cursor with overlap, in batches of pages, idempotent, nothing lost."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

import msgspec

from ..errors import SyncAlreadyRunning
from ..model import (
    OrderStatus,
    StatusMapping,
    Store,
    SyncCursor,
    SyncReport,
)
from ..ports import Clock, ImportWindow, OrderSource, UnitOfWork, UnitOfWorkFactory
from .enrichment import OrderEnricher
from .ids import new_id
from .import_page import PageTally, PreparedPage, prepare_page, retry_pending_enrichment, write_page
from .page_batches import batched
from .read_ahead import read_ahead
from .write_behind import WriteBehind

log = logging.getLogger("portside.import")

# Pages written at once (on orders they do not share): with three, the Python work of preparing the
# next page keeps one core busy while the writes keep Postgres busy on the other (two left it idle
# between round trips, bench/import_e2e.py); each write holds one pooled connection.
WRITES_IN_FLIGHT = 3


class ImportSettings(msgspec.Struct, frozen=True, kw_only=True):
    # Orders can become visible on the channel after their ``updatedAt`` (replication lag, an
    # update during paging): re-reading an hour behind the cursor catches them.
    overlap: timedelta = timedelta(hours=1)
    look_back: timedelta = timedelta(days=30)  # first sync
    lease_ttl_s: float = 600.0  # renewed by every write (a batch of pages); a dead worker's lease lapses after this
    pending_enrichment_batch: int = 200
    # A channel's pages joined into one write (page_batches): until it holds this many orders to
    # write (three of Octopia's pages of 100), or this many pages (a re-sync's pages hold none, and
    # the lease is renewed by writes: a few pages apart, never many under a throttled marketplace).
    batch_orders: int = 300
    batch_pages: int = 3

    def __post_init__(self) -> None:
        # Hosts build this directly: a negative overlap skips orders, a zero lease lets two workers
        # sync one store, no look-back or batch imports nothing.
        if self.overlap < timedelta(0):
            raise ValueError("overlap: must not be negative")
        if self.look_back <= timedelta(0):
            raise ValueError("look_back: must be positive")
        if not self.lease_ttl_s > 0:
            raise ValueError("lease_ttl_s: must be positive")
        if self.pending_enrichment_batch < 1:
            raise ValueError("pending_enrichment_batch: must be at least 1")
        if self.batch_orders < 1 or self.batch_pages < 1:
            raise ValueError("batch_orders, batch_pages: must be at least 1")

    def for_store(self, window: ImportWindow | None) -> ImportSettings:
        """These settings with what a store's own window sets (its channel settings); the rest unchanged."""
        if window is None:
            return self
        return msgspec.structs.replace(
            self,
            overlap=self.overlap if window.overlap is None else window.overlap,
            look_back=self.look_back if window.look_back is None else window.look_back,
        )


class SyncProgress(msgspec.Struct, frozen=True, kw_only=True):
    pages: int
    fetched: int
    new: int
    updated: int


async def import_orders(
    store: Store,
    *,
    source: OrderSource,
    uow: UnitOfWorkFactory,
    clock: Clock,
    status_defaults: Mapping[str, OrderStatus],
    owner: str,
    settings: ImportSettings | None = None,
    enrichers: Sequence[OrderEnricher] = (),
    progress: Callable[[SyncProgress], None] | None = None,
) -> SyncReport:
    """Run one sync of ``store``. Raises SyncAlreadyRunning if another holder has its lease."""
    settings = settings or ImportSettings()
    mapping = StatusMapping(defaults=dict(status_defaults), overrides=dict(store.status_overrides))
    started = clock.now()
    report = SyncReport(id=new_id(), store_id=store.id, started_at=started)
    async with uow() as u:
        if not await u.sync_leases.acquire(store.id, owner=owner, now=started, ttl_s=settings.lease_ttl_s):
            raise SyncAlreadyRunning(store.id)
        await _close_interrupted(u, store.id, now=started)
        cursor = await u.cursors.get(store.id)
        since = cursor.updated_at - settings.overlap if cursor else started - settings.look_back
        report = msgspec.structs.replace(report, since=since, cursor_before=cursor.updated_at if cursor else None)
        await u.sync_reports.save(report)
        await u.commit()

    tally = PageTally()
    writes = WriteBehind(WRITES_IN_FLIGHT)

    async def write(ready: PreparedPage) -> None:
        await write_page(
            ready,
            store=store,
            uow=uow,
            mapping=mapping,
            clock=clock,
            tally=tally,
            sync_id=report.id,
            owner=owner,
            lease_ttl_s=settings.lease_ttl_s,
        )
        if progress is not None:
            progress(SyncProgress(pages=tally.pages, fetched=tally.fetched, new=tally.new, updated=tally.updated))

    try:
        # Batches of pages in flight: one fetched and mapped ahead, one prepared, three being written
        # (WriteBehind).
        pages = source.pages(since, known=StoredFingerprints(uow, store.id))
        async for page, count in read_ahead(
            batched(pages, orders=settings.batch_orders, max_pages=settings.batch_pages)
        ):
            ready = await prepare_page(page, store=store, uow=uow, mapping=mapping, enrichers=enrichers, pages=count)
            await writes.submit(write(ready), ready.keys)
        await writes.drain()
        await retry_pending_enrichment(
            store, uow=uow, enrichers=enrichers, clock=clock, tally=tally, batch=settings.pending_enrichment_batch
        )
    except BaseException as exc:
        # The writes in flight end first (finished, or cancelled with their caller): the lease is
        # released below, and nothing may be written after that.
        error = await writes.stop(exc)
        await _finish(uow, store, report, tally, clock, owner, cursor=None, error=error)
        if error is exc:
            raise
        raise error from exc
    new_cursor = tally.max_seen
    if cursor is not None and (new_cursor is None or new_cursor < cursor.updated_at):
        new_cursor = cursor.updated_at  # a sync never moves the cursor back
    return await _finish(uow, store, report, tally, clock, owner, cursor=new_cursor, error=None)


async def _close_interrupted(u: UnitOfWork, store_id: str, *, now: datetime) -> None:
    """Holding the lease, any report of the store still ``running`` belongs to a sync that died (its
    lease lapsed): say so, rather than leave it running forever."""
    for earlier in await u.sync_reports.find(store_id):
        if earlier.outcome == "running":
            await u.sync_reports.save(
                msgspec.structs.replace(
                    earlier,
                    outcome="interrupted",
                    finished_at=now,
                    error="interrupted: the process running this sync stopped before it ended (crash, kill or "
                    "lost database); the next sync re-read from the last completed cursor",
                )
            )


async def _finish(
    uow: UnitOfWorkFactory,
    store: Store,
    report: SyncReport,
    tally: PageTally,
    clock: Clock,
    owner: str,
    *,
    cursor: datetime | None,
    error: BaseException | None,
) -> SyncReport:
    finished = clock.now()
    report = msgspec.structs.replace(
        report,
        finished_at=finished,
        pages=tally.pages,
        fetched=tally.fetched,
        new=tally.new,
        updated=tally.updated,
        unchanged=tally.unchanged,
        quarantined=tally.quarantined,
        skipped=tally.skipped,
        enriched_later=tally.enriched_later,
        unmapped_statuses=dict(tally.unmapped),
        cursor_after=cursor if error is None else report.cursor_before,
        outcome="completed" if error is None else "failed",
        error=None if error is None else (str(error) or type(error).__name__),
    )
    async with uow() as u:
        # The cursor moves only once every page is stored: a crash before this line re-reads from
        # the old cursor, and content hashes make the re-read cheap and duplicate-free.
        if error is None and cursor is not None:
            await u.cursors.set(SyncCursor(store_id=store.id, updated_at=cursor))
        await u.sync_reports.save(report)
        await u.sync_leases.release(
            store.id, owner=owner, next_run_at=finished + timedelta(seconds=store.sync_interval_s)
        )
        await u.commit()
    if error is not None:
        log.warning("sync of store %s failed after %d pages: %s", store.id, tally.pages, report.error)
    return report


class StoredFingerprints:
    """KnownOrders over the store's stored content hashes (a channel's fingerprints, when it gives them)."""

    def __init__(self, uow: UnitOfWorkFactory, store_id: str) -> None:
        self._uow = uow
        self._store_id = store_id

    async def unchanged(self, fingerprints: Mapping[str, bytes]) -> set[str]:
        if not fingerprints:
            return set()
        async with self._uow() as u:
            stored = await u.orders.get_hashes(self._store_id, list(fingerprints))
        return {cid for cid, fingerprint in fingerprints.items() if stored.get(cid) == fingerprint}
