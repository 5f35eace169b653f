"""The outbox handler that delivers webhook events to an account's subscribers, signed and at least once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from portside.adapters.webhooks import SubscriberGone, WebhookSender
from portside.core.errors import ChannelRejected
from portside.core.model import (
    Order,
    OutboxKind,
    OutboxMessage,
    Shipment,
    WebhookPayload,
    WebhookResult,
    payload_of,
    to_payload,
)
from portside.core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from portside.core.services import OutboxBatch, Outcome

log = logging.getLogger("portside.webhooks")

Render = Callable[[Any], Any]
_encode = msgspec.json.Encoder().encode


class WebhookHandler:
    """Body: ``{"id", "type", "created_at", "data": {"order", "shipment"?}}``. The order and shipment are
    rendered as the API renders them, as they are when the delivery is made: an event says what
    happened, its data shows the current state (a late retry never sends a stale order)."""

    kind = OutboxKind.webhook

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        sender: WebhookSender,
        clock: Clock,
        render_order: Callable[[Order], Any],
        render_shipment: Callable[[Shipment], Any],
    ) -> None:
        self._uow = uow
        self._sender = sender
        self._clock = clock
        self._render_order = render_order
        self._render_shipment = render_shipment

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        event = payload_of(message, WebhookPayload)
        shipment_id = event.detail.get("shipment")
        async with self._uow() as u:
            hook = await u.webhooks.get(message.subject_id)
            if hook is None or not hook.active:
                return to_payload(WebhookResult(skipped="the subscription was deleted or deactivated"))
            record = await u.orders.get(event.order_id)
            shipment = await u.shipments.get(str(shipment_id)) if shipment_id else None
        if record is None:
            raise ChannelRejected(f"order {event.order_id} no longer exists; nothing to send")
        data: dict[str, Any] = {"order": self._render_order(record.order)}
        if shipment is not None:
            data["shipment"] = self._render_shipment(shipment)
        body = _encode({"id": event.event_id, "type": event.type, "created_at": event.occurred_at, "data": data})
        try:
            status = await self._sender.send(
                hook.url,
                hook.secret,
                body,
                event_id=event.event_id,
                event_type=event.type.value,
                timestamp=int(self._clock.now().timestamp()),
            )
        except SubscriberGone:
            # A 410 is the receiver's way to unsubscribe, not a failed delivery: the message is settled
            # as delivered (never dead: no alert, no retry) and on_outcomes deactivates the subscription.
            return to_payload(WebhookResult(status=410, unsubscribed=True))
        return to_payload(WebhookResult(status=status))

    async def prepare(self, batch: OutboxBatch) -> None:
        """Nothing ahead: each delivery reads its subscription and order as they are when it is made."""

    async def on_outcomes(self, u: UnitOfWork, outcomes: Sequence[Outcome]) -> None:
        # In the transaction that settles the messages: the deactivation and the settlement go together.
        for outcome in outcomes:
            if outcome.result is None or not outcome.result.get("unsubscribed"):
                continue
            hook = await u.webhooks.get(outcome.message.subject_id)
            if hook is not None and hook.active:
                await u.webhooks.update(msgspec.structs.replace(hook, active=False))
                log.warning("webhook %s answered 410 Gone: subscription deactivated", hook.id)
