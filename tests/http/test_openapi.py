"""The OpenAPI document: a valid 3.1 document, every served route in it and nothing else, and real
answers (checked by every test's client) matching it; a tour answers every operation successfully."""

from __future__ import annotations

from aiohttp import web
from openapi_spec_validator import validate

from portside.entrypoints.application import Portside
from portside.entrypoints.http import operations
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin

from .support import Api, Tenant
from .tour import SHIP, World, build_world, send

LAST = ("deactivateStore", "deactivateWebhook")


async def test_the_document_is_valid_openapi_3_1(api: Api) -> None:
    document = api.checker.document
    assert document["openapi"] == "3.1.0"
    validate(document)


async def test_every_served_route_is_documented_and_nothing_else(api: Api, app: web.Application) -> None:
    served = {
        (route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.resource is not None and route.method != "HEAD"
    }
    documented = {(method.upper(), path) for path, item in api.checker.document["paths"].items() for method in item}
    assert served == documented
    for path, item in api.checker.document["paths"].items():
        for method, op in item.items():
            params = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert params == set(path.replace("}", "{").split("{")[1::2]), (method, path)
            assert any(status.startswith("2") for status in op["responses"]), (method, path)
            if not path.startswith(("/healthz", "/readyz", "/metrics", "/v1/openapi.json")):
                assert "401" in op["responses"] and "security" not in op, (method, path)
    ids = {op["operationId"]: path for path, item in api.checker.document["paths"].items() for op in item.values()}
    links = [
        link
        for item in api.checker.document["paths"].values()
        for op in item.values()
        for reply in op["responses"].values()
        for link in reply.get("links", {}).values()
    ]
    assert len(links) >= 10
    for link in links:  # a link names a real operation, whose {id} the answer's id fills
        assert "{id}" in ids[link["operationId"]] and link["parameters"] == {"id": "$response.body#/id"}


async def tour(tenant: Tenant, portside: Portside, plugin: FakeChannelPlugin, api: Api) -> World:
    """Every operation once, successfully (answers are checked against the document as they come)."""
    world = await build_world(tenant, portside, plugin)
    for path in ("/healthz", "/readyz", "/metrics", "/v1/openapi.json"):
        assert (await api.get(path)).status == 200
    market = plugin.market(world.store)
    market.faults.notify_reject = "refused for the tour"
    await portside.relay_once()  # the world's shipment is now dead, for retryShipmentNotification
    market.faults.notify_reject = None
    orders = {"acceptOrder": world.waiting_order, "refuseOrder": world.refusable_order}
    ops = [op for op in operations(with_metrics=True) if not op.public]
    for op in sorted(ops, key=lambda op: op.operation_id in LAST):
        if op.operation_id == "syncStore":  # the world's syncs ran just now: a sync is allowed a minute later
            assert isinstance(portside.clock, FixedClock)
            portside.clock.advance(seconds=plugin.capabilities.min_poll_interval_s)
        answer = await send(tenant, op, world.path(op, order=orders.get(op.operation_id)))
        assert 200 <= answer.status < 300, (op.method, op.path, answer.status, answer.body[:300])
    await tenant.api.post(f"/v1/orders/{world.order}/shipments", json=SHIP)  # a second one: 409, documented
    return world


async def test_a_tour_answers_every_operation_as_documented(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin, api: Api
) -> None:
    await tour(alice, portside, plugin, api)
    missed = {
        (op.method, op.path)
        for op in operations(with_metrics=True)
        if not any((op.method, op.path, status) in api.checker.seen for status in op.replies)
    }
    assert missed == set()
