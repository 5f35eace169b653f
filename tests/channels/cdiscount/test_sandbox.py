"""The plugin's ports against the Octopia sandbox over real HTTP: syncs, shipments, decisions, every fault."""

from __future__ import annotations

from collections import Counter
from typing import Any

import msgspec
import pytest

from portside.core.errors import ChannelAuthFailed, ChannelRejected, ChannelUnavailable, OutcomeUnknown
from portside.core.model import DeliveryKind, OrderStatus, PickupCarrier, Shipment
from portside.core.ports import NotificationLookup
from portside.testing.channel_contract import contract_shipment

from .sandbox_harness import NOW, SINCE, Harness, expected_skips


def shipment_for(order: Any, carrier: str = "colissimo", tracking: str = "6A12345678901", **kw: Any) -> Shipment:
    return msgspec.structs.replace(contract_shipment(order, carrier, tracking_number=tracking), **kw)


def assert_complete(h: Harness, orders: list[Any], failures: list[Any], skipped: list[Any]) -> None:
    """Every stored order came back exactly once, as an order, a skip or a failure."""
    seen = [o.channel_order_id for o in orders] + [s.channel_order_id for s in skipped]
    seen += [f.channel_order_id for f in failures]
    duplicates = [cid for cid, n in Counter(seen).items() if n > 1]
    assert not duplicates, f"returned twice: {duplicates}"
    assert set(seen) == {o["orderId"] for o in h.stored()}


async def test_a_sync_returns_every_order_once(harness) -> None:
    h: Harness = harness(page_size=20)
    orders, failures, skipped, cursors = await h.sync()
    assert_complete(h, orders, failures, skipped)
    assert failures == []
    assert {s.channel_order_id for s in skipped} == expected_skips(h.stored())
    assert max(c for c in cursors if c) == max(o.updated_at for o in orders)
    assert h.stats()["tokens"]["issued"] == 1  # one token for the whole sync


async def test_orders_carry_statuses_pickup_points_and_money(harness) -> None:
    h: Harness = harness()
    orders, _, _, _ = await h.sync()
    by_id = {o.channel_order_id: o for o in orders}
    for wire in h.stored():
        order = by_id.get(wire["orderId"])
        if order is None:
            continue
        assert order.status == h.default_status_mapping[wire["status"]]
        totals = order.totals
        # Refused, rejected and cancelled orders too: their closed lines count in no total, grand total
        # included. The sandbox leaves service fees out of totalPrice (whether Octopia does is unknown, §8.4).
        assert totals.items + totals.shipping - totals.discounts == totals.grand_total, wire["orderId"]
    relay = [o for o in orders if o.delivery and o.delivery.kind == DeliveryKind.pickup and o.shipping_address]
    assert relay, "the seeded data holds relay orders"
    for order in relay:
        point = order.pickup_point
        assert point is not None and point.name and point.address and point.address.city
        if point.carrier in (PickupCarrier.mondial_relay, PickupCarrier.colissimo):
            assert len(point.point_id) == 6 and point.point_id.isdigit()
        assert order.shipping_address is not None and order.shipping_address.name != point.name
    assert any(o.discounts for o in orders) and any(o.fees for o in orders)
    assert any(line.options for o in orders for line in o.lines)


@pytest.mark.parametrize(
    ("knob", "setting"),
    [
        ("rate_limit", {"count": 3, "retry_after_s": 1}),
        ("server_error", {"count": 3}),
        ("expire_tokens_early", {"count": 1}),
        ("slow", {"count": 2, "delay_s": 0.8}),
    ],
)
async def test_transport_faults_lose_nothing_and_duplicate_nothing(harness, knob: str, setting: dict) -> None:
    h: Harness = harness(page_size=25, timeout_s=0.4)
    await h.set_faults(**{knob: setting})
    orders, failures, skipped, _ = await h.sync()
    assert_complete(h, orders, failures, skipped)
    assert h.fired(knob) == setting["count"]
    if knob == "rate_limit":
        assert h.sleeps.count(1.0) == 3  # Retry-After honoured
    if knob == "expire_tokens_early":
        assert h.stats()["tokens"]["issued"] == 2  # one, then one refresh after the early expiry


async def test_a_malformed_order_is_quarantined_and_the_rest_imported(harness) -> None:
    h: Harness = harness(page_size=30)
    await h.set_faults(malformed_order={"count": 3})
    orders, failures, skipped, _ = await h.sync()
    assert_complete(h, orders, failures, skipped)
    malformed = h.sandbox.state.faults.malformed
    assert len(malformed) == 3
    assert {f.channel_order_id for f in failures} == set(malformed)
    for failure in failures:
        assert failure.raw.startswith(b"{") and failure.channel_order_id.encode() in failure.raw
        assert failure.error


async def test_an_order_updated_while_paging_is_not_lost(harness) -> None:
    h: Harness = harness(page_size=20)
    await h.set_faults(update_while_paging={"count": 3})
    orders, failures, skipped, _ = await h.sync()
    assert h.fired("update_while_paging") == 3
    # Sorted by createdAt, a bumped order keeps its place: no page boundary slides over another.
    assert_complete(h, orders, failures, skipped)


async def test_sorting_by_update_time_would_lose_an_order_updated_while_paging(harness) -> None:
    """Why ``sort`` defaults to ``createdAt``: the sandbox's offset paging, sorted by ``updatedAt``,
    slides an order across a page boundary when an earlier one is bumped (pain points #2, #5)."""
    h: Harness = harness(page_size=20, sort="updatedAt")
    await h.set_faults(update_while_paging={"count": 1})
    orders, failures, skipped, _ = await h.sync()
    seen = {o.channel_order_id for o in orders} | {s.channel_order_id for s in skipped}
    seen |= {f.channel_order_id for f in failures}
    assert {o["orderId"] for o in h.stored()} - seen, "expected the updatedAt sort to miss an order"


async def test_a_later_sync_sees_changes_made_on_the_marketplace(harness) -> None:
    h: Harness = harness()
    _, _, _, cursors = await h.sync()
    cursor = max(c for c in cursors if c)
    wire = h.wire_order("InPreparation")
    h.sandbox.state.store.set_status(wire, "Cancelled")
    later, _, _, _ = await h.sync(cursor)
    changed = [o for o in later if o.channel_order_id == wire["orderId"]]
    assert changed and changed[0].status == OrderStatus.cancelled


async def test_a_shipment_reaches_cdiscount_once(harness) -> None:
    h: Harness = harness()
    order = await h.bundle.source.fetch_order(h.wire_order("InPreparation")["orderId"])
    shipment = shipment_for(order, notes_to_buyer="Merci !", service="DOM")
    assert await h.bundle.notifier.find_notification(order, shipment) == NotificationLookup.absent
    receipt = await h.bundle.notifier.notify(order, shipment)
    assert receipt.sent == {
        "parcelNumber": "6A12345678901",
        "carrierName": "Colissimo",
        "trackingUrl": "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
    }
    assert receipt.not_sent == ("notes_to_buyer", "service")
    assert await h.bundle.notifier.find_notification(order, shipment) == NotificationLookup.found
    # Sent again regardless (the relay looks first when an answer was lost): Octopia refuses the
    # second parcel, the order read back has ours, so it is a success and the buyer has one parcel.
    again = await h.bundle.notifier.notify(order, shipment)
    assert again.sent == receipt.sent
    stats = h.stats()
    assert stats["shipment_posts"] == {order.channel_order_id: 2}
    assert stats["parcels"][order.channel_order_id] == 1
    assert h.sandbox.state.store.get(order.channel_order_id)["status"] == "Shipped"


async def test_a_relay_order_ships_with_its_network(harness) -> None:
    h: Harness = harness()
    wire = h.wire_order("InPreparation", pickup="REL|MondialRelayPickupDelivery")
    order = await h.bundle.source.fetch_order(wire["orderId"])
    assert order.pickup_point is not None and order.pickup_point.carrier == PickupCarrier.mondial_relay
    receipt = await h.bundle.notifier.notify(order, shipment_for(order, "mondial_relay", "12345678"))
    assert receipt.sent["carrierName"] == "Mondial Relay"  # trimmed: the referential has "Mondial Relay "


async def test_an_ambiguous_shipment_is_resolved_without_a_second_post(harness) -> None:
    h: Harness = harness()
    await h.set_faults(shipment_timeout_after_apply={"count": 1, "status": 504})
    order = await h.bundle.source.fetch_order(h.wire_order("InPreparation")["orderId"])
    shipment = shipment_for(order)
    with pytest.raises(OutcomeUnknown):
        await h.bundle.notifier.notify(order, shipment)
    # What the outbox relay does next: ask before sending again.
    assert await h.bundle.notifier.find_notification(order, shipment) == NotificationLookup.found
    assert h.stats()["shipment_posts"] == {order.channel_order_id: 1}


async def test_a_shipment_timing_out_on_the_client_is_ambiguous_too(harness) -> None:
    h: Harness = harness(timeout_s=0.3)
    await h.set_faults(shipment_timeout_after_apply={"count": 1, "stall_s": 0.6})
    order = await h.bundle.source.fetch_order(h.wire_order("InPreparation")["orderId"])
    with pytest.raises(OutcomeUnknown):
        await h.bundle.notifier.notify(order, shipment_for(order))
    assert await h.bundle.notifier.find_notification(order, shipment_for(order)) == NotificationLookup.found
    assert h.stats()["shipment_posts"] == {order.channel_order_id: 1}


async def test_bad_shipments_are_refused_before_anything_is_sent(harness) -> None:
    h: Harness = harness()
    order = await h.bundle.source.fetch_order(h.wire_order("InPreparation")["orderId"])
    with pytest.raises(ChannelRejected) as unknown:
        await h.bundle.notifier.notify(order, shipment_for(order, carrier="Pigeon Voyageur"))
    assert "carrier" in unknown.value.field_errors and "Colissimo" in unknown.value.field_errors["carrier"][0]
    with pytest.raises(ChannelRejected) as too_long:
        await h.bundle.notifier.notify(order, shipment_for(order, tracking="X" * 51))
    assert list(too_long.value.field_errors) == ["tracking_number"]
    with pytest.raises(ChannelRejected) as long_url:
        await h.bundle.notifier.notify(order, shipment_for(order, tracking_url="https://t.example/" + "x" * 250))
    assert list(long_url.value.field_errors) == ["tracking_url"]
    assert h.stats()["shipment_posts"] == {}


async def test_an_order_not_yet_released_is_retried_later_and_a_cancelled_one_refused(harness) -> None:
    h: Harness = harness()
    waiting = await h.bundle.source.fetch_order(h.wire_order("Accepted")["orderId"])
    with pytest.raises(ChannelUnavailable) as not_yet:
        await h.bundle.notifier.notify(waiting, shipment_for(waiting))
    assert not_yet.value.retryable and not_yet.value.retry_after
    cancelled = await h.bundle.source.fetch_order(h.wire_order("Cancelled")["orderId"])
    with pytest.raises(ChannelRejected, match="Cancelled"):
        await h.bundle.notifier.notify(cancelled, shipment_for(cancelled))
    # Each was posted once, refused by Octopia, and read back to say why; no parcel landed.
    stats = h.stats()
    assert stats["shipment_posts"] == {waiting.channel_order_id: 1, cancelled.channel_order_id: 1}
    assert waiting.channel_order_id not in stats["parcels"] and cancelled.channel_order_id not in stats["parcels"]


async def test_accepting_and_refusing_orders(harness) -> None:
    h: Harness = harness()
    acknowledger = h.bundle.acknowledger
    assert acknowledger is not None
    to_accept, to_refuse = [w for w in h.stored() if w["status"] == "WaitingAcceptance"][:2]
    accept = await h.bundle.source.fetch_order(to_accept["orderId"])
    refuse = await h.bundle.source.fetch_order(to_refuse["orderId"])
    assert await acknowledger.find_decision(accept) is None
    await acknowledger.accept(accept)
    await acknowledger.refuse(refuse, "out of stock")
    assert to_accept["status"] == "InPreparation" and to_refuse["status"] == "Refused"
    assert await acknowledger.find_decision(accept) is True
    assert await acknowledger.find_decision(refuse) is False
    await acknowledger.accept(accept)  # a retry after a lost answer: already accepted, no error
    with pytest.raises(ChannelRejected):
        await acknowledger.accept(refuse)  # refused already: accepting it now is a real refusal


async def test_verify_accepts_good_credentials(harness) -> None:
    await harness().bundle.verifier.verify()


async def test_verify_explains_a_wrong_secret_without_echoing_it(harness) -> None:
    h: Harness = harness(
        credentials={"client_id": "sandbox-client", "client_secret": "wrong-Secret-9876", "seller_id": "123456"}
    )
    with pytest.raises(ChannelAuthFailed) as caught:
        await h.bundle.verifier.verify()
    assert "Octopia rejected the client id/secret" in str(caught.value)
    assert "wrong-Secret-9876" not in str(caught.value)


async def test_verify_explains_a_wrong_seller_id(harness) -> None:
    h: Harness = harness(
        credentials={"client_id": "sandbox-client", "client_secret": "sandbox-secret", "seller_id": "999999"}
    )
    with pytest.raises(ChannelAuthFailed, match="seller id"):
        await h.bundle.verifier.verify()


async def test_the_carrier_list_is_fetched_once_a_day(harness) -> None:
    h: Harness = harness()
    accepted = await h.bundle.carriers.accepted_carriers()
    assert "Mondial Relay" in accepted and "Colis Privé" in accepted
    assert await h.bundle.carriers.resolve("colis_prive") == "Colis Privé"
    await h.bundle.carriers.accepted_carriers()
    assert h.stats()["calls"]["carriers"] == 1


@pytest.mark.parametrize("octopia", [{"orders": 40}], indirect=True)
async def test_a_store_sync_through_the_core_imports_every_order_once(harness) -> None:
    """The whole import use case over the plugin, with faults on: nothing lost, nothing twice."""
    from portside.adapters.memory import MemoryStorage
    from portside.core.services import ImportSettings, import_orders
    from portside.testing.clock import FixedClock

    h: Harness = harness(page_size=7)
    await h.set_faults(
        rate_limit={"count": 2, "retry_after_s": 1},
        server_error={"count": 2},
        expire_tokens_early={"count": 1},
        malformed_order={"count": 2},
        update_while_paging={"count": 2},
    )
    storage = MemoryStorage()
    settings = ImportSettings(look_back=NOW - SINCE)
    kwargs: dict[str, Any] = {"source": h.bundle.source, "uow": storage, "clock": FixedClock(NOW), "owner": "t"}

    async def sync_until_done() -> Any:
        # As the scheduler does: a sync that fails on a fault runs again; the cursor has not moved.
        for _ in range(5):
            try:
                return await import_orders(
                    h.store, status_defaults=h.default_status_mapping, settings=settings, **kwargs
                )
            except ChannelUnavailable:
                continue
        raise AssertionError("the sync never completed")

    first = await sync_until_done()
    second = await sync_until_done()  # the overlap re-reads the last hour: nothing is stored twice
    async with storage() as u:
        stored = await u.orders.get_by_channel_ids(h.store.id, [o["orderId"] for o in h.stored()])
    malformed = set(h.sandbox.state.faults.malformed)
    assert len(malformed) == 2
    assert set(stored) == {o["orderId"] for o in h.stored()} - malformed - expected_skips(h.stored())
    assert first.new == len(stored) and first.quarantined == len(malformed)
    assert second.new == 0
    async with storage() as u:
        quarantined = await u.quarantine.find(h.store.id)
    assert {q.channel_order_id for q in quarantined} == malformed
