"""What the demo picks from the database to show, and the ready message with copy-paste ``curl`` lines."""

from __future__ import annotations

import random
from collections.abc import Container

import msgspec

from portside.core.model import Account, DeliveryKind, Order, OrderStatus, PickupCarrier, PointSource, Store
from portside.core.model.masking import masked_repr, masked_rich_repr
from portside.core.ports import OrderQuery

from .application import Portside

SHIP_WITH = PickupCarrier.colissimo  # the carrier of the ship lines: both marketplaces list it


class Shown(msgspec.Struct, frozen=True, kw_only=True):
    """What the curl lines show of a demo store."""

    marketplace: str  # as a seller names it: Cdiscount, Leroy Merlin
    relay: PickupCarrier  # the network of the pickup order shown
    point_from: str  # where the marketplace's order names the pickup point


class Showcase(msgspec.Struct, kw_only=True):
    """One demo store and the orders its curl lines use."""

    store: Store
    shown: Shown
    pickup_order: Order | None  # a relay order completed from its carrier's directory
    shippable_order: Order | None  # awaiting shipment, known to the running sandbox, not shipped yet


class DemoFacts(msgspec.Struct, kw_only=True):
    api: str
    key: str
    account: Account
    cdiscount: Showcase
    leroy_merlin: Showcase
    octopia: str
    mirakl: str
    mondial_relay: str
    colissimo: str
    database: str

    __secret_fields__ = frozenset({"key"})  # printed once, on purpose, by print_ready; never by a repr
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


def _ships_with_colissimo(order: Order) -> bool:
    if order.delivery is None or order.delivery.kind == DeliveryKind.home:
        return True
    return order.pickup_point is not None and order.pickup_point.carrier == SHIP_WITH


async def demo_orders(app: Portside, store: Store, sandbox_orders: Container[str], shown: Shown) -> Showcase:
    """A pickup order of ``shown.relay`` completed from its carrier's directory, and an order awaiting
    shipment that the running sandbox knows and nobody shipped yet (so the ship line works on every run):
    that pickup order itself when it ships with Colissimo, so the lines tell one story, else a home order."""
    async with app.uow() as u:
        pickups = [
            r.order
            for r in await u.orders.find(OrderQuery(store_ids=(store.id,), pickup_carrier=shown.relay, limit=100))
        ]
        waiting = await u.orders.find(
            OrderQuery(store_ids=(store.id,), statuses=(OrderStatus.awaiting_shipment,), limit=200)
        )
        shippable = [
            r.order
            for r in waiting
            if _ships_with_colissimo(r.order)
            and r.order.channel_order_id in sandbox_orders
            and not await u.shipments.list_for_order(r.order.id)
        ]
    can_ship = {o.id for o in shippable}
    enriched = [o for o in pickups if o.pickup_point is not None and o.pickup_point.source == PointSource.directory]
    candidates = [o for o in enriched if o.id in can_ship] or enriched or pickups
    pickup = candidates[0] if candidates else None
    if pickup is not None and pickup.id in can_ship:
        ship: Order | None = pickup
    else:
        ship = next((o for o in shippable if o.pickup_point is None), None)
    return Showcase(store=store, shown=shown, pickup_order=pickup, shippable_order=ship)


def _pickup_lines(api: str, auth: str, show: Showcase) -> list[str]:
    order = show.pickup_order
    if order is None:
        return []
    point = order.pickup_point
    carrier = point.carrier.replace("_", " ").title() if point else "pickup"
    return [
        f"  # a {show.shown.marketplace} {carrier} pickup order, the point named by {show.shown.point_from}:",
        f"  # address, hours and coordinates from {carrier}'s directory, and the label hints",
        f"  curl -s {auth} {api}/v1/orders/{order.id}",
    ]


def _ship_lines(api: str, auth: str, show: Showcase) -> list[str]:
    order = show.shippable_order
    if order is None:
        return []
    tracking = f"6A{random.randint(10**10, 10**11 - 1)}"
    body = f'{{"carrier": "{SHIP_WITH}", "tracking_number": "{tracking}"}}'
    return [
        f"  # ship {show.shown.marketplace} order {order.channel_order_id}: the outbox relay tells the marketplace",
        f"  curl -s -X POST {auth} -H 'Content-Type: application/json' \\",
        f"       -d '{body}' {api}/v1/orders/{order.id}/shipments",
        '  # a few seconds later: its notification is "delivered", with what the marketplace received',
        f"  curl -s {auth} {api}/v1/orders/{order.id}/shipments",
    ]


def print_ready(facts: DemoFacts) -> None:
    api, shows = facts.api, (facts.cdiscount, facts.leroy_merlin)
    auth = '-H "Authorization: Bearer $PORTSIDE_KEY"'
    stores = [f"{s.store.name} ({s.store.id}), synced every {s.store.sync_interval_s // 60} min" for s in shows]
    lines = [
        "",
        "portside demo is ready. Ctrl-C stops everything.",
        "",
        f"  API              {api}   (OpenAPI document: {api}/v1/openapi.json)",
        f"  API key          {facts.key}",
        f"  account          {facts.account.name} ({facts.account.id})",
        f"  stores           {stores[0]}",
        f"                   {stores[1]}",
        f"  sandboxes        Octopia (Cdiscount) {facts.octopia}",
        f"                   Mirakl (Leroy Merlin) {facts.mirakl}",
        f"                   Mondial Relay {facts.mondial_relay}",
        f"                   Colissimo {facts.colissimo}",
        f"  database         {facts.database}",
        "",
        "Try (answers are JSON; append | python3 -m json.tool to read them):",
        f"  export PORTSIDE_KEY={facts.key}",
        "",
        '  # the orders of both stores, in the order portside changed them ("next_cursor" is the next page)',
        f"  curl -s {auth} '{api}/v1/orders?limit=5'",
        f"  # one store's orders: the {facts.leroy_merlin.shown.marketplace} ones",
        f"  curl -s {auth} '{api}/v1/orders?store_id={facts.leroy_merlin.store.id}&limit=5'",
    ]
    for show in shows:
        lines += ["", *_pickup_lines(api, auth, show)] if show.pickup_order is not None else []
    for show in shows:
        lines += ["", *_ship_lines(api, auth, show)] if show.shippable_order is not None else []
    lines += [
        "",
        '  # what each marketplace received, once per order: Octopia\'s "shipment_posts", Mirakl\'s "received"',
        f"  curl -s {facts.octopia}/_sandbox/stats",
        f"  curl -s {facts.mirakl}/_sandbox/stats",
    ]
    print("\n".join(lines), flush=True)
