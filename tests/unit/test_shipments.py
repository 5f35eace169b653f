"""confirm_shipment and the outbox relay: validated, atomic, delivered once, never duplicated."""

from __future__ import annotations

import random
from datetime import timedelta

import msgspec
import pytest

from portside.core.errors import Conflict, ValidationFailed
from portside.core.model import (
    ActivityKind,
    NotificationStatus,
    OrderStatus,
    OutboxKind,
    OutboxStatus,
    ShipmentLine,
    WebhookEvent,
)
from portside.core.ports import OrderRecord
from portside.core.services import (
    RelaySettings,
    ShipmentRequest,
    ShipNotificationHandler,
    confirm_shipment,
    dispatch_outbox,
    event_of,
    retry_notification,
)
from portside.testing.orders import make_order


class OneChannel:
    """ChannelProvider for a single fake channel (what the container does for real stores)."""

    def __init__(self, channel) -> None:
        self.channel = channel
        self.builds = 0

    async def for_store(self, store_id: str):
        self.builds += 1
        return self.channel.bundle()


@pytest.fixture
async def order(storage, market, store, clock):
    order = make_order(store.id, "SHIP1", lines=2, updated_at=clock.now() - timedelta(hours=1))
    market.put(order)
    async with storage() as u:
        await u.orders.save_many([OrderRecord(order=order, content_hash=b"x", modified_at=clock.now())])
        await u.commit()
    return order


def ship(storage, clock, channel, order_id, **fields):
    request = ShipmentRequest(**{"carrier": "colissimo", "tracking_number": "6A12345678901", **fields})
    return confirm_shipment(
        order_id, request, uow=storage, clock=clock, carriers=channel, capabilities=channel.capabilities
    )


def relay(storage, clock, channel, **settings):
    handlers = {OutboxKind.ship_notification: ShipNotificationHandler(uow=storage, channels=OneChannel(channel))}
    return dispatch_outbox(
        uow=storage,
        handlers=handlers,
        clock=clock,
        owner="relay-1",
        settings=RelaySettings(**settings),
        rng=random.Random(7),
    )


async def test_shipment_order_status_and_outbox_row_are_written_together(storage, clock, channel, order) -> None:
    shipment = await ship(storage, clock, channel, order.id, notes_to_buyer="Merci !")

    async with storage() as u:
        record = await u.orders.get(order.id)
        (message,) = await u.outbox.find()
        assert await u.shipments.get(shipment.id) == shipment
    assert record.order.status == OrderStatus.shipped
    assert message.kind == OutboxKind.ship_notification and message.subject_id == shipment.id
    assert message.payload == {"carrier_name": "Colissimo"}
    assert [line.channel_line_id for line in shipment.lines] == ["1", "2"]


async def test_unknown_carrier_is_refused_with_the_accepted_names(storage, clock, channel, order) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await ship(storage, clock, channel, order.id, carrier="Pigeon Voyageur")
    assert "Colissimo" in refused.value.problems["carrier"] and "Mondial Relay" in refused.value.problems["carrier"]
    async with storage() as u:
        assert await u.outbox.find() == [] and await u.shipments.list_for_order(order.id) == []


async def test_partial_shipment_is_refused_where_the_channel_refuses_it(storage, clock, channel, order) -> None:
    with pytest.raises(ValidationFailed, match="whole order"):
        await ship(storage, clock, channel, order.id, lines=(ShipmentLine(channel_line_id="1", quantity=1),))


async def test_tracking_limits_are_checked_before_anything_is_stored(storage, clock, channel, order) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await ship(storage, clock, channel, order.id, tracking_number="X" * 51, tracking_url="ftp://nope")
    assert set(refused.value.problems) == {"tracking_number", "tracking_url"}


async def test_a_cancelled_order_cannot_ship(storage, clock, channel, order) -> None:
    async with storage() as u:
        record = await u.orders.get(order.id)
        cancelled = msgspec.structs.replace(record.order, status=OrderStatus.cancelled)
        await u.orders.save_many([msgspec.structs.replace(record, order=cancelled)])
        await u.commit()
    with pytest.raises(Conflict, match="cancelled"):
        await ship(storage, clock, channel, order.id)


async def test_the_relay_delivers_once_and_records_what_was_sent(storage, clock, channel, market, order) -> None:
    shipment = await ship(storage, clock, channel, order.id, notes_to_buyer="Merci !")

    report = await relay(storage, clock, channel)
    again = await relay(storage, clock, channel)

    assert (report.claimed, report.delivered, again.claimed) == (1, 1, 0)
    assert market.parcels["SHIP1"] == [{"parcelNumber": "6A12345678901", "carrierName": "Colissimo"}]
    async with storage() as u:
        stored = await u.shipments.get(shipment.id)
        (message,) = await u.outbox.find()
    assert stored.notification.status == NotificationStatus.delivered
    assert stored.notification.sent == {"parcelNumber": "6A12345678901", "carrierName": "Colissimo"}
    assert stored.notification.not_sent == ("notes_to_buyer",)  # kept and reported, never dropped silently
    assert message.status == OutboxStatus.delivered


async def test_a_rate_limited_notification_backs_off_then_succeeds(storage, clock, channel, market, order) -> None:
    await ship(storage, clock, channel, order.id)
    market.faults.notify_unavailable = 1

    first = await relay(storage, clock, channel)
    early = await relay(storage, clock, channel)
    clock.advance(seconds=11)
    later = await relay(storage, clock, channel)

    assert (first.retrying, early.claimed, later.delivered) == (1, 0, 1)
    assert len(market.parcels["SHIP1"]) == 1


async def test_an_ambiguous_send_is_checked_on_the_channel_before_any_resend(
    storage, clock, channel, market, order
) -> None:
    shipment = await ship(storage, clock, channel, order.id)
    market.faults.notify_lost_answer = 1  # the marketplace applies it, but the answer is lost

    first = await relay(storage, clock, channel)
    async with storage() as u:
        (message,) = await u.outbox.find()
    assert first.retrying == 1 and message.outcome_unknown
    clock.advance(hours=1)
    second = await relay(storage, clock, channel)

    assert second.delivered == 1
    assert len(market.parcels["SHIP1"]) == 1  # never a duplicate
    async with storage() as u:
        stored = await u.shipments.get(shipment.id)
    assert stored.notification.status == NotificationStatus.delivered and stored.notification.attempts == 2


async def test_a_relay_that_died_mid_send_leaves_the_outcome_to_be_checked(
    storage, clock, channel, market, order
) -> None:
    await ship(storage, clock, channel, order.id)
    async with storage() as u:  # a relay claims the message, sends it, and dies before recording anything
        (_claimed,) = await u.outbox.claim(owner="dead-relay", now=clock.now(), lease_s=60, limit=10)
        await u.commit()
    await channel.notify(order, (await _shipments(storage, order.id))[0])

    assert (await relay(storage, clock, channel)).claimed == 0  # its lease still holds
    clock.advance(seconds=61)
    report = await relay(storage, clock, channel)

    assert report.delivered == 1 and len(market.parcels["SHIP1"]) == 1


async def test_a_refusal_is_dead_at_once_and_retry_by_hand_succeeds(storage, clock, channel, market, order) -> None:
    shipment = await ship(storage, clock, channel, order.id)
    market.faults.notify_reject = "unknown carrier"

    report = await relay(storage, clock, channel)

    async with storage() as u:
        (message,) = await u.outbox.find()
        stored = await u.shipments.get(shipment.id)
    assert report.dead == 1 and message.status == OutboxStatus.dead
    assert stored.notification.status == NotificationStatus.dead and "unknown carrier" in stored.notification.last_error

    market.faults.notify_reject = None
    retried = await retry_notification("acct-1", shipment.id, uow=storage, clock=clock)
    assert retried.notification.status == NotificationStatus.pending
    assert (await relay(storage, clock, channel)).delivered == 1
    async with storage() as u:
        assert (await u.shipments.get(shipment.id)).notification.status == NotificationStatus.delivered
    with pytest.raises(Conflict, match="only a dead notification"):
        await retry_notification("acct-1", shipment.id, uow=storage, clock=clock)


async def test_retryable_failures_go_dead_after_the_budget(storage, clock, channel, market, order) -> None:
    await ship(storage, clock, channel, order.id)
    market.faults.notify_unavailable = 100
    for _ in range(3):
        await relay(storage, clock, channel, max_attempts=3)
        clock.advance(hours=2)
    async with storage() as u:
        (message,) = await u.outbox.find()
    assert message.status == OutboxStatus.dead and message.attempts == 3


async def _shipments(storage, order_id):
    async with storage() as u:
        return await u.shipments.list_for_order(order_id)


async def test_a_shipment_the_channel_would_refuse_is_not_stored(storage, clock, channel, market, order) -> None:
    market.faults.preflight_reject = "a tracking URL is required for this carrier"
    with pytest.raises(ValidationFailed) as refused:
        await confirm_shipment(
            order.id,
            ShipmentRequest(carrier="colissimo", tracking_number="6A1"),
            uow=storage,
            clock=clock,
            carriers=channel,
            capabilities=channel.capabilities,
            notifier=channel,
        )
    assert refused.value.problems == {"tracking_url": "a tracking URL is required for this carrier"}
    async with storage() as u:
        assert await u.shipments.list_for_order(order.id) == [] and await u.outbox.find() == []


async def test_an_order_shipped_on_the_marketplace_cannot_ship_again(storage, clock, channel, order) -> None:
    async with storage() as u:
        record = await u.orders.get(order.id)
        elsewhere = msgspec.structs.replace(record.order, status=OrderStatus.shipped, channel_status="Shipped")
        await u.orders.save_many([msgspec.structs.replace(record, order=elsewhere)])
        await u.commit()
    with pytest.raises(Conflict, match=r"already shipped on fake .*not through portside"):
        await ship(storage, clock, channel, order.id)
    async with storage() as u:
        assert await u.outbox.find() == [] and await u.shipments.list_for_order(order.id) == []
        assert await u.activity.list_for_order(order.id) == []


async def test_an_order_portside_shipped_names_its_tracking_when_shipped_again(storage, clock, channel, order) -> None:
    await ship(storage, clock, channel, order.id)
    with pytest.raises(Conflict, match=r"already shipped \(tracking 6A12345678901\)"):
        await ship(storage, clock, channel, order.id, tracking_number="6A00000000000")
    async with storage() as u:
        assert len(await u.shipments.list_for_order(order.id)) == 1 and len(await u.outbox.find()) == 1


async def test_an_order_whose_notification_died_points_to_its_retry(storage, clock, channel, order) -> None:
    first = await ship(storage, clock, channel, order.id)
    async with storage() as u:
        dead = msgspec.structs.replace(
            first.notification, status=NotificationStatus.dead, last_error="carrier 'Pigeon' refused by fake"
        )
        await u.shipments.update(msgspec.structs.replace(first, notification=dead))
        await u.commit()
    with pytest.raises(Conflict) as refused:
        await ship(storage, clock, channel, order.id, tracking_number="6A00000000000")
    said = str(refused.value)
    assert f"POST /v1/shipments/{first.id}/retry" in said and "carrier 'Pigeon' refused by fake" in said
    async with storage() as u:
        assert len(await u.shipments.list_for_order(order.id)) == 1


async def test_a_refused_carrier_names_the_marketplace_and_what_it_lists(storage, clock, channel, order) -> None:
    named = msgspec.structs.replace(channel.capabilities, marketplace="Fake Market")
    for carrier, expected in (
        ("pigeon", "'pigeon' is not accepted by Fake Market; accepted: Colissimo, Mondial Relay, Chronopost"),
        ("  ", "required"),
    ):
        request = ShipmentRequest(carrier=carrier, tracking_number="6A12345678901")
        with pytest.raises(ValidationFailed) as refused:
            await confirm_shipment(order.id, request, uow=storage, clock=clock, carriers=channel, capabilities=named)
        assert refused.value.problems["carrier"].startswith(expected)


async def test_a_shipment_that_ships_the_order_records_its_status_change_as_an_event(
    storage, clock, channel, order
) -> None:
    shipment = await ship(storage, clock, channel, order.id)
    async with storage() as u:
        records = await u.activity.list_for_order(order.id)
    by_kind = {r.kind: r for r in records}
    assert set(by_kind) == {ActivityKind.shipment_confirmed, ActivityKind.status_changed}
    changed = by_kind[ActivityKind.status_changed]
    assert changed.detail == {"from": "awaiting_shipment", "to": "shipped", "by": "shipment"}
    assert event_of(changed) == WebhookEvent.order_status_changed  # what subscribers receive
    assert by_kind[ActivityKind.shipment_confirmed].detail["shipment"] == shipment.id


async def test_a_partial_shipment_leaves_the_status_and_records_no_change(storage, clock, channel, order) -> None:
    partial = msgspec.structs.replace(channel.capabilities, partial_shipments=True)
    request = ShipmentRequest(
        carrier="colissimo", tracking_number="6A1", lines=(ShipmentLine(channel_line_id="1", quantity=1),)
    )
    await confirm_shipment(order.id, request, uow=storage, clock=clock, carriers=channel, capabilities=partial)
    async with storage() as u:
        kinds = [r.kind for r in await u.activity.list_for_order(order.id)]
        assert (await u.orders.get(order.id)).order.status == OrderStatus.awaiting_shipment
    assert kinds == [ActivityKind.shipment_confirmed]
