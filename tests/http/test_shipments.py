"""Shipments over the API: confirm (202, notification pending), Idempotency-Key replays, notification
state, and retrying a dead notification."""

from __future__ import annotations

import asyncio

from portside.core.model import Order, OrderStatus
from portside.entrypoints.application import Portside
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.orders import make_order

from .support import Tenant, connect_store, import_orders

SHIP = {"carrier": "colissimo", "service": "DOM", "tracking_number": "6A12345678901", "notes_to_buyer": "merci"}


async def order_of(alice: Tenant, portside: Portside, plugin: FakeChannelPlugin, cid: str = "S1") -> Order:
    store = await connect_store(alice)
    order = make_order(store["id"], cid, lines=2)
    await import_orders(portside, plugin, store["id"], [order])
    return order


async def counts(portside: Portside, order: Order) -> tuple[int, int]:
    """(outbox messages, shipments of ``order``): what a duplicate request would add to."""
    async with portside.uow() as u:
        return len(await u.outbox.find(limit=1000)), len(await u.shipments.list_for_order(order.id))


async def test_ship_answers_202_with_the_notification_pending(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    order = await order_of(alice, portside, plugin)
    shipped = await alice.api.post(f"/v1/orders/{order.id}/shipments", json=SHIP)
    assert shipped.status == 202, shipped.body
    body = shipped.json
    assert body["notification"]["status"] == "pending" and body["notification"]["attempts"] == 0
    assert body["tracking_number"] == SHIP["tracking_number"] and len(body["lines"]) == 2
    assert (await alice.api.get(f"/v1/orders/{order.id}")).json["status"] == "shipped"

    await portside.relay_once()
    seen = (await alice.api.get(f"/v1/shipments/{body['id']}")).json
    assert seen["notification"]["status"] == "delivered"
    assert seen["notification"]["sent"]["carrierName"] == "Colissimo"
    assert seen["notification"]["not_sent"] == ["notes_to_buyer"]  # the fake marketplace has no place for it
    listed = (await alice.api.get(f"/v1/orders/{order.id}/shipments")).json["items"]
    assert [s["id"] for s in listed] == [body["id"]]
    assert plugin.market(order.store_id).parcels["S1"][0]["parcelNumber"] == SHIP["tracking_number"]


async def test_idempotency_key_replays_the_first_answer_and_creates_nothing(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    order = await order_of(alice, portside, plugin)
    url = f"/v1/orders/{order.id}/shipments"
    key = {"Idempotency-Key": "ship-S1-attempt"}
    first = await alice.api.post(url, json=SHIP, headers=key)
    before = await counts(portside, order)
    retried = await alice.api.post(url, json=dict(reversed(SHIP.items())), headers=key)  # same content, reordered
    assert (retried.status, retried.body) == (first.status, first.body)
    assert retried.headers.get("Idempotent-Replayed") == "true"
    assert await counts(portside, order) == before
    other = (await alice.api.post(url, json={**SHIP, "tracking_number": "OTHER"}, headers=key)).problem(422)
    assert "Idempotency-Key" in other["errors"]
    assert await counts(portside, order) == before
    # Without a key, a second shipment of a fully shipped order is a conflict, not a duplicate.
    (await alice.api.post(url, json=SHIP)).problem(409)


async def test_an_order_the_marketplace_shipped_without_portside_is_a_409_and_stores_nothing(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    store = await connect_store(alice)
    order = make_order(store["id"], "S9", lines=2, status="Shipped", core_status=OrderStatus.shipped)
    await import_orders(portside, plugin, store["id"], [order])
    url = f"/v1/orders/{order.id}/shipments"
    assert (await alice.api.get(f"/v1/orders/{order.id}")).json["status"] == "shipped"

    refused = (await alice.api.post(url, json=SHIP, headers={"Idempotency-Key": "late"})).problem(409)

    assert "already shipped" in refused["detail"] and "not through portside" in refused["detail"]
    assert "back office" in refused["detail"]  # what to do instead
    assert await counts(portside, order) == (0, 0)
    kinds = [a["kind"] for a in (await alice.api.get(f"/v1/orders/{order.id}/activity")).json["items"]]
    assert "shipment_confirmed" not in kinds
    assert "S9" not in plugin.market(order.store_id).parcels


async def test_an_order_shipped_through_portside_takes_no_second_shipment_but_replays_its_first(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    order = await order_of(alice, portside, plugin)
    url = f"/v1/orders/{order.id}/shipments"
    key = {"Idempotency-Key": "ship-S1"}
    first = await alice.api.post(url, json=SHIP, headers=key)
    assert first.status == 202
    await portside.relay_once()
    await portside.sync_store(order.store_id)  # the marketplace now says Shipped too

    again = (await alice.api.post(url, json={**SHIP, "tracking_number": "6A99999999999"})).problem(409)
    replayed = await alice.api.post(url, json=SHIP, headers=key)

    assert "already shipped (tracking 6A12345678901)" in again["detail"]
    assert (replayed.status, replayed.body) == (202, first.body)
    assert await counts(portside, order) == (1, 1)
    assert len(plugin.market(order.store_id).parcels["S1"]) == 1


async def test_idempotency_keys_belong_to_one_account(
    alice: Tenant, bob: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    order = await order_of(alice, portside, plugin)
    key = {"Idempotency-Key": "shared-key"}
    await alice.api.post(f"/v1/orders/{order.id}/shipments", json=SHIP, headers=key)
    # Bob's identical key and body cannot read Alice's answer: his request is about an order he cannot see.
    (await bob.api.post(f"/v1/orders/{order.id}/shipments", json=SHIP, headers=key)).problem(404)


async def test_bad_shipments_name_the_fields_and_store_nothing(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    order = await order_of(alice, portside, plugin)
    url = f"/v1/orders/{order.id}/shipments"
    before = await counts(portside, order)
    carrier = (await alice.api.post(url, json={**SHIP, "carrier": "pigeon"})).problem(422)
    assert "Colissimo" in carrier["errors"]["carrier"]  # the accepted names
    partial = (await alice.api.post(url, json={**SHIP, "lines": [{"channel_line_id": "1", "quantity": 1}]})).problem(
        422
    )
    assert "lines" in partial["errors"]
    shape = (
        await alice.api.post(url, json={"carrier": "", "tracking_number": 5, "shipped_at": "2026-11-01T10:00:00"})
    ).problem(422)
    assert {"carrier", "tracking_number", "shipped_at"} <= set(shape["errors"])
    fee = (await alice.api.post(url, json={**SHIP, "carrier_fee": {"amount": "abc", "currency": "EUR"}})).problem(422)
    assert "carrier_fee.amount" in fee["errors"]
    assert await counts(portside, order) == before


async def test_a_dead_notification_is_retried_and_then_delivered(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    order = await order_of(alice, portside, plugin)
    market = plugin.market(order.store_id)
    market.faults.notify_reject = "carrier not allowed for this order"
    shipment = (await alice.api.post(f"/v1/orders/{order.id}/shipments", json=SHIP)).json
    (await alice.api.post(f"/v1/shipments/{shipment['id']}/retry")).problem(409)  # not dead yet
    await portside.relay_once()
    dead = (await alice.api.get(f"/v1/shipments/{shipment['id']}")).json["notification"]
    assert dead["status"] == "dead" and "carrier not allowed" in dead["last_error"] and dead["attempts"] == 1

    market.faults.notify_reject = None  # the seller fixed it
    retried = await alice.api.post(f"/v1/shipments/{shipment['id']}/retry")
    assert retried.status == 202 and retried.json["notification"]["status"] == "pending"
    await portside.relay_once()
    delivered = (await alice.api.get(f"/v1/shipments/{shipment['id']}")).json["notification"]
    assert delivered["status"] == "delivered" and delivered["last_error"] is None
    assert len(market.parcels["S1"]) == 1
    (await alice.api.post(f"/v1/shipments/{shipment['id']}/retry")).problem(409)


async def test_concurrent_retries_with_one_key_ship_once(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    order = await order_of(alice, portside, plugin)
    key = {"Idempotency-Key": "racing"}
    url = f"/v1/orders/{order.id}/shipments"
    answers = await asyncio.gather(*(alice.api.post(url, json=SHIP, headers=key) for _ in range(5)))
    # One request holds the key; a retry racing it is told to come back (409 + Retry-After), and one
    # arriving after it answered gets that answer again. Never a second shipment.
    shipped = [a for a in answers if a.status == 202]
    assert len({a.body for a in shipped}) == 1 and shipped
    assert all(a.status in (202, 409) for a in answers)
    for busy in (a for a in answers if a.status == 409):
        assert busy.json["type"].endswith("idempotency-key-in-use") and busy.headers["Retry-After"]
    again = await alice.api.post(url, json=SHIP, headers=key)
    assert (again.status, again.body) == (202, shipped[0].body)
    assert await counts(portside, order) == (1, 1)
