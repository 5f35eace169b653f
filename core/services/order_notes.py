"""The seller's internal notes on an order: kept by every import, recorded in the order's activity."""

from __future__ import annotations

import msgspec

from ..model import ActivityKind, ActivityRecord
from ..ports import Clock, OrderRecord, UnitOfWorkFactory
from .ids import new_id
from .tenancy import owned_order


async def set_internal_notes(
    account_id: str, order_id: str, notes: str | None, *, uow: UnitOfWorkFactory, clock: Clock
) -> OrderRecord:
    """Replace the notes (None clears them). Unchanged notes write nothing."""
    notes = notes if notes is None or notes.strip() else None
    now = clock.now()
    async with uow() as u:
        record = await owned_order(u, account_id, order_id, for_update=True)
        order = record.order
        if order.internal_notes == notes:
            return record
        # The content hash stays: it describes the channel's view, which did not change.
        updated = msgspec.structs.replace(
            record, order=msgspec.structs.replace(order, internal_notes=notes), modified_at=now
        )
        await u.orders.save_many([updated])
        changed = ActivityRecord.for_order(
            order, ActivityKind.note_changed, now, {"internal_notes": notes, "by": "seller"}, id=new_id()
        )
        await u.activity.add_many([changed])
        await u.commit()
    return updated
