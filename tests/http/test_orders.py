"""Orders over the API: filters, keyset pages without gaps or duplicates, the JSON contract, notes,
activity, accept and refuse."""

from __future__ import annotations

from datetime import timedelta

from portside.core.model import OrderStatus, PickupCarrier
from portside.entrypoints.application import Portside
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.orders import generate_orders, make_order

from .support import Tenant, connect_store, import_orders

CONTRACT = {
    "id", "store_id", "channel", "channel_order_id", "status", "channel_status", "placed_at", "updated_at",
    "ship_by", "customer", "billing_address", "shipping_address", "delivery", "pickup_point", "payment_method",
    "discounts", "gift", "gift_message", "customer_notes", "internal_notes", "total_weight_g", "totals", "flags",
    "label_hints", "lines", "pickup_point_issue",
}  # fmt: skip
ADDRESS = {"name", "company", "line1", "line2", "line3", "postal_code", "city", "region", "country", "phone"}
LINE = {
    "channel_line_id", "sku", "gtin", "title", "quantity", "unit_price", "weight_g", "image_url", "options",
    "stock_location", "supply_mode",
}  # fmt: skip
POINT = {"carrier", "point_id", "name", "address", "latitude", "longitude", "opening_hours", "point_type"}


async def test_order_detail_has_every_contract_field(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    store = await connect_store(alice)
    order = make_order(store["id"], "P1", pickup=PickupCarrier.mondial_relay, lines=2)
    await import_orders(portside, plugin, store["id"], [order])
    body = (await alice.api.get(f"/v1/orders/{order.id}")).json
    assert CONTRACT <= set(body)
    assert set(body["customer"]) >= {"name", "email", "phone"}
    assert ADDRESS <= set(body["shipping_address"]) and ADDRESS <= set(body["billing_address"])
    assert set(body["delivery"]) >= {"code", "label", "kind"} and body["delivery"]["kind"] == "pickup"
    assert POINT <= set(body["pickup_point"]) and body["pickup_point"]["carrier"] == "mondial_relay"
    assert set(body["totals"]) == {"items", "shipping", "discounts", "fees", "grand_total"}
    assert all(LINE <= set(line) for line in body["lines"]) and body["lines"][0]["options"][0].keys() == {
        "name",
        "value",
    }
    total = body["totals"]["grand_total"]
    assert total["currency"] == "EUR" and isinstance(total["amount"], str) and len(total["amount"].split(".")[1]) == 2
    assert body["totals"]["discounts"]["amount"] == "0.00"
    assert body["placed_at"].endswith("Z") and body["updated_at"] == "2026-11-01T12:00:00Z"
    assert (
        body["store_id"] == store["id"] and body["channel_order_id"] == "P1" and body["status"] == "awaiting_shipment"
    )


async def test_filters(alice: Tenant, portside: Portside, plugin: FakeChannelPlugin, clock: FixedClock) -> None:
    first, second = await connect_store(alice, "one"), await connect_store(alice, "two")
    await import_orders(
        portside,
        plugin,
        first["id"],
        [
            make_order(first["id"], "A1"),
            make_order(first["id"], "A2", status="Pending", core_status=OrderStatus.awaiting_payment),
            make_order(first["id"], "A3", pickup=PickupCarrier.mondial_relay),
        ],
    )
    clock.advance(hours=1)
    await import_orders(portside, plugin, second["id"], [make_order(second["id"], "B1")])

    async def ids(**params: str) -> set[str]:
        answer = await alice.api.get("/v1/orders", params=params)
        assert answer.status == 200, answer.body
        return {o["channel_order_id"] for o in answer.json["items"]}

    assert await ids() == {"A1", "A2", "A3", "B1"}
    assert await ids(store_id=second["id"]) == {"B1"}
    assert await ids(status="awaiting_payment") == {"A2"}
    assert await ids(status="awaiting_payment,awaiting_shipment", store_id=first["id"]) == {"A1", "A2", "A3"}
    assert await ids(pickup_carrier="mondial_relay") == {"A3"}
    since = (clock.now() - timedelta(minutes=1)).isoformat()
    assert await ids(updated_since=since) == {"B1"}
    assert await ids(updated_since=since.replace("+00:00", "+01:00")) == {"A1", "A2", "A3", "B1"}


async def test_keyset_pages_have_no_gaps_or_duplicates_while_orders_change(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin, clock: FixedClock
) -> None:
    store = await connect_store(alice)
    orders = generate_orders(store["id"], 57, seed=3)
    await import_orders(portside, plugin, store["id"], orders)  # all with one modified_at: ties broken by id
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": "10", **({"cursor": cursor} if cursor else {})}
        page = (await alice.api.get("/v1/orders", params=params)).json
        seen += [o["id"] for o in page["items"]]
        pages += 1
        if pages == 2:  # an order changed mid-walk moves to the end: seen twice is correct, lost is not
            clock.advance(seconds=1)
            await alice.api.patch(f"/v1/orders/{seen[0]}", json={"internal_notes": "fragile"})
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 6
    assert set(seen) == {o.id for o in orders}
    assert len(seen) == 58 and seen[-1] == seen[0]


async def test_limit_and_cursor_are_checked(alice: Tenant) -> None:
    for params, field in (({"limit": "501"}, "limit"), ({"limit": "0"}, "limit"), ({"cursor": "nope"}, "cursor")):
        problem = (await alice.api.get("/v1/orders", params=params)).problem(422)
        assert field in problem["errors"]
    problem = (await alice.api.get("/v1/orders", params={"status": "lost", "sort": "x"})).problem(422)
    assert set(problem["errors"]) == {"status[0]", "sort"}  # the first status listed is unknown
    assert "awaiting_shipment" in problem["errors"]["status[0]"]
    naive = (await alice.api.get("/v1/orders", params={"updated_since": "2026-11-01T10:00:00"})).problem(422)
    assert "updated_since" in naive["errors"]


async def test_internal_notes_are_kept_and_recorded(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    store = await connect_store(alice)
    order = make_order(store["id"], "N1")
    await import_orders(portside, plugin, store["id"], [order])
    noted = await alice.api.patch(f"/v1/orders/{order.id}", json={"internal_notes": "call before delivery"})
    assert noted.status == 200 and noted.json["internal_notes"] == "call before delivery"
    plugin.market(store["id"]).update(
        "N1", customer_notes="ring twice", updated_at=order.updated_at + timedelta(hours=1)
    )
    await portside.sync_store(store["id"])
    again = (await alice.api.get(f"/v1/orders/{order.id}")).json
    assert again["internal_notes"] == "call before delivery" and again["customer_notes"] == "ring twice"
    activity = (await alice.api.get(f"/v1/orders/{order.id}/activity")).json["items"]
    assert [a["kind"] for a in activity] == ["created", "note_changed", "updated"]
    cleared = await alice.api.patch(f"/v1/orders/{order.id}", json={"internal_notes": None})
    assert cleared.json["internal_notes"] is None


async def test_accept_and_refuse_queue_one_decision(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    store = await connect_store(alice)
    waiting = [
        make_order(store["id"], cid, status="WaitingAcceptance", core_status=OrderStatus.awaiting_acceptance)
        for cid in ("W1", "W2")
    ]
    ready = make_order(store["id"], "R1")
    await import_orders(portside, plugin, store["id"], [*waiting, ready])
    accepted = await alice.api.post(f"/v1/orders/{waiting[0].id}/accept")
    assert accepted.status == 202 and accepted.json["decision"] == "accept" and accepted.json["delivery"] == "pending"
    again = await alice.api.post(f"/v1/orders/{waiting[0].id}/accept", json={})
    assert again.json["message_id"] == accepted.json["message_id"]  # one decision per order
    (await alice.api.post(f"/v1/orders/{waiting[0].id}/refuse", json={"reason": "no stock"})).problem(409)
    refused = await alice.api.post(f"/v1/orders/{waiting[1].id}/refuse", json={"reason": "out of stock"})
    assert refused.status == 202 and refused.json["decision"] == "refuse"
    (await alice.api.post(f"/v1/orders/{ready.id}/accept")).problem(409)
    await portside.relay_once()
    assert plugin.market(store["id"]).decisions == {"W1": True, "W2": False}
