"""OR11 bodies → mapped orders and quarantine entries: each order on its own, so one bad order fails alone."""

from __future__ import annotations

from datetime import datetime

import msgspec

from portside.adapters.http.json_split import (
    UNREADABLE,
    SplitError,
    may_hold_refused,
    read_members,
    readable_id,
    refusal,
    split_page,
)
from portside.adapters.http.wire import parse_time
from portside.core.errors import MappingError
from portside.core.model import Order
from portside.core.ports import MappingFailure

from .mapping import MappingContext, map_order
from .schemas import WireOrder, WireOrderKey, WireOrdersFast, WireOrdersPage, decoder

Entry = tuple[Order | MappingFailure, datetime | None]  # with the order's last_updated_date, when readable


class PageUnreadable(ValueError):
    """The envelope itself is not OR11 JSON: nothing on it can be trusted or quarantined."""


class DecodedPage(msgspec.Struct, frozen=True, kw_only=True):
    entries: list[Entry]
    total_count: int | None


def order_key(raw: bytes) -> tuple[str | None, datetime | None]:
    """Best-effort id and ``last_updated_date`` of an order that may not decode: for quarantine and the cursor."""
    key = read_members(raw, WireOrderKey)
    if key is None:
        return None, None
    return readable_id(key.order_id), parse_time(key.last_updated_date)


def _failure(raw: bytes, why: Exception | str) -> Entry:
    order_id, updated = order_key(raw)
    return MappingFailure(channel_order_id=order_id, raw=raw, error=str(why)), updated


def map_raw(raw: bytes, ctx: MappingContext) -> Entry:
    """Decode and map one order's bytes; a failure carries the bytes and the reason. An order too large
    or holding a NUL (which the database cannot store) is quarantined unmapped."""
    refused = refusal(raw)
    if refused is not None:
        return _failure(raw, refused)
    try:
        order = map_order(decoder(WireOrder).decode(raw), ctx)
    except (*UNREADABLE, MappingError) as exc:
        return _failure(raw, exc)
    return order, order.updated_at


def _split(body: bytes) -> tuple[list[bytes], WireOrdersPage]:
    """Each order's bytes, however deeply one nests, and the envelope (raises PageUnreadable)."""
    try:
        return split_page(body, "orders", decoder(WireOrdersPage).decode)
    except SplitError as exc:
        raise PageUnreadable(f"the orders page is not OR11 JSON ({exc})") from None


def decode_page(body: bytes, ctx: MappingContext) -> DecodedPage:
    """A whole OR11 body; raises PageUnreadable when the envelope is broken.

    A healthy page is decoded in one typed pass. When an order on it has a wrong type or cannot be read
    (nesting past msgspec's depth limit, invalid UTF-8), or when one may be refused unread (the page is
    larger than one order may be, or holds a NUL), the page is split into orders (``json_split``) and
    each is decoded on its own, so only that order is quarantined.
    """
    fast: WireOrdersFast | None = None
    if not may_hold_refused(body):
        try:
            fast = decoder(WireOrdersFast).decode(body)
        except UNREADABLE:
            pass
    if fast is None:
        raws, envelope = _split(body)
        return DecodedPage(entries=[map_raw(raw, ctx) for raw in raws], total_count=envelope.total_count)
    entries: list[Entry] = []
    raws = []
    for index, wire in enumerate(fast.orders or ()):
        try:
            order = map_order(wire, ctx)
        except MappingError as exc:
            if not raws:
                raws = _split(body)[0]  # only a failure needs the order's own bytes
            entries.append(_failure(raws[index], exc))
        else:
            entries.append((order, order.updated_at))
    return DecodedPage(entries=entries, total_count=fast.total_count)
