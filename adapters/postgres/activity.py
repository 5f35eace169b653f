"""The activity log in Postgres: a page of records appended in one round trip."""

from __future__ import annotations

import msgspec

from portside.core.model import ActivityRecord

from .pool import SCHEMA
from .session import Repository

_COPY_FROM = 32


class PostgresActivity(Repository):
    async def add_many(self, records: list[ActivityRecord]) -> None:
        if not records:
            return
        if len(records) < _COPY_FROM:
            await self._execute(
                "activity_add_many",
                [r.id for r in records],
                [r.order_id for r in records],
                [r.store_id for r in records],
                [r.kind.value for r in records],
                [r.at for r in records],
                [r.detail for r in records],
            )
            return
        # COPY for an import page's records (one per new order); for a few, COPY's own protocol
        # exchange costs more than one INSERT.
        conn = await self._conn()
        await conn.copy_records_to_table(
            "activity",
            records=[(r.id, r.order_id, r.store_id, r.kind.value, r.at, r.detail) for r in records],
            columns=("id", "order_id", "store_id", "kind", "at", "detail"),
            schema_name=SCHEMA,
        )

    async def claim_unpublished(self, *, limit: int) -> list[ActivityRecord]:
        rows = await self._fetch("activity_claim_unpublished", limit)
        return [msgspec.convert(dict(row), ActivityRecord) for row in rows]

    async def mark_published(self, record_ids: list[str]) -> None:
        if record_ids:
            await self._execute("activity_mark_published", record_ids)

    async def list_for_order(self, order_id: str) -> list[ActivityRecord]:
        rows = await self._fetch("activity_list_for_order", order_id)
        return [msgspec.convert(dict(row), ActivityRecord) for row in rows]
