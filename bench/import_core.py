"""Import of generated orders from the fake channel into Postgres, against a raw COPY of the same rows.

Targets (issue 2): new-order import ≥ 30 % of the raw ``copy_records_to_table`` rate; an unchanged
re-import ≥ 3x the new-order rate; peak memory of a 50,000-order import < 1.5x that of 5,000.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _postgres import admin_dsn, fresh_pool
from import_e2e import peak_rss_kb  # VmHWM: ru_maxrss would carry this bench's own size into the child

from portside.adapters.postgres.uow import PostgresUnitOfWorkFactory
from portside.core.model import Order, Store
from portside.core.ports import OrderPage
from portside.core.services import ImportSettings, content_hash, import_orders
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FAKE_STATUSES
from portside.testing.orders import generate_orders

PAGE = 250
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
START = NOW - timedelta(days=10)
STORE = Store(id="bench-store", account_id="bench", channel="fake", name="bench", created_at=NOW)
SETTINGS = ImportSettings(look_back=timedelta(days=30))


class PagedSource:
    """Pages over orders prepared beforehand, so generation is not timed as import."""

    def __init__(self, pages: list[list[Order]]) -> None:
        self._pages = pages

    async def pages(self, updated_since: datetime, *, known: object = None) -> AsyncIterator[OrderPage]:
        for orders in self._pages:
            yield OrderPage(orders=orders, max_updated_at=orders[-1].updated_at)

    async def fetch_order(self, channel_order_id: str) -> Order:
        raise NotImplementedError


class StreamingSource:
    """Generates each page when asked: what a real channel's memory profile looks like."""

    def __init__(self, count: int) -> None:
        self.count = count

    async def pages(self, updated_since: datetime, *, known: object = None) -> AsyncIterator[OrderPage]:
        for first in range(0, self.count, PAGE):
            size = min(PAGE, self.count - first)
            orders = generate_orders(STORE.id, size, seed=first + 1, start=START + timedelta(seconds=first))
            yield OrderPage(orders=orders, max_updated_at=orders[-1].updated_at)

    async def fetch_order(self, channel_order_id: str) -> Order:
        raise NotImplementedError


def paged(count: int) -> list[list[Order]]:
    orders = generate_orders(STORE.id, count, seed=7, start=START)
    return [orders[i : i + PAGE] for i in range(0, count, PAGE)]


async def _sync(uow: PostgresUnitOfWorkFactory, source: object) -> float:
    started = time.perf_counter()
    report = await import_orders(
        STORE,
        source=source,  # type: ignore[arg-type]
        uow=uow,
        clock=FixedClock(NOW),
        status_defaults=FAKE_STATUSES,
        owner="bench",
        settings=SETTINGS,
    )
    assert report.outcome == "completed", report.error
    return time.perf_counter() - started


async def throughput(count: int) -> dict[str, float]:
    pages = paged(count)
    async with admin_dsn() as admin, fresh_pool(admin) as pool:
        uow = PostgresUnitOfWorkFactory(pool)
        new_s = await _sync(uow, PagedSource(pages))
        await pool.execute("DELETE FROM portside.sync_cursors")  # a full re-read, every order unchanged
        unchanged_s = await _sync(uow, PagedSource(pages))
        rows = [
            (
                o.id,
                o.store_id,
                o.channel_order_id,
                o.status.value,
                o.channel_status,
                o.updated_at,
                NOW,
                None,
                list(o.flags),
                content_hash(o),
                o,  # the pool's jsonb codec encodes it with msgspec, as the adapter does
            )
            for page in pages
            for o in page
        ]
        await pool.execute("TRUNCATE portside.orders, portside.activity")
        started = time.perf_counter()
        async with pool.acquire() as conn:
            await conn.copy_records_to_table("orders", records=rows, schema_name="portside")
        copy_s = time.perf_counter() - started
        stored = await pool.fetchval("SELECT count(*) FROM portside.orders")
        assert stored == count
    return {"new": count / new_s, "unchanged": count / unchanged_s, "copy": count / copy_s}


async def _peak_child(count: int) -> None:
    async with admin_dsn() as admin, fresh_pool(admin) as pool:
        await _sync(PostgresUnitOfWorkFactory(pool), StreamingSource(count))
    print(json.dumps({"peak_kb": peak_rss_kb()}))


def peak_memory_kb(count: int) -> int:
    """Peak resident memory of a whole import of ``count`` orders, in a fresh process."""
    out = subprocess.run(
        [sys.executable, __file__, "--peak", str(count)], check=True, capture_output=True, text=True
    ).stdout
    return int(json.loads(out.strip().splitlines()[-1])["peak_kb"])


def run(quick: bool = False) -> list[dict[str, object]]:
    big, small = (10_000, 1_000) if quick else (50_000, 5_000)
    rates = asyncio.run(throughput(big))
    peak_big, peak_small = peak_memory_kb(big), peak_memory_kb(small)
    new_vs_copy = rates["new"] / rates["copy"]
    unchanged_vs_new = rates["unchanged"] / rates["new"]
    memory_ratio = peak_big / peak_small
    return [
        {
            "name": f"new-order import ({big:,} orders)",
            "value": f"{rates['new']:,.0f}",
            "unit": "orders/s",
            "target": "",
            "ok": True,
        },
        {
            "name": "unchanged re-import",
            "value": f"{rates['unchanged']:,.0f}",
            "unit": "orders/s",
            "target": "",
            "ok": True,
        },
        {
            "name": "raw COPY of the same rows",
            "value": f"{rates['copy']:,.0f}",
            "unit": "rows/s",
            "target": "",
            "ok": True,
        },
        {
            "name": "new-order import / raw COPY",
            "value": f"{new_vs_copy:.2f}",
            "target": ">= 0.30",
            "ok": new_vs_copy >= 0.30,
        },
        {
            "name": "unchanged re-import / new-order import",
            "value": f"{unchanged_vs_new:.2f}",
            "target": ">= 3.0",
            "ok": unchanged_vs_new >= 3.0,
        },
        {
            "name": f"peak RSS {big:,} / {small:,} orders ({peak_big // 1024} / {peak_small // 1024} MiB)",
            "value": f"{memory_ratio:.2f}",
            "target": "< 1.5",
            "ok": memory_ratio < 1.5,
        },
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--peak":
        asyncio.run(_peak_child(int(sys.argv[2])))
    else:
        for row in run(quick="--quick" in sys.argv):
            print(row)
