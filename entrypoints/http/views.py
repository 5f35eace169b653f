"""Domain → public JSON for orders, shipments and pickup points; webhook bodies use the same views."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec

from portside.core.model import Address, Money, Order, OrderLine, PickupPoint, PickupPointIssue, Shipment, Weight

from .schemas.common import AddressJson, MoneyJson
from .schemas.orders import (
    ClosureJson,
    CustomerJson,
    DayHoursJson,
    DeliveryJson,
    DiscountJson,
    FeeJson,
    OptionJson,
    OrderJson,
    OrderLineJson,
    PickupPointIssueJson,
    PickupPointJson,
    TimeSlotJson,
    TotalsJson,
)
from .schemas.shipments import NotificationJson, ShipmentJson, ShipmentLineJson

_CENTS = Decimal("0.01")


def money(value: Money) -> MoneyJson:
    # "12.30", never "12.3" or "1.2E+1": at least two decimals, and more only when the amount has them.
    amount = value.amount.quantize(_CENTS) if value.amount.as_tuple().exponent > -2 else value.amount  # type: ignore[operator]
    return MoneyJson(amount=amount, currency=value.currency)


def _money(value: Money | None) -> MoneyJson | None:
    return None if value is None else money(value)


def _grams(weight: Weight | None) -> int | None:
    return None if weight is None else weight.grams


def address(value: Address | None) -> AddressJson | None:
    if value is None:
        return None
    return AddressJson(**msgspec.structs.asdict(value))


def pickup_point_json(point: PickupPoint) -> PickupPointJson:
    return PickupPointJson(
        carrier=point.carrier,
        point_id=point.point_id,
        name=point.name,
        address=address(point.address),
        country=point.country,
        latitude=point.latitude,
        longitude=point.longitude,
        opening_hours=[
            DayHoursJson(weekday=h.weekday, slots=[TimeSlotJson(opens=s.opens, closes=s.closes) for s in h.slots])
            for h in point.opening_hours
        ],
        closures=[ClosureJson(start=c.start, end=c.end) for c in point.closures],
        point_type=point.point_type,
        network=point.network,
        is_locker=point.is_locker,
        max_weight_g=_grams(point.max_weight),
        distance_m=point.distance_m,
        source=point.source,
    )


def _issue(issue: PickupPointIssue | None) -> PickupPointIssueJson | None:
    if issue is None:
        return None
    alternatives = [pickup_point_json(p) for p in issue.alternatives]
    return PickupPointIssueJson(reason=issue.reason, detail=issue.detail, alternatives=alternatives)


def _line(line: OrderLine) -> OrderLineJson:
    return OrderLineJson(
        channel_line_id=line.channel_line_id,
        sku=line.sku,
        gtin=line.gtin,
        title=line.title,
        quantity=line.quantity,
        unit_price=money(line.unit_price),
        shipping=_money(line.shipping),
        weight_g=_grams(line.weight),
        image_url=line.image_url,
        options=[OptionJson(name=o.name, value=o.value) for o in line.options],
        stock_location=line.stock_location,
        channel_status=line.channel_status,
        supply_mode=line.supply_mode,
        shippable=line.shippable,
    )


def order_json(order: Order, *, modified_at: datetime | None = None) -> OrderJson:
    delivery = order.delivery
    totals = order.totals
    return OrderJson(
        id=order.id,
        store_id=order.store_id,
        channel=order.channel,
        channel_order_id=order.channel_order_id,
        channel_reference=order.channel_reference,
        status=order.status,
        channel_status=order.channel_status,
        placed_at=order.placed_at,
        updated_at=order.updated_at,
        modified_at=modified_at,
        ship_by=order.ship_by,
        currency=order.currency,
        customer=CustomerJson(name=order.customer.name, email=order.customer.email, phone=order.customer.phone),
        billing_address=address(order.billing_address),
        shipping_address=address(order.shipping_address),
        delivery=None
        if delivery is None
        else DeliveryJson(
            code=delivery.code, label=delivery.label, kind=delivery.kind, carrier_hint=delivery.carrier_hint
        ),
        pickup_point=None if order.pickup_point is None else pickup_point_json(order.pickup_point),
        pickup_point_issue=_issue(order.pickup_point_issue),
        payment_method=order.payment_method,
        discounts=[
            DiscountJson(label=d.label, amount=money(d.amount), code=d.code, funded_by=d.funded_by)
            for d in order.discounts
        ],
        fees=[FeeJson(label=f.label, amount=money(f.amount)) for f in order.fees],
        gift=order.gift,
        gift_message=order.gift_message,
        customer_notes=order.customer_notes,
        internal_notes=order.internal_notes,
        total_weight_g=_grams(order.total_weight),
        totals=TotalsJson(
            items=money(totals.items),
            shipping=money(totals.shipping),
            discounts=money(totals.discounts),
            fees=money(totals.fees),
            grand_total=money(totals.grand_total),
        ),
        flags=list(order.flags),
        label_hints=dict(order.label_hints),
        lines=[_line(line) for line in order.lines],
    )


def shipment_json(shipment: Shipment) -> ShipmentJson:
    state = shipment.notification
    return ShipmentJson(
        id=shipment.id,
        order_id=shipment.order_id,
        store_id=shipment.store_id,
        carrier=shipment.carrier,
        service=shipment.service,
        tracking_number=shipment.tracking_number,
        tracking_url=shipment.tracking_url,
        carrier_fee=_money(shipment.carrier_fee),
        notes_to_buyer=shipment.notes_to_buyer,
        shipped_at=shipment.shipped_at,
        created_at=shipment.created_at,
        lines=[ShipmentLineJson(channel_line_id=li.channel_line_id, quantity=li.quantity) for li in shipment.lines],
        notification=NotificationJson(
            status=state.status,
            attempts=state.attempts,
            last_error=state.last_error,
            last_attempt_at=state.last_attempt_at,
            delivered_at=state.delivered_at,
            sent=dict(state.sent),
            not_sent=list(state.not_sent),
        ),
    )


def order_view(order: Order, *, modified_at: datetime | None = None) -> dict[str, Any]:
    """The order exactly as the API shows it, as plain JSON-ready data (money amounts as strings)."""
    return msgspec.to_builtins(order_json(order, modified_at=modified_at))  # type: ignore[no-any-return]


def shipment_view(shipment: Shipment) -> dict[str, Any]:
    return msgspec.to_builtins(shipment_json(shipment))  # type: ignore[no-any-return]


def pickup_point_view(point: PickupPoint) -> dict[str, Any]:
    return msgspec.to_builtins(pickup_point_json(point))  # type: ignore[no-any-return]
