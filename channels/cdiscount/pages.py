"""Page bytes → OrderPage: each order decoded and mapped on its own, so one bad order is quarantined alone."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import NamedTuple

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
from portside.core.ports import MappingFailure, OrderPage, SkippedOrder

from .mapping import MappingContext, map_order
from .schemas import WireOrder, WireOrderKey, WireOrderPage, WirePage, decoder


class PageUnreadable(ValueError):
    """The page envelope itself is not Octopia JSON: nothing on it can be trusted or quarantined."""


def split_items(body: bytes) -> list[bytes]:
    """Each order's bytes on a page, however deeply an order nests (raises PageUnreadable)."""
    try:
        return split_page(body, "items", decoder(WirePage).decode)[0]
    except SplitError as exc:
        raise PageUnreadable(f"the orders page is not the expected JSON ({exc})") from None


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def order_key(raw: bytes) -> tuple[str | None, datetime | None]:
    """Best-effort id and ``updatedAt`` of an order that may not decode: for quarantine and the cursor."""
    key = read_members(raw, WireOrderKey)
    if key is None:
        return None, None
    return readable_id(key.order_id), parse_time(key.updated_at)


def _failure(raw: bytes, why: Exception | str) -> MappingFailure:
    channel_order_id, _ = order_key(raw)
    return MappingFailure(channel_order_id=channel_order_id, raw=raw, error=str(why))


def _decode(raw: bytes) -> WireOrder | MappingFailure:
    refused = refusal(raw)  # too large, or a NUL the database cannot store: quarantined unmapped
    if refused is not None:
        return _failure(raw, refused)
    try:
        return decoder(WireOrder).decode(raw)
    except UNREADABLE as exc:
        return _failure(raw, exc)


def map_raw(raw: bytes, ctx: MappingContext) -> Order | SkippedOrder | MappingFailure:
    """Decode and map one order's bytes (``GET /orders/{id}``); a failure carries the bytes and the reason."""
    wire = _decode(raw)
    if type(wire) is MappingFailure:
        return wire
    try:
        return map_order(wire, ctx)  # type: ignore[arg-type]
    except MappingError as exc:
        return _failure(raw, exc)


class Unchanged(NamedTuple):
    """An order on the page whose bytes, fingerprinted, are those its stored order was made from."""

    channel_order_id: str
    updated_at: datetime | None


Wires = list[WireOrder] | list[WireOrder | MappingFailure] | list[WireOrder | MappingFailure | Unchanged]


def fingerprint(raw: bytes, ctx: MappingContext) -> bytes:
    """An order's wire fingerprint: its bytes as sent, with what shapes its mapping (``fingerprint_seed``).
    SHA-256 because CPUs hash it in hardware: on a re-sync this runs for every order of every page."""
    digest = hashlib.sha256(ctx.fingerprint_seed)
    digest.update(raw)
    return digest.digest()[:16]


class KeyedPage(NamedTuple):
    """A page's orders as bytes, each with its id and update time read unmapped, and its fingerprint."""

    raws: list[bytes]
    keys: list[tuple[str | None, datetime | None]]
    prints: dict[str, bytes]


def keyed_page(body: bytes, ctx: MappingContext) -> KeyedPage:
    """A ``GET /orders`` body split into orders and fingerprinted, none decoded whole yet: a re-sync asks
    which fingerprints are stored (``KnownOrders``) and decodes only the others (``decode_known``).
    Raises PageUnreadable when the envelope is broken."""
    raws: list[bytes] | None = None
    if not may_hold_refused(body):
        try:
            raws = [bytes(raw) for raw in decoder(WirePage).decode(body).items or ()]
        except UNREADABLE:
            pass  # an order nesting too deep for msgspec: split without recursion
    if raws is None:
        raws = split_items(body)
    keys = [order_key(raw) for raw in raws]
    prints: dict[str, bytes] = {}
    twice: set[str] = set()
    for (cid, _), raw in zip(keys, raws, strict=True):
        if cid is not None:
            if cid in prints:
                twice.add(cid)
            prints[cid] = fingerprint(raw, ctx)
    for cid in twice:
        # An id the page holds twice is decoded both times, never found unchanged by one copy's print.
        del prints[cid]
    return KeyedPage(raws, keys, prints)


def decode_known(page: KeyedPage, unchanged: Collection[str]) -> list[WireOrder | MappingFailure | Unchanged]:
    """The page's orders decoded, but for the ``unchanged`` ones (by id): those are only counted."""
    return [
        Unchanged(cid, moment) if cid is not None and cid in unchanged else _decode(raw)
        for (cid, moment), raw in zip(page.keys, page.raws, strict=True)
    ]


def _whole_page(body: bytes) -> list[WireOrder] | None:
    """Every order of a healthy page in one typed pass; None when one order cannot be read that way, or
    may have to be refused unread (the page is larger than one order may be, or holds a NUL)."""
    if may_hold_refused(body):
        return None
    try:
        return decoder(WireOrderPage).decode(body).items or []
    except UNREADABLE:
        return None


def decode_page_known(body: bytes, page: KeyedPage, unchanged: Collection[str]) -> Wires:
    """``decode_known``, in one typed pass over the whole page when none of its orders is unchanged (a
    first import's pages: about a third cheaper than order by order), falling back to order by order
    when one order cannot be read (so that only that one fails)."""
    if not unchanged:
        wires = _whole_page(body)
        if wires is not None and len(wires) == len(page.raws):
            return wires
    return decode_known(page, unchanged)


def assemble(
    wires: Wires,
    ctx: MappingContext,
    raw_at: Callable[[int], bytes],
    *,
    prints: dict[str, bytes] | None = None,
) -> OrderPage:
    """Map each decoded order (an ``Unchanged`` one is only counted); ``raw_at(i)`` gives order ``i``'s
    bytes, needed only for a failure. ``prints`` (from ``keyed_page``) go with the orders mapped."""
    orders: list[Order] = []
    failures: list[MappingFailure] = []
    skipped: list[SkippedOrder] = []
    same: list[str] = []
    latest: datetime | None = None
    moment: datetime | None
    for index, wire in enumerate(wires):
        # Written for speed, this loop runs for every order (bench/).
        if type(wire) is Unchanged:
            same.append(wire.channel_order_id)
            moment = wire.updated_at
        elif type(wire) is MappingFailure:
            failures.append(wire)
            moment = order_key(raw_at(index))[1]
        else:
            try:
                result = map_order(wire, ctx)  # type: ignore[arg-type]
            except MappingError as exc:
                raw = raw_at(index)
                failures.append(_failure(raw, exc))
                moment = order_key(raw)[1]
            else:
                if type(result) is Order:
                    orders.append(result)
                    moment = result.updated_at
                else:
                    skipped.append(result)  # type: ignore[arg-type]
                    moment = _aware(wire.updated_at)  # type: ignore[union-attr]
        # The cursor must not stop short of an order it received, mapped or not (OrderPage).
        if moment is not None and (latest is None or moment > latest):
            latest = moment
    kept = (
        {o.channel_order_id: prints[o.channel_order_id] for o in orders if o.channel_order_id in prints}
        if prints
        else {}
    )
    return OrderPage(
        orders=orders, failures=failures, skipped=skipped, max_updated_at=latest, unchanged=same, fingerprints=kept
    )


def decode_page(body: bytes, ctx: MappingContext) -> OrderPage:
    """A whole ``GET /orders`` body → OrderPage (raises PageUnreadable when the envelope is broken)."""
    wires, raw_at = decode_wires(body)
    return assemble(wires, ctx, raw_at)


def decode_wires(body: bytes) -> tuple[Wires, Callable[[int], bytes]]:
    """A ``GET /orders`` body's orders, decoded; and how to get order ``i``'s raw bytes (for quarantine).

    The page is first decoded in one typed pass, the fast path for the usual healthy page. When an
    order on it has a wrong type or cannot be read (nesting past msgspec's depth limit, invalid UTF-8),
    or when one may be refused unread (the page is larger than one order may be, or holds a NUL), the
    page is split into orders (``json_split``) and each is decoded on its own, so only that one fails.
    """
    wires = _whole_page(body)
    if wires is None:
        raws = split_items(body)
        return [_decode(raw) for raw in raws], raws.__getitem__
    split: list[bytes] = []

    def raw_at(index: int) -> bytes:
        if not split:
            split.extend(split_items(body))
        return split[index]

    return wires, raw_at
