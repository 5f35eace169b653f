"""The plugin against the sandbox over real HTTP: every flow, every fault knob, nothing lost or sent twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from portside.adapters.carriers.seed_points import point_by_id
from portside.channels.mirakl import plugin
from portside.core.errors import ChannelAuthFailed, ChannelRejected, OutcomeUnknown
from portside.core.model import OrderStatus, PickupCarrier
from portside.core.ports import NotificationLookup

from .harness import NOW, Harness, make_store, shipment_for


def accounted(harness: Harness, orders: list, failures: list) -> None:
    """Every order the marketplace holds came back exactly once, mapped or quarantined."""
    seen = [o.channel_order_id for o in orders] + [f.channel_order_id for f in failures]
    assert len(seen) == len(set(seen)), Counter(seen).most_common(3)
    assert set(seen) == {o["order_id"] for o in harness.stored()}


async def test_a_healthy_sync_reads_every_order_once(lm: Harness) -> None:
    orders, failures, cursors = await lm.sync()
    accounted(lm, orders, failures)
    assert not failures and len(cursors) == 1  # 60 orders fit one page of 100
    paged = Harness(lm.sandbox, lm.http.session, page_size=7)
    orders, failures, cursors = await paged.sync()
    accounted(paged, orders, failures)
    assert len(cursors) == 9 and lm.stats()["calls"]["orders.list"] == 10


async def test_rate_limits_and_5xx_are_ridden_out_on_reads(lm: Harness) -> None:
    lm.set_faults(rate_limit={"count": 2, "retry_after_s": 3}, server_error={"count": 1, "statuses": [502]})
    orders, failures, _ = await lm.sync()
    accounted(lm, orders, failures)
    assert lm.sleeps.count(3.0) == 2 and len(lm.sleeps) == 3


async def test_a_slow_answer_times_out_and_the_read_is_retried(lm: Harness, harness_for) -> None:
    quick = harness_for(lm.sandbox, timeout_s=0.3)
    lm.set_faults(slow={"count": 1, "delay_s": 1.0})
    orders, failures, _ = await quick.sync()
    accounted(quick, orders, failures)
    assert lm.sandbox.state.faults.fired["slow"] == 1


async def test_a_malformed_order_is_quarantined_and_the_rest_imported(lm: Harness, harness_for) -> None:
    paged = harness_for(lm.sandbox, page_size=10)
    lm.set_faults(malformed_order={"count": 2})
    orders, failures, cursors = await paged.sync()
    accounted(paged, orders, failures)
    assert {f.channel_order_id for f in failures} == set(lm.sandbox.state.faults.malformed)
    assert all(f.raw and f.error for f in failures)
    newest = max(o["last_updated_date"] for o in lm.stored())
    assert max(c for c in cursors if c).strftime("%Y-%m-%dT%H:%M:%SZ") == newest


async def test_an_order_updated_while_paging_is_read_again_by_the_next_sync(lm: Harness, harness_for) -> None:
    paged = harness_for(lm.sandbox, page_size=10)
    lm.set_faults(update_while_paging={"count": 3})
    orders, failures, cursors = await paged.sync()
    accounted(paged, orders, failures)
    moved = set(lm.sandbox.state.stats.moved_while_paging)
    assert len(moved) >= 1
    cursor = max(c for c in cursors if c)
    again, _, _ = await paged.sync(cursor - timedelta(hours=1))  # the core's overlap
    latest = {o.channel_order_id: o.updated_at for o in again}
    for order_id in moved:
        stored = lm.sandbox.state.store.get(order_id) or {}
        assert latest[order_id].strftime("%Y-%m-%dT%H:%M:%SZ") == stored["last_updated_date"]


async def test_the_widened_window_is_cut_back_to_what_was_asked(lm: Harness) -> None:
    lm.stored()[0]["last_updated_date"] = "2030-01-01T11:58:00Z"
    orders, _, _ = await lm.sync(NOW.replace(year=2030, month=1, day=1))
    assert orders == []  # Mirakl sent it (2 minutes inside its delta); it is older than asked
    assert lm.stats()["calls"]["orders.list"] == 1


async def test_relay_orders_carry_points_from_the_carrier_seed(lm: Harness) -> None:
    orders, _, _ = await lm.sync()
    relay = [o for o in orders if o.pickup_point is not None]
    assert relay
    for order in relay:
        point = order.pickup_point
        assert point.carrier == PickupCarrier.colissimo
        assert point_by_id("colissimo", point.point_id) is not None
        assert order.delivery.code == "RELAY_DELIVERY__STD"


@pytest.mark.parametrize(("profile", "carrier"), [("go_sport", "mondial_relay"), ("rue_du_commerce", "mondial_relay")])
async def test_mondial_relay_marketplaces(sandboxes, harness_for, profile, carrier) -> None:
    harness = harness_for(await sandboxes(profile=profile, orders=60))
    orders, failures, _ = await harness.sync()
    relay = [o for o in orders if o.pickup_point is not None]
    assert relay and not failures
    assert all(o.pickup_point.carrier == carrier and point_by_id(carrier, o.pickup_point.point_id) for o in relay)
    assert all(len(o.pickup_point.point_id) == 6 for o in relay)  # zero-padded


async def test_galeries_lafayette_point_types(sandboxes, harness_for) -> None:
    harness = harness_for(await sandboxes(profile="galeries_lafayette", orders=60))
    orders, _, _ = await harness.sync()
    types = {o.pickup_point.point_type for o in orders if o.pickup_point}
    assert types and types <= {"A2P", "BPR", "PCS", "CMT", "BDP"}


async def test_accept_then_addresses_arrive(lm: Harness) -> None:
    waiting = await lm.bundle.source.fetch_order(lm.wire_order("WAITING_ACCEPTANCE")["order_id"])
    assert waiting.shipping_address is None and waiting.status == OrderStatus.awaiting_acceptance
    assert await lm.bundle.acknowledger.find_decision(waiting) is None
    await lm.bundle.acknowledger.accept(waiting)
    await lm.bundle.acknowledger.accept(waiting)  # a repeat finds the decision and sends nothing
    assert lm.received("orders.accept", waiting.channel_order_id) == 1
    assert await lm.bundle.acknowledger.find_decision(waiting) is True
    accepted = await lm.bundle.source.fetch_order(waiting.channel_order_id)
    assert accepted.status == OrderStatus.awaiting_shipment and accepted.shipping_address is not None


async def test_refuse(lm: Harness) -> None:
    waiting = await lm.bundle.source.fetch_order(lm.wire_order("WAITING_ACCEPTANCE")["order_id"])
    await lm.bundle.acknowledger.refuse(waiting, "out of stock")
    assert await lm.bundle.acknowledger.find_decision(waiting) is False
    with pytest.raises(ChannelRejected, match="cannot be accepted"):
        await lm.bundle.acknowledger.accept(waiting)


async def test_an_acceptance_whose_answer_is_lost_is_found_not_resent(lm: Harness) -> None:
    waiting = await lm.bundle.source.fetch_order(lm.wire_order("WAITING_ACCEPTANCE")["order_id"])
    lm.set_faults(error_after_apply={"count": 1, "only": ["orders.accept"]})
    with pytest.raises(OutcomeUnknown):
        await lm.bundle.acknowledger.accept(waiting)
    assert await lm.bundle.acknowledger.find_decision(waiting) is True
    assert lm.applied("orders.accept", waiting.channel_order_id) == 1


async def test_ship_through_the_shipments_api(lm: Harness) -> None:
    order = await lm.order_ready_to_ship()
    shipment = shipment_for(order, "colissimo")
    assert await lm.bundle.notifier.find_notification(order, shipment) == NotificationLookup.absent
    receipt = await lm.bundle.notifier.notify(order, shipment)
    assert receipt.sent["via"] == "ST01"
    assert await lm.bundle.notifier.find_notification(order, shipment) == NotificationLookup.found
    await lm.bundle.notifier.notify(order, shipment)  # a repeat: already there, nothing sent
    assert lm.received("shipments.create", order.channel_order_id) == 1


async def test_ship_through_or23_and_or24_when_the_shipments_api_is_off(sandboxes, harness_for) -> None:
    harness = harness_for(await sandboxes(profile="leroy_merlin", shipments_api=False))
    order = await harness.order_ready_to_ship()
    shipment = shipment_for(order, "chronopost")
    receipt = await harness.bundle.notifier.notify(order, shipment)
    assert receipt.sent == {
        "carrier_code": "CHRONOPOST",
        "tracking_number": shipment.tracking_number,
        "via": "OR23+OR24",
    }
    assert await harness.bundle.notifier.find_notification(order, shipment) == NotificationLookup.found
    for endpoint in ("orders.tracking", "orders.ship"):
        assert harness.applied(endpoint, order.channel_order_id) == 1
    second = await harness.order_ready_to_ship()
    await harness.bundle.notifier.notify(second, shipment_for(second, "colissimo"))
    assert harness.stats()["calls"]["shipments.create"] == 1  # the 404 is remembered


async def test_a_ship_whose_answer_is_lost_is_found_and_never_sent_twice(sandboxes, harness_for) -> None:
    harness = harness_for(await sandboxes(profile="leroy_merlin", shipments_api=False))
    harness.set_faults(error_after_apply={"count": 1, "only": ["orders.ship"]})
    order = await harness.order_ready_to_ship()
    shipment = shipment_for(order, "colissimo")
    with pytest.raises(OutcomeUnknown):
        await harness.bundle.notifier.notify(order, shipment)
    assert await harness.bundle.notifier.find_notification(order, shipment) == NotificationLookup.found
    await harness.bundle.notifier.notify(order, shipment)
    assert harness.received("orders.ship", order.channel_order_id) == 1


async def test_a_lost_st01_answer_is_found_through_the_shipments_list(lm: Harness) -> None:
    lm.set_faults(error_after_apply={"count": 1, "only": ["shipments.create"]})
    order = await lm.order_ready_to_ship()
    with pytest.raises(OutcomeUnknown):
        await lm.bundle.notifier.notify(order, shipment_for(order, "gls"))
    assert await lm.bundle.notifier.find_notification(order, shipment_for(order, "gls")) == NotificationLookup.found
    assert lm.applied("shipments.create", order.channel_order_id) == 1


async def test_an_unvetted_carrier_without_a_url_is_refused_before_sending(lm: Harness) -> None:
    order = await lm.order_ready_to_ship()
    with pytest.raises(ChannelRejected) as caught:
        await lm.bundle.notifier.notify(order, shipment_for(order, "agediss"))
    assert "tracking_url" in caught.value.field_errors
    assert lm.received("shipments.create", order.channel_order_id) == 0
    receipt = await lm.bundle.notifier.notify(
        order, shipment_for(order, "agediss", tracking_url="https://agediss.test/T")
    )
    assert receipt.sent["carrier_name"] == "Agediss" and receipt.sent["carrier_url"] == "https://agediss.test/T"


async def test_verify(lm: Harness) -> None:
    await lm.bundle.verifier.verify()
    key, url = lm.sandbox.config.api_key, lm.sandbox.url
    for credentials, settings, match in (
        ({"api_key": "wrong"}, {"base_url": url}, "User settings › API key"),
        ({"api_key": key}, {"base_url": url, "shop_id": "999"}, "access to shop 999"),
        ({"api_key": key}, {"base_url": url + "/elsewhere"}, "check the store's base URL"),
    ):
        bundle = plugin.build(make_store("bad", credentials=credentials, **settings), lm.deps)
        with pytest.raises(ChannelAuthFailed, match=match):
            await bundle.verifier.verify()
