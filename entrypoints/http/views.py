"""Domain → public JSON for orders, shipments and pickup points; webhook bodies use the same views."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec

from portside.core.model import Address, Money, Order, OrderLine, PickupPoint, PickupPointIssue, Shipment, Weight

from .project import project
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
    exponent = value.amount.as_tuple().exponent
    amount = value.amount.quantize(_CENTS) if isinstance(exponent, int) and exponent > -2 else value.amount
    return MoneyJson(amount=amount, currency=value.currency)


def _money(value: Money | None) -> MoneyJson | None:
    return None if value is None else money(value)


def _grams(weight: Weight | None) -> int | None:
    return None if weight is None else weight.grams


def address(value: Address | None) -> AddressJson | None:
    return None if value is None else project(AddressJson, value)


def pickup_point_json(point: PickupPoint) -> PickupPointJson:
    hours = [
        DayHoursJson(weekday=h.weekday, slots=[project(TimeSlotJson, s) for s in h.slots]) for h in point.opening_hours
    ]
    return project(
        PickupPointJson,
        point,
        address=address(point.address),
        opening_hours=hours,
        closures=[project(ClosureJson, c) for c in point.closures],
        max_weight_g=_grams(point.max_weight),
    )


def _issue(issue: PickupPointIssue | None) -> PickupPointIssueJson | None:
    if issue is None:
        return None
    return project(PickupPointIssueJson, issue, alternatives=[pickup_point_json(p) for p in issue.alternatives])


def _line(line: OrderLine) -> OrderLineJson:
    return project(
        OrderLineJson,
        line,
        unit_price=money(line.unit_price),
        shipping=_money(line.shipping),
        weight_g=_grams(line.weight),
        options=[project(OptionJson, o) for o in line.options],
    )


def order_json(order: Order, *, modified_at: datetime | None = None) -> OrderJson:
    totals = order.totals
    return project(
        OrderJson,
        order,
        modified_at=modified_at,
        customer=project(CustomerJson, order.customer),
        billing_address=address(order.billing_address),
        shipping_address=address(order.shipping_address),
        delivery=None if order.delivery is None else project(DeliveryJson, order.delivery),
        pickup_point=None if order.pickup_point is None else pickup_point_json(order.pickup_point),
        pickup_point_issue=_issue(order.pickup_point_issue),
        discounts=[project(DiscountJson, d, amount=money(d.amount)) for d in order.discounts],
        fees=[project(FeeJson, f, amount=money(f.amount)) for f in order.fees],
        total_weight_g=_grams(order.total_weight),
        totals=TotalsJson(**{name: money(getattr(totals, name)) for name in TotalsJson.__struct_fields__}),
        flags=list(order.flags),
        label_hints=dict(order.label_hints),
        lines=[_line(line) for line in order.lines],
    )


def shipment_json(shipment: Shipment) -> ShipmentJson:
    state = shipment.notification
    return project(
        ShipmentJson,
        shipment,
        carrier_fee=_money(shipment.carrier_fee),
        lines=[project(ShipmentLineJson, line) for line in shipment.lines],
        notification=project(NotificationJson, state, sent=dict(state.sent), not_sent=list(state.not_sent)),
    )


def order_view(order: Order, *, modified_at: datetime | None = None) -> dict[str, Any]:
    """The order exactly as the API shows it, as plain JSON-ready data (money amounts as strings)."""
    return msgspec.to_builtins(order_json(order, modified_at=modified_at))  # type: ignore[no-any-return]


def shipment_view(shipment: Shipment) -> dict[str, Any]:
    return msgspec.to_builtins(shipment_json(shipment))  # type: ignore[no-any-return]


def pickup_point_view(point: PickupPoint) -> dict[str, Any]:
    return msgspec.to_builtins(pickup_point_json(point))  # type: ignore[no-any-return]
