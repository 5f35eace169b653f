"""OR11 bodies → mapped orders and quarantine entries: each order on its own, so one bad order fails alone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from portside.core.errors import MappingError
from portside.core.model import Order
from portside.core.ports import MappingFailure

from .mapping import MappingContext, map_order, utc
from .schemas import WireOrder, WireOrderKey, WireOrdersFast, WireOrdersPage, decoder

Entry = tuple[Order | MappingFailure, datetime | None]  # with the order's last_updated_date, when readable


class PageUnreadable(ValueError):
    """The envelope itself is not OR11 JSON: nothing on it can be trusted or quarantined."""


class DecodedPage(msgspec.Struct, frozen=True, kw_only=True):
    entries: list[Entry]
    total_count: int | None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def order_key(raw: bytes | msgspec.Raw) -> tuple[str | None, datetime | None]:
    """Best-effort id and ``last_updated_date`` of an order that may not decode: for quarantine and the cursor."""
    try:
        key = decoder(WireOrderKey).decode(raw)
    except msgspec.DecodeError:
        return None, None
    ident = key.order_id.strip() if isinstance(key.order_id, str) else None
    return ident or None, _time(key.last_updated_date)


def _failure(raw: bytes | msgspec.Raw, exc: Exception) -> Entry:
    order_id, updated = order_key(raw)
    return MappingFailure(channel_order_id=order_id, raw=bytes(raw), error=str(exc)), updated


def map_raw(raw: bytes | msgspec.Raw, ctx: MappingContext) -> Entry:
    """Decode and map one order's bytes; a failure carries the bytes and the reason."""
    try:
        order = map_order(decoder(WireOrder).decode(raw), ctx)
    except (msgspec.DecodeError, MappingError) as exc:
        return _failure(raw, exc)
    return order, order.updated_at


def _envelope(body: bytes) -> WireOrdersPage:
    try:
        return decoder(WireOrdersPage).decode(body)
    except msgspec.DecodeError as exc:
        raise PageUnreadable(f"the orders page is not OR11 JSON ({exc})") from None


def decode_page(body: bytes, ctx: MappingContext) -> DecodedPage:
    """A whole OR11 body; raises PageUnreadable when the envelope is broken.

    A healthy page is decoded in one typed pass. When an order on it has a wrong type, the page is
    decoded again order by order, so only that order is quarantined.
    """
    try:
        fast = decoder(WireOrdersFast).decode(body)
    except msgspec.DecodeError:
        page = _envelope(body)
        return DecodedPage(entries=[map_raw(raw, ctx) for raw in page.orders or ()], total_count=page.total_count)
    entries: list[Entry] = []
    raws: list[msgspec.Raw] = []
    for index, wire in enumerate(fast.orders or ()):
        try:
            order = map_order(wire, ctx)
        except MappingError as exc:
            if not raws:
                raws = list(_envelope(body).orders or ())  # only a failure needs the order's own bytes
            entries.append(_failure(raws[index], exc))
        else:
            entries.append((order, order.updated_at))
    return DecodedPage(entries=entries, total_count=fast.total_count)
