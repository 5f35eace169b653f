"""One account's orders, filtered, in keyset pages on (modified_at, id): no gaps, no duplicates."""

from __future__ import annotations

from datetime import datetime

import msgspec

from ..model import OrderStatus, PickupCarrier
from ..ports import OrderQuery, OrderRecord, UnitOfWorkFactory
from .tenancy import account_store_ids, owned_store

MAX_PAGE = 500


class OrderFilter(msgspec.Struct, frozen=True, kw_only=True):
    store_id: str | None = None
    statuses: tuple[OrderStatus, ...] | None = None
    modified_since: datetime | None = None
    pickup_carrier: PickupCarrier | None = None


class OrderPage(msgspec.Struct, frozen=True, kw_only=True):
    records: list[OrderRecord]
    next_after: tuple[datetime, str] | None  # where the next page starts; None: this was the last


async def list_orders(
    account_id: str,
    filters: OrderFilter,
    *,
    uow: UnitOfWorkFactory,
    limit: int = 50,
    after: tuple[datetime, str] | None = None,
) -> OrderPage:
    """A page of the account's orders. A ``store_id`` of another account is NotFound, like a missing one."""
    limit = max(1, min(limit, MAX_PAGE))
    async with uow() as u:
        if filters.store_id is not None:
            store_ids: tuple[str, ...] = ((await owned_store(u, account_id, filters.store_id)).id,)
        else:
            store_ids = await account_store_ids(u, account_id)
        if not store_ids:
            return OrderPage(records=[], next_after=None)
        # One more than asked: whether it exists says if there is a next page, without a count.
        found = await u.orders.find(
            OrderQuery(
                store_ids=store_ids,
                statuses=filters.statuses,
                modified_since=filters.modified_since,
                pickup_carrier=None if filters.pickup_carrier is None else filters.pickup_carrier.value,
                after=after,
                limit=limit + 1,
            )
        )
    page = found[:limit]
    more = len(found) > limit
    return OrderPage(records=page, next_after=(page[-1].modified_at, page[-1].order.id) if more else None)
