"""The Mirakl sandbox over real HTTP, spoken to directly: auth, OR11 rules, writes, operators, faults, admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import msgspec
import pytest

from portside.adapters.carriers.seed_points import point_by_id
from portside.channels.mirakl.sandbox import MALFORMATIONS, Running
from portside.channels.mirakl.sandbox.render import ENCODER, wire_view

from .harness import NOW


class Api:
    def __init__(self, sandbox: Running, http: aiohttp.ClientSession) -> None:
        self.sandbox = sandbox
        self.http = http

    async def call(self, method: str, path: str, *, key: str | None = None, **kwargs: Any) -> tuple[int, Any, dict]:
        headers = {
            "Authorization": key if key is not None else self.sandbox.config.api_key,
            **kwargs.pop("headers", {}),
        }
        url = (self.sandbox.url if path.startswith("/_sandbox") else self.sandbox.api_url) + path
        async with self.http.request(method, url, headers=headers, **kwargs) as response:
            raw = await response.read()
            try:
                body = msgspec.json.decode(raw) if raw else None
            except msgspec.DecodeError:
                body = raw.decode()
            return response.status, body, dict(response.headers)

    async def orders(self, **params: Any) -> list[dict]:
        status, body, _ = await self.call("GET", "/orders", params={"max": "100", **params})
        assert status == 200, body
        return body["orders"]


@pytest.fixture
async def api(sandboxes, session) -> AsyncIterator[Api]:
    yield Api(await sandboxes(profile="leroy_merlin"), session)


async def test_the_raw_key_is_the_only_way_in(api) -> None:
    assert (await api.call("GET", "/orders"))[0] == 200
    status, body, _ = await api.call("GET", "/orders", key=f"Bearer {api.sandbox.config.api_key}")
    assert (status, body) == (401, {"status": 401, "message": "Unauthorized"})
    assert (await api.call("GET", "/orders", params={"shop_id": "2001"}))[0] == 200
    assert (await api.call("GET", "/orders", params={"shop_id": "999"}))[0] == 403


async def test_or11_pages_by_offset_in_creation_order(api) -> None:
    status, first, _ = await api.call("GET", "/orders", params={"max": "25", "offset": "0"})
    _, second, _ = await api.call("GET", "/orders", params={"max": "25", "offset": "25"})
    assert status == 200 and first["total_count"] == 60
    ids = [o["order_id"] for o in first["orders"] + second["orders"]]
    stamps = [(o["created_date"], o["order_id"]) for o in first["orders"] + second["orders"]]
    assert len(set(ids)) == 50 and stamps == sorted(stamps)
    assert (await api.call("GET", "/orders", params={"max": "101"}))[0] == 400
    assert (await api.call("GET", "/orders", params={"sort": "dateUpdated"}))[0] == 400
    too_many = ",".join(f"X{i}" for i in range(101))
    status, body, _ = await api.call("GET", "/orders", params={"order_ids": too_many})
    assert status == 400 and "limit of 100" in body["message"]


async def test_the_update_window_is_widened_on_purpose(api) -> None:
    near, far = api.sandbox.state.store.all()[:2]
    near["last_updated_date"], far["last_updated_date"] = "2030-01-01T11:58:00Z", "2030-01-01T11:50:00Z"
    returned = {o["order_id"] for o in await api.orders(start_update_date="2030-01-01T12:00:00Z")}
    assert returned == {near["order_id"]}  # two minutes early is inside Mirakl's delta, ten is not (§5.1)


async def test_addresses_are_null_until_acceptance_then_shown(api) -> None:
    (waiting,) = await api.orders(order_state_codes="WAITING_ACCEPTANCE", max="1")
    assert waiting["customer"]["shipping_address"] is None and waiting["customer"]["billing_address"] is None
    lines = [{"id": ln["order_line_id"], "accepted": True} for ln in waiting["order_lines"]]
    status, _, _ = await api.call("PUT", f"/orders/{waiting['order_id']}/accept", json={"order_lines": lines})
    assert status == 204
    (accepted,) = await api.orders(order_ids=waiting["order_id"])
    assert accepted["order_state"] == "SHIPPING" and accepted["customer"]["shipping_address"]["country_iso_code"]


async def test_or21_wants_a_decision_for_every_line(api) -> None:
    (waiting,) = await api.orders(order_state_codes="WAITING_ACCEPTANCE", max="1")
    path = f"/orders/{waiting['order_id']}/accept"
    status, body, _ = await api.call("PUT", path, json={"order_lines": []})
    assert status == 400 and body["message"].startswith("ORDER_LINE_ACCEPTANCE_DECISION_MISSING")
    (shipping,) = await api.orders(order_state_codes="SHIPPING", max="1")
    status, body, _ = await api.call("PUT", f"/orders/{shipping['order_id']}/accept", json={"order_lines": []})
    assert status == 400 and body["message"].startswith("ORDER_INVALID_STATE")


async def test_or23_then_or24_with_content_length_zero(api) -> None:
    (order,) = await api.orders(order_state_codes="SHIPPING", max="1")
    path = f"/orders/{order['order_id']}"
    status, body, _ = await api.call("PUT", path + "/ship")
    assert status == 400 and "Tracking details are mandatory" in body["message"]

    async def chunks() -> AsyncIterator[bytes]:
        yield b""

    assert (await api.call("PUT", path + "/ship", data=chunks()))[0] == 411  # chunked: no Content-Length
    unvetted = {"carrier_name": "Transports Dupont", "tracking_number": "TD1"}
    status, body, _ = await api.call("PUT", path + "/tracking", json=unvetted)
    assert status == 400 and "carrier_url is mandatory" in body["message"]
    assert (await api.call("PUT", path + "/tracking", json={"carrier_code": "NOPE", "tracking_number": "1"}))[0] == 400
    assert (await api.call("PUT", path + "/tracking", json={"carrier_code": "COLISSIMO", "tracking_number": "6A9"}))[
        0
    ] == 204
    assert (await api.call("PUT", path + "/ship"))[0] == 204
    (shipped,) = await api.orders(order_ids=order["order_id"])
    assert shipped["order_state"] == "SHIPPED" and shipped["shipping_tracking"] == "6A9"
    assert shipped["shipping_tracking_url"].endswith("code=6A9")
    assert api.sandbox.state.snapshot()["applied"]["orders.ship"] == {order["order_id"]: 1}


async def test_st01_ships_lines_and_answers_404_when_switched_off(api) -> None:
    (order,) = await api.orders(order_state_codes="SHIPPING", max="1")
    lines = [{"order_line_id": ln["order_line_id"], "quantity": ln["quantity"]} for ln in order["order_lines"]]
    shipment = {"order_id": order["order_id"], "shipment_lines": lines, "shipped": True}
    bad = {**shipment, "tracking": {"carrier_name": "Transports Dupont", "tracking_number": "T"}}
    status, body, _ = await api.call("POST", "/shipments", json={"shipments": [bad]})
    assert status == 201 and body["shipment_errors"][0]["message"].startswith("tracking.tracking_url is mandatory")
    good = {**shipment, "tracking": {"carrier_code": "GLS", "tracking_number": "GLS1"}}
    status, body, _ = await api.call("POST", "/shipments", json={"shipments": [good]})
    assert status == 201 and body["shipment_success"][0]["status"] == "SHIPPED"
    _, listed, _ = await api.call("GET", "/shipments", params={"order_id": order["order_id"]})
    assert [s["tracking"]["tracking_number"] for s in listed["data"]] == ["GLS1"]
    assert (await api.call("POST", "/_sandbox/shipments-api", json={"enabled": False}))[0] == 200
    status, body, _ = await api.call("POST", "/shipments", json={"shipments": [good]})
    assert (status, body) == (404, {"status": 404, "message": "Not Found"})
    assert (await api.call("GET", "/shipments"))[0] == 404


async def test_reference_lists(api) -> None:
    _, carriers, _ = await api.call("GET", "/shipping/carriers")
    labels = [c["label"] for c in carriers["carriers"]]
    assert labels == sorted(labels) and "COLISSIMO" in {c["code"] for c in carriers["carriers"]}
    _, types, _ = await api.call("GET", "/shipping/types")
    assert "RELAY_DELIVERY__STD" in {t["code"] for t in types["shipping_types"]}


async def test_leroy_merlin_relay_orders_name_seed_colissimo_points(api) -> None:
    relay = [o for o in api.sandbox.state.store.all() if o["shipping_pudo_id"]]
    assert relay
    for wire in relay:
        fields = {f["code"]: f["value"] for f in wire["order_additional_fields"]}
        assert fields["pudo-relay-point-provider"] == "colissimo"
        point = point_by_id("colissimo", wire["shipping_pudo_id"])
        assert point is not None and fields["pudo-relay-point-store-name"] == point.name


@pytest.mark.parametrize("profile", ["galeries_lafayette", "go_sport", "rue_du_commerce", "decathlon", "carrefour"])
async def test_each_operator_writes_orders_its_own_way(sandboxes, profile) -> None:
    sandbox = await sandboxes(profile=profile, orders=80)
    orders = sandbox.state.store.all()
    if profile == "galeries_lafayette":
        relay = [o for o in orders if o["shipping_type_code"] == "33"]
        assert relay and all(
            {f["code"] for f in o["order_additional_fields"]} == {"relais-id", "type-de-point"} for o in relay
        )
    elif profile == "go_sport":
        assert any(o["shipping_pudo_id"] and len(o["shipping_pudo_id"]) < 6 for o in orders)  # zeros dropped
    elif profile == "rue_du_commerce":
        assert any(o["shipping_type_label"].endswith(tuple("0123456789")) for o in orders)
        assert not any(o["shipping_pudo_id"] for o in orders)
    elif profile == "decathlon":
        assert not {"WAITING_ACCEPTANCE", "REFUSED"} & {o["order_state"] for o in orders}  # automatic acceptance
    else:
        assert not any(o["shipping_pudo_id"] for o in orders)


async def test_the_same_seed_gives_the_same_orders(sandboxes) -> None:
    first, second = await sandboxes(seed=3), await sandboxes(seed=3)
    assert [o["order_id"] for o in first.state.store.all()] == [o["order_id"] for o in second.state.store.all()]
    assert first.config.now == NOW


async def test_rate_limit_server_error_and_error_after_apply(api) -> None:
    knobs = {"rate_limit": {"count": 1, "retry_after_s": 3}, "server_error": {"count": 1, "statuses": [503]}}
    assert (await api.call("POST", "/_sandbox/faults", json=knobs))[0] == 200
    status, body, headers = await api.call("GET", "/orders")
    assert (status, headers["Retry-After"], body["message"]) == (429, "3", "Too Many Requests")
    status, body, _ = await api.call("GET", "/orders")
    assert status == 503 and "<html>" in body
    assert (await api.call("GET", "/orders"))[0] == 200
    (order,) = await api.orders(order_state_codes="SHIPPING", max="1")
    await api.call("POST", "/_sandbox/faults", json={"error_after_apply": {"count": 1, "only": ["orders.tracking"]}})
    tracking = {"carrier_code": "DPD", "tracking_number": "D1"}
    assert (await api.call("PUT", f"/orders/{order['order_id']}/tracking", json=tracking))[0] == 504
    (after,) = await api.orders(order_ids=order["order_id"])
    assert after["shipping_tracking"] == "D1"  # applied although the answer said otherwise
    stats = (await api.call("GET", "/_sandbox/stats"))[1]
    assert stats["faults_fired"] == {"rate_limit": 1, "server_error": 1, "error_after_apply": 1}
    assert (await api.call("DELETE", "/_sandbox/faults"))[1]["rate_limit"]["count"] == 0


async def test_malformed_orders_and_updates_while_paging(api) -> None:
    await api.call(
        "POST", "/_sandbox/faults", json={"malformed_order": {"count": 1}, "update_while_paging": {"count": 1}}
    )
    _, body, _ = await api.call("GET", "/orders", params={"max": "30"})
    ((order_id, kind),) = api.sandbox.state.faults.malformed.items()
    served = next(o for o in body["orders"] if o["order_id"] == order_id)
    healthy = msgspec.json.decode(ENCODER.encode(wire_view(api.sandbox.state.store.get(order_id))))
    assert kind in MALFORMATIONS and served != healthy and served["last_updated_date"] == healthy["last_updated_date"]
    before = {o["order_id"]: o["last_updated_date"] for o in api.sandbox.state.store.all()}
    await api.call("GET", "/orders", params={"max": "30", "offset": "30"})
    (moved,) = api.sandbox.state.stats.moved_while_paging
    assert api.sandbox.state.store.get(moved)["last_updated_date"] > before[moved]


async def test_admin_adds_and_changes_orders(api) -> None:
    status, body, _ = await api.call(
        "POST", "/_sandbox/orders", json={"generate": 2, "state": "WAITING_ACCEPTANCE", "relay": True}
    )
    assert status == 201 and len(body["order_ids"]) == 2
    order_id = body["order_ids"][0]
    status, stored, _ = await api.call("POST", f"/_sandbox/orders/{order_id}", json={"state": "CANCELED"})
    assert status == 200 and stored["order_state"] == "CANCELED"
    assert (await api.call("POST", f"/_sandbox/orders/{order_id}", json={"state": "LOST"}))[0] == 400
    assert (await api.call("GET", "/_sandbox/orders/nope"))[0] == 404
