"""The ``/_sandbox`` admin endpoints: orders arriving and changing while a sync runs, and the counters."""

from __future__ import annotations

from typing import Any


async def max_updated_at(api) -> str:
    reply = await api.api("GET", "/orders", params={"sort": "updatedAt", "desc": "true", "pageSize": 1})
    return reply.body["items"][0]["updatedAt"]


async def test_generated_orders_arrive_recent_and_a_cursor_sync_sees_them(api) -> None:
    cursor = await max_updated_at(api)

    created = await api.admin(
        "POST", "/orders", json={"generate": 3, "status": "InPreparation", "delivery": "colissimo"}
    )

    assert created.status == 201
    new_ids = created.body["order_ids"]
    assert len(new_ids) == 3
    assert (await api.api("GET", "/orders/count")).body == 123
    since = await api.api("GET", "/orders", params={"updatedAtMin": cursor, "pageSize": 100})
    seen = {o["orderId"]: o for o in since.body["items"]}
    assert set(new_ids) <= set(seen)
    assert all(seen[i]["lines"][0]["delivery"]["mode"] in ("ColissimoPickupDelivery", "SO1") for i in new_ids)


async def test_a_full_order_json_is_served_as_given(api) -> None:
    order: dict[str, Any] = {
        "orderId": "2611261200TEST1",
        "status": "InPreparation",
        "updatedAt": "2026-11-26T13:00:00+01:00",
        "lines": [{"orderLineId": "1", "status": "InPreparation", "quantity": 1, "parcels": []}],
    }

    created = await api.admin("POST", "/orders", json={"order": order})
    served = await api.api("GET", "/orders/2611261200TEST1")
    duplicate = await api.admin("POST", "/orders", json={"order": order})

    assert created.status == 201
    assert served.body["lines"] == order["lines"]
    assert served.body["updatedAt"] == "2026-11-26T12:00:00Z", "timestamps are normalised to UTC Z"
    assert duplicate.status == 400


async def test_cancelling_an_order_bumps_updated_at_and_reaches_a_cursor_sync(api) -> None:
    ready = (await api.api("GET", "/orders", params={"status": "InPreparation", "pageSize": 1})).body["items"][0]
    cursor = await max_updated_at(api)

    changed = await api.admin("POST", f"/orders/{ready['orderId']}", json={"status": "Cancelled"})

    assert changed.status == 200
    since = await api.api("GET", "/orders", params={"updatedAtMin": cursor, "status": "Cancelled"})
    after = next(o for o in since.body["items"] if o["orderId"] == ready["orderId"])
    assert after["updatedAt"] > ready["updatedAt"]
    assert {line["status"] for line in after["lines"]} == {"Cancelled"}


async def test_cancelling_one_line_keeps_the_order_live(api) -> None:
    reply = await api.api("GET", "/orders", params={"status": "InPreparation", "pageSize": 100})
    order = next(o for o in reply.body["items"] if len(o["lines"]) >= 2)

    await api.admin("POST", f"/orders/{order['orderId']}", json={"cancel_lines": ["2"]})
    bad = await api.admin("POST", f"/orders/{order['orderId']}", json={"cancel_lines": ["99"]})

    after = (await api.api("GET", f"/orders/{order['orderId']}")).body
    assert after["status"] == "InPreparation"
    assert after["lines"][1]["status"] == "Cancelled"
    assert bad.status == 400


async def test_an_order_can_be_marked_malformed_and_healed(api) -> None:
    order_id = (await api.api("GET", "/orders", params={"pageSize": 1})).body["items"][0]["orderId"]

    await api.admin("POST", f"/orders/{order_id}", json={"malformed": "lines_as_object"})
    broken = (await api.api("GET", f"/orders/{order_id}")).body
    await api.admin("POST", f"/orders/{order_id}", json={"malformed": False})
    healed = (await api.api("GET", f"/orders/{order_id}")).body

    assert broken["lines"] == {}
    assert isinstance(healed["lines"], list)


async def test_stats_count_calls_per_endpoint_and_status(api) -> None:
    await api.api("GET", "/orders/count")
    await api.api("GET", "/orders/count", seller_id="1")
    await api.api("GET", "/carriers")

    stats = (await api.admin("GET", "/stats")).body

    assert stats["calls"] == {"token": 1, "orders.count": 2, "carriers": 1}
    assert stats["responses"]["orders.count"] == {"200": 1, "403": 1}
    assert stats["orders"]["total"] == 120
    assert sum(stats["orders"]["by_status"].values()) == 120
