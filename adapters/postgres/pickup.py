"""The pickup point cache in Postgres: carriers' directory answers kept until they expire."""

from __future__ import annotations

from datetime import datetime

import msgspec

from portside.core.model import PickupPoint
from portside.core.ports import CachedPoint

from .session import Repository

_POINT = msgspec.json.Decoder(PickupPoint)


class PostgresPickupCache(Repository):
    async def get(self, carrier: str, point_id: str, country: str, *, now: datetime) -> CachedPoint | None:
        row = await self._fetchrow("pickup_cache_get", carrier, point_id, country, now)
        if row is None:
            return None
        point = None if row["point"] is None else _POINT.decode(row["point"])
        return CachedPoint(
            carrier=row["carrier"],
            point_id=row["point_id"],
            country=row["country"],
            point=point,
            fetched_at=row["fetched_at"],
            expires_at=row["expires_at"],
        )

    async def put(self, entry: CachedPoint) -> None:
        await self._execute(
            "pickup_cache_put",
            entry.carrier,
            entry.point_id,
            entry.country,
            entry.point,
            entry.fetched_at,
            entry.expires_at,
        )

    async def purge_expired(self, now: datetime, *, limit: int) -> int:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        return int(await self._fetchval("pickup_cache_purge_expired", now, limit))
