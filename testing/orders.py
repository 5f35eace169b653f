"""Generated orders: realistic enough for tests and benchmarks, deterministic for a seed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from portside.core.model import (
    Address,
    Customer,
    DeliveryKind,
    DeliveryMethod,
    LineOption,
    Money,
    Order,
    OrderLine,
    OrderStatus,
    OrderTotals,
    PickupCarrier,
    PickupPoint,
    order_id_for,
)

_FIRST = ("Camille", "Léa", "Hugo", "Zoé", "Théo", "Chloé", "Noé", "Inès", "Jules", "Anaïs")
_LAST = ("Durand", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine", "Chevalier", "Lambert")
_CITIES = (("75011", "Paris"), ("69003", "Lyon"), ("13006", "Marseille"), ("59000", "Lille"), ("33000", "Bordeaux"))


def make_order(
    store_id: str,
    channel_order_id: str,
    *,
    channel: str = "fake",
    status: str = "ReadyToShip",
    core_status: OrderStatus = OrderStatus.awaiting_shipment,
    updated_at: datetime | None = None,
    lines: int = 1,
    rng: random.Random | None = None,
    pickup: PickupCarrier | None = None,
    skus: tuple[str, ...] | None = None,
) -> Order:
    rng = rng or random.Random(channel_order_id)
    updated = updated_at or datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    postal_code, city = rng.choice(_CITIES)
    address = Address(
        name=name, line1=f"{rng.randint(1, 120)} rue des Lilas", postal_code=postal_code, city=city, country="FR"
    )
    order_lines = []
    for index in range(lines):
        price = Money(amount=Decimal(rng.randint(199, 15999)) / 100, currency="EUR")
        sku = skus[index % len(skus)] if skus else f"SKU-{rng.randint(1, 500):04d}"
        order_lines.append(
            OrderLine(
                channel_line_id=str(index + 1),
                sku=sku,
                gtin=f"370000{rng.randint(0, 9999999):07d}",
                title=f"Article {sku}",
                quantity=rng.randint(1, 3),
                unit_price=price,
                shipping=Money(amount=Decimal("4.99"), currency="EUR"),
                options=(LineOption(name="couleur", value=rng.choice(("rouge", "bleu", "noir"))),),
                channel_status=status,
                supply_mode="Seller",
            )
        )
    items = sum((line.unit_price.amount * line.quantity for line in order_lines), Decimal(0))
    shipping = sum((line.shipping.amount for line in order_lines if line.shipping), Decimal(0))
    point = None
    delivery = DeliveryMethod(code="THD", label="TrackedHomeDelivery", kind=DeliveryKind.home)
    if pickup is not None:
        point = PickupPoint(carrier=pickup, point_id=str(rng.randint(1000, 99999)), name="RELAIS TEST")
        delivery = DeliveryMethod(code="REL", label="Relay", kind=DeliveryKind.pickup, carrier_hint=pickup)
    return Order(
        id=order_id_for(store_id, channel_order_id),
        store_id=store_id,
        channel=channel,
        channel_order_id=channel_order_id,
        channel_status=status,
        status=core_status,
        placed_at=updated - timedelta(hours=2),
        updated_at=updated,
        ship_by=updated + timedelta(days=2),
        currency="EUR",
        customer=Customer(name=name, email="client@example.com", phone="0601020304"),
        billing_address=address,
        shipping_address=address,
        delivery=delivery,
        pickup_point=point,
        payment_method="Card",
        totals=OrderTotals(
            items=Money(amount=items, currency="EUR"),
            shipping=Money(amount=shipping, currency="EUR"),
            discounts=Money.zero("EUR"),
            fees=Money.zero("EUR"),
            grand_total=Money(amount=items + shipping, currency="EUR"),
        ),
        lines=tuple(order_lines),
    )


def generate_orders(
    store_id: str, count: int, *, seed: int = 1, start: datetime | None = None, channel: str = "fake"
) -> list[Order]:
    """``count`` orders of 1–4 lines, updated one second apart from ``start``."""
    rng = random.Random(seed)
    base = start or datetime(2026, 10, 20, tzinfo=UTC)
    return [
        make_order(
            store_id,
            f"FAKE{seed:03d}{index:08d}",
            channel=channel,
            updated_at=base + timedelta(seconds=index),
            lines=rng.randint(1, 4),
            rng=random.Random(rng.random()),
        )
        for index in range(count)
    ]
