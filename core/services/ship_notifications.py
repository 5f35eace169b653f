"""Outbox handler telling the marketplace a shipment left: once, and never twice."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from functools import partial
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
    Shipment,
)
from ..ports import ChannelProvider, NotificationLookup, OrderRecord, UnitOfWork, UnitOfWorkFactory
from .dispatch_outbox import OutboxBatch, Outcome, batch_shared, current_batch
from .ids import new_id


class ShipNotificationHandler:
    kind = OutboxKind.ship_notification

    def __init__(self, *, uow: UnitOfWorkFactory, channels: ChannelProvider) -> None:
        self._uow = uow
        self._channels = channels

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        shipment, record = await self._subject(message)
        if shipment is None or record is None:
            raise ChannelRejected(f"shipment {message.subject_id} or its order no longer exists")
        bundle = await batch_shared(
            _bundle_key(shipment.store_id), partial(self._channels.for_store, shipment.store_id)
        )
        notifier = bundle.notifier
        if message.outcome_unknown:
            # The last attempt may have landed: a second POST would give the buyer two parcels.
            if await notifier.find_notification(record.order, shipment) == NotificationLookup.found:
                sent = dict(shipment.notification.sent) or {"tracking_number": shipment.tracking_number}
                return {"sent": sent, "not_sent": list(shipment.notification.not_sent), "found_on_channel": True}
        receipt = await notifier.notify(record.order, shipment)
        return {"sent": dict(receipt.sent), "not_sent": list(receipt.not_sent)}

    async def _subject(self, message: OutboxMessage) -> tuple[Shipment | None, OrderRecord | None]:
        """The shipment and its order: in a relay pass, read with those of the whole batch (one query
        each for the batch, by its first delivery) rather than one message at a time."""
        batch = current_batch()
        if batch is None:
            return (await self._read([message.subject_id])).get(message.subject_id, (None, None))
        return (await self._batch_subjects(batch)).get(message.subject_id, (None, None))

    async def prepare(self, batch: OutboxBatch) -> None:
        # The batch's shipments and orders, and their stores' channel ports, loaded before the
        # deliveries start (and while the previous batch's still run).
        subjects = await self._batch_subjects(batch)
        stores = sorted({shipment.store_id for shipment, _ in subjects.values()})
        # One store's ports failing (a store deleted meanwhile) must not leave the others unloaded; its
        # deliveries meet the failure themselves.
        await asyncio.gather(
            *(batch.shared(_bundle_key(s), partial(self._channels.for_store, s)) for s in stores),
            return_exceptions=True,
        )

    def _batch_subjects(self, batch: OutboxBatch) -> Awaitable[dict[str, tuple[Shipment, OrderRecord | None]]]:
        # The ids are gathered by the first caller only, inside the shared load.
        return batch.shared(
            (self.kind, "subjects"), lambda: self._read([m.subject_id for m in batch.messages if m.kind == self.kind])
        )

    async def _read(self, shipment_ids: list[str]) -> dict[str, tuple[Shipment, OrderRecord | None]]:
        async with self._uow() as u:
            shipments = await u.shipments.get_many(shipment_ids)
            orders = await u.orders.get_many(sorted({s.order_id for s in shipments.values()}))
        return {sid: (shipment, orders.get(shipment.order_id)) for sid, shipment in shipments.items()}

    async def on_outcomes(self, u: UnitOfWork, outcomes: Sequence[Outcome]) -> None:
        # A delivered state is new as a whole: written for the group in one statement, nothing read.
        delivered = {o.message.subject_id: _delivered_state(o) for o in outcomes if o.result is not None}
        written = await u.shipments.set_notifications(delivered) if delivered else {}
        records: list[ActivityRecord] = []
        for o in outcomes:
            if o.result is not None:
                shipment = written.get(o.message.subject_id)
                if shipment is None:
                    continue  # the shipment is gone: nothing to record it on
                kind = ActivityKind.notification_delivered
                detail: dict[str, object] = {"shipment": shipment.id, **shipment.notification.sent}
            else:
                found = await u.shipments.get(o.message.subject_id)
                if found is None:
                    continue
                shipment = msgspec.structs.replace(
                    found,
                    notification=msgspec.structs.replace(
                        found.notification,
                        status=NotificationStatus.dead if o.dead else NotificationStatus.failed,
                        attempts=o.message.attempts,
                        last_attempt_at=o.now,
                        last_error=o.error,
                    ),
                )
                await u.shipments.update(shipment)
                kind = ActivityKind.notification_failed
                detail = {"shipment": shipment.id, "error": o.error, "dead": o.dead}
            records.append(
                ActivityRecord(
                    id=new_id(),
                    order_id=shipment.order_id,
                    store_id=shipment.store_id,
                    kind=kind,
                    at=o.now,
                    detail=detail,
                )
            )
        if records:
            await u.activity.add_many(records)


def _bundle_key(store_id: str) -> tuple[str, str]:
    return ("channel bundle", store_id)


def _delivered_state(outcome: Outcome) -> NotificationState:
    result = outcome.result or {}
    return NotificationState(
        status=NotificationStatus.delivered,
        attempts=outcome.message.attempts,
        last_attempt_at=outcome.now,
        delivered_at=outcome.now,
        sent={k: str(v) for k, v in result.get("sent", {}).items()},
        not_sent=tuple(result.get("not_sent", ())),
    )
