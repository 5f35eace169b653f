"""What each outbox kind carries and what its delivery reports: one Struct each, stored as plain JSON.

``OutboxMessage.payload`` (and a handler's result, which the relay hands back to ``on_outcome``) stay
dicts for storage; they are written with ``to_payload`` and read back once, at the handler's door,
with ``payload_of``/``result_of``. A payload that does not decode is a MalformedMessage, dead at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypeVar

import msgspec

from ..errors import MalformedMessage
from .outbox import OutboxMessage
from .webhooks import WebhookEvent

S = TypeVar("S", bound=msgspec.Struct)


class DecisionPayload(msgspec.Struct, frozen=True, kw_only=True):
    """``acceptance``: the seller's (or the store policy's) decision on an order awaiting acceptance."""

    accept: bool
    reason: str | None = None  # a refusal's reason, as the seller wrote it
    by: Literal["seller", "policy"]


class DecisionResult(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    decision: Literal["accepted", "refused"]
    found_on_channel: bool = False  # an earlier, ambiguous attempt had landed: nothing was sent again


class ShipNotificationPayload(msgspec.Struct, frozen=True, kw_only=True):
    """``ship_notification`` (its subject is the shipment, which the notifier reads)."""

    carrier_name: str  # the carrier as the channel knows it, when it was confirmed


class ShipNotificationResult(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    sent: dict[str, str]  # exactly what the channel received
    not_sent: tuple[str, ...] = ()  # shipment fields the channel has no place for
    found_on_channel: bool = False  # an earlier, ambiguous attempt had landed: nothing was sent again


class WebhookPayload(msgspec.Struct, frozen=True, kw_only=True):
    """``webhook`` (its subject is the subscription): the event, by the activity record it stands for."""

    event_id: str  # the activity record's id
    type: WebhookEvent
    occurred_at: datetime
    order_id: str
    detail: dict[str, Any] = {}  # the activity record's detail (``shipment`` names a shipment's event)


class WebhookResult(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    status: int | None = None  # the subscriber's HTTP status
    skipped: str | None = None  # why nothing was sent
    # The subscriber answered 410 Gone: it unsubscribed. Settled as delivered (an answer, not a
    # failure: nothing to retry, nothing for an operator to act on) and the subscription deactivated.
    unsubscribed: bool = False


def to_payload(value: msgspec.Struct) -> dict[str, Any]:
    """A payload or a result as the plain dict an outbox message (and the relay) holds."""
    found: dict[str, Any] = msgspec.to_builtins(value)
    return found


def payload_of(message: OutboxMessage, kind: type[S]) -> S:
    """The message's payload as ``kind``, or MalformedMessage naming what is wrong with it."""
    try:
        return msgspec.convert(message.payload, kind)
    except msgspec.ValidationError as exc:
        raise MalformedMessage(
            f"outbox message {message.id} ({message.kind}) has a malformed payload ({exc}); it cannot be delivered"
        ) from None


def result_of(result: dict[str, Any], kind: type[S]) -> S:
    """A handler's result, as the relay handed it back to ``on_outcome``, as ``kind``."""
    return msgspec.convert(result, kind)
