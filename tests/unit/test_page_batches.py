"""A channel's pages joined into one write: what is joined, when a batch ends, and errors of the source."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from portside.core.errors import ChannelUnavailable
from portside.core.ports import MappingFailure, OrderPage, SkippedOrder
from portside.core.services.page_batches import PageBatch, batched, joined
from portside.testing.orders import make_order

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def page(*ids: str, at: int = 0, failures: int = 0, unchanged: tuple[str, ...] = ()) -> OrderPage:
    orders = [make_order("s1", cid, updated_at=T0 + timedelta(minutes=at)) for cid in ids]
    return OrderPage(
        orders=orders,
        failures=[MappingFailure(channel_order_id=None, raw=b"{", error="bad") for _ in range(failures)],
        max_updated_at=T0 + timedelta(minutes=at) if ids or failures else None,
        unchanged=list(unchanged),
        fingerprints={cid: f"{cid}@{at}".encode() for cid in ids},
    )


async def source(*pages: OrderPage, then: Exception | None = None) -> AsyncIterator[OrderPage]:
    for p in pages:
        yield p
    if then is not None:
        raise then


async def batches(pages: AsyncIterator[OrderPage], *, orders: int = 4, max_pages: int = 3) -> list[PageBatch]:
    return [b async for b in batched(pages, orders=orders, max_pages=max_pages)]


def ids(batch: PageBatch) -> list[str]:
    return [o.channel_order_id for o in batch.page.orders]


async def test_pages_are_joined_until_a_batch_holds_enough_orders_to_write() -> None:
    found = await batches(source(page("A", "B"), page("C"), page("D", "E"), page("F")), orders=4)
    assert [(ids(b), b.pages) for b in found] == [(["A", "B", "C", "D", "E"], 3), (["F"], 1)]


async def test_quarantined_payloads_count_and_unchanged_pages_end_a_batch_by_their_number() -> None:
    with_failures = await batches(source(page("A", failures=3), page("B"), page("C")), orders=4)
    assert [(ids(b), len(b.page.failures)) for b in with_failures] == [(["A"], 3), (["B", "C"], 0)]

    resync = [page(unchanged=(f"U{n}",), at=n) for n in range(7)]
    found = await batches(source(*resync), orders=4, max_pages=3)
    assert [(b.page.unchanged, b.pages) for b in found] == [
        (["U0", "U1", "U2"], 3),
        (["U3", "U4", "U5"], 3),
        (["U6"], 1),
    ]


async def test_the_pages_received_before_an_error_are_a_batch_before_the_error() -> None:
    pages = batched(
        source(page("A"), page("B"), then=ChannelUnavailable("Octopia answered 503")), orders=10, max_pages=5
    )
    first = await anext(pages)
    assert (ids(first), first.pages) == (["A", "B"], 2)
    with pytest.raises(ChannelUnavailable):
        await anext(pages)


async def test_an_error_with_no_page_pending_is_raised_at_once() -> None:
    pages = batched(source(page("A"), then=ChannelUnavailable("down")), orders=1, max_pages=5)
    assert ids(await anext(pages)) == ["A"]
    with pytest.raises(ChannelUnavailable):
        await anext(pages)


def test_a_joined_page_keeps_everything_and_the_fingerprint_of_each_order_s_latest_view() -> None:
    first = msgspec.structs.replace(page("A", "B", at=5), skipped=[SkippedOrder(channel_order_id="S", reason="x")])
    second = page("A", "C", at=9, unchanged=("U",))
    older = page("B", at=1)  # B again, an older view: the first one stays latest

    one = joined([first, second, older])

    assert [o.channel_order_id for o in one.orders] == ["A", "B", "A", "C", "B"]  # all counted as fetched
    assert one.fingerprints == {"A": b"A@9", "B": b"B@5", "C": b"C@9"}
    assert one.max_updated_at == T0 + timedelta(minutes=9)
    assert [s.channel_order_id for s in one.skipped] == ["S"] and one.unchanged == ["U"]
    assert joined([first]) is first


def test_a_later_view_without_a_fingerprint_drops_the_earlier_one() -> None:
    second = msgspec.structs.replace(page("A", at=3), fingerprints={})
    assert joined([page("A", at=1), second]).fingerprints == {}


async def test_a_batch_stream_closed_early_closes_the_channel_s_pages() -> None:
    closed = []

    async def channel() -> AsyncIterator[OrderPage]:
        try:
            for n in range(10):
                yield page(f"P{n}")
        finally:
            closed.append(True)  # the Cdiscount source cancels the page it already asked for here

    stream = batched(channel(), orders=2, max_pages=3)
    assert ids(await anext(stream)) == ["P0", "P1"]
    await stream.aclose()  # the sync stopped
    assert closed == [True]
