"""The order JSON: a public contract (fields may be added, none renamed or removed)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec

from portside.core.model import ActivityKind, DeliveryKind, OrderStatus, PickupCarrier, PointSource

from .common import AddressJson, MoneyJson, UtcTime


class CustomerJson(msgspec.Struct, frozen=True, kw_only=True):
    name: str | None
    email: str | None
    phone: str | None


class DeliveryJson(msgspec.Struct, frozen=True, kw_only=True):
    code: str  # the channel's own delivery mode
    label: str | None
    kind: DeliveryKind
    carrier_hint: str | None


class TimeSlotJson(msgspec.Struct, frozen=True, kw_only=True):
    opens: str  # HH:MM, the point's local time
    closes: str


class DayHoursJson(msgspec.Struct, frozen=True, kw_only=True):
    weekday: int  # ISO: 1 = Monday … 7 = Sunday
    slots: list[TimeSlotJson]


class ClosureJson(msgspec.Struct, frozen=True, kw_only=True):
    start: date  # both days included
    end: date


class PickupPointJson(msgspec.Struct, frozen=True, kw_only=True):
    carrier: PickupCarrier
    point_id: str
    name: str | None
    address: AddressJson | None
    country: str | None
    latitude: float | None
    longitude: float | None
    opening_hours: list[DayHoursJson]
    closures: list[ClosureJson]
    point_type: str | None
    network: str | None
    is_locker: bool
    max_weight_g: int | None
    distance_m: int | None
    source: PointSource


class PickupPointIssueJson(msgspec.Struct, frozen=True, kw_only=True):
    reason: str  # not_found | closed | overweight
    detail: str
    alternatives: list[PickupPointJson]


class DiscountJson(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    amount: MoneyJson
    code: str | None
    funded_by: str | None


class FeeJson(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    amount: MoneyJson


class TotalsJson(msgspec.Struct, frozen=True, kw_only=True):
    items: MoneyJson
    shipping: MoneyJson
    discounts: MoneyJson
    fees: MoneyJson
    grand_total: MoneyJson


class OptionJson(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    value: str


class OrderLineJson(msgspec.Struct, frozen=True, kw_only=True):
    channel_line_id: str
    sku: str | None
    gtin: str | None
    title: str | None
    quantity: int
    unit_price: MoneyJson
    shipping: MoneyJson | None
    weight_g: int | None  # per unit
    image_url: str | None
    options: list[OptionJson]
    stock_location: str | None
    channel_status: str | None
    supply_mode: str | None
    shippable: bool


class OrderJson(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    store_id: str
    channel: str
    channel_order_id: str
    channel_reference: str | None
    status: OrderStatus
    channel_status: str
    placed_at: UtcTime
    updated_at: UtcTime  # the channel's last change
    modified_at: UtcTime | None  # portside's last change: what updated_since and the cursor follow
    ship_by: UtcTime | None
    currency: str
    customer: CustomerJson
    billing_address: AddressJson | None
    shipping_address: AddressJson | None
    delivery: DeliveryJson | None
    pickup_point: PickupPointJson | None
    pickup_point_issue: PickupPointIssueJson | None
    payment_method: str | None
    discounts: list[DiscountJson]
    fees: list[FeeJson]
    gift: bool | None  # null: the channel does not say
    gift_message: str | None
    customer_notes: str | None
    internal_notes: str | None
    total_weight_g: int | None
    totals: TotalsJson
    flags: list[str]
    label_hints: dict[str, str]
    lines: list[OrderLineJson]


class OrderList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[OrderJson]
    next_cursor: str | None  # pass it as ``cursor`` for the next page; null on the last page


class ActivityJson(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    kind: ActivityKind
    at: UtcTime
    detail: dict[str, Any]


class ActivityList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ActivityJson]


class DecisionJson(msgspec.Struct, frozen=True, kw_only=True):
    order_id: str
    decision: str  # accept | refuse
    delivery: str  # the queued message's state: pending | in_flight | delivered | dead
    message_id: str


class OrderQueryParams(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    store_id: str | None = None
    status: list[OrderStatus] | None = None  # any of these (comma-separated or repeated)
    updated_since: UtcTime | None = None  # portside changed the order at or after this instant
    pickup_carrier: PickupCarrier | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 50
    cursor: str | None = None  # next_cursor of the previous page


class OrderPatch(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    internal_notes: Annotated[str, msgspec.Meta(max_length=10_000)] | None  # null clears them


class RefuseBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class AcceptBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """No parameters: an empty body or ``{}``."""
