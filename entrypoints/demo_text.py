"""What the demo picks from the database to show, and the ready message with copy-paste ``curl`` lines."""

from __future__ import annotations

import random
from typing import Any

import msgspec

from portside.core.model import Account, DeliveryKind, Order, OrderStatus, PointSource, Store
from portside.core.ports import OrderQuery

from .application import Portside


class DemoFacts(msgspec.Struct, kw_only=True):
    api: str
    key: str
    account: Account
    store: Store
    pickup_order: Order | None
    shippable_order: Order | None
    octopia: str
    mondial_relay: str
    colissimo: str
    database: str


async def demo_orders(app: Portside, store: Store, octopia: Any) -> tuple[Order | None, Order | None]:
    """A pickup order completed from its carrier's directory, and an order awaiting shipment that the
    running sandbox knows and nobody shipped yet (so the ship line works on every run)."""
    async with app.uow() as u:
        pickups = [
            r.order
            for carrier in ("mondial_relay", "colissimo")
            for r in await u.orders.find(OrderQuery(store_ids=(store.id,), pickup_carrier=carrier, limit=100))
        ]
        waiting = await u.orders.find(
            OrderQuery(store_ids=(store.id,), statuses=(OrderStatus.awaiting_shipment,), limit=200)
        )
        shippable = None
        for record in waiting:
            order = record.order
            home = order.delivery is None or order.delivery.kind == DeliveryKind.home
            if (
                home
                and order.channel_order_id in octopia.state.store
                and not await u.shipments.list_for_order(order.id)
            ):
                shippable = order
                break
    enriched = [o for o in pickups if o.pickup_point is not None and o.pickup_point.source == PointSource.directory]
    chosen = enriched or pickups
    return (chosen[0] if chosen else None), shippable


def print_ready(facts: DemoFacts) -> None:
    api, store = facts.api, facts.store
    auth = '-H "Authorization: Bearer $PORTSIDE_KEY"'
    lines = [
        "",
        "portside demo is ready. Ctrl-C stops everything.",
        "",
        f"  API              {api}   (OpenAPI document: {api}/v1/openapi.json)",
        f"  API key          {facts.key}",
        f"  account          {facts.account.name} ({facts.account.id})",
        f"  Cdiscount store  {store.name} ({store.id}), synced every {store.sync_interval_s // 60} min",
        f"  sandboxes        Octopia {facts.octopia}",
        f"                   Mondial Relay {facts.mondial_relay}",
        f"                   Colissimo {facts.colissimo}",
        f"  database         {facts.database}",
        "",
        "Try:",
        f"  export PORTSIDE_KEY={facts.key}",
        "",
        "  # the latest orders",
        f"  curl -s {auth} '{api}/v1/orders?limit=5'",
    ]
    if facts.pickup_order is not None:
        point = facts.pickup_order.pickup_point
        carrier = point.carrier.replace("_", " ").title() if point else "pickup"
        lines += [
            "",
            f"  # a {carrier} pickup order: address, hours and coordinates from the carrier's directory, label hints",
            f"  curl -s {auth} {api}/v1/orders/{facts.pickup_order.id}",
        ]
    if facts.shippable_order is not None:
        tracking = f"6A{random.randint(10**10, 10**11 - 1)}"
        body = f'{{"carrier": "colissimo", "tracking_number": "{tracking}"}}'
        lines += [
            "",
            f"  # ship order {facts.shippable_order.channel_order_id}: the marketplace is told by the outbox relay",
            f"  curl -s -X POST {auth} -H 'Content-Type: application/json' \\",
            f"       -d '{body}' {api}/v1/orders/{facts.shippable_order.id}/shipments",
            "",
            '  # then, with the "id" of that answer: notification "delivered" within a few seconds',
            f"  curl -s {auth} {api}/v1/shipments/SHIPMENT_ID",
            "",
            "  # the parcel, as the marketplace sandbox saw it",
            f"  curl -s {facts.octopia}/_sandbox/stats",
        ]
    print("\n".join(lines), flush=True)
