"""One tenant's world for the route-by-route tests: a resource of every kind, concrete paths for every
operation, and a valid body for each, so a new route is covered (or the tests say it is not)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from portside.core.model import OrderStatus
from portside.core.services.accounts import create_api_key
from portside.entrypoints.application import Portside
from portside.entrypoints.http import operations
from portside.entrypoints.http.routing import Operation
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.orders import make_order

from .support import Tenant, connect_store, import_orders

SHIP = {"carrier": "colissimo", "tracking_number": "6A0000000001"}

# A valid body for each operation that takes one: a refusal must come from the route's own checks.
BODIES: dict[str, Any] = {
    "createStore": {"channel": "fake", "name": "B", "credentials": {"secret": "fake-secret"}},
    "updateStore": {"name": "Renamed"},
    "setStatusMapping": {"overrides": {"Pending": "on_hold"}},
    "updateOrder": {"internal_notes": "fragile"},
    "acceptOrder": {},
    "refuseOrder": {"reason": "out of stock"},
    "createShipment": SHIP,
    "putProduct": {"weight_g": 10},
    "createWebhook": {"url": "https://platform.example/h", "events": ["order.created"]},
    "putCarrierSettings": {"settings": {"enseigne": "BDTEST13", "private_key": "TestAPI1key"}},
}
RAW_BODIES = {"bulkUpsertProducts": (b'{"sku": "X1"}\n', "application/x-ndjson")}
QUERIES: dict[str, dict[str, str]] = {"searchPickupPoints": {"carrier": "mondial_relay", "postal_code": "75011"}}

# The resource each ``{id}`` names, by path prefix; routes not scoped to an account say so here.
SCOPED = {
    "/v1/stores/": "store",
    "/v1/orders/": "order",
    "/v1/shipments/": "shipment",
    "/v1/webhooks/": "webhook",
    "/v1/catalog/products/": "sku",
    "/v1/carriers/": "carrier",  # the caller's own settings for that carrier
    "/v1/api-keys/": "api_key",  # a second key of the tenant's (revoking its own would end the tour)
}
UNSCOPED = {"/v1/pickup-points/{carrier}/{id}"}  # carriers' public data


@dataclass
class World:
    store: str
    order: str  # awaiting shipment
    waiting_order: str  # awaiting acceptance
    refusable_order: str  # awaiting acceptance too
    shipment: str
    webhook: str
    sku: str
    api_key: str  # the id of a second key
    carrier: str = "mondial_relay"  # the tenant has its own settings for it

    def path(self, op: Operation, *, order: str | None = None) -> str:
        """``op``'s path naming this world's resources (``order`` instead of the default order)."""
        if op.path in UNSCOPED:
            return op.path.replace("{carrier}", "mondial_relay").replace("{id}", "005680")
        prefix = next((p for p in SCOPED if op.path.startswith(p)), None)
        if not op.path_params:
            return op.path
        assert prefix is not None, f"{op.method} {op.path}: say which resource its id names (tests/http/tour.py)"
        kind = SCOPED[prefix]
        value = order if kind == "order" and order is not None else getattr(self, kind)
        return re.sub(r"{\w+}", value, op.path)


async def build_world(tenant: Tenant, portside: Portside, plugin: FakeChannelPlugin) -> World:
    store = await connect_store(tenant)
    order = make_order(store["id"], "T1")
    waiting, refusable = (
        make_order(store["id"], cid, status="WaitingAcceptance", core_status=OrderStatus.awaiting_acceptance)
        for cid in ("T2", "T4")
    )
    plain = make_order(store["id"], "T3")
    await import_orders(portside, plugin, store["id"], [order, waiting, plain, refusable])
    shipment = await tenant.api.post(f"/v1/orders/{plain.id}/shipments", json=SHIP)
    webhook = await tenant.api.post("/v1/webhooks", json=BODIES["createWebhook"])
    await tenant.api.put("/v1/catalog/products/SKU-T", json={"weight_g": 5})
    carrier = await tenant.api.put("/v1/carriers/mondial_relay/settings", json=BODIES["putCarrierSettings"])
    assert carrier.status == 200, carrier.body
    spare, _ = await create_api_key(tenant.account_id, uow=portside.uow, clock=portside.clock, label="spare")
    return World(
        store=store["id"],
        order=order.id,
        waiting_order=waiting.id,
        refusable_order=refusable.id,
        shipment=shipment.json["id"],
        webhook=webhook.json["id"],
        sku="SKU-T",
        api_key=spare.id,
    )


def api_operations() -> list[Operation]:
    return [op for op in operations(with_metrics=True) if not op.public]


async def send(tenant: Tenant, op: Operation, path: str, **kw: Any) -> Any:
    if op.operation_id in RAW_BODIES and "data" not in kw and "json" not in kw:
        data, media = RAW_BODIES[op.operation_id]
        return await tenant.api.call(
            op.method, path, data=data, headers={"Content-Type": media, **kw.pop("headers", {})}, **kw
        )
    if op.operation_id in BODIES and "data" not in kw and "json" not in kw:
        kw["json"] = BODIES[op.operation_id]
    if op.operation_id in QUERIES and "params" not in kw:
        kw["params"] = QUERIES[op.operation_id]
    return await tenant.api.call(op.method, path, **kw)
