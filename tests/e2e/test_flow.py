"""End to end on real Postgres: connect a Cdiscount store through the API, let the scheduler sync it,
read a pickup order completed from its carrier's directory, ship an order (one parcel on the
marketplace, order shipped), receive signed webhooks, and revive a dead notification by the API."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest
from aiohttp import web

from .service import Service, cdiscount_store, service


class WebhookReceiver:
    def __init__(self) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.deliveries.append((dict(request.headers), await request.read()))
        return web.Response(status=204)

    def events(self, kind: str) -> list[tuple[dict[str, str], bytes, dict[str, Any]]]:
        found = []
        for headers, body in self.deliveries:
            event = msgspec.json.decode(body)
            if event["type"] == kind:
                found.append((headers, body, event))
        return found


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[WebhookReceiver, str]]:
    hooks = WebhookReceiver()
    app = web.Application()
    app.router.add_post("/hooks", hooks.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    yield hooks, f"http://{host}:{port}/hooks"
    await runner.cleanup()


@pytest.fixture
async def running_service(pg_dsn: str) -> AsyncIterator[Service]:
    async with service(pg_dsn) as svc:
        yield svc


def documented_signature_check(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """docs/api.md's receiver check, step by step."""
    fields = dict(part.split("=", 1) for part in headers["Portside-Signature"].split(","))
    timestamp = int(fields["t"])
    if abs(time.time() - timestamp) > 300:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


async def test_connect_sync_ship_notify_and_webhooks(
    running_service: Service, receiver: tuple[WebhookReceiver, str]
) -> None:
    svc, (hooks, hook_url) = running_service, receiver
    events = ["order.created", "order.status_changed", "shipment.notified", "shipment.failed"]
    created = await svc.api.call("POST", "/v1/webhooks", {"url": hook_url, "events": events}, expect=201)
    store = await svc.connect(cdiscount_store(svc.boxes))

    # A pickup order, completed from its carrier's directory (address, hours) with label hints.
    pickups = await svc.orders("pickup_carrier=mondial_relay") + await svc.orders("pickup_carrier=colissimo")
    enriched = [o for o in pickups if o["pickup_point"] and o["pickup_point"].get("source") == "directory"]
    assert enriched, f"no pickup order enriched from a directory among {len(pickups)}"
    point_order = enriched[0]
    assert point_order["label_hints"] and point_order["pickup_point"]["opening_hours"]

    # Ship an order awaiting shipment: exactly one parcel on the marketplace, order shipped.
    waiting = await svc.orders(f"store_id={store['id']}&status=awaiting_shipment")
    order = next(o for o in waiting if o["pickup_point"] is None)
    shipment = await svc.ship(order, "6A00000000017")
    delivered = await svc.notification(shipment["id"], "delivered")
    assert delivered["notification"]["sent"]["parcelNumber"] == "6A00000000017"
    stats = await svc.sandbox_stats()
    assert stats["parcels"][order["channel_order_id"]] == 1
    assert stats["shipment_posts"][order["channel_order_id"]] == 1
    assert (await svc.api.call("GET", f"/v1/orders/{order['id']}", expect=200))["status"] == "shipped"

    # The platform hears of it: a shipment.notified webhook, signed as documented.
    def notified() -> list[Any]:
        return [e for e in hooks.events("shipment.notified") if e[2]["data"]["order"]["id"] == order["id"]]

    async def arrived() -> list[Any]:
        return notified()

    ((headers, body, event),) = await svc.wait_for(arrived)
    assert documented_signature_check(created["secret"], headers, body)
    assert not documented_signature_check("another-secret", headers, body)
    assert headers["Portside-Event-Id"] == event["id"] and headers["Portside-Event-Type"] == "shipment.notified"
    assert event["data"]["shipment"]["id"] == shipment["id"]
    assert event["data"]["order"]["status"] == "shipped"
    assert hooks.events("order.created")  # the import's orders were announced too

    # A notification the marketplace refuses dies visibly; once fixed, a retry by the API succeeds.
    second = next(o for o in waiting if o["pickup_point"] is None and o["id"] != order["id"])
    await svc.sandbox_order(second["channel_order_id"], {"status": "Refused"})
    refused = await svc.ship(second, "6A00000000024")
    dead = await svc.notification(refused["id"], "dead")
    assert "Refused" in dead["notification"]["last_error"]
    await svc.sandbox_order(second["channel_order_id"], {"status": "InPreparation"})
    await svc.api.call("POST", f"/v1/shipments/{refused['id']}/retry", expect=202)
    await svc.notification(refused["id"], "delivered")
    assert (await svc.sandbox_stats())["parcels"][second["channel_order_id"]] == 1
