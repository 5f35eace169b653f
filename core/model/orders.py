"""The channel-agnostic order: what every marketplace's order becomes once imported."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import msgspec
from msgspec.structs import force_setattr

from ._ids import uuid_text
from ._time import optional_utc, require_utc
from .delivery import DeliveryMethod, PickupPoint, PickupPointIssue
from .money import Money, Weight
from .parties import Address, Customer
from .statuses import OrderStatus

# Deterministic ids make the import idempotent by construction: the same channel order in the
# same store always has the same id, whichever process or retry stores it first.
_ORDER_NAMESPACE = uuid.UUID("8e0f4d4e-7c53-4d37-9a7c-2f2b0f6f4a11")

# Bounds past which a marketplace order is broken or hostile, never real (mapping quarantines it). A
# big B2B order takes thousands of units of a line and a hundred lines; these leave two orders of
# magnitude above that, and keep every total exact (money.MAX_AMOUNT) and every order storable.
MAX_QUANTITY = 100_000  # units on one line
MAX_LINES = 1_000  # lines in one order


def order_id_for(store_id: str, channel_order_id: str) -> str:
    return str(uuid.uuid5(_ORDER_NAMESPACE, f"{store_id}\x1f{channel_order_id}"))


class StoreOrderIds:
    """``order_id_for(store_id, ·)`` for one store, for mapping hot paths: the same UUIDv5 computed
    with hashlib directly, the store's prefix hashed once. ``uuid.uuid5`` builds and validates a UUID
    object per call (about 4 µs, the largest single cost of mapping an order); this is under 1 µs.
    Equality with ``order_id_for`` is property-tested."""

    __slots__ = ("_prefix", "store_id")

    def __init__(self, store_id: str) -> None:
        self.store_id = store_id
        self._prefix = hashlib.sha1(_ORDER_NAMESPACE.bytes + f"{store_id}\x1f".encode(), usedforsecurity=False)

    def __call__(self, channel_order_id: str) -> str:
        digest = self._prefix.copy()
        digest.update(channel_order_id.encode())
        return uuid_text(digest.hexdigest(), 5)


class OrderFlag(StrEnum):
    unmapped_status = "unmapped_status"
    pickup_point_unavailable = "pickup_point_unavailable"
    pickup_point_unverified = "pickup_point_unverified"  # directory down: enrichment retried next sync
    recipient_mobile_missing = "recipient_mobile_missing"
    fulfilled_by_channel = "fulfilled_by_channel"
    unknown_sku = "unknown_sku"
    acceptance_overdue = "acceptance_overdue"  # set by the scheduler's acceptance-SLA check
    decision_pending = "decision_pending"  # the seller accepted or refused; the marketplace has not said yet


class LineOption(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    name: str
    value: str


class OrderLine(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    channel_line_id: str
    sku: str | None = None
    gtin: str | None = None
    title: str | None = None
    quantity: int
    unit_price: Money
    shipping: Money | None = None  # shipping paid for this line, all units
    weight: Weight | None = None  # per unit
    image_url: str | None = None
    options: tuple[LineOption, ...] = ()
    stock_location: str | None = None
    channel_status: str | None = None
    supply_mode: str | None = None  # channel's fulfilment mode (Octopia ``Seller``/``Fulfillment``/``Xdock``)
    shippable: bool = True  # False: shipped by the channel, cancelled or refused, never offered for shipment

    def __post_init__(self) -> None:
        if not 0 <= self.quantity <= MAX_QUANTITY:
            raise ValueError(
                f"line {self.channel_line_id}: quantity must be between 0 and {MAX_QUANTITY:,} "
                f"(got {Decimal(self.quantity):.6g})"  # Decimal: an int of thousands of digits prints short
            )

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity)


class Discount(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    label: str
    amount: Money  # positive: what the buyer did not pay
    code: str | None = None
    funded_by: str | None = None  # marketplace | seller | unknown


class Fee(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    label: str
    amount: Money


class OrderTotals(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    items: Money
    shipping: Money
    discounts: Money
    fees: Money
    grand_total: Money

    def __post_init__(self) -> None:
        currencies = {m.currency for m in (self.items, self.shipping, self.discounts, self.fees, self.grand_total)}
        if len(currencies) != 1:
            raise ValueError(f"order totals mix currencies: {sorted(currencies)}")

    @property
    def computed_grand_total(self) -> Money:
        return self.items + self.shipping + self.fees - self.discounts


class Order(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    id: str
    store_id: str
    channel: str
    channel_order_id: str
    channel_reference: str | None = None
    channel_status: str
    status: OrderStatus
    placed_at: datetime
    updated_at: datetime
    ship_by: datetime | None = None
    currency: str
    customer: Customer = Customer()
    billing_address: Address | None = None
    shipping_address: Address | None = None
    delivery: DeliveryMethod | None = None
    pickup_point: PickupPoint | None = None
    pickup_point_issue: PickupPointIssue | None = None
    payment_method: str | None = None
    totals: OrderTotals
    discounts: tuple[Discount, ...] = ()
    fees: tuple[Fee, ...] = ()
    gift: bool | None = None  # None: the channel does not say
    gift_message: str | None = None
    customer_notes: str | None = None
    internal_notes: str | None = None  # the seller's, never overwritten by an import
    total_weight: Weight | None = None
    lines: tuple[OrderLine, ...] = ()
    flags: tuple[str, ...] = ()
    label_hints: dict[str, str] = {}

    def __post_init__(self) -> None:
        force_setattr(self, "placed_at", require_utc(self.placed_at, "placed_at"))
        force_setattr(self, "updated_at", require_utc(self.updated_at, "updated_at"))
        force_setattr(self, "ship_by", optional_utc(self.ship_by, "ship_by"))
        if self.totals.grand_total.currency != self.currency.upper():
            raise ValueError(f"order {self.channel_order_id}: totals are not in the order currency {self.currency}")
        if len(self.lines) > MAX_LINES:
            raise ValueError(f"order {self.channel_order_id}: {len(self.lines)} lines, more than {MAX_LINES:,}")
        if len(set(self.flags)) != len(self.flags):
            force_setattr(self, "flags", tuple(dict.fromkeys(self.flags)))

    @property
    def shippable_lines(self) -> tuple[OrderLine, ...]:
        return tuple(line for line in self.lines if line.shippable and line.quantity > 0)

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags

    def with_flags(self, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> Order:
        if not add and not self.flags:
            return self  # the usual call on an import's path (status resolution, enrichers): nothing to clear
        kept = tuple(f for f in self.flags if f not in remove)
        flags = tuple(dict.fromkeys(kept + add))
        # Unchanged: the same object, since every replace re-runs the invariants (an import hot path).
        return self if flags == self.flags else msgspec.structs.replace(self, flags=flags)


def lines_weight(lines: tuple[OrderLine, ...]) -> Weight | None:
    """Total weight of ``lines``, or None when any shippable line's weight is unknown."""
    grams = 0
    for line in lines:
        if not line.shippable:
            continue
        if line.weight is None:
            return None
        grams += line.weight.grams * line.quantity
    return Weight(grams=grams)


def sum_money(values: list[Money], currency: str) -> Money:
    return Money(amount=sum((v.amount for v in values), Decimal(0)), currency=currency)
