"""How each marketplace writes a relay order (reference §13), with points from the shared seed."""

from __future__ import annotations

import random
from typing import Any

from portside.adapters.carriers.seed_points import COLISSIMO, MONDIAL_RELAY, seed_points

from .operators import Operator

Wire = dict[str, Any]


def _field(code: str, value: str) -> Wire:
    return {"code": code, "type": "STRING", "value": value}


def relay_fields(order: Wire, op: Operator, rng: random.Random) -> None:
    """Turn ``order`` into a relay order: the point's address with the buyer's name, and the relay data
    where ``op`` puts it. Points include ones their carrier no longer lists (``listed=False``)."""
    style = op.relay_style
    carrier = MONDIAL_RELAY if style in ("go_sport", "rue_du_commerce") else COLISSIMO
    point = rng.choice([p for p in seed_points(carrier) if p.country == "FR"])
    point_id = point.point_id
    shipping = order["customer"]["shipping_address"]
    shipping.update(
        company=point.name,
        street_1=point.street,
        street_2=None,
        zip_code=point.postal_code,
        city=point.city,
        country="France",
        country_iso_code="FRA",
        additional_info=None,
    )
    fields: list[Wire] = []
    if style == "leroy_merlin":
        # Fixture: shipping_pudo_id plus provider and store-name fields; a trailing space seen elsewhere.
        order["shipping_pudo_id"] = point_id + " " if rng.random() < 0.15 else point_id
        fields = [
            _field("pudo-relay-point-provider", "colissimo"),
            _field("pudo-relay-point-store-name", point.name),
            _field("client-type", rng.choice(("INH", "INH", "PRO"))),
            _field("channel_code", order["channel"]["code"]),
        ]
    elif style == "galeries_lafayette":
        order["shipping_pudo_id"] = point_id
        fields = [_field("relais-id", point_id), _field("type-de-point", point.point_type)]
    elif style == "go_sport":
        # Marketplaces drop Mondial Relay's leading zeros now and then (5680 for 005680).
        order["shipping_pudo_id"] = point_id.lstrip("0") if rng.random() < 0.3 else point_id
    elif style == "rue_du_commerce":
        order["shipping_type_label"] = f"Livraison en point de proximité avec Mondial Relay {point_id}"
    order["order_additional_fields"] = fields
