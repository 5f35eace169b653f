"""Import bookkeeping in Postgres: cursors, quarantined payloads, sync reports and store sync leases."""

from __future__ import annotations

from datetime import datetime

import msgspec

from portside.core.model import QuarantinedPayload, SyncCursor, SyncReport

from .session import Repository

_REPORT = msgspec.json.Decoder(SyncReport)


class PostgresCursors(Repository):
    async def get(self, store_id: str) -> SyncCursor | None:
        updated_at = await self._fetchval("cursor_get", store_id)
        return None if updated_at is None else SyncCursor(store_id=store_id, updated_at=updated_at)

    async def set(self, cursor: SyncCursor) -> None:
        await self._execute("cursor_set", cursor.store_id, cursor.updated_at)


class PostgresQuarantine(Repository):
    async def add(self, payload: QuarantinedPayload) -> None:
        await self._execute(
            "quarantine_add",
            payload.id,
            payload.store_id,
            payload.channel_order_id,
            payload.raw,
            payload.error,
            payload.received_at,
            payload.sync_id,
        )

    async def find(self, store_id: str, limit: int = 100) -> list[QuarantinedPayload]:
        return [QuarantinedPayload(**row) for row in await self._fetch("quarantine_find", store_id, limit)]


class PostgresSyncReports(Repository):
    async def save(self, report: SyncReport) -> None:
        await self._execute("sync_report_save", report.id, report.store_id, report.started_at, report)

    async def find(self, store_id: str, limit: int = 20) -> list[SyncReport]:
        return [_REPORT.decode(row[0]) for row in await self._fetch("sync_report_find", store_id, limit)]


class PostgresSyncLeases(Repository):
    async def acquire(self, store_id: str, *, owner: str, now: datetime, ttl_s: float) -> bool:
        return await self._fetchval("lease_acquire", store_id, owner, now, ttl_s) is not None

    async def renew(self, store_id: str, *, owner: str, now: datetime, ttl_s: float) -> bool:
        return await self._fetchval("lease_renew", store_id, owner, now, ttl_s) is not None

    async def release(self, store_id: str, *, owner: str, next_run_at: datetime | None = None) -> None:
        await self._execute("lease_release", store_id, owner, next_run_at)

    async def claim_due(self, *, owner: str, now: datetime, ttl_s: float, limit: int) -> list[str]:
        rows = await self._fetch("lease_claim_due", owner, now, ttl_s, limit)
        return [row["store_id"] for row in sorted(rows, key=lambda r: (r["next_run_at"], r["store_id"]))]

    async def schedule(self, store_id: str, next_run_at: datetime) -> None:
        await self._execute("lease_schedule", store_id, next_run_at)
