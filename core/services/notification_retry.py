"""Retry a shipment notification the relay gave up on, once the seller has fixed what was wrong."""

from __future__ import annotations

import msgspec

from ..errors import Conflict
from ..model import NotificationStatus, OutboxKind, OutboxStatus, Shipment
from ..ports import Clock, UnitOfWorkFactory
from .dispatch_outbox import revive_dead
from .tenancy import owned_shipment


async def retry_notification(account_id: str, shipment_id: str, *, uow: UnitOfWorkFactory, clock: Clock) -> Shipment:
    """Give the shipment's dead notification a fresh retry budget; the shipment shows it pending again.

    One unit of work, with the shipment row locked first: the relay can claim the revived message only
    once the shipment says pending, so its delivered state always lands after ours (two units let a
    quick delivery be overwritten with pending for good), and a second retry waits, then finds it pending.
    """
    async with uow() as u:
        shipment = await owned_shipment(u, account_id, shipment_id, for_update=True)
        if shipment.notification.status != NotificationStatus.dead:
            raise Conflict(
                f"the notification of shipment {shipment_id} is {shipment.notification.status}; "
                "only a dead notification can be retried"
            )
        dead = await u.outbox.find(status=OutboxStatus.dead, subject_id=shipment.id, limit=10)
        message = next((m for m in dead if m.kind == OutboxKind.ship_notification), None)
        if message is None:
            raise Conflict(f"the notification of shipment {shipment_id} is not waiting for a retry")
        await revive_dead(u, message, clock=clock)
        pending = msgspec.structs.replace(shipment.notification, status=NotificationStatus.pending)
        current = msgspec.structs.replace(shipment, notification=pending)
        await u.shipments.update(current)
        await u.commit()
    return current
