"""A store's status mapping: read it, change it, and apply the change to orders already stored."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from ..errors import NotFound, ValidationFailed
from ..model import ActivityKind, ActivityRecord, Order, OrderStatus, StatusMapping
from ..ports import Clock, OrderQuery, OrderRecord, UnitOfWork, UnitOfWorkFactory
from .ids import new_id
from .reconcile import reconcile, resolve_status

_BATCH = 500


async def get_status_mapping(
    store_id: str, *, uow: UnitOfWorkFactory, defaults: Mapping[str, OrderStatus]
) -> StatusMapping:
    async with uow() as u:
        store = await u.stores.get(store_id)
    if store is None:
        raise NotFound("store", store_id)
    return StatusMapping(defaults=dict(defaults), overrides=dict(store.status_overrides))


async def current_mapping(u: UnitOfWork, store_id: str, mapping: StatusMapping) -> StatusMapping:
    """The store's mapping as committed now: ``mapping`` if its overrides are still the store's.

    Whoever writes an order's status from the mapping (an import, a re-map) asks this *after* locking
    the order's row: a mapping changed before that is seen, and a change committed after it re-maps the
    row once the lock is released. Either way the order ends under the store's last mapping, never
    under one read before a change (two re-maps at once, or a re-map during a long sync)."""
    store = await u.stores.get(store_id)
    if store is None or store.status_overrides == mapping.overrides:
        return mapping
    return StatusMapping(defaults=mapping.defaults, overrides=dict(store.status_overrides))


async def _refuse_unknown_statuses(
    store_id: str, overrides: Mapping[str, OrderStatus], known: set[str], uow: UnitOfWorkFactory
) -> None:
    """A key the channel does not list is most likely a typo, which would silently map nothing: refuse
    it, unless one of the store's orders carries it (a status the marketplace added, kept ``on_hold``
    and flagged ``unmapped_status`` until it is mapped here)."""
    unknown = {status for status in overrides if status not in known}
    after = None
    while unknown:
        async with uow() as u:
            batch = await u.orders.find(OrderQuery(store_ids=(store_id,), after=after, limit=_BATCH))
        if not batch:
            break
        after = (batch[-1].modified_at, batch[-1].order.id)
        unknown -= {record.order.channel_status for record in batch}
    if unknown:
        listed = ", ".join(sorted(known))
        problems = {
            f"overrides.{status}": f"not a status the channel sends nor one of the store's orders has; known: {listed}"
            for status in sorted(unknown)
        }
        named = ", ".join(sorted(unknown))
        raise ValidationFailed(f"unknown channel status(es): {named}; check the spelling", problems)


async def set_status_mapping(
    store_id: str,
    overrides: Mapping[str, OrderStatus],
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    defaults: Mapping[str, OrderStatus],
) -> tuple[StatusMapping, int]:
    """Replace the store's overrides and re-map its stored orders; returns the mapping and how many
    orders changed status. Local ``shipped`` and channel cancellations are kept, as on import."""
    blank = [status for status in overrides if not status.strip()]
    if blank:
        raise ValidationFailed("channel statuses cannot be empty", {"overrides": "empty channel status"})
    mapping = StatusMapping(defaults=dict(defaults), overrides=dict(overrides))
    async with uow() as u:
        store = await u.stores.get(store_id)
        if store is None:
            raise NotFound("store", store_id)
    await _refuse_unknown_statuses(store_id, overrides, set(defaults) | set(store.status_overrides), uow)
    async with uow() as u:
        # Read again, locked: the check above may have scanned the store's orders for seconds, and a
        # store change committed meanwhile (deactivated, new credentials) must not be undone by the
        # copy read before it. Only the overrides are this request's.
        current = await u.stores.get(store_id, for_update=True)
        if current is None:
            raise NotFound("store", store_id)
        await u.stores.update(msgspec.structs.replace(current, status_overrides=dict(overrides)))
        await u.commit()
    changed = 0
    after = None
    applied = mapping  # this request's, or one saved after it by another
    while True:
        now = clock.now()
        async with uow() as u:
            batch = await u.orders.find(OrderQuery(store_ids=(store_id,), after=after, limit=_BATCH))
            if not batch:
                break
            after = (batch[-1].modified_at, batch[-1].order.id)
            # Read again, locked, the whole batch: a shipment confirmed since the unlocked read above
            # must not be undone by its copy, and an order an import wrote meanwhile (under the mapping
            # before this one, with a new channel status) must be re-mapped though its copy needed none.
            ids = [r.order.channel_order_id for r in batch]
            locked = await u.orders.get_by_channel_ids(store_id, ids, for_update=True)
            applied = await current_mapping(u, store_id, applied)
            records: list[OrderRecord] = []
            activity: list[ActivityRecord] = []
            for record in locked.values():
                order = record.order
                remapped = _remapped(order, applied)
                if remapped == order:
                    continue
                records.append(msgspec.structs.replace(record, order=remapped, modified_at=now))
                if remapped.status != order.status:
                    changed += 1
                    detail = {"from": order.status, "to": remapped.status, "by": "status mapping"}
                    kind = ActivityKind.status_changed
                    activity.append(ActivityRecord.for_order(order, kind, now, detail, id=new_id()))
            await u.orders.save_many(records)
            await u.activity.add_many(activity)
            await u.commit()
    return mapping, changed


def _remapped(order: Order, mapping: StatusMapping) -> Order:
    return reconcile(resolve_status(order, mapping), order)
