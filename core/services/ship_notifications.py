"""Outbox handler telling the marketplace a shipment left: once, and never twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from ..errors import ChannelRejected
from ..model import (
    ActivityKind,
    ActivityRecord,
    NotificationState,
    NotificationStatus,
    OutboxKind,
    OutboxMessage,
)
from ..ports import ChannelProvider, NotificationLookup, UnitOfWork, UnitOfWorkFactory
from .ids import new_id


class ShipNotificationHandler:
    kind = OutboxKind.ship_notification

    def __init__(self, *, uow: UnitOfWorkFactory, channels: ChannelProvider) -> None:
        self._uow = uow
        self._channels = channels

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        async with self._uow() as u:
            shipment = await u.shipments.get(message.subject_id)
            record = await u.orders.get(shipment.order_id) if shipment else None
        if shipment is None or record is None:
            raise ChannelRejected(f"shipment {message.subject_id} or its order no longer exists")
        notifier = (await self._channels.for_store(shipment.store_id)).notifier
        if message.outcome_unknown:
            # The last attempt may have landed: a second POST would give the buyer two parcels.
            if await notifier.find_notification(record.order, shipment) == NotificationLookup.found:
                sent = dict(shipment.notification.sent) or {"tracking_number": shipment.tracking_number}
                return {"sent": sent, "not_sent": list(shipment.notification.not_sent), "found_on_channel": True}
        receipt = await notifier.notify(record.order, shipment)
        return {"sent": dict(receipt.sent), "not_sent": list(receipt.not_sent)}

    async def on_outcome(
        self,
        u: UnitOfWork,
        message: OutboxMessage,
        *,
        result: dict[str, Any] | None,
        error: str | None,
        dead: bool,
        now: datetime,
    ) -> None:
        shipment = await u.shipments.get(message.subject_id)
        if shipment is None:
            return
        state = shipment.notification
        if result is not None:
            state = NotificationState(
                status=NotificationStatus.delivered,
                attempts=message.attempts,
                last_attempt_at=now,
                delivered_at=now,
                sent={k: str(v) for k, v in result.get("sent", {}).items()},
                not_sent=tuple(result.get("not_sent", ())),
            )
            kind = ActivityKind.notification_delivered
            detail: dict[str, object] = {"shipment": shipment.id, **state.sent}
        else:
            state = msgspec.structs.replace(
                state,
                status=NotificationStatus.dead if dead else NotificationStatus.failed,
                attempts=message.attempts,
                last_attempt_at=now,
                last_error=error,
            )
            kind, detail = ActivityKind.notification_failed, {"shipment": shipment.id, "error": error, "dead": dead}
        await u.shipments.update(msgspec.structs.replace(shipment, notification=state))
        await u.activity.add_many(
            [
                ActivityRecord(
                    id=new_id(),
                    order_id=shipment.order_id,
                    store_id=shipment.store_id,
                    kind=kind,
                    at=now,
                    detail=detail,
                )
            ]
        )
