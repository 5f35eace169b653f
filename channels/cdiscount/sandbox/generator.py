"""Seeded Octopia orders: every status, home and pickup deliveries, fulfilment lines, fees and discounts.

Each order draws from its own ``random.Random(f"{seed}:order:{index}")``, so order ``i`` of seed ``s`` is
the same whatever else was generated: ``--orders 100`` is a prefix of ``--orders 500`` with the same seed.
Orders are kept complete (shipping address included) and the wire view hides what the real API hides.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from portside.adapters.carriers.seed_points import COLISSIMO, MONDIAL_RELAY, SeedPoint, seed_points

from . import fixtures, lines, modes, people
from .clock import iso

Wire = dict[str, Any]

STATUSES = (
    "Processing",
    "WaitingAcceptance",
    "Accepted",
    "InPreparation",
    "Shipped",
    "Delivered",
    "Cancelled",
    "Refused",
    "Rejected",
)
_STATUS_WEIGHTS = (5, 10, 7, 40, 18, 9, 6, 3, 2)
# How long after creation each status is typically last touched, in hours (min, max).
_AGE_AT_UPDATE = {
    "Processing": (0, 0.3),
    "WaitingAcceptance": (0, 1),
    "Accepted": (0, 2),
    "InPreparation": (0.1, 6),
    "Shipped": (20, 72),
    "Delivered": (72, 150),
    "Cancelled": (0.5, 48),
    "Refused": (0.5, 24),
    "Rejected": (0, 1),
}
DELIVERIES = ("home", MONDIAL_RELAY, COLISSIMO, "relais_colis")
_DELIVERY_WEIGHTS = (64, 17, 14, 5)
LIVE_LINE_STATUSES = ("Accepted", "InPreparation", "Shipped", "Delivered")
_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def build_order(
    seed: int,
    index: int,
    *,
    seller_id: str,
    now: datetime,
    status: str | None = None,
    delivery: str | None = None,
    recent: bool = False,
) -> Wire:
    """Order ``index`` of ``seed``; ``status``/``delivery`` force those draws, ``recent`` dates it minutes ago."""
    rng = random.Random(f"{seed}:order:{index}")
    status = status or rng.choices(STATUSES, weights=_STATUS_WEIGHTS)[0]
    delivery = delivery or rng.choices(DELIVERIES, weights=_DELIVERY_WEIGHTS)[0]
    age = timedelta(seconds=rng.uniform(60, 900) if recent else rng.uniform(1800, 30 * 86400))
    purchased = now - age
    created = min(now, purchased + timedelta(seconds=rng.randint(1, 90)))
    low, high = _AGE_AT_UPDATE[status]
    updated = created + timedelta(hours=rng.uniform(low, high))
    if updated > now:  # still in that status today: last touched some time between creation and now
        updated = created + (now - created) * rng.random()
    ship_by = (purchased + timedelta(days=2)).replace(hour=22, minute=0, second=0, microsecond=0)
    buyer = people.person(rng)
    business = rng.random() < 0.05
    order_lines = _lines(rng, status, delivery, ship_by)
    _ship_to(rng, order_lines, buyer, delivery)
    if status in ("Shipped", "Delivered"):
        _add_parcels(rng, order_lines, delivery)
    method = rng.choices(("Card", "PayPal", "Installments"), weights=(85, 10, 5))[0]
    fees = [{"label": "FRAISTRAITEMENT", "amount": 1.99}] if rng.random() < 0.15 else []
    if method == "Installments":
        fees.append({"label": "INTERETBCA", "amount": round(rng.uniform(2, 12), 2)})
    order_id = purchased.strftime("%y%m%d%H%M") + "".join(rng.choice(_ID_CHARS) for _ in range(5))
    return {
        "orderId": order_id,
        "reference": order_id,  # the number the buyer sees; Octopia's ``reference`` filter matches it
        "businessOrder": business,
        "salesChannel": {"id": "CDISFR", "name": "Cdiscount"},
        "seller": {"id": seller_id},
        "customer": {"reference": f"{rng.getrandbits(128):032x}"},
        "purchasedAt": iso(purchased),
        "createdAt": iso(created),
        "updatedAt": iso(updated),
        "shippedAtMax": iso(ship_by),
        "status": status,
        "payment": {"method": method},
        "currencyCode": "EUR",
        # Payment still under review: Octopia does not give the buyer's name and address yet.
        "billingAddress": None if status == "Processing" else people.billing_address(rng, buyer, business=business),
        "totalPrice": lines.open_total(order_lines),
        "serviceFees": fees,
        "lines": order_lines,
    }


def _lines(rng: random.Random, status: str, delivery: str, ship_by: datetime) -> list[Wire]:
    heavy = delivery == "home" and rng.random() < 0.06
    if heavy:
        mode, count = rng.choice(modes.BIG_PARCEL_MODES), 1
    elif delivery == "home":
        labels, weights = zip(*modes.HOME_MODES, strict=True)
        mode, count = rng.choices(labels, weights=weights)[0], rng.choices((1, 2, 3, 4), weights=(55, 25, 12, 8))[0]
    else:
        label, legacy = modes.PICKUP_MODES[delivery]
        mode, count = (legacy if rng.random() < 0.35 else label), rng.choices((1, 2, 3), weights=(65, 25, 10))[0]
    # Octopia-shipped orders: all lines fulfilled by a warehouse, or one such line in a seller order.
    all_fulfilled = rng.random() < 0.06
    mixed_at = rng.randrange(count) if count > 1 and rng.random() < 0.15 else None
    delivery_block = {
        "mode": mode,
        "promisedAtMin": iso(ship_by + timedelta(days=1, hours=2)),
        "promisedAtMax": iso(ship_by + timedelta(days=rng.randint(3, 6), hours=2)),
        "shippedAtMax": iso(ship_by),
    }
    result: list[Wire] = []
    for i in range(count):
        supply = rng.choice(("Fulfillment", "Xdock")) if all_fulfilled or i == mixed_at else "Seller"
        product = lines.pick_product(rng, heavy=heavy)
        line = lines.line(
            rng,
            str(i + 1),
            product,
            mode=mode,
            supply_mode=supply,
            status=status,
            first=i == 0,
            delivery=dict(delivery_block),
        )
        result.append(line)
    # A line cancelled by the buyer inside an order that goes on (never the last live seller line).
    if status in LIVE_LINE_STATUSES and count > 1 and rng.random() < 0.15:
        result[rng.randrange(1, count)]["status"] = "Cancelled"
    return result


def _point(rng: random.Random, carrier: str) -> SeedPoint:
    points = [p for p in seed_points(carrier) if p.country == "FR"]  # the seeded buyers all live in France
    roll = rng.random()
    # Over-sample the awkward points so even a small seed has orders naming them.
    if roll < 0.1:
        points = [p for p in points if not p.listed]
    elif roll < 0.2:
        points = [p for p in points if p.closures]
    return rng.choice(points)


def _ship_to(rng: random.Random, order_lines: list[Wire], buyer: people.Person, delivery: str) -> None:
    if delivery in (MONDIAL_RELAY, COLISSIMO):
        point = _point(rng, delivery)
        pickup_id = point.point_id
        if rng.random() < (0.4 if delivery == MONDIAL_RELAY else 0.15):
            pickup_id = pickup_id.lstrip("0")  # marketplaces drop the leading zeros ("5680" for "005680")
        where = (point.street, point.postal_code, point.city, point.country)
        address = people.pickup_address(buyer, pickup_id, point.name, *where)
    elif delivery == "relais_colis":
        pickup_id, name, street, postal_code, city = rng.choice(fixtures.RELAIS_COLIS_POINTS)
        address = people.pickup_address(buyer, pickup_id, name, street, postal_code, city, "FR")
    else:
        # Most parcels go to the buyer; some to someone else (a gift), with another name and address.
        recipient = buyer if rng.random() < 0.85 else people.person(rng)
        address = people.home_address(rng, recipient)
    for line in order_lines:
        line["shippingAddress"] = dict(address)


def _add_parcels(rng: random.Random, order_lines: list[Wire], delivery: str) -> None:
    carrier = fixtures.PICKUP_CARRIERS.get(delivery) or rng.choice(fixtures.HOME_CARRIERS)
    shipped = lines.parcel(rng, carrier)  # Cdiscount: one parcel for the complete order
    for line in order_lines:
        if line["offer"]["supplyMode"] == "Seller" and line["status"] != "Cancelled":
            line["parcels"].append(dict(shipped))
