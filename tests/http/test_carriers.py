"""Carrier settings per account over the API: whose settings apply, an account's own set (checked, proven
with the carrier), read masked and removed; and a sync enriched through the account's own Mondial Relay
account on a second sandbox while the service's is down. Run on Postgres too (test_postgres.py)."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
import pytest

from portside.core.model import OrderFlag, PickupCarrier, PickupPoint, PointSource
from portside.entrypoints.application import Portside
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.orders import make_order

from .conftest import OWN_ENSEIGNE, OWN_KEY, CarrierWorld
from .support import Snapshot, Tenant, connect_store, import_orders, make_tenant

MR_PATH = "/v1/carriers/mondial_relay/settings"


def sources(answer: Any) -> dict[str, str]:
    assert answer.status == 200, answer.body
    return {item["carrier"]: item["source"] for item in answer.json["items"]}


async def test_set_read_and_remove_your_own_settings(alice: Tenant, bob: Tenant) -> None:
    assert sources(await alice.api.get("/v1/carriers")) == {"colissimo": "none", "mondial_relay": "service"}
    body = {"settings": {"enseigne": "bdtest22", "private_key": "a-private-key", "url": "https://mr.example/ws"}}
    put = await alice.api.put(MR_PATH, json=body)
    assert put.status == 200, put.body
    shown = {"enseigne": "bdtest22", "private_key": "***", "url": "https://mr.example/ws"}
    assert put.json["settings"] == shown and put.json["carrier"] == "mondial_relay"
    assert (await alice.api.get(MR_PATH)).json == put.json
    listed = await alice.api.get("/v1/carriers")
    assert sources(listed)["mondial_relay"] == "account"
    assert [i["updated_at"] for i in listed.json["items"]] == [None, "2026-11-02T09:00:00Z"]
    assert sources(await bob.api.get("/v1/carriers"))["mondial_relay"] == "service"  # Alice's are hers
    (await bob.api.get(MR_PATH)).problem(404)
    (await bob.api.delete(MR_PATH)).problem(404)
    deleted = await alice.api.delete(MR_PATH)
    assert deleted.status == 200 and deleted.json == {
        "carrier": "mondial_relay",
        "source": "service",
        "updated_at": None,
    }
    problem = (await alice.api.get(MR_PATH)).problem(404)
    assert "settings of your own for mondial_relay not found" in problem["detail"]


async def test_colissimo_settings_hide_both_secrets(alice: Tenant) -> None:
    body = {"settings": {"account": "123456", "password": "pw-12345", "api_key": "key-12345"}, "verify": False}
    put = await alice.api.put("/v1/carriers/colissimo/settings", json=body)
    assert put.json["settings"] == {"account": "123456", "password": "***", "api_key": "***"}
    assert sources(await alice.api.get("/v1/carriers"))["colissimo"] == "account"


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"enseigne": "BDTEST22", "private_key": "k-1234", "bogus": "x"}, "settings.bogus"),
        ({"enseigne": "bad enseigne!", "private_key": "k-1234"}, "settings.enseigne"),
        ({"enseigne": "BDTEST22"}, "settings.private_key"),
        ({"enseigne": "BDTEST22", "private_key": "clé€-1234"}, "settings.private_key"),
        ({"enseigne": "BDTEST22", "private_key": "k-12\r\n34"}, "settings.private_key"),
        ({"enseigne": "BDTEST22", "private_key": "k-1234", "url": "https://u:secret-pw@mr.example/"}, "settings.url"),
        ({"enseigne": "BDTEST22", "private_key": "k-1234", "timeout_s": 3600}, "settings.timeout_s"),
    ],
)
async def test_bad_settings_name_the_field_never_the_value_and_store_nothing(
    alice: Tenant, snapshot: Snapshot, settings: dict[str, Any], field: str
) -> None:
    before = await snapshot()
    answer = await alice.api.put(MR_PATH, json={"settings": settings})
    problem = answer.problem(422)
    assert field in problem["errors"], problem
    for value in settings.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in answer.body.decode(), value
    assert await snapshot() == before


async def test_unknown_carriers_are_not_found(alice: Tenant) -> None:
    for carrier in ("pigeon", "relais_colis"):
        path = f"/v1/carriers/{carrier}/settings"
        problem = (await alice.api.put(path, json={"settings": {}})).problem(404)
        assert "colissimo, mondial_relay" in problem["detail"]
        (await alice.api.get(path)).problem(404)
        (await alice.api.delete(path)).problem(404)


def relay_order(store_id: str, channel_order_id: str) -> Any:
    order = make_order(store_id, channel_order_id, pickup=PickupCarrier.mondial_relay)
    point = PickupPoint(carrier=PickupCarrier.mondial_relay, point_id="5680", name="TABAC", country="FR")
    return msgspec.structs.replace(order, pickup_point=point)


async def synced_order(world: CarrierWorld, plugin: FakeChannelPlugin, tenant: Tenant, cid: str) -> dict[str, Any]:
    store = await connect_store(tenant)
    order = relay_order(store["id"], cid)
    await import_orders(world.portside, plugin, store["id"], [order])
    answer = await tenant.api.get(f"/v1/orders/{order.id}")
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


async def test_a_sync_checks_points_with_the_accounts_own_mondial_relay_account(
    carrier_world: CarrierWorld, plugin: FakeChannelPlugin, portside: Portside, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world = carrier_world
    alice = await make_tenant(world.portside, world.api, "Alice")
    bob = await make_tenant(world.portside, world.api, "Bob")
    own = {"url": world.own.url, "enseigne": OWN_ENSEIGNE, "private_key": OWN_KEY}
    put = await alice.api.put(MR_PATH, json={"settings": own})  # proven with a search on the second sandbox
    assert put.status == 200, put.body

    await world.break_service()  # the service's Mondial Relay is down: only Alice's own account answers
    mine = await synced_order(world, plugin, alice, "A1")
    assert mine["pickup_point"]["name"] == "TABAC LE MARIGNY" and mine["pickup_point"]["latitude"]
    assert OrderFlag.pickup_point_unverified not in mine["flags"]
    theirs = await synced_order(world, plugin, bob, "B1")
    assert OrderFlag.pickup_point_unverified in theirs["flags"] and theirs["pickup_point"]["name"] == "TABAC"
    assert (await alice.api.get("/v1/pickup-points/mondial_relay/005680")).status == 200
    (await bob.api.get("/v1/pickup-points/mondial_relay/005680")).problem(503)

    # Back to the service's settings: Alice's cached answers were hers, the service's directory is asked.
    assert (await alice.api.delete(MR_PATH)).json["source"] == "service"
    (await alice.api.get("/v1/pickup-points/mondial_relay/005680")).problem(503)
    await world.repair_service()
    store_id = theirs["store_id"]
    assert (await world.portside.sync_store(store_id)).outcome == "completed"  # the retry of Bob's point
    again = (await bob.api.get(f"/v1/orders/{theirs['id']}")).json
    assert OrderFlag.pickup_point_unverified not in again["flags"]
    assert again["pickup_point"]["name"] == "TABAC LE MARIGNY"

    bodies = [body.decode(errors="replace") for body in world.api.bodies]
    assert not any(OWN_KEY in body for body in bodies) and OWN_KEY not in caplog.text


async def test_settings_the_carrier_refuses_are_a_422_with_its_reason(
    carrier_world: CarrierWorld, snapshot: Snapshot
) -> None:
    world = carrier_world
    alice = await make_tenant(world.portside, world.api, "Alice")
    before = await snapshot()
    wrong_key = {"url": world.own.url, "enseigne": OWN_ENSEIGNE, "private_key": "NotTheKey99"}
    problem = (await alice.api.put(MR_PATH, json={"settings": wrong_key})).problem(422)
    assert "mondial_relay" in problem["errors"]["settings"] and "NotTheKey99" not in str(problem)
    # The fields the seller sent, never the operator's environment variables.
    assert "check the settings enseigne and private_key" in problem["detail"] and "PORTSIDE_" not in str(problem)
    unknown = {"url": world.own.url, "enseigne": "BDTEST13", "private_key": "TestAPI1key"}  # not on this sandbox
    assert (await alice.api.put(MR_PATH, json={"settings": unknown})).problem(422)["errors"]["settings"]
    assert await snapshot() == before


async def test_an_unreachable_carrier_is_a_503_unless_not_verifying(
    carrier_world: CarrierWorld, plugin: FakeChannelPlugin
) -> None:
    world = carrier_world
    alice = await make_tenant(world.portside, world.api, "Alice")
    nowhere = {"url": "http://127.0.0.1:9/Web_Services.asmx", "enseigne": OWN_ENSEIGNE, "private_key": OWN_KEY}
    answer = await alice.api.put(MR_PATH, json={"settings": nowhere})
    answer.problem(503)
    assert answer.headers["Retry-After"] == "60"
    saved = await alice.api.put(MR_PATH, json={"settings": nowhere, "verify": False})
    assert saved.status == 200
    order = await synced_order(world, plugin, alice, "A2")  # kept, flagged, retried on later syncs
    assert OrderFlag.pickup_point_unverified in order["flags"]
    assert order["pickup_point"]["source"] == PointSource.channel
