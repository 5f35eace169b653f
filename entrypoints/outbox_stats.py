"""Outbox depth and age per kind, read from Postgres for the metrics (one cheap aggregate query)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from .observer import OutboxDepth

# Live rows come off the partial index outbox_due_idx; dead ones off outbox_status_idx. Delivered
# rows (the bulk of the table) are never read.
_DEPTH = """
SELECT kind,
       count(*) FILTER (WHERE status = 'pending' AND available_at <= $1) AS due,
       count(*) FILTER (WHERE status = 'pending' AND available_at > $1) AS scheduled,
       count(*) FILTER (WHERE status = 'in_flight') AS in_flight,
       min(available_at) FILTER (WHERE status = 'pending' AND available_at <= $1) AS oldest_due
FROM portside.outbox WHERE status IN ('pending', 'in_flight')
GROUP BY kind
"""
_DEAD = "SELECT kind, count(*) AS dead FROM portside.outbox WHERE status = 'dead' GROUP BY kind"


class PostgresOutboxStats:
    """Belongs with the Postgres adapter's outbox; kept here until the storage port grows a stats call."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def depth(self, now: datetime) -> list[OutboxDepth]:
        async with self._pool.acquire() as conn:
            live = await conn.fetch(_DEPTH, now)
            dead = {row["kind"]: row["dead"] for row in await conn.fetch(_DEAD)}
        rows = {
            r["kind"]: OutboxDepth(
                kind=r["kind"],
                due=r["due"],
                scheduled=r["scheduled"],
                in_flight=r["in_flight"],
                dead=dead.get(r["kind"], 0),
                oldest_due_age_s=(now - r["oldest_due"]).total_seconds() if r["oldest_due"] else 0.0,
            )
            for r in live
        }
        for kind, count in dead.items():
            rows.setdefault(kind, OutboxDepth(kind=kind, dead=count))
        return sorted(rows.values(), key=lambda d: d.kind)
