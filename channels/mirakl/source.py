"""Orders in: OR11 offset pages over the update window, deduplicated, and single-order refreshes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from portside.adapters.http.wire import iso_z
from portside.core.errors import ChannelRejected, ChannelUnavailable, MappingError
from portside.core.model import Order
from portside.core.ports import KnownOrders, MappingFailure, OrderPage

from .client import MiraklClient
from .mapping import MappingContext
from .pages import DecodedPage, PageUnreadable, decode_page
from .settings import MiraklSettings


class MiraklOrderSource:
    def __init__(self, client: MiraklClient, settings: MiraklSettings, ctx: MappingContext) -> None:
        self._client = client
        self._settings = settings
        self._ctx = ctx

    def _query(self) -> dict[str, str]:
        query: dict[str, str] = {}
        if self._ctx.profile.order_tax_mode:
            query["order_tax_mode"] = self._ctx.profile.order_tax_mode
        if self._settings.locale:
            query["locale"] = self._settings.locale
        return query

    async def pages(
        self, updated_since: datetime, *, known: KnownOrders | None = None
    ) -> AsyncIterator[OrderPage]:  # ``known`` unused: Mirakl pages are small; core compares hashes
        """Every order updated at or after ``updated_since``, page by page (OR11, reference §4-§5).

        Sorted by creation date then order id: an order updated while we page keeps its place, so page
        boundaries never slide over an order. Mirakl widens ``start_update_date`` on purpose (§5.1):
        orders older than the window are left out, and a repeat of an order already yielded with the
        same ``last_updated_date`` is dropped (the core's own overlap already re-reads the edge).
        """
        size = self._settings.page_size
        query = {
            **self._query(),
            "start_update_date": iso_z(updated_since),
            "sort": "dateCreated",
            "order": "asc",
            "paginate": "true",
            "max": str(size),
        }
        seen: dict[str, datetime] = {}
        quarantined: set[tuple[str | None, bytes]] = set()
        previous: list[str] | None = None
        offset = 0
        while True:
            page = await self._page({**query, "offset": str(offset)}, offset)
            received = len(page.entries)
            ids = [item.channel_order_id or "?" for item, _ in page.entries]
            if received >= size and ids == previous:
                raise ChannelUnavailable(f"Mirakl answered offset {offset} with the same orders as the page before")
            previous = ids
            orders: list[Order] = []
            failures: list[MappingFailure] = []
            latest: datetime | None = None
            for item, moment in page.entries:
                if moment is not None and moment < updated_since:
                    continue  # outside the window asked for: Mirakl's widening, already read by an earlier sync
                if moment is not None and (latest is None or moment > latest):
                    latest = moment
                if isinstance(item, Order):
                    if _is_news(item, seen):
                        orders.append(item)
                elif (item.channel_order_id, item.raw) not in quarantined:
                    quarantined.add((item.channel_order_id, item.raw))
                    failures.append(item)
            if orders or failures:
                yield OrderPage(orders=orders, failures=failures, max_updated_at=latest)
            offset += received
            if received < size or (page.total_count is not None and offset >= page.total_count):
                return

    async def _page(self, params: dict[str, str], offset: int) -> DecodedPage:
        response = await self._client.get("/orders", params)
        try:
            return decode_page(response.body, self._ctx)
        except PageUnreadable as exc:
            raise ChannelUnavailable(f"Mirakl sent the orders at offset {offset} unreadable: {exc}") from None

    async def fetch_order(self, channel_order_id: str) -> Order:
        """One order through OR11 ``order_ids`` (OR12 is deprecated, §5.1)."""
        wanted = channel_order_id.strip()
        page = await self._page({**self._query(), "order_ids": wanted}, 0)
        for item, _ in page.entries:
            if item.channel_order_id != wanted:
                continue
            if isinstance(item, MappingFailure):
                raise MappingError(item.error)
            return item
        raise ChannelRejected(
            f"order {wanted} was not found on {self._ctx.profile.display_name} (Mirakl shop "
            f"{self._client.shop_id or 'of this API key'}); check the order id and the store's shop id"
        )


def _is_news(order: Order, seen: dict[str, datetime]) -> bool:
    previous = seen.get(order.channel_order_id)
    if previous is not None and order.updated_at <= previous:
        return False
    seen[order.channel_order_id] = order.updated_at
    return True
