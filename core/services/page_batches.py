"""A channel's consecutive pages joined into one write.

A marketplace's pages are small (Octopia caps them at 100 orders) and a page's write costs the same
transaction and dozen round trips whatever its size: joined three at a time, an import of new orders
runs about 15-20 % faster (bench/import_e2e.py; docs/performance.md). Nothing else changes: the cursor still moves once
every page is stored, and an order seen on two of the joined pages is written once, in its latest view.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from datetime import datetime
from typing import NamedTuple

from ..ports import OrderPage
from ..tasks import close_quietly


class PageBatch(NamedTuple):
    page: OrderPage  # the joined pages' contents, in the channel's order
    pages: int  # how many of the channel's pages it holds (the sync report counts those)


async def batched(pages: AsyncIterator[OrderPage], *, orders: int, max_pages: int) -> AsyncGenerator[PageBatch, None]:
    """``pages`` joined until a batch holds ``orders`` orders to write (mapped or quarantined) or
    ``max_pages`` pages (a re-sync's pages, every order unchanged, hold none to write). An error of the
    source comes after the batch of the pages before it, so that every page received is stored first."""
    group: list[OrderPage] = []
    held = 0
    try:
        try:
            async for page in pages:
                group.append(page)
                held += len(page.orders) + len(page.failures)
                if held >= orders or len(group) >= max_pages:
                    yield PageBatch(joined(group), len(group))
                    group, held = [], 0
        except Exception:
            if group:
                yield PageBatch(joined(group), len(group))
            raise
        if group:
            yield PageBatch(joined(group), len(group))
    finally:
        # Closed early (the sync stopped or failed), the source is closed too: a page it already
        # asked for is cancelled rather than left running past the sync.
        await close_quietly(pages)


def joined(pages: Sequence[OrderPage]) -> OrderPage:
    """One page with the contents of ``pages``. Every order is kept (the report counts what was
    fetched); the import writes an order's latest view (``updated_at``, the later page on a tie), and
    the fingerprint kept for it is that view's, so that what is stored and its hash agree."""
    if len(pages) == 1:
        return pages[0]
    latest: dict[str, datetime] = {}
    fingerprints: dict[str, bytes] = {}
    for page in pages:
        for order in page.orders:
            cid = order.channel_order_id
            seen = latest.get(cid)
            if seen is None or order.updated_at >= seen:
                latest[cid] = order.updated_at
                fingerprint = page.fingerprints.get(cid)
                if fingerprint is None:
                    fingerprints.pop(cid, None)
                else:
                    fingerprints[cid] = fingerprint
    stamps = [page.max_updated_at for page in pages if page.max_updated_at is not None]
    return OrderPage(
        orders=[order for page in pages for order in page.orders],
        failures=[failure for page in pages for failure in page.failures],
        skipped=[skipped for page in pages for skipped in page.skipped],
        max_updated_at=max(stamps) if stamps else None,
        unchanged=[cid for page in pages for cid in page.unchanged],
        fingerprints=fingerprints,
    )
