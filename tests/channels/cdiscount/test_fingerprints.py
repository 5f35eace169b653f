"""Wire fingerprints: an order stored from the same bytes is not decoded or mapped again on the next sync."""

from __future__ import annotations

from portside.channels.cdiscount.mapping import MappingContext
from portside.channels.cdiscount.pages import Unchanged, assemble, decode_known, decode_wires, keyed_page
from portside.channels.cdiscount.schemas import WireOrder
from portside.core.ports import MappingFailure

from .wire_samples import order, page


def page_bytes(count: int, **changes: object) -> bytes:
    return page(*(order(orderId=f"2509011032XYZ{n:02d}", **changes) for n in range(count)))


def test_unchanged_orders_are_counted_not_mapped_and_changed_ones_carry_their_print() -> None:
    ctx = MappingContext("store-1")
    keyed = keyed_page(page_bytes(3), ctx)
    prints = keyed.prints
    assert len(prints) == 3 and len(set(prints.values())) == 3
    first, *rest = sorted(prints)

    items = decode_known(keyed, {first})
    page = assemble(items, ctx, keyed.raws.__getitem__, prints=prints)

    assert [type(item) for item in items].count(Unchanged) == 1
    assert page.unchanged == [first]
    assert sorted(o.channel_order_id for o in page.orders + page.skipped) == sorted(rest)
    assert page.fingerprints == {o.channel_order_id: prints[o.channel_order_id] for o in page.orders}
    # The cursor still sees the unchanged order's update time, read without decoding it whole.
    wires, raw_at = decode_wires(page_bytes(3))
    assert page.max_updated_at is not None and page.max_updated_at == assemble(wires, ctx, raw_at).max_updated_at


def test_known_and_plain_paths_map_a_page_alike() -> None:
    ctx = MappingContext("store-1")
    body = page_bytes(4)
    keyed = keyed_page(body, ctx)
    known = assemble(decode_known(keyed, set()), ctx, keyed.raws.__getitem__, prints=keyed.prints)
    wires, raw_at = decode_wires(body)
    plain = assemble(wires, ctx, raw_at)
    assert known.orders == plain.orders and known.skipped == plain.skipped and known.unchanged == []
    assert known.max_updated_at == plain.max_updated_at


def test_any_change_to_an_order_s_bytes_changes_its_print() -> None:
    ctx = MappingContext("store-1")
    before = keyed_page(page_bytes(2), ctx).prints
    after = keyed_page(page_bytes(2, updatedAt="2026-01-02T03:04:05Z"), ctx).prints
    assert before.keys() == after.keys()
    assert not set(before.values()) & set(after.values())
    assert keyed_page(page_bytes(2), ctx).prints == before  # same bytes, same prints


def test_a_change_to_the_store_s_delivery_modes_changes_every_print() -> None:
    body = page_bytes(2)
    plain = keyed_page(body, MappingContext("store-1")).prints
    reshaped = keyed_page(body, MappingContext("store-1", shaping_settings=b'{"REL":"home"}')).prints
    other_store = keyed_page(body, MappingContext("store-2")).prints
    assert plain.keys() == reshaped.keys() == other_store.keys()
    assert not set(plain.values()) & (set(reshaped.values()) | set(other_store.values()))


def test_a_badly_typed_order_fails_alone_on_the_known_path() -> None:
    ctx = MappingContext("store-1")
    good = [order(orderId=f"2509011032XYZ{n:02d}") for n in range(2)]
    bad = order(orderId="2509011032BAD00", lines="not a list")
    keyed = keyed_page(page(*good, bad), ctx)
    page_ = assemble(decode_known(keyed, set()), ctx, keyed.raws.__getitem__, prints=keyed.prints)
    assert [f.channel_order_id for f in page_.failures] == ["2509011032BAD00"]
    assert isinstance(page_.failures[0], MappingFailure)
    assert len(page_.orders) + len(page_.skipped) == 2


def test_an_order_sent_twice_on_one_page_is_never_found_unchanged_by_one_copy_s_print() -> None:
    ctx = MappingContext("store-1")
    twin = "2509011032TWIN0"
    keyed = keyed_page(page(order(orderId=twin), order(orderId=twin, updatedAt="2026-01-02T03:04:05Z")), ctx)
    assert twin not in keyed.prints  # so KnownOrders is never asked about it: both copies are decoded
    assert [type(item) for item in decode_known(keyed, set(keyed.prints))] == [WireOrder, WireOrder]
