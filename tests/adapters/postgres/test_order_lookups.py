"""Postgres-only: an import looks a store's orders up by primary key, whatever the table's statistics.

Asked by (store_id, channel_order_id), the planner of a growing table never analyzed yet (a new
installation's first big import: autovacuum analyzes within a minute or so, a sync's connections keep
their plans meanwhile) expected a store to hold a few rows and took the (store_id, modified_at) index,
and the generic plan a connection caches after five runs then read the whole store for every page."""

from __future__ import annotations

import asyncpg
import pytest

from portside.adapters.postgres.queries import query
from portside.core.model import order_id_for

LOOKUPS = ("order_get_many", "order_get_many_for_update", "order_hashes_by_ids")


async def _fill(pool: asyncpg.Pool, store_id: str, count: int) -> list[str]:
    channel_ids = [f"CD-{n}" for n in range(count)]
    await pool.execute(
        """
        INSERT INTO portside.orders (id, store_id, channel_order_id, status, channel_status, updated_at,
                                     modified_at, flags, content_hash, doc)
        SELECT id, $1, cid, 'awaiting_shipment', 'WaitingForShipmentAcceptation', now(), now(), '{}', '\\x00',
               '{"filler": "an order document of a realistic size"}'::json
        FROM unnest($2::uuid[], $3::text[]) AS t(id, cid)
        """,
        store_id,
        [order_id_for(store_id, cid) for cid in channel_ids],
        channel_ids,
    )
    return channel_ids


@pytest.mark.parametrize("name", LOOKUPS)
async def test_a_page_s_lookup_uses_the_primary_key_before_any_analyze(pg_pool: asyncpg.Pool, name: str) -> None:
    await _fill(pg_pool, "store-1", 1000)  # a size at which the old lookup's generic plan went wrong
    ids = [order_id_for("store-1", f"CD-{n}") for n in range(0, 1000, 4)]
    async with pg_pool.acquire() as conn:
        await conn.execute("SET plan_cache_mode = force_generic_plan")  # what a connection caches
        await conn.execute(f"PREPARE lookup(uuid[]) AS {query(name)}")
        rows = await conn.fetch(f"EXPLAIN EXECUTE lookup('{{{','.join(ids)}}}'::uuid[])")  # no parameters here
        await conn.execute("DEALLOCATE lookup")
    plan = "\n".join(r[0] for r in rows)
    assert "orders_pkey" in plan and "orders_store_modified_idx" not in plan, plan
