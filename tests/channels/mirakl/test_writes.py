"""Notifications and decisions with aioresponses: ST01, its 404 fallback to OR23 + OR24, carriers, acceptance."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest

from portside.channels.mirakl.mapping import MappingContext, map_order
from portside.channels.mirakl.profiles import load_profile
from portside.channels.mirakl.schemas import WireOrder, decoder
from portside.core.errors import ChannelRejected, ChannelUnavailable
from portside.core.model import Order, ShipmentLine
from portside.core.ports import NotificationLookup

from .harness import API, BASE_URL, make_store, shipment_for
from .wire_samples import encode, order

ORDERS = re.compile(re.escape(API) + r"/orders\?.*$")
CARRIERS = f"{API}/shipping/carriers"
SH21 = {
    "carriers": [
        {"code": "COLISSIMO", "label": "Colissimo", "tracking_url": "https://suivi.test/{trackingId}"},
        {"code": "CHRONO", "label": "Chronopost", "tracking_url": None},
    ]
}
ORDER_ID = "001-4815162342-A"
TRACKING = f"{API}/orders/{ORDER_ID}/tracking"
SHIP = f"{API}/orders/{ORDER_ID}/ship"


def states(*pairs: tuple[str, str | None]) -> list[dict[str, Any]]:
    """OR11 read-backs of the order: (order_state, shipping_tracking) one answer each."""
    return [
        {"orders": [{**order(order_state=s, shipping_tracking=t), "shipping_tracking": t}], "total_count": 1}
        for s, t in pairs
    ]


def the_order(profile: str = "leroy_merlin", **changes: Any) -> Order:
    ctx = MappingContext("store-1", load_profile(profile), BASE_URL)
    return map_order(decoder(WireOrder).decode(encode(order(**changes))), ctx)


def calls(mock: Any, method: str, path: str) -> list[Any]:
    return [c for (m, u), cs in mock.requests.items() if m == method and u.path == "/api" + path for c in cs]


def answer_orders(mock: Any, *payloads: dict[str, Any]) -> None:
    for payload in payloads:
        mock.get(ORDERS, payload=payload)


async def test_st01_is_tried_first(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    answer_orders(mock_http, *states(("SHIPPING", None)))
    mock_http.post(f"{API}/shipments", status=201, payload={"shipment_success": [{"id": "s1"}], "shipment_errors": []})
    bundle = build(make_store(profile="leroy_merlin"))
    receipt = await bundle.notifier.notify(the_order(), shipment_for(the_order(), "colissimo", "6A1"))
    assert receipt.sent == {"carrier_code": "COLISSIMO", "tracking_number": "6A1", "via": "ST01"}
    (post,) = calls(mock_http, "POST", "/shipments")
    (shipment,) = msgspec.json.decode(post.kwargs["data"])["shipments"]
    assert shipment["shipment_lines"] == [{"order_line_id": f"{ORDER_ID}-1", "quantity": 2}]
    assert shipment["shipped"] is True and shipment["tracking"]["carrier_code"] == "COLISSIMO"


async def test_a_404_from_st01_falls_back_to_or23_then_or24_and_is_remembered(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    answer_orders(mock_http, *states(("SHIPPING", None), ("SHIPPING", None)))
    mock_http.post(f"{API}/shipments", status=404, payload={"status": 404, "message": "Not Found"})
    for _ in range(2):
        mock_http.put(re.compile(re.escape(API) + r"/orders/.*/tracking$"), status=204)
        mock_http.put(re.compile(re.escape(API) + r"/orders/.*/ship$"), status=204)
    bundle = build(make_store(profile="leroy_merlin"))
    first = await bundle.notifier.notify(the_order(), shipment_for(the_order(), "Chronopost", "XY1"))
    assert first.sent["via"] == "OR23+OR24"
    (tracking,) = calls(mock_http, "PUT", f"/orders/{ORDER_ID}/tracking")
    assert msgspec.json.decode(tracking.kwargs["data"]) == {"carrier_code": "CHRONO", "tracking_number": "XY1"}
    (ship,) = calls(mock_http, "PUT", f"/orders/{ORDER_ID}/ship")
    assert ship.kwargs["data"] == b"" and ship.kwargs["headers"]["Content-Length"] == "0"
    await bundle.notifier.notify(the_order(), shipment_for(the_order(), "colissimo", "XY2"))
    assert len(calls(mock_http, "POST", "/shipments")) == 1  # ST01 is off for this shop: not asked again


async def test_per_shipment_errors_in_a_201_are_a_refusal(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    answer_orders(mock_http, *states(("SHIPPING", None)))
    errors = {"shipment_success": [], "shipment_errors": [{"order_id": ORDER_ID, "message": "Quantity exceeds"}]}
    mock_http.post(f"{API}/shipments", status=201, payload=errors)
    with pytest.raises(ChannelRejected, match="Quantity exceeds"):
        await build().notifier.notify(the_order(), shipment_for(the_order(), "colissimo"))


async def test_an_unlisted_carrier_is_sent_by_name_and_url(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    answer_orders(mock_http, *states(("SHIPPING", None)))
    mock_http.post(f"{API}/shipments", status=404)
    mock_http.put(TRACKING, status=204)
    mock_http.put(SHIP, status=204)
    bundle = build(make_store(profile="leroy_merlin"))
    assert await bundle.carriers.resolve("mondial_relay") == "Mondial Relay"
    receipt = await bundle.notifier.notify(the_order(), shipment_for(the_order(), "mondial_relay", "12345678"))
    (tracking,) = calls(mock_http, "PUT", f"/orders/{ORDER_ID}/tracking")
    assert msgspec.json.decode(tracking.kwargs["data"]) == {
        "carrier_name": "Mondial Relay",
        "tracking_number": "12345678",
        "carrier_url": "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition=12345678",
    }
    assert receipt.sent["carrier_name"] == "Mondial Relay"


async def test_leroy_merlin_needs_a_url_for_an_unvetted_carrier_before_anything_is_sent(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21, repeat=True)
    bundle = build(make_store(profile="leroy_merlin"))
    with pytest.raises(ChannelRejected) as caught:
        await bundle.notifier.notify(the_order(), shipment_for(the_order(), "geodis"))
    assert "tracking_url" in caught.value.field_errors
    assert not calls(mock_http, "GET", "/orders") and not calls(mock_http, "POST", "/shipments")
    generic = build(make_store("store-2", profile="generic"))
    answer_orders(mock_http, *states(("SHIPPING", None)))
    mock_http.post(f"{API}/shipments", status=201, payload={"shipment_success": [{"id": "s"}]})
    await generic.notifier.notify(the_order(), shipment_for(the_order(), "geodis"))  # no such rule elsewhere


async def test_preflight_refuses_before_the_shipment_is_stored(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21, repeat=True)
    bundle = build(make_store(profile="leroy_merlin"))
    with pytest.raises(ChannelRejected) as caught:
        await bundle.notifier.preflight(the_order(), shipment_for(the_order(), "geodis"))
    assert "tracking_url" in caught.value.field_errors
    with_url = msgspec.structs.replace(shipment_for(the_order(), "geodis"), tracking_url="https://geodis.test/t/1")
    await bundle.notifier.preflight(the_order(), with_url)
    assert not calls(mock_http, "GET", "/orders") and not calls(mock_http, "POST", "/shipments")


async def test_a_carrier_nobody_knows_goes_by_the_sellers_name_with_its_tracking_page(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    mock_http.post(f"{API}/shipments", status=201, payload={"shipment_success": [{"id": "s"}]})
    answer_orders(mock_http, *states(("SHIPPING", None)))
    bundle = build(make_store(profile="leroy_merlin"))
    assert bundle.capabilities.carriers_by_name and bundle.capabilities.marketplace == "Leroy Merlin"
    assert await bundle.carriers.resolve(" Transports  Dupont ") == "Transports Dupont"
    without_url = shipment_for(the_order(), "Transports Dupont", "TD123")
    with pytest.raises(ChannelRejected) as caught:
        await bundle.notifier.preflight(the_order(), without_url)  # Leroy Merlin: a page for an unvetted carrier
    assert "Leroy Merlin" in caught.value.field_errors["tracking_url"][0]
    dupont = msgspec.structs.replace(without_url, tracking_url="https://dupont.test/suivi/TD123")
    receipt = await bundle.notifier.notify(the_order(), dupont)
    (posted,) = calls(mock_http, "POST", "/shipments")
    tracking = msgspec.json.decode(posted.kwargs["data"])["shipments"][0]["tracking"]
    assert tracking == {
        "carrier_name": "Transports Dupont",
        "tracking_number": "TD123",
        "tracking_url": "https://dupont.test/suivi/TD123",
    }
    assert receipt.sent["carrier_name"] == "Transports Dupont" and "carrier_code" not in receipt.sent


async def test_without_unlisted_carriers_an_unknown_carrier_lists_the_accepted_codes(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    bundle = build(make_store(profile="leroy_merlin", profile_overrides={"unlisted_carriers": False}))
    assert not bundle.capabilities.carriers_by_name
    assert await bundle.carriers.resolve("pigeon voyageur") is None
    assert await bundle.carriers.resolve("dhl") is None  # the profile knows DHL, but only by name
    assert await bundle.carriers.resolve("colissimo") == "COLISSIMO"
    with pytest.raises(ChannelRejected) as caught:
        await bundle.notifier.notify(the_order(), shipment_for(the_order(), "pigeon voyageur"))
    (reason,) = caught.value.field_errors["carrier"]
    assert "Leroy Merlin" in reason and reason.endswith("use one of: COLISSIMO, CHRONO")


async def test_a_shipped_order_with_our_tracking_is_not_notified_twice(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    answer_orders(mock_http, *states(("SHIPPED", " 6a1 "), ("SHIPPED", "6A1")))
    bundle = build()
    receipt = await bundle.notifier.notify(the_order(), shipment_for(the_order(), "colissimo", "6A1"))
    assert receipt.sent["tracking_number"] == "6A1" and not calls(mock_http, "POST", "/shipments")
    assert await bundle.notifier.find_notification(the_order(), shipment_for(the_order(), "colissimo", "6A1")) == (
        NotificationLookup.found
    )


async def test_tracking_already_sent_skips_or23_and_ships(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    answer_orders(mock_http, *states(("SHIPPING", "6A1")))
    mock_http.post(f"{API}/shipments", status=404)
    mock_http.put(SHIP, status=204)
    await build().notifier.notify(the_order(), shipment_for(the_order(), "colissimo", "6A1"))
    assert not calls(mock_http, "PUT", f"/orders/{ORDER_ID}/tracking")


@pytest.mark.parametrize(
    ("state", "error", "match"),
    [
        ("WAITING_DEBIT_PAYMENT", ChannelUnavailable, "not yet SHIPPING"),
        ("CANCELED", ChannelRejected, "do not ship it"),
        ("SHIPPED", ChannelRejected, "already SHIPPED"),
    ],
)
async def test_orders_not_in_shipping_are_not_shipped(build, mock_http, state, error, match) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    answer_orders(mock_http, *states((state, "OTHER")))
    with pytest.raises(error, match=match):
        await build().notifier.notify(the_order(), shipment_for(the_order(), "colissimo"))


async def test_without_the_shipments_api_a_partial_shipment_is_refused(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=SH21)
    two_lines = order()
    two_lines["order_lines"].append({**two_lines["order_lines"][0], "order_line_id": f"{ORDER_ID}-2"})
    mock_http.get(ORDERS, payload={"orders": [two_lines]})
    mock_http.post(f"{API}/shipments", status=404)
    shipment = shipment_for(
        the_order(), "colissimo", lines=(ShipmentLine(channel_line_id=f"{ORDER_ID}-1", quantity=2),)
    )
    with pytest.raises(ChannelRejected, match="ships whole"):
        await build().notifier.notify(the_order(), shipment)


async def test_accepting_decides_every_waiting_line(build, mock_http) -> None:
    waiting = order(order_state="WAITING_ACCEPTANCE")
    waiting["order_lines"][0]["order_line_state"] = "WAITING_ACCEPTANCE"
    waiting["order_lines"].append({**waiting["order_lines"][0], "order_line_id": f"{ORDER_ID}-2"})
    mock_http.get(ORDERS, payload={"orders": [waiting]})
    mock_http.put(f"{API}/orders/{ORDER_ID}/accept", status=204)
    await build().acknowledger.refuse(the_order(order_state="WAITING_ACCEPTANCE"), "out of stock")
    (put,) = calls(mock_http, "PUT", f"/orders/{ORDER_ID}/accept")
    assert msgspec.json.decode(put.kwargs["data"]) == {
        "order_lines": [{"id": f"{ORDER_ID}-1", "accepted": False}, {"id": f"{ORDER_ID}-2", "accepted": False}]
    }


async def test_a_decision_already_made_the_same_way_is_not_sent_again(build, mock_http) -> None:
    answer_orders(mock_http, *states(("SHIPPING", None), ("REFUSED", None)))
    acknowledger = build().acknowledger
    await acknowledger.accept(the_order())
    with pytest.raises(ChannelRejected, match="REFUSED on Mirakl"):
        await acknowledger.accept(the_order())
    assert not calls(mock_http, "PUT", f"/orders/{ORDER_ID}/accept")


async def test_decathlon_accepts_for_the_seller(build) -> None:
    bundle = build(make_store(profile="decathlon"))
    assert bundle.acknowledger is None and not bundle.capabilities.acceptance
    assert build(make_store("store-2", profile="leroy_merlin")).capabilities.acceptance
