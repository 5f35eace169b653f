"""Accepting, refusing and shipping orders on the Octopia sandbox: state changes and refusals."""

from __future__ import annotations

from typing import Any

import pytest

PROBLEM = "application/problem+json"
TRACKING_URL = "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"


def parcel(**overrides: Any) -> list[dict[str, Any]]:
    return [{"parcelNumber": "6A12345678901", "carrierName": "Colissimo", "trackingUrl": TRACKING_URL, **overrides}]


async def first_order(api, status: str, *, seller_only: bool = True) -> dict[str, Any]:
    reply = await api.api("GET", "/orders", params={"status": status, "pageSize": 100})
    for order in reply.body["items"]:
        if not seller_only or all(line["offer"]["supplyMode"] == "Seller" for line in order["lines"]):
            return order
    raise AssertionError(f"the seed has no {status} order shipped by the seller")


async def test_accepting_a_waiting_order_puts_it_in_preparation_with_its_address(api) -> None:
    order = await first_order(api, "WaitingAcceptance")
    assert all("shippingAddress" not in line for line in order["lines"])

    reply = await api.api("POST", f"/orders/{order['orderId']}/approval-status", json={"approval_status": "Accepted"})

    assert reply.status == 204
    after = (await api.api("GET", f"/orders/{order['orderId']}")).body
    assert after["status"] == "InPreparation"
    assert {line["status"] for line in after["lines"]} <= {"InPreparation", "Cancelled"}
    assert all("shippingAddress" in line for line in after["lines"])
    assert after["updatedAt"] > order["updatedAt"]


async def test_refusing_a_waiting_order(api) -> None:
    order = await first_order(api, "WaitingAcceptance")

    reply = await api.api("POST", f"/orders/{order['orderId']}/approval-status", json={"approval_status": "Refused"})

    assert reply.status == 204
    after = (await api.api("GET", f"/orders/{order['orderId']}")).body
    assert after["status"] == "Refused"
    assert (await api.api("GET", "/orders/count", params={"status": "Refused"})).body >= 1
    # Never paid: its lines close and the order's total with them, as in every seeded refused order.
    assert order["totalPrice"]["sellingPrice"] > 0
    assert {line["status"] for line in after["lines"]} <= {"Refused", "Cancelled"}
    assert after["totalPrice"] == {"offerPrice": 0, "sellingPrice": 0}


async def test_seeded_closed_orders_total_only_their_open_lines(api) -> None:
    for status in ("Refused", "Rejected", "Cancelled"):
        for order in (await api.api("GET", "/orders", params={"status": status, "pageSize": 100})).body["items"]:
            assert order["totalPrice"] == {"offerPrice": 0, "sellingPrice": 0}, order["orderId"]


async def test_approval_outside_waiting_acceptance_is_409_and_a_bad_body_400(api) -> None:
    ready = await first_order(api, "InPreparation")
    waiting = await first_order(api, "WaitingAcceptance")

    late = await api.api("POST", f"/orders/{ready['orderId']}/approval-status", json={"approval_status": "Accepted"})
    camel = await api.api("POST", f"/orders/{waiting['orderId']}/approval-status", json={"approvalStatus": "Accepted"})

    assert late.status == 409
    assert "InPreparation" in late.body["detail"]
    assert camel.status == 400
    assert "approval_status" in camel.body["errors"]


async def test_shipping_marks_the_order_shipped_and_shows_the_parcel(api) -> None:
    order = await first_order(api, "InPreparation")

    reply = await api.api("POST", f"/orders/{order['orderId']}/shipments", json=parcel())

    assert reply.status == 201
    assert reply.body is None
    after = (await api.api("GET", f"/orders/{order['orderId']}")).body
    assert after["status"] == "Shipped"
    live = [line for line in after["lines"] if line["status"] != "Cancelled"]
    assert {line["status"] for line in live} == {"Shipped"}
    assert all(
        line["parcels"] == [{"parcelNumber": "6A12345678901", "carrierName": "Colissimo", "trackingUrl": TRACKING_URL}]
        for line in live
    )
    assert after["updatedAt"] > order["updatedAt"]
    stats = (await api.admin("GET", "/stats")).body
    assert stats["shipment_posts"] == {order["orderId"]: 1}
    assert stats["shipments_applied"] == {order["orderId"]: 1}
    assert stats["parcels"][order["orderId"]] == 1


async def test_a_second_shipment_is_409_and_nothing_is_added(api) -> None:
    order = await first_order(api, "InPreparation")
    path = f"/orders/{order['orderId']}/shipments"
    assert (await api.api("POST", path, json=parcel())).status == 201

    again = await api.api("POST", path, json=parcel(parcelNumber="6A99999999999"))

    assert again.status == 409
    assert again.content_type == PROBLEM
    assert "Shipped" in again.body["detail"]
    stats = (await api.admin("GET", "/stats")).body
    assert stats["shipment_posts"][order["orderId"]] == 2
    assert stats["shipments_applied"][order["orderId"]] == 1
    assert stats["parcels"][order["orderId"]] == 1


async def test_carrier_is_matched_on_the_trimmed_label_whatever_the_case(api) -> None:
    order = await first_order(api, "InPreparation")

    reply = await api.api("POST", f"/orders/{order['orderId']}/shipments", json=parcel(carrierName="  mondial RELAY "))

    assert reply.status == 201
    after = (await api.api("GET", f"/orders/{order['orderId']}")).body
    assert after["lines"][0]["parcels"][0]["carrierName"] == "Mondial Relay"


async def test_unknown_carrier_is_400_naming_carrier_name(api) -> None:
    order = await first_order(api, "InPreparation")

    reply = await api.api("POST", f"/orders/{order['orderId']}/shipments", json=parcel(carrierName="pcc"))

    assert reply.status == 400
    assert reply.content_type == PROBLEM
    assert reply.body["title"] == "Validation Failed"
    assert list(reply.body["errors"]) == ["carrierName"]
    assert (await api.api("GET", f"/orders/{order['orderId']}")).body["status"] == "InPreparation"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"parcelNumber": "X" * 51}, "parcelNumber"),
        ({"parcelNumber": ""}, "parcelNumber"),
        ({"trackingUrl": "ftp://example.com/track"}, "trackingUrl"),
        ({"trackingUrl": "https://example.com/" + "a" * 240}, "trackingUrl"),
    ],
)
async def test_tracking_limits_are_enforced(api, overrides: dict[str, str], field: str) -> None:
    order = await first_order(api, "InPreparation")

    reply = await api.api("POST", f"/orders/{order['orderId']}/shipments", json=parcel(**overrides))

    assert reply.status == 400
    assert field in reply.body["errors"]


async def test_a_partial_shipment_or_two_parcels_are_refused(api) -> None:
    reply = await api.api("GET", "/orders", params={"status": "InPreparation", "pageSize": 100})
    order = next(
        o
        for o in reply.body["items"]
        if sum(ln["offer"]["supplyMode"] == "Seller" and ln["status"] != "Cancelled" for ln in o["lines"]) >= 2
    )
    path = f"/orders/{order['orderId']}/shipments"

    partial = await api.api("POST", path, json=parcel(orderLineIds=["1"]))
    two = await api.api("POST", path, json=parcel() + parcel(parcelNumber="6A00000000000"))

    for refused in (partial, two):
        assert refused.status == 400
        assert "one parcel per complete order" in refused.body["detail"]
    assert (await api.api("GET", f"/orders/{order['orderId']}")).body["status"] == "InPreparation"


async def test_shipping_an_order_not_in_preparation_is_400_naming_its_status(api) -> None:
    order = await first_order(api, "WaitingAcceptance")

    reply = await api.api("POST", f"/orders/{order['orderId']}/shipments", json=parcel())

    assert reply.status == 400
    assert "WaitingAcceptance" in reply.body["detail"]


async def test_an_order_fulfilled_by_octopia_cannot_be_shipped_by_the_seller(api) -> None:
    created = await api.admin("POST", "/orders", json={"generate": 60, "status": "InPreparation"})
    orders = [(await api.api("GET", f"/orders/{order_id}")).body for order_id in created.body["order_ids"]]
    fulfilled = next(o for o in orders if all(ln["offer"]["supplyMode"] != "Seller" for ln in o["lines"]))

    reply = await api.api("POST", f"/orders/{fulfilled['orderId']}/shipments", json=parcel())

    assert reply.status == 400
    assert "no line shipped by the seller" in reply.body["detail"]


async def test_shipping_an_unknown_order_is_404(api) -> None:
    reply = await api.api("POST", "/orders/NOPE/shipments", json=parcel())

    assert reply.status == 404
