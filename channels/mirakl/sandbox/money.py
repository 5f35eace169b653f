"""Sandbox order money: a seller promotion on a line, and order totals from the lines (reference §5.3, §5.5)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from .catalogue import PROMO_CODES

Wire = dict[str, Any]
_CENT = Decimal("0.01")


def promote(order: Wire, rng: random.Random) -> None:
    """A seller promotion on one line: already deducted from its price (§5.5), listed on the order too."""
    line = rng.choice(order["order_lines"])
    off = (line["price_unit"] * Decimal("0.1")).quantize(_CENT)
    line["price_unit"] -= off
    line["price"] = line["price_unit"] * line["quantity"]
    line["total_price"] = line["price"] + line["shipping_price"]
    deduced = off * line["quantity"]
    promo_id = f"PROMO-{rng.randint(100, 999)}"
    config = {"type": "AMOUNT_OFF", "amount_off": off, "internal_description": "Remise 10 % sur la sélection"}
    promo = {"id": promo_id, "promo_code": rng.choice(PROMO_CODES), "deduced_amount": deduced}
    line["promotions"] = [{**promo, "apportioned": True, "configuration": config}]
    order["promotions"] = {"applied_promotions": [{**promo, "configuration": config}], "total_deduced_amount": deduced}


def finish(order: Wire) -> None:
    """Order totals from its lines (price + shipping + fees, §5.3)."""
    lines = order["order_lines"]
    order["price"] = sum((ln["price"] for ln in lines), Decimal(0))
    order["shipping_price"] = sum((ln["shipping_price"] for ln in lines), Decimal(0))
    order["total_price"] = order["price"] + order["shipping_price"]
    order["total_commission"] = (order["price"] * Decimal("0.15")).quantize(_CENT)
