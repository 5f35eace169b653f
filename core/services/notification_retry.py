"""Retry a shipment notification the relay gave up on, once the seller has fixed what was wrong."""

from __future__ import annotations

import msgspec

from ..errors import Conflict
from ..model import NotificationStatus, OutboxKind, OutboxStatus, Shipment
from ..ports import Clock, UnitOfWorkFactory
from .dispatch_outbox import retry_dead
from .tenancy import owned_shipment


async def retry_notification(account_id: str, shipment_id: str, *, uow: UnitOfWorkFactory, clock: Clock) -> Shipment:
    """Give the shipment's dead notification a fresh retry budget; the shipment shows it pending again."""
    async with uow() as u:
        shipment = await owned_shipment(u, account_id, shipment_id)
        if shipment.notification.status != NotificationStatus.dead:
            raise Conflict(
                f"the notification of shipment {shipment_id} is {shipment.notification.status}; "
                "only a dead notification can be retried"
            )
        dead = await u.outbox.find(status=OutboxStatus.dead, subject_id=shipment.id, limit=10)
    message = next((m for m in dead if m.kind == OutboxKind.ship_notification and m.subject_id == shipment.id), None)
    if message is None:
        raise Conflict(f"the notification of shipment {shipment_id} is not waiting for a retry")
    await retry_dead(message.id, uow=uow, clock=clock)
    pending = msgspec.structs.replace(shipment.notification, status=NotificationStatus.pending)
    async with uow() as u:
        # Read again: the relay settles messages, not dead ones, but the shipment row is shared.
        current = await owned_shipment(u, account_id, shipment_id)
        if current.notification.status == NotificationStatus.dead:
            current = msgspec.structs.replace(current, notification=pending)
            await u.shipments.update(current)
            await u.commit()
    return current
