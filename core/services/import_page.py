"""One page of an import: read what is stored, work out the changes, write them under row locks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime

import msgspec

from ..errors import SyncLeaseLost
from ..model import (
    AcceptancePolicy,
    ActivityKind,
    ActivityRecord,
    Order,
    OrderStatus,
    Product,
    QuarantinedPayload,
    StatusMapping,
    Store,
    StoreOrderIds,
)
from ..ports import Clock, OrderPage, OrderRecord, UnitOfWork, UnitOfWorkFactory
from .acceptance import enqueue_policy_acceptance, should_auto_accept
from .catalog import enrich_from_catalog, skus_of
from .enrichment import OrderEnricher
from .hashing import content_hash
from .ids import derived_id, new_id
from .reconcile import is_stale, reconcile, resolve_status
from .status_mapping import current_mapping


class PageTally:
    """Running counts of one sync, turned into its report at the end."""

    def __init__(self) -> None:
        self.pages = self.fetched = self.new = self.updated = self.unchanged = 0
        self.quarantined = self.skipped = self.enriched_later = 0
        self.unmapped: dict[str, int] = {}
        self.max_seen: datetime | None = None
        self.lease_renewed: datetime | None = None

    def see(self, when: datetime | None) -> None:
        if when is not None and (self.max_seen is None or when > self.max_seen):
            self.max_seen = when


def _latest_views(page: OrderPage) -> dict[str, Order]:
    # The same order can appear twice in one page (updated while paging): keep its latest view.
    latest: dict[str, Order] = {}
    for order in page.orders:
        seen = latest.get(order.channel_order_id)
        if seen is None or order.updated_at >= seen.updated_at:
            latest[order.channel_order_id] = order
    return latest


class PreparedPage:
    """A page read, compared with what is stored and enriched: what ``write_page`` writes."""

    __slots__ = ("candidates", "page", "pages", "prepared", "products", "unchanged")

    def __init__(
        self,
        page: OrderPage,
        candidates: dict[str, tuple[Order, bytes]],
        prepared: list[Order],
        products: dict[str, Product],
        unchanged: int,
        pages: int = 1,
    ) -> None:
        self.page = page
        self.pages = pages  # the channel's pages it holds (page_batches)
        self.candidates = candidates  # channel id → (incoming order, its content hash)
        self.prepared = prepared  # the candidates' orders, status resolved and enriched, in order
        self.products = products
        self.unchanged = unchanged  # found unchanged by their content hash

    @property
    def keys(self) -> frozenset[str] | None:
        """What writing the page touches, so two pages with nothing in common may be written at once:
        its changed orders; None (anything) when it quarantines payloads, keyed by their bytes."""
        return None if self.page.failures else frozenset(self.candidates)


async def prepare_page(
    page: OrderPage,
    *,
    store: Store,
    uow: UnitOfWorkFactory,
    mapping: StatusMapping,
    enrichers: Sequence[OrderEnricher],
    pages: int = 1,
) -> PreparedPage:
    """Read what the page needs (hashes, catalog) and enrich its changed orders, with no transaction
    open while enrichers call carriers. Changes nothing: the import prepares the next page while the
    last one is being written. ``page`` may hold several of the channel's (``pages``)."""
    latest = _latest_views(page)
    _check_ids(store, latest.values())
    candidates: dict[str, tuple[Order, bytes]] = {}
    products: dict[str, Product] = {}
    # A view a later one of the same page (or batch of pages) replaced is not written: counted with
    # the unchanged, so that the report's counts add up to what was fetched.
    unchanged = len(page.orders) - len(latest)
    # A fingerprinted order is one the channel already found changed; the rest are compared here.
    unchecked = {cid: o for cid, o in latest.items() if cid not in page.fingerprints}
    candidates.update((cid, (o, page.fingerprints[cid])) for cid, o in latest.items() if cid in page.fingerprints)
    if latest:
        async with uow() as u:
            if unchecked:
                # Hashes first (no documents decoded): on a re-sync most orders stop here.
                hashes = await u.orders.get_hashes(store.id, list(unchecked))
                for channel_id, incoming in unchecked.items():
                    digest = content_hash(incoming)
                    if hashes.get(channel_id) == digest:
                        unchanged += 1
                    else:
                        candidates[channel_id] = (incoming, digest)
            if candidates:
                products = await u.catalog.get_many(store.account_id, skus_of([o for o, _ in candidates.values()]))
    prepared = [enrich_from_catalog(resolve_status(order, mapping), products) for order, _ in candidates.values()]
    for enricher in enrichers:
        prepared = await enricher.enrich(prepared)
    return PreparedPage(page, candidates, prepared, products, unchanged, pages)


def _check_ids(store: Store, orders: Iterable[Order]) -> None:
    # Storage finds an order by the id its store and channel id derive (a primary-key lookup, whatever
    # the table's statistics say): an order mapped with any other id would be taken for a new one.
    ids = StoreOrderIds(store.id)
    for order in orders:
        if order.store_id != store.id or order.id != ids(order.channel_order_id):
            raise ValueError(
                f"the {store.channel} channel mapped order {order.channel_order_id} with id {order.id} of store "
                f"{order.store_id}; an order's id must be order_id_for(store_id, channel_order_id) of its store "
                "(docs/channels/writing-a-channel.md, mapping): a bug of the channel; nothing of this batch of "
                "pages was stored"
            )


async def write_page(
    ready: PreparedPage,
    *,
    store: Store,
    uow: UnitOfWorkFactory,
    mapping: StatusMapping,
    clock: Clock,
    tally: PageTally,
    sync_id: str,
    owner: str,
    lease_ttl_s: float,
) -> None:
    """Write one prepared page in a transaction that locks its rows and reconciles with what they hold
    *then*: a shipment confirmed meanwhile is never overwritten by the import, and an order written by
    the page before (an order seen twice while paging) is compared with that write."""
    page, prepared, candidates, products = ready.page, ready.prepared, ready.candidates, ready.products
    tally.pages += ready.pages
    tally.fetched += len(page.orders) + len(page.failures) + len(page.skipped) + len(page.unchanged)
    tally.skipped += len(page.skipped)
    tally.unchanged += len(page.unchanged) + ready.unchanged  # unchanged by fingerprint: not even mapped
    tally.see(page.max_updated_at)
    for order in page.orders:
        tally.see(order.updated_at)

    now = clock.now()
    renew_due = tally.lease_renewed is None or (now - tally.lease_renewed).total_seconds() > lease_ttl_s / 4
    if not prepared and not page.failures and not renew_due:
        return  # nothing to write, and the lease is fresh: no transaction at all (a re-sync's usual page)
    async with uow() as u:
        u.relax_durability()  # lost to a crash, the page is read again from the cursor, which moves last
        for failure in page.failures:
            tally.quarantined += 1
            await u.quarantine.add(
                QuarantinedPayload(
                    # Derived from the bytes: the overlap of the next sync reads the same bad payload
                    # again, and it is kept once (a changed payload is a new entry).
                    id=derived_id("quarantine", store.id, hashlib.sha256(failure.raw).hexdigest()),
                    store_id=store.id,
                    channel_order_id=failure.channel_order_id,
                    raw=failure.raw,
                    error=failure.error,
                    received_at=now,
                    sync_id=sync_id,
                )
            )
        if prepared:
            stored = await u.orders.get_by_channel_ids(store.id, list(candidates), for_update=True)
            # The mapping as committed now that the rows are locked: one changed during the sync
            # (the re-map of stored orders may have passed these already) is the one they take.
            current = await current_mapping(u, store.id, mapping)
            if current is not mapping:
                mapping, prepared = current, [resolve_status(order, current) for order in prepared]
            updates: list[OrderRecord] = []
            new: list[OrderRecord] = []
            activity: list[ActivityRecord] = []
            for order, (_, digest) in zip(prepared, candidates.values(), strict=True):
                record = stored.get(order.channel_order_id)
                previous = record.order if record else None
                if record is not None and (record.content_hash == digest or is_stale(order, previous)):
                    # Stored meanwhile from the same view (the page before held it too), or a newer one.
                    tally.unchanged += 1
                    continue
                final = reconcile(order, previous)
                if record is not None and final == previous:
                    # Only the fingerprint moved (a new mapping version, a fingerprint made another way,
                    # a setting that changed nothing here): the new one is kept, nobody told of a change.
                    updates.append(msgspec.structs.replace(record, content_hash=digest))
                    tally.unchanged += 1
                    continue
                (updates if previous else new).append(OrderRecord(order=final, content_hash=digest, modified_at=now))
                activity += await _account_for(u, store, final, previous, mapping, products, tally, now)
            # New orders take the bulk path: the rows were read locked just above, and only the store's
            # lease holder creates orders, so none of them can appear meanwhile.
            await u.orders.insert_many(new)
            await u.orders.save_many(updates)
            await u.activity.add_many(activity)
        # Past its lease, another worker may be syncing this store: nothing of the page is kept. Renewed
        # last, the lease row stays locked only for the commit, and a page written beside this one (the
        # import keeps two in flight) waits no longer than that; until the commit, nobody can take it.
        if not await u.sync_leases.renew(store.id, owner=owner, now=now, ttl_s=lease_ttl_s):
            raise SyncLeaseLost(store.id)
        await u.commit()
        tally.lease_renewed = now


async def _account_for(
    u: UnitOfWork,
    store: Store,
    order: Order,
    previous: Order | None,
    mapping: StatusMapping,
    products: dict[str, Product],
    tally: PageTally,
    now: datetime,
) -> list[ActivityRecord]:
    """Count the change, describe it in the activity log, and queue an automatic acceptance."""
    activity: list[ActivityRecord] = []
    if order.status == OrderStatus.on_hold and mapping.resolve(order.channel_status) is None:
        tally.unmapped[order.channel_status] = tally.unmapped.get(order.channel_status, 0) + 1
    if previous is None:
        tally.new += 1
        activity.append(activity_record(order, ActivityKind.created, now, {"status": order.status}))
    else:
        tally.updated += 1
        if previous.status != order.status:
            kind = ActivityKind.cancelled if order.status == OrderStatus.cancelled else ActivityKind.status_changed
            activity.append(activity_record(order, kind, now, {"from": previous.status, "to": order.status}))
        else:
            activity.append(activity_record(order, ActivityKind.updated, now, {"channel_status": order.channel_status}))
    if (previous is None or previous.status != order.status) and should_auto_accept(store, order, products):
        if await enqueue_policy_acceptance(u, order, now=now):
            by: dict[str, object] = {"by": AcceptancePolicy.auto_known_skus}
            activity.append(activity_record(order, ActivityKind.accepted, now, by))
    return activity


async def retry_pending_enrichment(
    store: Store,
    *,
    uow: UnitOfWorkFactory,
    enrichers: Sequence[OrderEnricher],
    clock: Clock,
    tally: PageTally,
    batch: int,
) -> None:
    """Orders an enricher could not finish on an earlier sync (its source was down) get another try,
    even though the channel has nothing new about them."""
    for enricher in enrichers:
        async with uow() as u:
            pending = await u.orders.list_flagged(store.id, enricher.retry_flag, batch)
        if not pending:
            continue
        enriched = await enricher.enrich([record.order for record in pending])
        now = clock.now()
        async with uow() as u:
            ids = [r.order.channel_order_id for r in pending]
            fresh = await u.orders.get_by_channel_ids(store.id, ids, for_update=True)
            records = []
            for before, after in zip(pending, enriched, strict=True):
                current = fresh.get(before.order.channel_order_id)
                # Only write over what we read: a concurrent change (a shipment) wins.
                if current is None or current.order != before.order or after == before.order:
                    continue
                records.append(msgspec.structs.replace(current, order=after, modified_at=now))
            await u.orders.save_many(records)
            await u.commit()
        tally.enriched_later += sum(1 for r in records if enricher.retry_flag not in r.order.flags)


def activity_record(order: Order, kind: ActivityKind, at: datetime, detail: dict[str, object]) -> ActivityRecord:
    return ActivityRecord(id=new_id(), order_id=order.id, store_id=order.store_id, kind=kind, at=at, detail=detail)
