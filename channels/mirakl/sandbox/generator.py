"""Seeded, realistic OR11 orders for one operator: buyers, lines, promotions, relay points from the shared seed.

The same (operator, seed, index) always gives the same order. Relay orders name points from
``adapters/carriers/seed_points`` (some of them no longer listed by their carrier), written the way
each marketplace writes them (reference §13).
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from .catalogue import COUNTRY_NAMES, FIRST_NAMES, LAST_NAMES, PRODUCTS, STREETS, TOWNS
from .clock import iso
from .money import finish, promote
from .operators import Operator
from .relays import relay_fields
from .visibility import shows_addresses

Wire = dict[str, Any]
STATE_WEIGHTS = {
    "STAGING": 3,
    "WAITING_ACCEPTANCE": 15,
    "WAITING_DEBIT_PAYMENT": 5,
    "SHIPPING": 45,
    "SHIPPED": 12,
    "TO_COLLECT": 2,
    "RECEIVED": 6,
    "CLOSED": 3,
    "REFUSED": 4,
    "CANCELED": 5,
}
_DECIDED_BY_SELLER = ("WAITING_ACCEPTANCE", "REFUSED")  # never seen where the operator accepts (Decathlon)


def pick_state(rng: random.Random, op: Operator) -> str:
    weights = {s: w for s, w in STATE_WEIGHTS.items() if not (op.auto_accept and s in _DECIDED_BY_SELLER)}
    return rng.choices(list(weights), list(weights.values()))[0]


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.8:
        return f"+336{rng.randint(10_000_000, 99_999_999)}"
    return f"01{rng.randint(10_000_000, 99_999_999)}"  # a landline: Colissimo relay labels want a mobile


def _address(first: str, last: str, phone: str, country: str, rng: random.Random, **where: str) -> Wire:
    postcode, town = rng.choice(TOWNS.get(country, TOWNS["FRA"]))
    address = {
        "civility": rng.choice(("M", "MME")),
        "firstname": first,
        "lastname": last,
        "company": None,
        "street_1": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        "street_2": None,
        "zip_code": postcode,
        "city": town,
        "state": None,
        "country": COUNTRY_NAMES.get(country, country),
        "country_iso_code": country,
        "phone": phone,
        "phone_secondary": None,
    }
    address.update(where)
    return address


def _line(order_id: str, index: int, state: str, product: tuple[Any, ...], rng: random.Random, at: str) -> Wire:
    sku, title, unit, options = product
    quantity = rng.choice((1, 1, 1, 2, 3))
    unit_price = Decimal(unit)
    shipping = rng.choice((Decimal("0"), Decimal("4.90"), Decimal("6.90")))
    fields = [{"code": code, "type": "LIST", "value": rng.choice(values)} for code, values in options]
    media = f"/media/product/image/{uuid.UUID(int=rng.getrandbits(128), version=4)}"
    return {
        "order_line_id": f"{order_id}-{index}",
        "order_line_index": index,
        "order_line_state": state,
        "offer_id": rng.randint(1_000_000, 9_999_999),
        "offer_sku": sku,
        "product_sku": f"MKP{rng.randint(10**11, 10**12 - 1)}",
        "product_shop_sku": None,
        "product_title": title,
        "category_code": "C-" + sku.split("-")[0],
        "category_label": title.split()[0],
        "offer_state_code": "11",
        "quantity": quantity,
        "origin_unit_price": unit_price,
        "price_unit": unit_price,
        "price": unit_price * quantity,
        "shipping_price": shipping,
        "total_price": unit_price * quantity + shipping,
        "taxes": [],
        "shipping_taxes": [],
        "fees": [],
        "product_medias": [{"media_url": media, "mime_type": "JPEG", "type": "LARGE"}],
        "promotions": [],
        "order_line_additional_fields": fields,
        "cancelations": [],
        "refunds": [],
        "created_date": at,
        "last_updated_date": at,
        "shipped_date": None,
        "can_refund": False,
    }


def build_order(
    op: Operator, seed: int, index: int, now: datetime, *, state: str | None = None, relay: bool | None = None
) -> Wire:
    rng = random.Random(f"mirakl:{op.name}:{seed}:{index}")
    prefix, country = rng.choice(op.prefixes)
    number = f"{rng.randint(10**9, 10**10 - 1)}"
    commercial_id = f"{prefix}-{number}" if prefix else number
    order_id = f"{commercial_id}-A"
    state = state or pick_state(rng, op)
    created = now - timedelta(minutes=rng.randint(60, 30 * 24 * 60))
    updated = min(now, created + timedelta(minutes=rng.randint(1, 600)))
    first, last, phone = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), _phone(rng)
    home = _address(first, last, phone, country, rng)
    wants_relay = relay if relay is not None else rng.random() < op.relay_share
    relay_on = bool(op.relay_style) and wants_relay and country == "FRA"
    shipping_type = op.shipping_type(relay_on)
    products = PRODUCTS[op.catalogue]
    lines = [
        _line(order_id, i, state, rng.choice(products), rng, iso(created))
        for i in range(1, rng.choice((1, 1, 2, 3)) + 1)
    ]
    order: Wire = {
        "order_id": order_id,
        "commercial_id": commercial_id,
        "order_state": state,
        "order_state_reason_code": None,
        "created_date": iso(created),
        "last_updated_date": iso(updated),
        "shipping_deadline": iso(created + timedelta(days=3)),
        "delivery_date": {"earliest": iso(created + timedelta(days=4)), "latest": iso(created + timedelta(days=7))},
        "currency_iso_code": "EUR",
        "order_tax_mode": "TAX_INCLUDED",
        "payment_workflow": "PAY_ON_ACCEPTANCE",
        "payment_type": rng.choice(op.payment_types),
        "channel": {"code": prefix or "FR", "label": COUNTRY_NAMES.get(country, country)},
        "fulfillment": {"center": {"code": "DEFAULT"}},
        "can_cancel": state in ("WAITING_ACCEPTANCE", "SHIPPING"),
        "can_shop_ship": state == "SHIPPING",
        "has_customer_message": False,
        "has_incident": False,
        "customer_notification_email": f"{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}@notification.mirakl.net",
        "customer": {
            "customer_id": f"C-{rng.randint(100_000, 999_999)}",
            "civility": home["civility"],
            "firstname": first,
            "lastname": last,
            "locale": "fr_FR",
            "billing_address": home,
            "shipping_address": {
                **home,
                "company_2": None,
                "additional_info": rng.choice((None, None, "Digicode 4512B")),
            },
        },
        "shipping_type_code": shipping_type.code,
        "shipping_type_label": shipping_type.label,
        "shipping_zone_code": "FR-METRO" if country == "FRA" else country,
        "shipping_pudo_id": None,
        "shipping_carrier_code": None,
        "shipping_company": None,
        "shipping_tracking": None,
        "shipping_tracking_url": None,
        "order_additional_fields": [],
        "promotions": {"applied_promotions": [], "total_deduced_amount": Decimal(0)},
        "order_lines": lines,
        "_addresses_shown": False,
    }
    if relay_on:
        relay_fields(order, op, rng)
    if rng.random() < 0.25:
        promote(order, rng)
    finish(order)
    order["_addresses_shown"] = shows_addresses(op, state)
    return order
