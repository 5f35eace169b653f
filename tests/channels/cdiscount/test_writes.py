"""Shipments and approvals with aioresponses: the bodies sent, and the answers Octopia may give."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from portside.channels.cdiscount.mapping import MappingContext
from portside.channels.cdiscount.pages import map_raw
from portside.channels.cdiscount.problems import OctopiaRejected
from portside.core.errors import ChannelBusy, ChannelRejected
from portside.core.model import Order, Shipment
from portside.core.ports import BUDGET_WAIT
from tests.support.aioresponses_shim import aioresponses

from .conftest import API, AUTH_URL, make_store
from .wire_samples import REFERENCE_ORDER, encode, order

ORDER_URL = f"{API}/orders/2509011032XYZ12"
NOW = datetime(2026, 11, 26, tzinfo=UTC)


@pytest.fixture(autouse=True)
def token(mock_http: aioresponses) -> None:
    mock_http.post(AUTH_URL, payload={"access_token": "tok", "expires_in": 7200}, repeat=True)
    mock_http.get(f"{API}/carriers", payload=[{"code": "pcc", "label": "Colissimo"}], repeat=True)


def the_order() -> Order:
    result = map_raw(encode(REFERENCE_ORDER), MappingContext("store-1"))
    assert isinstance(result, Order)
    return result


def shipment(**kw: Any) -> Shipment:
    fields = {"id": "s1", "order_id": "o1", "store_id": "store-1", "carrier": "colissimo", "tracking_number": " 6A1 "}
    return Shipment(**{**fields, **kw}, shipped_at=NOW, created_at=NOW)


def posted(mock: aioresponses, url: str) -> list[Any]:
    return [
        msgspec.json.decode(c.kwargs["data"])
        for (m, u), cs in mock.requests.items()
        if m == "POST" and str(u) == url
        for c in cs
    ]


def with_parcel(number: str, status: str = "Shipped") -> bytes:
    wire = order(status=status)
    wire["lines"][0]["parcels"] = [{"parcelNumber": number, "carrierName": "Colissimo"}]
    return encode(wire)


async def test_one_parcel_for_the_whole_order_is_posted(build, mock_http) -> None:
    mock_http.post(f"{ORDER_URL}/shipments", status=201)
    receipt = await build().notifier.notify(the_order(), shipment(tracking_url=" https://t.example/6A1 "))
    assert posted(mock_http, f"{ORDER_URL}/shipments") == [
        [{"parcelNumber": "6A1", "carrierName": "Colissimo", "trackingUrl": "https://t.example/6A1"}]
    ]
    assert receipt.sent == {"parcelNumber": "6A1", "carrierName": "Colissimo", "trackingUrl": "https://t.example/6A1"}
    assert receipt.not_sent == ()


async def test_past_the_relays_patience_a_store_out_of_budget_posts_nothing_and_is_busy(build, mock_http) -> None:
    mock_http.post(f"{ORDER_URL}/shipments", status=201, repeat=True)
    # One call a second: the carrier list and the first shipment spend the burst of two.
    bundle = build(make_store(rate_per_s=1.0, rate_burst=2))
    BUDGET_WAIT.set(0.05)  # what the relay sets for each delivery (this test's own context)
    await bundle.notifier.notify(the_order(), shipment())
    BUDGET_WAIT.set(0.05)  # the next delivery (each runs in a task of its own)
    with pytest.raises(ChannelBusy) as busy:
        await bundle.notifier.notify(the_order(), shipment(id="s2", tracking_number="6A2"))
    assert busy.value.retryable and not busy.value.outcome_unknown
    assert busy.value.retry_after == pytest.approx(1.0, abs=0.2) and busy.value.interval == 1.0
    assert "not sent to Octopia yet" in str(busy.value)
    assert [p[0]["parcelNumber"] for p in posted(mock_http, f"{ORDER_URL}/shipments")] == ["6A1"]


async def test_a_conflict_because_our_parcel_landed_meanwhile_is_a_success(build, mock_http) -> None:
    mock_http.post(f"{ORDER_URL}/shipments", status=409, payload={"title": "Conflict", "detail": "already Shipped"})
    mock_http.get(ORDER_URL, body=with_parcel("6a1"))  # case and spaces do not matter
    receipt = await build().notifier.notify(the_order(), shipment())
    assert receipt.sent["parcelNumber"] == "6A1"


async def test_a_conflict_with_another_parcel_is_a_refusal_that_says_why(build, mock_http) -> None:
    mock_http.post(f"{ORDER_URL}/shipments", status=409, payload={"title": "Conflict"})
    mock_http.get(ORDER_URL, body=with_parcel("OTHER"))
    with pytest.raises(ChannelRejected, match="one parcel per order") as caught:
        await build().notifier.notify(the_order(), shipment())
    assert not isinstance(caught.value, OctopiaRejected)  # the order read back explains the bare 409


async def test_a_refusal_on_a_shippable_order_is_octopias_own(build, mock_http) -> None:
    mock_http.post(f"{ORDER_URL}/shipments", status=409, payload={"title": "Conflict", "detail": "try later"})
    mock_http.get(ORDER_URL, body=encode(REFERENCE_ORDER))  # InPreparation, no parcel: nothing to add
    with pytest.raises(OctopiaRejected) as caught:
        await build().notifier.notify(the_order(), shipment())
    assert caught.value.status == 409 and caught.value.detail == "try later"


async def test_a_shipment_is_posted_without_reading_the_order_first(build, mock_http) -> None:
    # One call per shipment: a lost answer is the relay's to check (find_notification) before resending.
    mock_http.post(f"{ORDER_URL}/shipments", status=201)
    await build().notifier.notify(the_order(), shipment())
    assert [u for (m, u) in mock_http.requests if m == "GET" and str(u) == ORDER_URL] == []


async def test_read_before_shipping_refuses_an_order_shipped_with_another_parcel_without_posting(
    build, mock_http
) -> None:
    mock_http.get(ORDER_URL, body=with_parcel("OTHER"))
    with pytest.raises(ChannelRejected, match="one parcel per order"):
        await build(make_store(read_before_shipping=True)).notifier.notify(the_order(), shipment())
    assert posted(mock_http, f"{ORDER_URL}/shipments") == []


async def test_read_before_shipping_posts_nothing_when_the_parcel_is_there(build, mock_http) -> None:
    mock_http.get(ORDER_URL, body=with_parcel(" 6A1"))
    receipt = await build(make_store(read_before_shipping=True)).notifier.notify(the_order(), shipment())
    assert receipt.sent["parcelNumber"] == "6A1" and posted(mock_http, f"{ORDER_URL}/shipments") == []


async def test_octopias_field_errors_reach_the_seller(build, mock_http) -> None:
    problem = {"title": "Validation Failed", "errors": {"trackingUrl": ["trackingUrl must be an http(s) URL."]}}
    mock_http.post(f"{ORDER_URL}/shipments", status=400, payload=problem)
    mock_http.get(ORDER_URL, body=encode(REFERENCE_ORDER))  # read back: shippable, so the refusal is Octopia's
    with pytest.raises(OctopiaRejected) as caught:
        await build().notifier.notify(the_order(), shipment(tracking_url="ftp://t.example/1"))
    assert caught.value.field_errors == {"trackingUrl": ["trackingUrl must be an http(s) URL."]}


async def test_the_approval_body_uses_the_configured_field(build, mock_http) -> None:
    mock_http.post(f"{ORDER_URL}/approval-status", status=204, repeat=True)
    await build().acknowledger.accept(the_order())
    await build(make_store(approval_status_field="approvalStatus")).acknowledger.refuse(the_order(), "no stock")
    assert posted(mock_http, f"{ORDER_URL}/approval-status") == [
        {"approval_status": "Accepted"},
        {"approvalStatus": "Refused"},
    ]


async def test_a_rejected_approval_on_an_undecided_order_is_reported(build, mock_http) -> None:
    mock_http.post(f"{ORDER_URL}/approval-status", status=400, payload={"title": "Validation Failed"})
    mock_http.get(ORDER_URL, body=encode(order(status="WaitingAcceptance")))
    with pytest.raises(OctopiaRejected):
        await build().acknowledger.accept(the_order())


@pytest.mark.parametrize(
    ("status", "decision"),
    [("WaitingAcceptance", None), ("Processing", None), ("Accepted", True), ("InPreparation", True),
     ("Shipped", True), ("Refused", False), ("Cancelled", False), ("Rejected", False)],
)  # fmt: skip
async def test_the_decision_is_read_from_the_order_status(build, mock_http, status: str, decision: bool | None) -> None:
    mock_http.get(ORDER_URL, body=encode(order(status=status)))
    assert await build().acknowledger.find_decision(the_order()) is decision
