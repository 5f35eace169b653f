"""Wire fingerprints: an order stored from the same bytes is not mapped again on the next sync."""

from __future__ import annotations

from portside.channels.cdiscount.mapping import MappingContext
from portside.channels.cdiscount.pages import assemble, decode_wires, fingerprints

from .wire_samples import order, page


def page_bytes(count: int) -> bytes:
    return page(*(order(orderId=f"2509011032XYZ{n:02d}") for n in range(count)))


def test_unchanged_orders_are_counted_not_mapped_and_changed_ones_carry_their_print() -> None:
    body = page_bytes(3)
    wires, raw_at = decode_wires(body)
    ctx = MappingContext("store-1")
    prints = fingerprints(wires, ctx)
    assert len(prints) == 3 and len(set(prints.values())) == 3
    first, *rest = sorted(prints)

    page = assemble(wires, ctx, raw_at, unchanged={first}, prints=prints)

    assert page.unchanged == [first]
    assert sorted(o.channel_order_id for o in page.orders + page.skipped) == sorted(rest)
    assert page.fingerprints == {o.channel_order_id: prints[o.channel_order_id] for o in page.orders}
    assert page.max_updated_at is not None


def test_a_change_to_the_store_s_delivery_modes_changes_every_print() -> None:
    wires, _ = decode_wires(page_bytes(2))
    plain = fingerprints(wires, MappingContext("store-1"))
    reshaped = fingerprints(wires, MappingContext("store-1", shaping_settings=b'{"REL":"home"}'))
    other_store = fingerprints(wires, MappingContext("store-2"))
    assert plain.keys() == reshaped.keys() == other_store.keys()
    assert not set(plain.values()) & (set(reshaped.values()) | set(other_store.values()))
