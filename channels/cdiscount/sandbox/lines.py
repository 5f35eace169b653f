"""Seeded order lines: products, GTINs, Octopia's price blocks, product attributes and parcels.

``productAttributes`` has no documented shape; the sandbox sends ``[{"name": "Couleur", "value": "Noir"}]``.
Prices are JSON numbers in euros, VAT included; a line where ``offerPrice.unitSalesPrice`` exceeds
``sellingPrice.unitSalesPrice`` models a marketplace-funded discount (reference §4.3).
"""

from __future__ import annotations

import random
from typing import Any

from . import fixtures
from .people import digits

Wire = dict[str, Any]
Product = tuple[str, str, float, float, str | None, bool]

_CONDITIONS = (("New", 90), ("LikeNew", 4), ("VeryGoodState", 3), ("Refurbished", 3))
_SHIPPING = {
    "NotTrackedHomeDelivery": 2.49,
    "TrackedHomeDelivery": 4.99,
    "SignedHomeDelivery": 6.90,
    "ExpressHomeDelivery": 9.90,
    "FixedDateHomeDelivery": 49.0,
    "SpecificRoomHomeDelivery": 79.0,
    "WithSetupHomeDelivery": 129.0,
}
_PICKUP_SHIPPING = 3.49


def ean13(rng: random.Random) -> str:
    """A GTIN with a valid EAN-13 check digit, prefix 30-37 (GS1 France)."""
    body = f"3{rng.randint(0, 7)}{digits(rng, 10)}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def pick_product(rng: random.Random, *, heavy: bool) -> Product:
    return rng.choice([p for p in fixtures.PRODUCTS if p[5] is heavy])


def _attributes(rng: random.Random, kind: str | None) -> tuple[list[Wire], str]:
    if kind is None:
        return [], ""
    colour = rng.choice(fixtures.COLOURS)
    attributes = [{"name": "Couleur", "value": colour}]
    suffix = "-" + "".join(w[0] for w in colour.upper().split())
    if kind in ("apparel", "shoes"):
        size = rng.choice(fixtures.SIZES if kind == "apparel" else fixtures.SHOE_SIZES)
        attributes.append({"name": "Taille" if kind == "apparel" else "Pointure", "value": size})
        suffix += f"-{size}"
    return attributes, suffix


def _price(rng: random.Random, low: float, high: float) -> float:
    return round(int(rng.uniform(low, high)) + rng.choice((0.0, 0.49, 0.9, 0.99)), 2)


# Line statuses that close a line: it ships with nobody and counts in no total.
CLOSED_LINE_STATUSES = frozenset({"Cancelled", "Refused", "Rejected"})


def open_total(order_lines: list[Wire]) -> Wire:
    """The order's ``totalPrice``: the sum of its open lines' (reference §4.3: ``totalPrice.sellingPrice`` is
    what the buyer paid, cross-checked against the lines). A refused or rejected order was never paid and a
    cancelled line is not charged, so closed lines count in neither price. Whether Octopia zeroes the total
    of a refused order or keeps its original amount is not documented (an open question, §8); the sandbox keeps it
    consistent with the lines it sends."""
    live = [ln for ln in order_lines if ln.get("status") not in CLOSED_LINE_STATUSES]
    return {
        "offerPrice": round(sum(ln["totalPrice"]["offerPrice"] for ln in live), 2),
        "sellingPrice": round(sum(ln["totalPrice"]["sellingPrice"] for ln in live), 2),
    }


def line(
    rng: random.Random,
    line_id: str,
    product: Product,
    *,
    mode: str,
    supply_mode: str,
    status: str,
    first: bool,
    delivery: Wire,
) -> Wire:
    """One line in Octopia's shape; ``parcels`` empty and no ``shippingAddress`` (the order adds them)."""
    title, stem, low, high, kind, _heavy = product
    quantity = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
    selling = _price(rng, low, high)
    offer = round(selling * rng.uniform(1.05, 1.25), 2) if rng.random() < 0.15 else selling
    base = _SHIPPING.get(mode, _PICKUP_SHIPPING)
    shipping = base if first else round(min(base, 1.0), 2)  # Cdiscount bills extra lines a reduced fee
    rate = rng.choice((8.5, 12.0, 14.0, 15.0))
    commission = round(offer * quantity * rate / 100 / 1.2, 2)
    vat = round(selling * quantity - selling * quantity / 1.2, 2)
    attributes, suffix = _attributes(rng, kind)
    gtin = ean13(rng) if rng.random() < 0.95 else None  # some offers carry a Cdiscount-generated id only
    wire: Wire = {
        "orderLineId": line_id,
        "status": status,
        "quantity": quantity,
        "totalPrice": {
            "offerPrice": round(offer * quantity + shipping, 2),
            "sellingPrice": round(selling * quantity + shipping, 2),
        },
        "offerPrice": {
            "unitSalesPrice": offer,
            "shippingCost": shipping,
            "commission": {"amountWithVat": round(commission * 1.2, 2), "amountWithoutVat": commission, "rate": rate},
            "taxes": [{"code": "VAT", "target": "Product", "amount": vat, "rate": 20.0}],
        },
        "sellingPrice": {"unitSalesPrice": selling, "shippingCost": shipping, "taxes": []},
        "offer": {
            "id": f"OF{digits(rng, 9)}",
            "sellerProductId": stem + (suffix or f"-{rng.randint(1, 40):03d}"),
            "supplyMode": supply_mode,
            "productId": "AUC" + (gtin or digits(rng, 13)),
            "productTitle": title,
            "productGtin": gtin,
            "condition": rng.choices([c for c, _ in _CONDITIONS], weights=[w for _, w in _CONDITIONS])[0],
        },
        "delivery": delivery,
        "parcels": [],
    }
    if attributes:
        wire["productAttributes"] = attributes
    return wire


def parcel(rng: random.Random, carrier: tuple[str, str, str]) -> Wire:
    """A parcel as ``lines[].parcels`` shows it after the seller shipped."""
    label, shape, url = carrier
    number = "".join(rng.choice("0123456789") if c == "#" else c for c in shape)
    return {"parcelNumber": number, "carrierName": label, "trackingUrl": url.format(number)}
