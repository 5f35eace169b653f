"""Orders in: ``GET /orders`` paged from ``pageIndex=1`` until a short page, and single-order refreshes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

import msgspec

from portside.adapters.http import HttpResponse
from portside.adapters.http.wire import iso_z
from portside.core.errors import ChannelUnavailable, MappingError
from portside.core.model import Order
from portside.core.ports import KnownOrders, MappingFailure, OrderPage, SkippedOrder
from portside.core.tasks import discard

from .client import OctopiaClient, order_path
from .mapping import MappingContext
from .pages import PageUnreadable, assemble, decode_page_known, decode_wires, keyed_page, map_raw
from .settings import CdiscountSettings


class CdiscountOrderSource:
    def __init__(self, client: OctopiaClient, settings: CdiscountSettings, ctx: MappingContext) -> None:
        self._client = client
        self._settings = settings
        self._ctx = ctx

    async def pages(self, updated_since: datetime, *, known: KnownOrders | None = None) -> AsyncIterator[OrderPage]:
        """Every order updated at or after ``updated_since``, page by page.

        Sorted by ``createdAt`` (settings ``sort``): an order updated while we page keeps its place, so
        the page boundaries cannot slide over an order; an order bumped to a later page shows up twice
        at worst, and a repeat of an order already yielded at the same ``updatedAt`` is dropped here.
        """
        settings = self._settings
        base = {
            "updatedAtMin": iso_z(updated_since),
            "salesChannelId": settings.sales_channel_id,
            "pageSize": str(settings.page_size),
            "sort": settings.sort,
        }
        seen: dict[str, datetime] = {}
        previous_ids: list[str] | None = None
        index = 1
        # A full page means another one follows: it is requested as soon as this one is split, so that
        # its round trip overlaps this page's lookups and mapping instead of following them.
        following: asyncio.Task[HttpResponse] | None = None

        async def request(number: int) -> HttpResponse:
            return await self._client.get("/orders", {**base, "pageIndex": str(number)})

        try:
            while True:
                if following is None:
                    response = await request(index)
                else:
                    response, following = await following, None
                try:
                    if known is None:
                        wires, raw_at = decode_wires(response.body)
                        if len(wires) >= settings.page_size:
                            following = asyncio.ensure_future(request(index + 1))
                        page = assemble(wires, self._ctx, raw_at)
                    else:
                        keyed = keyed_page(response.body, self._ctx)
                        if len(keyed.raws) >= settings.page_size:
                            following = asyncio.ensure_future(request(index + 1))
                        # Orders stored from these very bytes are not even decoded again (a re-sync's usual page).
                        same = await known.unchanged(keyed.prints) if keyed.prints else set()
                        wires = decode_page_known(response.body, keyed, same)
                        page = assemble(wires, self._ctx, keyed.raws.__getitem__, prints=keyed.prints)
                except PageUnreadable as exc:
                    raise ChannelUnavailable(f"Octopia sent page {index} of the orders unreadable: {exc}") from None
                received = len(page.orders) + len(page.failures) + len(page.skipped) + len(page.unchanged)
                ids = [o.channel_order_id for o in page.orders] + page.unchanged
                if received >= settings.page_size and ids and ids == previous_ids:
                    # Some APIs ignore the page index and answer the same page forever (pain points #5).
                    raise ChannelUnavailable(f"Octopia answered page {index} with the same orders as page {index - 1}")
                previous_ids = ids
                fresh = [o for o in page.orders if _is_news(o, seen)]
                if fresh or page.failures or page.skipped or page.unchanged:
                    yield msgspec.structs.replace(page, orders=fresh)
                if received < settings.page_size:
                    return
                index += 1
        finally:
            if following is not None:  # the sync stopped first: the page asked for is not wanted
                await discard(following)

    async def fetch_order(self, channel_order_id: str) -> Order:
        response = await self._client.get(order_path(channel_order_id))
        result = map_raw(response.body, self._ctx)
        if isinstance(result, Order):
            return result
        if isinstance(result, SkippedOrder):
            raise MappingError(f"order {channel_order_id} is not imported: {result.reason}")
        assert isinstance(result, MappingFailure)
        raise MappingError(result.error)


def _is_news(order: Order, seen: dict[str, datetime]) -> bool:
    previous = seen.get(order.channel_order_id)
    if previous is not None and order.updated_at <= previous:
        return False
    seen[order.channel_order_id] = order.updated_at
    return True
