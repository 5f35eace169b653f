"""A Mirakl order (OR11) → a core Order: pure, profile-driven, MappingError for anything wrong."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import InvalidOperation

from portside.core.errors import MappingError
from portside.core.model import DeliveryKind, Order, OrderFlag, OrderStatus, order_id_for

from .addresses import clean, to_address, to_customer
from .delivery import ShippingTypes
from .fields import additional_fields
from .lines import map_line
from .profile import MarketplaceProfile
from .relay import RelayReader
from .schemas import WireOrder
from .statuses import DEFAULT_STATUS_MAPPING
from .totals import discounts_of, fees_of, totals_of

CHANNEL = "mirakl"
# Operator additional fields are kept as label hints under this prefix (``mirakl.client-type``):
# the Order has no free-form bag of channel fields (see docs/channels/mirakl.md).
FIELD_HINT_PREFIX = "mirakl."


class MappingContext:
    """What mapping needs besides the payload: the store, its profile's tables and the instance URL."""

    __slots__ = ("default_currency", "instance", "profile", "relay", "store_id", "types")

    def __init__(
        self, store_id: str, profile: MarketplaceProfile, instance: str, default_currency: str = "EUR"
    ) -> None:
        self.store_id = store_id
        self.profile = profile
        self.instance = instance.rstrip("/")
        self.default_currency = default_currency.upper()
        self.types = ShippingTypes(profile)
        self.relay = RelayReader(profile)


def map_order(wire: WireOrder, ctx: MappingContext) -> Order:
    """The core view of ``wire``; raises MappingError (never anything else) when it cannot be built."""
    try:
        return _map(wire, ctx)
    except MappingError as exc:
        raise MappingError(f"order {wire.order_id}: {exc}") from None
    except (ValueError, TypeError, ArithmeticError, InvalidOperation) as exc:
        # Core invariants (currency, country, negative quantity, non-finite amount…) refuse the payload.
        raise MappingError(f"order {wire.order_id}: {exc}") from exc


def utc(moment: datetime | None) -> datetime | None:
    """Mirakl writes UTC (§2 Dates); a timestamp without an offset is taken as UTC too."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _map(wire: WireOrder, ctx: MappingContext) -> Order:
    channel_order_id = wire.order_id.strip()
    if not channel_order_id:
        raise MappingError("empty order_id")
    state = clean(wire.order_state)
    if state is None:
        raise MappingError("no order_state")
    placed_at = utc(wire.created_date) or utc(wire.last_updated_date)
    updated_at = utc(wire.last_updated_date) or placed_at
    if placed_at is None or updated_at is None:
        raise MappingError("no created_date or last_updated_date")
    currency = (clean(wire.currency_iso_code) or ctx.default_currency).upper()
    fields = additional_fields(wire.order_additional_fields)
    buyer = wire.customer
    shipping = to_address(buyer.shipping_address) if buyer else None
    billing = to_address(buyer.billing_address) if buyer else None

    rule = ctx.types.rule(wire.shipping_type_code)
    hit = ctx.relay.read(wire, fields, rule.carrier if rule else None)
    delivery = ctx.types.method(
        wire.shipping_type_code,
        wire.shipping_type_label,
        relay_carrier=hit.carrier if hit else None,
        has_relay=bool(hit),
    )
    point = None
    if hit is not None and delivery is not None and delivery.kind == DeliveryKind.pickup:
        point = ctx.relay.point(hit, shipping, ctx.profile.country_of(channel_order_id) or ctx.profile.country)

    lines = tuple(map_line(line, i, currency, ctx.instance) for i, line in enumerate(wire.order_lines or (), 1))
    discounts = discounts_of(wire, currency)
    fees = fees_of(wire, currency)
    status = DEFAULT_STATUS_MAPPING.get(state)
    flags: tuple[str, ...] = ()
    if status is None:
        status = OrderStatus.on_hold  # kept, never dropped; the import re-resolves with the store's overrides
        flags = (OrderFlag.unmapped_status,)
    notes = clean(buyer.shipping_address.additional_info) if buyer and buyer.shipping_address else None
    return Order(
        id=order_id_for(ctx.store_id, channel_order_id),
        store_id=ctx.store_id,
        channel=CHANNEL,
        channel_order_id=channel_order_id,
        channel_reference=clean(wire.commercial_id),
        channel_status=state,
        status=status,
        placed_at=placed_at,
        updated_at=updated_at,
        ship_by=utc(wire.shipping_deadline),
        currency=currency,
        customer=to_customer(buyer, shipping, billing, wire.customer_notification_email),
        billing_address=billing,
        shipping_address=shipping,
        delivery=delivery,
        pickup_point=point,
        payment_method=clean(wire.payment_type) or clean(wire.payment_type_legacy),
        totals=totals_of(wire, discounts, fees, currency),
        discounts=discounts,
        fees=fees,
        customer_notes=notes,
        lines=lines,
        flags=flags,
        label_hints={FIELD_HINT_PREFIX + code: value for code, value in fields.items()},
    )
