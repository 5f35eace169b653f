"""An Octopia order → a core Order (or a SkippedOrder): pure, one pass, MappingError for anything wrong."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import InvalidOperation

from portside.core.errors import MappingError
from portside.core.model import Order, OrderFlag, OrderLine, OrderStatus, StoreOrderIds
from portside.core.ports import SkippedOrder

from .addresses import customer_of, full_name, pickup_point, recipient_name, to_address
from .lines import LineMapper, LineMoney
from .pickup import DeliveryModes
from .schemas import WireLine, WireOrder
from .statuses import DEFAULT_STATUS_MAPPING, SELLER_SUPPLY_MODE
from .totals import order_money

CHANNEL = "cdiscount"
# Part of every order's wire fingerprint: bump it whenever the mapping below changes what an order
# becomes, so the next sync maps every order again instead of trusting fingerprints made before.
MAPPING_VERSION = b"cdiscount-mapping/1"
NO_SELLER_LINE = "no line is shipped by the seller (every line is Fulfillment or Xdock)"


class MappingContext:
    """What mapping needs besides the payload: the store, its delivery-mode table, the currency
    default, and one line mapper per currency (with its memos)."""

    __slots__ = ("_line_mappers", "default_currency", "fingerprint_seed", "modes", "order_id", "store_id")

    def __init__(
        self,
        store_id: str,
        modes: DeliveryModes | None = None,
        default_currency: str = "EUR",
        *,
        shaping_settings: bytes = b"",
    ) -> None:
        self.store_id = store_id
        # What an order's mapping depends on besides its payload: a change to any of it (the store's
        # delivery-mode table, a new mapping version) must change every fingerprint.
        self.fingerprint_seed = MAPPING_VERSION + b"\x1f" + store_id.encode() + b"\x1f" + shaping_settings
        self.order_id = StoreOrderIds(store_id)  # the core's order_id_for, faster
        self.modes = modes or DeliveryModes()
        self.default_currency = default_currency.upper()
        self._line_mappers: dict[str, LineMapper] = {}

    def lines(self, currency: str) -> LineMapper:
        mapper = self._line_mappers.get(currency)
        if mapper is None:
            mapper = self._line_mappers[currency] = LineMapper(currency)
        return mapper


def map_order(wire: WireOrder, ctx: MappingContext) -> Order | SkippedOrder:
    """The core view of ``wire``; raises MappingError (never anything else) when it cannot be built."""
    try:
        return _map(wire, ctx)
    except MappingError as exc:
        raise MappingError(f"order {wire.order_id}: {exc}") from None
    except (ValueError, TypeError, ArithmeticError, InvalidOperation) as exc:
        # Core invariants (currency, country code, negative quantity…) refuse the payload.
        raise MappingError(f"order {wire.order_id}: {exc}") from exc


def _aware(moment: datetime) -> datetime:
    # Octopia writes UTC with ``Z`` (§4.2); a timestamp without an offset is taken as UTC too.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else _aware(moment)


def _line_ship_by(lines: list[WireLine], seller: list[bool]) -> datetime | None:
    """Earliest ``delivery.shippedAtMax`` of the seller's lines, when the order has none of its own."""
    known = [
        _aware(line.delivery.shipped_at_max)
        for line, mine in zip(lines, seller, strict=True)
        if mine and line.delivery and line.delivery.shipped_at_max
    ]
    return min(known) if known else None


def _map(wire: WireOrder, ctx: MappingContext) -> Order | SkippedOrder:
    channel_order_id = str(wire.order_id).strip()
    if not channel_order_id:
        raise MappingError("empty orderId")
    wire_lines = wire.lines or []
    # Fulfillment/Xdock lines are Octopia's to ship (§4.3): statuses.is_seller_mode, inlined (bench/).
    seller_flags = [
        line.offer is None
        or (mode := line.offer.supply_mode) is None
        or mode == SELLER_SUPPLY_MODE
        or mode.strip().casefold() == "seller"
        for line in wire_lines
    ]
    if True not in seller_flags:
        return SkippedOrder(channel_order_id=channel_order_id, reason=NO_SELLER_LINE)
    placed_at = wire.purchased_at or wire.created_at or wire.updated_at
    if placed_at is None:
        raise MappingError("no purchasedAt, createdAt or updatedAt")
    updated_at = wire.updated_at or wire.created_at or placed_at
    if placed_at.tzinfo is None or updated_at.tzinfo is None:
        placed_at, updated_at = _aware(placed_at), _aware(updated_at)
    currency = (wire.currency_code or ctx.default_currency).strip().upper()
    mapper = ctx.lines(currency)

    sums = LineMoney()
    lines: list[OrderLine] = []
    ship_line: WireLine | None = None  # the first seller line with an address carries the order's (§4.3)
    position = 0
    for line in wire_lines:
        seller = seller_flags[position]
        position += 1
        lines.append(mapper.map(line, position, seller, sums))
        if seller and ship_line is None and line.shipping_address is not None:
            ship_line = line
    if ship_line is None:
        ship_line = wire_lines[seller_flags.index(True)]

    flags: tuple[str, ...] = ()
    channel_status = wire.status or ""
    status = DEFAULT_STATUS_MAPPING.get(channel_status)
    if status is None:
        status = OrderStatus.on_hold  # kept, never dropped; the import re-resolves with the store's overrides
        flags = (OrderFlag.unmapped_status,)
    if False in seller_flags:
        flags += (OrderFlag.fulfilled_by_channel,)

    billing = wire.billing_address
    billing_address = to_address(billing, full_name(billing.first_name, billing.last_name)) if billing else None
    wire_shipping = ship_line.shipping_address
    shipping_address = point = delivery = None
    if wire_shipping is not None:
        shipping_address = to_address(wire_shipping, recipient_name(wire_shipping))
        pickup_id = wire_shipping.pickup_id
        has_pickup_id = pickup_id is not None and str(pickup_id).strip() != ""
        delivery = ctx.modes.method(ship_line.delivery.mode if ship_line.delivery else None, has_pickup_id)
        if has_pickup_id and delivery is not None:
            point = pickup_point(delivery, wire_shipping, shipping_address)
    elif ship_line.delivery is not None:
        delivery = ctx.modes.method(ship_line.delivery.mode, False)

    totals, discounts, fees = order_money(wire, sums, mapper)
    return Order(
        id=ctx.order_id(channel_order_id),
        store_id=ctx.store_id,
        channel=CHANNEL,
        channel_order_id=channel_order_id,
        channel_reference=wire.reference,
        channel_status=channel_status,
        status=status,
        placed_at=placed_at,
        updated_at=updated_at,
        ship_by=_utc(wire.shipped_at_max) or _line_ship_by(wire_lines, seller_flags),
        currency=currency,
        customer=customer_of(billing_address, shipping_address),
        billing_address=billing_address,
        shipping_address=shipping_address,
        delivery=delivery,
        pickup_point=point,
        payment_method=wire.payment.method if wire.payment is not None else None,
        totals=totals,
        discounts=discounts,
        fees=fees,
        lines=tuple(lines),
        flags=flags,
    )
