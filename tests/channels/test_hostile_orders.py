"""Hostile orders on a page, in both channels: each is quarantined alone (bytes kept, reason said, order named
where it can be read), the other orders on the page map, and only a broken envelope fails the page.

The same cases run on Octopia's and Mirakl's pages: nesting past msgspec's depth limit, invalid UTF-8,
a NUL character (which Postgres cannot store), out-of-range numbers, oversized fields and orders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest

from portside.adapters.http.json_split import MAX_ITEM_BYTES
from portside.channels.cdiscount import pages as octopia_pages
from portside.channels.cdiscount.mapping import MappingContext as OctopiaContext
from portside.channels.mirakl import pages as mirakl_pages
from portside.channels.mirakl.mapping import MappingContext as MiraklContext
from portside.channels.mirakl.profiles import load_profile
from portside.core.model import Order
from portside.core.ports import MappingFailure
from tests.channels.cdiscount import wire_samples as octopia
from tests.channels.mirakl import wire_samples as mirakl

DEEP = b"[" * 5000 + b"]" * 5000


@dataclass(frozen=True)
class Channel:
    name: str
    id_field: str
    good: Callable[[str], dict[str, Any]]  # a valid order with this id
    first_name: Callable[[dict[str, Any], str], None]  # sets the buyer's first name
    quantity: Callable[[dict[str, Any], Any], None]  # sets the first line's quantity
    total: Callable[[dict[str, Any], Any], None]  # sets the order's total price
    page: Callable[[list[bytes]], bytes]  # items' bytes → a page body
    decode: Callable[[bytes], tuple[list[str], list[MappingFailure]]]  # → mapped ids, failures


def _octopia_decode(body: bytes) -> tuple[list[str], list[MappingFailure]]:
    result = octopia_pages.decode_page(body, OctopiaContext("hostile"))
    return [o.channel_order_id for o in result.orders], result.failures


def _mirakl_decode(body: bytes) -> tuple[list[str], list[MappingFailure]]:
    ctx = MiraklContext("hostile", load_profile("leroy_merlin"), "https://marketplace.example")
    result = mirakl_pages.decode_page(body, ctx)
    mapped = [item.channel_order_id for item, _ in result.entries if isinstance(item, Order)]
    return mapped, [item for item, _ in result.entries if isinstance(item, MappingFailure)]


def _set(path: tuple[Any, ...]) -> Callable[[dict[str, Any], Any], None]:
    def setter(wire: dict[str, Any], value: Any) -> None:
        target = wire
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return setter


CHANNELS = [
    Channel(
        name="cdiscount",
        id_field="orderId",
        good=lambda ident: octopia.order(orderId=ident),
        first_name=_set(("billingAddress", "firstName")),
        quantity=_set(("lines", 0, "quantity")),
        total=_set(("totalPrice", "sellingPrice")),
        page=lambda items: b'{"itemsPerPage":%d,"items":[' % len(items) + b",".join(items) + b"]}",
        decode=_octopia_decode,
    ),
    Channel(
        name="mirakl",
        id_field="order_id",
        good=lambda ident: mirakl.order(order_id=ident),
        first_name=_set(("customer", "firstname")),
        quantity=_set(("order_lines", 0, "quantity")),
        total=_set(("total_price",)),
        page=lambda items: b'{"orders":[' + b",".join(items) + b'],"total_count":%d}' % len(items),
        decode=_mirakl_decode,
    ),
]


def _encode(wire: dict[str, Any]) -> bytes:
    return msgspec.json.encode(wire)


def _with_member(raw: bytes, member: bytes) -> bytes:
    """``raw`` (an object) with ``member`` (``"name":value``) added first."""
    return b"{" + member + b"," + raw[1:]


def _bad(channel: Channel, case: str) -> bytes:
    wire = channel.good("HOSTILE-1")
    if case == "nesting 5,000 levels deep":
        return _with_member(_encode(wire), b'"extra":' + DEEP)
    if case == "invalid UTF-8":
        channel.first_name(wire, "MARKER")
        return _encode(wire).replace(b"MARKER", b"Cam\xff\xfeille")
    if case == "a NUL character":
        channel.first_name(wire, "Cam\x00ille")
    elif case == "a quantity of 10^30":
        channel.quantity(wire, 10**30)
    elif case == "a total of 10^13":
        channel.total(wire, 10**13)
    elif case == "a first name of 2,000 characters":
        channel.first_name(wire, "C" * 2000)
    elif case == "an order over 1 MiB":
        return _with_member(_encode(wire), b'"extra":"' + b"x" * MAX_ITEM_BYTES + b'"')
    return _encode(wire)


WHY = {
    "nesting 5,000 levels deep": "recursion",
    "invalid UTF-8": "utf-8",
    "a NUL character": "NUL character",
    "a quantity of 10^30": "quantity must be between 0 and 100,000",
    "a total of 10^13": "within ±1,000,000,000,000",
    "a first name of 2,000 characters": "length <= 1000",
    "an order over 1 MiB": "one order may take: not read",
}


@pytest.mark.parametrize("case", list(WHY))
@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.name)
def test_a_hostile_order_is_quarantined_alone_and_named(channel: Channel, case: str) -> None:
    bad = _bad(channel, case)
    goods = [_encode(channel.good(f"GOOD-{n}")) for n in range(3)]
    mapped, failures = channel.decode(channel.page([goods[0], bad, goods[1], goods[2]]))
    assert mapped == ["GOOD-0", "GOOD-1", "GOOD-2"]
    (failure,) = failures
    assert failure.raw == bad and WHY[case] in failure.error, failure.error[:300]
    assert failure.channel_order_id == "HOSTILE-1"


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.name)
def test_nul_characters_are_refused_but_a_backslash_u0000_text_is_not(channel: Channel) -> None:
    text = channel.good("TEXT-1")
    channel.first_name(text, "\\u0000")  # the six characters, as a buyer may type them
    mapped, failures = channel.decode(channel.page([_encode(text)]))
    assert mapped == ["TEXT-1"] and failures == []
    nul_id = _encode(channel.good("NUL\x00ID"))
    mapped, (failure,) = channel.decode(channel.page([nul_id]))
    assert mapped == [] and failure.channel_order_id == "NULID"  # named without the NUL, so it can be stored


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.name)
def test_a_page_whose_envelope_nests_past_the_limit_is_unreadable_saying_why(channel: Channel) -> None:
    body = _with_member(channel.page([_encode(channel.good("GOOD-1"))]), b'"meta":' + DEEP)
    unreadable = octopia_pages.PageUnreadable if channel.name == "cdiscount" else mirakl_pages.PageUnreadable
    with pytest.raises(unreadable, match="recursion"):
        channel.decode(body)
    with pytest.raises(unreadable, match="truncated"):
        channel.decode(channel.page([_encode(channel.good("GOOD-1"))])[:-3])


def test_a_single_octopia_order_holding_a_nul_is_a_failure_not_an_order() -> None:
    """``GET /orders/{id}`` (a refresh before a write) goes through the same checks as a page."""
    wire = octopia.order(orderId="ONE-1")
    octopia_first_name = CHANNELS[0].first_name
    octopia_first_name(wire, "a\x00b")
    result = octopia_pages.map_raw(_encode(wire), OctopiaContext("hostile"))
    assert isinstance(result, MappingFailure) and "NUL" in result.error
