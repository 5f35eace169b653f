"""One Mirakl order line → a core order line: seller SKU, charged price, image, options, state."""

from __future__ import annotations

from decimal import Decimal

from portside.core.errors import MappingError
from portside.core.model import LineOption, Money, OrderLine

from .addresses import clean
from .fields import additional_fields
from .schemas import WireLine, WireMedia
from .statuses import NON_SHIPPABLE_LINE_STATES

# Largest first: a label or a packing slip wants the sharpest picture (``type`` SMALL/MEDIUM/LARGE, §5.5).
_MEDIA_RANK = {"LARGE": 0, "MEDIUM": 1, "SMALL": 2}


def absolute_url(url: str, instance: str) -> str:
    """Media URLs may be relative to the operator's instance (§5.5 example ``/media/product/…``)."""
    if url.startswith(("https://", "http://")):
        return url
    if url.startswith("//"):
        return "https:" + url
    return f"{instance}/{url.lstrip('/')}"


def image_url(medias: list[WireMedia] | None, instance: str) -> str | None:
    usable = [m for m in medias or () if clean(m.media_url)]
    if not usable:
        return None
    best = min(usable, key=lambda m: _MEDIA_RANK.get((m.type or "").strip().upper(), len(_MEDIA_RANK)))
    return absolute_url(clean(best.media_url) or "", instance)


def unit_price(line: WireLine) -> Decimal:
    """What the buyer paid per unit: ``price_unit``, else the line price shared out, else the list price."""
    if line.price_unit is not None:
        return line.price_unit
    if line.price is not None and line.quantity > 0:
        return line.price / line.quantity
    if line.origin_unit_price is not None:
        return line.origin_unit_price
    raise MappingError(f"line {line.order_line_id or '?'} has no price (price_unit, price or origin_unit_price)")


def line_paid(line: WireLine) -> Decimal:
    """The line's items total without shipping (``price``, §5.5)."""
    return line.price if line.price is not None else unit_price(line) * line.quantity


def map_line(line: WireLine, position: int, currency: str, instance: str) -> OrderLine:
    # OR21 and ST01 address lines by ``order_line_id``; a line without one keeps a stable position.
    line_id = clean(line.order_line_id) or str(line.order_line_index or position)
    state = clean(line.order_line_state)
    options = tuple(
        LineOption(name=code, value=value)
        for code, value in additional_fields(line.order_line_additional_fields).items()
    )
    return OrderLine(
        channel_line_id=line_id,
        sku=clean(line.offer_sku),
        title=clean(line.product_title),
        quantity=line.quantity,
        unit_price=Money(amount=unit_price(line), currency=currency),
        shipping=Money(amount=line.shipping_price, currency=currency) if line.shipping_price is not None else None,
        image_url=image_url(line.product_medias, instance),
        options=options,
        channel_status=state,
        shippable=state is None or state.upper() not in NON_SHIPPABLE_LINE_STATES,
    )
