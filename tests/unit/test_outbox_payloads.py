"""Outbox payloads are typed per kind: written by the use cases, read once by each handler; a payload
that does not decode is dead at once with a reason, not retried as an unexpected error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portside.core.errors import MalformedMessage
from portside.core.model import (
    DecisionPayload,
    DecisionResult,
    OrderStatus,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    ShipNotificationResult,
    WebhookEvent,
    WebhookPayload,
    payload_of,
    result_of,
    to_payload,
)
from portside.core.ports import OrderRecord
from portside.core.services import decide_order
from portside.testing.orders import make_order

from .test_acceptance_and_mapping import relay

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def waiting_order(storage, clock, market, store, channel_id: str = "W1"):
    order = make_order(store.id, channel_id, status="WaitingAcceptance", core_status=OrderStatus.awaiting_acceptance)
    market.put(order)
    async with storage() as u:
        await u.orders.save_many([OrderRecord(order=order, content_hash=b"h", modified_at=clock.now())])
        await u.commit()
    return order


async def test_a_decision_is_written_and_reported_as_its_structs(storage, clock, channel, market, store) -> None:
    order = await waiting_order(storage, clock, market, store)
    message = await decide_order(
        order.id, accept=False, reason="out of stock", uow=storage, clock=clock, acceptance_supported=True
    )
    assert payload_of(message, DecisionPayload) == DecisionPayload(accept=False, reason="out of stock", by="seller")

    market.faults.decide_lost_answer = 1  # applied, answer lost: the next attempt finds it on the channel
    await relay(storage, clock, channel)
    clock.advance(hours=1)
    assert (await relay(storage, clock, channel)).delivered == 1
    async with storage() as u:
        delivered = [a for a in await u.activity.list_for_order(order.id) if a.kind == "notification_delivered"]
    (record,) = delivered
    assert record.detail == {"decision": "refused", "found_on_channel": True, "message": message.id}


async def test_a_malformed_payload_is_dead_at_once_and_says_why(storage, clock, channel, market, store) -> None:
    order = await waiting_order(storage, clock, market, store)
    broken = OutboxMessage(
        id="m-broken",
        kind=OutboxKind.acceptance,
        store_id=store.id,
        subject_id=order.id,
        payload={"accept": "yes"},  # a string, and no ``by``
        available_at=clock.now(),
        created_at=clock.now(),
    )
    async with storage() as u:
        await u.outbox.add(broken)
        await u.commit()

    report = await relay(storage, clock, channel)

    assert (report.dead, report.retrying) == (1, 0)
    async with storage() as u:
        dead = await u.outbox.get("m-broken")
    assert dead is not None and dead.status == OutboxStatus.dead and dead.attempts == 1
    assert "malformed payload" in (dead.last_error or "") and "$.accept" in (dead.last_error or "")
    assert market.decisions == {}


def test_payload_of_names_the_message_and_the_field() -> None:
    message = OutboxMessage(
        id="m1",
        kind=OutboxKind.webhook,
        store_id="s",
        subject_id="hook",
        payload={"event_id": "e", "type": "order.created", "order_id": "o"},
        available_at=NOW,
        created_at=NOW,
    )
    with pytest.raises(MalformedMessage, match=r"m1 \(webhook\).*occurred_at") as caught:
        payload_of(message, WebhookPayload)
    assert not caught.value.retryable


def test_payloads_and_results_round_trip_through_plain_json_types() -> None:
    event = WebhookPayload(
        event_id="e", type=WebhookEvent.shipment_notified, occurred_at=NOW, order_id="o", detail={"shipment": "s"}
    )
    stored = to_payload(event)
    assert stored["occurred_at"] == "2026-11-02T09:00:00Z" and stored["type"] == "shipment.notified"
    message = OutboxMessage(
        id="m",
        kind=OutboxKind.webhook,
        store_id=None,
        subject_id="h",
        payload=stored,
        available_at=NOW,
        created_at=NOW,
    )
    assert payload_of(message, WebhookPayload) == event
    # Defaults are left out, so an ordinary result reads as before in the activity log.
    assert to_payload(DecisionResult(decision="accepted")) == {"decision": "accepted"}
    sent = ShipNotificationResult(sent={"tracking_number": "6A1"}, not_sent=("notes_to_buyer",))
    assert result_of(to_payload(sent), ShipNotificationResult) == sent
