"""Paging ``GET /orders`` and fetching one order, with aioresponses."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from yarl import URL

from portside.channels.cdiscount.problems import OctopiaRejected
from portside.channels.cdiscount.source import iso_z
from portside.core.errors import ChannelUnavailable, MappingError
from tests.support.aioresponses_shim import CallbackResult, aioresponses

from .conftest import API, AUTH_URL, make_store
from .wire_samples import encode, line, order, page

SINCE = datetime(2025, 9, 1, tzinfo=UTC)


def serve_pages(mock: aioresponses, *bodies: bytes) -> list[dict[str, str]]:
    """Answer ``GET /orders`` with ``bodies[pageIndex - 1]`` (an empty page past the end); returns the queries."""
    mock.post(AUTH_URL, payload={"access_token": "tok", "expires_in": 7200}, repeat=True)
    queries: list[dict[str, str]] = []

    def answer(url: URL, **kwargs: Any) -> CallbackResult:
        query = {**url.query, **(kwargs.get("params") or {})}
        queries.append(query)
        index = int(query["pageIndex"])
        return CallbackResult(body=bodies[index - 1] if index <= len(bodies) else page())

    mock.get(re.compile(rf"^{re.escape(API)}/orders(\?.*)?$"), callback=answer, repeat=True)
    return queries


def numbered(n: int, **changes: Any) -> dict[str, Any]:
    return order(**{"orderId": f"O-{n:03d}", "updatedAt": f"2025-09-01T10:{n % 60:02d}:00Z", **changes})


def orders_page(*numbers: int) -> bytes:
    return page(*(numbered(n) for n in numbers))


async def collect(bundle: Any, since: datetime = SINCE) -> list[Any]:
    return [p async for p in bundle.source.pages(since)]


async def test_pages_are_read_from_one_until_a_short_page(build, mock_http) -> None:
    queries = serve_pages(mock_http, orders_page(0, 1, 2), orders_page(3, 4, 5), orders_page(6))
    since = datetime(2025, 9, 1, 10, 0, 30, 123456, tzinfo=timezone(timedelta(hours=2)))
    got = await collect(build(make_store(page_size=3)), since)
    assert [[o.channel_order_id for o in p.orders] for p in got] == [
        ["O-000", "O-001", "O-002"],
        ["O-003", "O-004", "O-005"],
        ["O-006"],
    ]
    assert got[-1].max_updated_at == datetime(2025, 9, 1, 10, 6, tzinfo=UTC)
    assert queries == [
        {"updatedAtMin": "2025-09-01T08:00:30Z", "salesChannelId": "CDISFR", "pageSize": "3", "sort": "createdAt",
         "pageIndex": str(i)}
        for i in (1, 2, 3)
    ]  # fmt: skip


async def test_a_full_last_page_costs_one_empty_page_more(build, mock_http) -> None:
    queries = serve_pages(mock_http, orders_page(0, 1), orders_page(2, 3))
    got = await collect(build(make_store(page_size=2)))
    assert [len(p.orders) for p in got] == [2, 2]
    assert [q["pageIndex"] for q in queries] == ["1", "2", "3"]


class SlowLookup:
    """A KnownOrders that knows nothing and answers slowly, noting how many pages were asked for by then."""

    def __init__(self, queries: list[dict[str, str]]) -> None:
        self.queries = queries
        self.asked_by_then: list[int] = []

    async def unchanged(self, fingerprints: Any) -> set[str]:
        await asyncio.sleep(0.05)
        self.asked_by_then.append(len(self.queries))
        return set()


async def test_the_next_page_is_asked_for_while_this_one_is_looked_up(build, mock_http) -> None:
    queries = serve_pages(mock_http, orders_page(0, 1), orders_page(2, 3), orders_page(4))
    known = SlowLookup(queries)
    got = [p async for p in build(make_store(page_size=2)).source.pages(SINCE, known=known)]
    assert [len(p.orders) for p in got] == [2, 2, 1]
    # Page n+1 was requested during page n's lookup; after the short page 3, nothing more.
    assert known.asked_by_then == [2, 3, 3]
    assert [q["pageIndex"] for q in queries] == ["1", "2", "3"]


async def test_a_sync_stopping_early_cancels_the_page_asked_for(build, mock_http) -> None:
    mock_http.post(AUTH_URL, payload={"access_token": "tok", "expires_in": 7200}, repeat=True)
    asked: list[str] = []
    cancelled = asyncio.Event()

    async def answer(url: URL, **kwargs: Any) -> CallbackResult:
        index = {**url.query, **(kwargs.get("params") or {})}["pageIndex"]
        asked.append(index)
        if index != "1":
            try:
                await asyncio.sleep(60)  # page 2 is slow to come
            except asyncio.CancelledError:
                cancelled.set()
                raise
        return CallbackResult(body=orders_page(0, 1))

    mock_http.get(re.compile(rf"^{re.escape(API)}/orders(\?.*)?$"), callback=answer, repeat=True)
    pages = build(make_store(page_size=2)).source.pages(SINCE)
    first = await anext(pages)
    await asyncio.sleep(0.01)  # page 2's request is under way
    await asyncio.wait_for(pages.aclose(), 5)  # the import stopped after one page: no waiting for page 2
    assert len(first.orders) == 2 and asked == ["1", "2"] and cancelled.is_set()


async def test_a_page_asked_for_ahead_that_fails_fails_the_sync_only_when_reached(build, mock_http) -> None:
    mock_http.post(AUTH_URL, payload={"access_token": "tok", "expires_in": 7200}, repeat=True)
    mock_http.get(re.compile(rf"^{re.escape(API)}/orders\?.*pageIndex=1.*$"), body=orders_page(0, 1))
    refused = {"title": "Bad Request", "detail": "no such page"}
    mock_http.get(re.compile(rf"^{re.escape(API)}/orders\?.*pageIndex=2.*$"), status=400, payload=refused)
    pages = build(make_store(page_size=2)).source.pages(SINCE)
    first = await anext(pages)  # page 2 has failed meanwhile; page 1 is still delivered whole
    assert [o.channel_order_id for o in first.orders] == ["O-000", "O-001"]
    with pytest.raises(OctopiaRejected):
        await anext(pages)


async def test_no_orders_gives_no_pages(build, mock_http) -> None:
    serve_pages(mock_http)
    assert await collect(build()) == []


async def test_an_order_seen_again_unchanged_is_not_returned_twice(build, mock_http) -> None:
    # Offset paging can show an order on two pages when another one is inserted before it.
    serve_pages(mock_http, orders_page(0, 1), orders_page(1, 2), orders_page())
    got = await collect(build(make_store(page_size=2)))
    assert [o.channel_order_id for p in got for o in p.orders] == ["O-000", "O-001", "O-002"]


async def test_an_order_seen_again_with_a_later_update_is_returned_again(build, mock_http) -> None:
    newer = numbered(1, updatedAt="2025-09-01T11:30:00Z", status="Shipped")
    serve_pages(mock_http, orders_page(0, 1), page(newer, numbered(2)), orders_page())
    got = await collect(build(make_store(page_size=2)))
    statuses = [(o.channel_order_id, o.channel_status) for p in got for o in p.orders]
    assert statuses == [
        ("O-000", "InPreparation"),
        ("O-001", "InPreparation"),
        ("O-001", "Shipped"),
        ("O-002", "InPreparation"),
    ]


async def test_a_server_repeating_the_same_page_is_caught(build, mock_http) -> None:
    serve_pages(mock_http, orders_page(0, 1), orders_page(0, 1), orders_page(0, 1))
    with pytest.raises(ChannelUnavailable, match="same orders as page 1"):
        await collect(build(make_store(page_size=2)))


async def test_skipped_and_failed_orders_come_with_their_page(build, mock_http) -> None:
    fulfilled = numbered(1, lines=[line(offer={"supplyMode": "Fulfillment"})])
    broken = numbered(2, lines={})
    serve_pages(mock_http, page(numbered(0), fulfilled, broken))
    (got,) = await collect(build())
    assert [o.channel_order_id for o in got.orders] == ["O-000"]
    assert [s.channel_order_id for s in got.skipped] == ["O-001"]
    assert [f.channel_order_id for f in got.failures] == ["O-002"]
    assert got.max_updated_at == datetime(2025, 9, 1, 10, 2, tzinfo=UTC)


async def test_a_first_import_page_with_a_bad_order_fails_that_order_only(build, mock_http) -> None:
    # Nothing on the page is known (a first import): it is decoded in one pass, and order by order
    # when that pass fails on one order.
    broken = numbered(2, lines={})
    queries = serve_pages(mock_http, page(numbered(0), numbered(1), broken))
    (got,) = [p async for p in build().source.pages(SINCE, known=SlowLookup(queries))]
    assert [o.channel_order_id for o in got.orders] == ["O-000", "O-001"]
    assert [f.channel_order_id for f in got.failures] == ["O-002"]
    assert set(got.fingerprints) == {"O-000", "O-001"}


async def test_an_unreadable_page_fails_the_sync_so_it_runs_again(build, mock_http) -> None:
    serve_pages(mock_http, b"<html>We'll be right back</html>")
    with pytest.raises(ChannelUnavailable, match="page 1"):
        await collect(build())


async def test_a_naive_cursor_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        iso_z(datetime(2025, 9, 1, 10, 0))
    assert iso_z(datetime(2025, 9, 1, 12, 0, 59, 999999, tzinfo=timezone(timedelta(hours=2)))) == "2025-09-01T10:00:59Z"


async def test_fetch_order_reads_one_order(build, mock_http) -> None:
    mock_http.post(AUTH_URL, payload={"access_token": "tok", "expires_in": 7200})
    mock_http.get(f"{API}/orders/A%2FB%20C", body=encode(order(orderId="A/B C")))
    fetched = await build().source.fetch_order("A/B C")
    assert fetched.channel_order_id == "A/B C"


async def test_fetch_order_of_a_fulfilment_order_is_a_mapping_error(build, mock_http) -> None:
    mock_http.post(AUTH_URL, payload={"access_token": "tok", "expires_in": 7200})
    mock_http.get(f"{API}/orders/F1", body=encode(order(orderId="F1", lines=[line(offer={"supplyMode": "Xdock"})])))
    with pytest.raises(MappingError, match="not imported"):
        await build().source.fetch_order("F1")


async def test_fetch_order_of_a_broken_order_is_a_mapping_error(build, mock_http) -> None:
    mock_http.post(AUTH_URL, payload={"access_token": "tok", "expires_in": 7200})
    mock_http.get(f"{API}/orders/B1", body=encode(order(orderId="B1", updatedAt=1764158400)))
    with pytest.raises(MappingError, match="updatedAt"):
        await build().source.fetch_order("B1")


async def test_fetch_order_of_an_unknown_order_is_a_rejection(build, mock_http) -> None:
    mock_http.post(AUTH_URL, payload={"access_token": "tok", "expires_in": 7200})
    mock_http.get(f"{API}/orders/NOPE", status=404, payload={"title": "Not Found", "status": 404})
    with pytest.raises(OctopiaRejected) as caught:
        await build().source.fetch_order("NOPE")
    assert caught.value.status == 404
