"""Acceptance SLA: orders left awaiting the seller's decision too long are flagged, logged and counted.

Cdiscount cancels an order nobody accepted within its deadline; a warning a few hours before that
lets the seller act. The flag marks the order for the API's filters and makes each breach counted
and logged once, whichever worker sees it first.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import msgspec

from portside.core.model import Order, OrderFlag, OrderStatus
from portside.core.ports import Clock, OrderQuery, UnitOfWorkFactory

log = logging.getLogger("portside.scheduler")

OVERDUE_FLAG = OrderFlag.acceptance_overdue
LOGGED_PER_PASS = 5


class SlaReport(msgspec.Struct, kw_only=True):
    overdue: int = 0  # awaiting acceptance longer than the threshold now
    newly_breached: list[str] = []  # order ids flagged by this pass


async def check_acceptance_sla(
    *, uow: UnitOfWorkFactory, clock: Clock, threshold: timedelta, page: int = 500, level: int = logging.WARNING
) -> SlaReport:
    """Flag and log orders awaiting acceptance beyond ``threshold``. ``level``: the demo's seeded history
    is logged at INFO (not an incident); a real breach is a WARNING."""
    now = clock.now()
    deadline = now - threshold
    report = SlaReport()
    seen: set[str] = set()
    async with uow() as u:
        active = tuple(s.id for s in await u.stores.find(active=True))  # a disconnected store's orders wait for nobody
    if not active:
        return report
    query = OrderQuery(store_ids=active, statuses=(OrderStatus.awaiting_acceptance,), limit=page)
    while True:
        async with uow() as u:
            records = await u.orders.find(query)
        for record in records:
            order = record.order
            if order.id in seen or order.placed_at > deadline:
                continue
            seen.add(order.id)
            if not order.has_flag(OVERDUE_FLAG) and await _flag(uow, order.id, now):
                report.newly_breached.append(order.id)
                if len(report.newly_breached) <= LOGGED_PER_PASS:
                    _warn(order, now, threshold, level)
        if len(records) < page:
            break
        last = records[-1]
        query = msgspec.structs.replace(query, after=(last.modified_at, last.order.id))
    report.overdue = len(seen)
    if len(report.newly_breached) > LOGGED_PER_PASS:
        # A backlog (first start, an outage) is one line, not a thousand: the metric has the count.
        log.log(
            level,
            "%d more orders have awaited acceptance longer than %.0f h; list them with "
            "GET /v1/orders?status=awaiting_acceptance",
            len(report.newly_breached) - LOGGED_PER_PASS,
            threshold.total_seconds() / 3600,
        )
    return report


def _warn(order: Order, now: datetime, threshold: timedelta, level: int) -> None:
    log.log(
        level,
        "order %s (store %s, %s order %s) has awaited acceptance for %.0f h (threshold %.0f h): "
        "accept or refuse it before the marketplace cancels it",
        order.id,
        order.store_id,
        order.channel,
        order.channel_order_id,
        (now - order.placed_at).total_seconds() / 3600,
        threshold.total_seconds() / 3600,
    )


async def _flag(uow: UnitOfWorkFactory, order_id: str, now: datetime) -> bool:
    """Add the flag under the row lock; False when another worker (or the import) got there first."""
    async with uow() as u:
        record = await u.orders.get(order_id, for_update=True)
        if record is None or record.order.status != OrderStatus.awaiting_acceptance:
            return False
        if record.order.has_flag(OVERDUE_FLAG):
            return False
        flagged = record.order.with_flags(add=(OVERDUE_FLAG,))
        # content_hash stays: it is the channel's view, which did not change; modified_at moves so
        # API clients polling "updated since" see the flag.
        await u.orders.save_many([msgspec.structs.replace(record, order=flagged, modified_at=now)])
        await u.commit()
    return True
