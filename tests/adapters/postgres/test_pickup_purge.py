"""Postgres-only behaviour of the pickup cache purge: it walks the expiry index, and skips the rows
another transaction holds instead of waiting for them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg

from portside.adapters.postgres import PostgresUnitOfWorkFactory
from portside.adapters.postgres.queries import query
from portside.core.ports import CachedPoint
from portside.testing.storage_contract import at


def _entry(point_id: str, *, expires_min: float) -> CachedPoint:
    return CachedPoint(
        carrier="mondial_relay",
        point_id=point_id,
        country="FR",
        point=None,
        fetched_at=at(0),
        expires_at=at(0) + timedelta(minutes=expires_min),
    )


async def test_a_purge_batch_reads_the_expiry_index_not_the_whole_table(pg_pool: asyncpg.Pool) -> None:
    # A big cache, a few entries expired: the batch must find them through the index.
    await pg_pool.execute(
        """
        INSERT INTO portside.pickup_point_cache (carrier, point_id, country, point, fetched_at, expires_at)
        SELECT 'mondial_relay', lpad(n::text, 6, '0'), 'FR', NULL, t0, t0 + make_interval(mins => n)
        FROM generate_series(1, 20000) AS n, (SELECT $1::timestamptz AS t0) AS start
        """,
        at(0),
    )
    await pg_pool.execute("ANALYZE portside.pickup_point_cache")
    plan = "\n".join(r[0] for r in await pg_pool.fetch(f"EXPLAIN {query('pickup_cache_purge_expired')}", at(30), 100))
    assert "pickup_point_cache_expires_idx" in plan, plan
    assert "Seq Scan" not in plan, plan


async def test_a_purge_skips_rows_another_transaction_holds(pg_uow_factory: PostgresUnitOfWorkFactory) -> None:
    async with pg_uow_factory() as uow:
        for n in range(3):
            await uow.pickup_cache.put(_entry(f"00000{n}", expires_min=10 + n))
        await uow.commit()
    async with pg_uow_factory() as refresher, pg_uow_factory() as purger:
        # A lookup refreshing the first entry holds its row until it commits.
        await refresher.pickup_cache.put(_entry("000000", expires_min=120))
        purged = await asyncio.wait_for(purger.pickup_cache.purge_expired(at(60), limit=10), timeout=5)
        assert purged == 2  # the two others; the held one is neither waited for nor deleted
        await purger.commit()
        await refresher.commit()
    async with pg_uow_factory() as uow:
        kept = await uow.pickup_cache.get("mondial_relay", "000000", "FR", now=at(60))
        assert kept is not None and kept.expires_at == at(120)
        assert await uow.pickup_cache.purge_expired(at(60), limit=10) == 0
