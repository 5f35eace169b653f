"""The seller's catalog: upserting products, filling order lines from it, and filling again the open
orders imported before their products were known."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import msgspec

from ..model import AcceptancePolicy, ActivityKind, Order, OrderFlag, OrderStatus, Product, Store, lines_weight
from ..ports import Clock, OrderQuery, OrderRecord, UnitOfWork, UnitOfWorkFactory
from .acceptance import enqueue_policy_acceptance, should_auto_accept

# Orders still to be shipped: what a late catalog entry can help. A shipped, delivered or cancelled
# order keeps what it had when it left.
OPEN_STATUSES = (
    OrderStatus.awaiting_acceptance,
    OrderStatus.awaiting_payment,
    OrderStatus.awaiting_shipment,
    OrderStatus.on_hold,
)


async def upsert_products(
    account_id: str, products: list[Product], *, uow: UnitOfWorkFactory, clock: Clock
) -> tuple[int, int]:
    """Store ``products``, then fill the account's open orders that have lines of them.
    Returns (products stored, orders changed)."""
    async with uow() as u:
        await u.catalog.upsert_many(account_id, products)
        await u.commit()
    changed = await reenrich_open_orders(account_id, [p.sku for p in products], uow=uow, clock=clock)
    return len(products), changed


async def reenrich_open_orders(
    account_id: str, skus: Iterable[str], *, uow: UnitOfWorkFactory, clock: Clock, page: int = 200
) -> int:
    """Fill, from the catalog as it is now, the account's open orders with a line of one of ``skus``:
    line weight, image, options and location where they have none, the total weight, and the
    ``unknown_sku`` flag cleared once every line is known. A re-sync would not do it: it skips orders
    the marketplace did not change. Each changed order gets a new ``modified_at`` (pollers see it);
    its content hash stays the marketplace's. Returns how many orders changed."""
    wanted = tuple(sorted(set(skus)))
    if not wanted:
        return 0
    async with uow() as u:
        stores = {store.id: store for store in await u.stores.find(account_id=account_id)}
    if not stores:
        return 0
    store_ids = tuple(stores)
    changed = 0
    after: tuple[datetime, str] | None = None
    while True:
        query = OrderQuery(store_ids=store_ids, statuses=OPEN_STATUSES, skus=wanted, after=after, limit=page)
        async with uow() as u:
            found = await u.orders.find(query)
            if not found:
                break
            after = (found[-1].modified_at, found[-1].order.id)
            fresh = await _locked(u, found)
            products = await u.catalog.get_many(account_id, skus_of([r.order for r in fresh]))
            now = clock.now()
            updates = _refilled(fresh, products, now)
            await u.orders.save_many(updates)
            await _auto_accept(u, stores, [r.order for r in updates], products, now)
            await u.commit()
        changed += len(updates)
        if len(found) < page:
            break
    return changed


async def _locked(u: UnitOfWork, found: list[OrderRecord]) -> list[OrderRecord]:
    """The orders read again under a row lock: an import or a shipment that changed one since the
    unlocked read is not overwritten with the older copy."""
    by_store: dict[str, list[str]] = defaultdict(list)
    for record in found:
        by_store[record.order.store_id].append(record.order.channel_order_id)
    fresh: list[OrderRecord] = []
    for store_id, channel_ids in sorted(by_store.items()):
        fresh.extend((await u.orders.get_by_channel_ids(store_id, channel_ids, for_update=True)).values())
    return fresh


async def _auto_accept(
    u: UnitOfWork, stores: dict[str, Store], orders: list[Order], products: dict[str, Product], now: datetime
) -> None:
    """Orders awaiting acceptance whose every SKU is known now: the ``auto_known_skus`` policy accepts
    them as the import would have, had the products come first. An order already decided (the seller
    refused it by hand, the marketplace has not synced it back) keeps its decision."""
    from .import_page import activity_record  # import_page imports this module

    accepted = []
    for order in orders:
        if should_auto_accept(stores[order.store_id], order, products) and await enqueue_policy_acceptance(
            u, order, now=now
        ):
            detail: dict[str, object] = {"by": AcceptancePolicy.auto_known_skus}
            accepted.append(activity_record(order, ActivityKind.accepted, now, detail))
    if accepted:
        await u.activity.add_many(accepted)


def _refilled(records: list[OrderRecord], products: dict[str, Product], now: datetime) -> list[OrderRecord]:
    updates = []
    for record in records:
        if record.order.status not in OPEN_STATUSES:
            continue
        enriched = enrich_from_catalog(record.order, products)
        if enriched != record.order:
            updates.append(OrderRecord(order=enriched, content_hash=record.content_hash, modified_at=now))
    return updates


def enrich_from_catalog(order: Order, products: dict[str, Product]) -> Order:
    """Fill each line's weight, image, options and location where the channel gave none, then the
    order's total weight from its lines. Lines whose SKU the catalog does not know are flagged."""
    lines = []
    unknown = False
    changed = False
    for line in order.lines:
        product = products.get(line.sku) if line.sku else None
        if product is None:
            unknown = unknown or line.shippable
            lines.append(line)
            continue
        filled = msgspec.structs.replace(
            line,
            weight=line.weight or product.weight,
            image_url=line.image_url or product.image_url,
            options=line.options or product.options,
            stock_location=line.stock_location or product.stock_location,
        )
        changed = changed or filled != line
        lines.append(filled)
    new_lines = tuple(lines) if changed else order.lines
    total_weight = order.total_weight or lines_weight(new_lines)
    flags = (OrderFlag.unknown_sku,) if unknown else ()
    enriched = order.with_flags(add=flags, remove=() if unknown else (OrderFlag.unknown_sku,))
    if not changed and total_weight == order.total_weight:
        return enriched
    return msgspec.structs.replace(enriched, lines=new_lines, total_weight=total_weight)


def skus_of(orders: list[Order]) -> list[str]:
    return sorted({line.sku for order in orders for line in order.lines if line.sku})
