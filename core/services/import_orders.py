"""Import a store's orders: cursor with overlap, page by page, idempotent, nothing lost."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

import msgspec

from ..errors import SyncAlreadyRunning
from ..model import (
    AcceptancePolicy,
    ActivityKind,
    ActivityRecord,
    Order,
    OrderStatus,
    QuarantinedPayload,
    StatusMapping,
    Store,
    SyncCursor,
    SyncReport,
)
from ..ports import Clock, OrderPage, OrderRecord, OrderSource, UnitOfWork, UnitOfWorkFactory
from .acceptance import enqueue_decision, should_auto_accept
from .catalog import enrich_from_catalog, skus_of
from .enrichment import OrderEnricher
from .hashing import content_hash
from .ids import new_id
from .reconcile import is_stale, reconcile, resolve_status

log = logging.getLogger("portside.import")


class ImportSettings(msgspec.Struct, frozen=True, kw_only=True):
    # Orders can become visible on the channel after their ``updatedAt`` (replication lag, an
    # update during paging): re-reading an hour behind the cursor catches them.
    overlap: timedelta = timedelta(hours=1)
    look_back: timedelta = timedelta(days=30)  # first sync
    lease_ttl_s: float = 600.0  # renewed on every page; a dead worker's lease lapses after this
    pending_enrichment_batch: int = 200


class SyncProgress(msgspec.Struct, frozen=True, kw_only=True):
    pages: int
    fetched: int
    new: int
    updated: int


class _Tally:
    def __init__(self) -> None:
        self.pages = self.fetched = self.new = self.updated = self.unchanged = 0
        self.quarantined = self.skipped = self.enriched_later = 0
        self.unmapped: dict[str, int] = {}
        self.max_seen: datetime | None = None

    def see(self, when: datetime | None) -> None:
        if when is not None and (self.max_seen is None or when > self.max_seen):
            self.max_seen = when


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
        cursor = await u.cursors.get(store.id)
        since = cursor.updated_at - settings.overlap if cursor else started - settings.look_back
        report = msgspec.structs.replace(report, since=since, cursor_before=cursor.updated_at if cursor else None)
        await u.sync_reports.save(report)
        await u.commit()

    tally = _Tally()
    try:
        async for page in source.pages(since):
            async with uow() as u:
                await u.sync_leases.renew(store.id, owner=owner, now=clock.now(), ttl_s=settings.lease_ttl_s)
                await _store_page(u, store, page, mapping, enrichers, clock, tally, report.id)
                await u.commit()
            if progress is not None:
                progress(SyncProgress(pages=tally.pages, fetched=tally.fetched, new=tally.new, updated=tally.updated))
        await _retry_pending_enrichment(store, uow, enrichers, clock, tally, settings)
    except BaseException as exc:
        await _finish(uow, store, report, tally, clock, owner, cursor=None, error=exc)
        raise
    new_cursor = tally.max_seen
    if cursor is not None and (new_cursor is None or new_cursor < cursor.updated_at):
        new_cursor = cursor.updated_at  # a sync never moves the cursor back
    return await _finish(uow, store, report, tally, clock, owner, cursor=new_cursor, error=None)


async def _store_page(
    u: UnitOfWork,
    store: Store,
    page: OrderPage,
    mapping: StatusMapping,
    enrichers: Sequence[OrderEnricher],
    clock: Clock,
    tally: _Tally,
    sync_id: str,
) -> None:
    now = clock.now()
    tally.pages += 1
    tally.fetched += len(page.orders) + len(page.failures) + len(page.skipped)
    tally.skipped += len(page.skipped)
    tally.see(page.max_updated_at)
    for failure in page.failures:
        tally.quarantined += 1
        await u.quarantine.add(
            QuarantinedPayload(
                id=new_id(),
                store_id=store.id,
                channel_order_id=failure.channel_order_id,
                raw=failure.raw,
                error=failure.error,
                received_at=now,
                sync_id=sync_id,
            )
        )
    # The same order can appear twice in one page (updated while paging): keep its latest view.
    latest: dict[str, Order] = {}
    for order in page.orders:
        tally.see(order.updated_at)
        seen = latest.get(order.channel_order_id)
        if seen is None or order.updated_at >= seen.updated_at:
            latest[order.channel_order_id] = order
    if not latest:
        return
    # Hashes first (no documents decoded): on a re-sync most orders stop here.
    hashes = await u.orders.get_hashes(store.id, list(latest))
    candidates: dict[str, bytes] = {}
    for channel_id, incoming in latest.items():
        digest = content_hash(incoming)
        if hashes.get(channel_id) == digest:
            tally.unchanged += 1
        else:
            candidates[channel_id] = digest
    if not candidates:
        return
    known = [channel_id for channel_id in candidates if channel_id in hashes]
    stored = await u.orders.get_by_channel_ids(store.id, known) if known else {}
    changed: list[tuple[Order, bytes, OrderRecord | None]] = []
    for channel_id, digest in candidates.items():
        incoming = latest[channel_id]
        record = stored.get(channel_id)
        previous = record.order if record else None
        if is_stale(incoming, previous):
            tally.unchanged += 1
            continue
        changed.append((reconcile(resolve_status(incoming, mapping), previous), digest, record))
    if not changed:
        return
    products = await u.catalog.get_many(store.account_id, skus_of([order for order, _, _ in changed]))
    orders = [enrich_from_catalog(order, products) for order, _, _ in changed]
    for enricher in enrichers:
        orders = await enricher.enrich(orders)
    records: list[OrderRecord] = []
    activity: list[ActivityRecord] = []
    for order, (_, digest, record) in zip(orders, changed, strict=True):
        previous = record.order if record else None
        records.append(OrderRecord(order=order, content_hash=digest, modified_at=now))
        if order.status == OrderStatus.on_hold and mapping.resolve(order.channel_status) is None:
            tally.unmapped[order.channel_status] = tally.unmapped.get(order.channel_status, 0) + 1
        if previous is None:
            tally.new += 1
            activity.append(_activity(order, ActivityKind.created, now, {"status": order.status}))
        else:
            tally.updated += 1
            if previous.status != order.status:
                kind = ActivityKind.cancelled if order.status == OrderStatus.cancelled else ActivityKind.status_changed
                activity.append(_activity(order, kind, now, {"from": previous.status, "to": order.status}))
        if (previous is None or previous.status != order.status) and should_auto_accept(store, order, products):
            _, queued = await enqueue_decision(u, order, accept=True, reason=None, now=now, by="policy")
            if queued:
                activity.append(_activity(order, ActivityKind.accepted, now, {"by": AcceptancePolicy.auto_known_skus}))
    await u.orders.save_many(records)
    await u.activity.add_many(activity)


async def _retry_pending_enrichment(
    store: Store,
    uow: UnitOfWorkFactory,
    enrichers: Sequence[OrderEnricher],
    clock: Clock,
    tally: _Tally,
    settings: ImportSettings,
) -> None:
    """Orders an enricher could not finish on an earlier sync (its source was down) get another try,
    even though the channel has nothing new about them."""
    for enricher in enrichers:
        async with uow() as u:
            pending = await u.orders.list_flagged(store.id, enricher.retry_flag, settings.pending_enrichment_batch)
        if not pending:
            continue
        enriched = await enricher.enrich([record.order for record in pending])
        now = clock.now()
        async with uow() as u:
            fresh = await u.orders.get_by_channel_ids(store.id, [r.order.channel_order_id for r in pending])
            records = []
            for before, after in zip(pending, enriched, strict=True):
                current = fresh.get(before.order.channel_order_id)
                # Only write over what we read: a concurrent change (a shipment) wins.
                if current is None or current.order != before.order or after == before.order:
                    continue
                records.append(OrderRecord(order=after, content_hash=before.content_hash, modified_at=now))
            await u.orders.save_many(records)
            await u.commit()
        tally.enriched_later += sum(1 for r in records if enricher.retry_flag not in r.order.flags)


async def _finish(
    uow: UnitOfWorkFactory,
    store: Store,
    report: SyncReport,
    tally: _Tally,
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


def _activity(order: Order, kind: ActivityKind, at: datetime, detail: dict[str, object]) -> ActivityRecord:
    return ActivityRecord(id=new_id(), order_id=order.id, store_id=order.store_id, kind=kind, at=at, detail=detail)
