"""The outbox in Postgres: messages leased to relays with ``FOR UPDATE SKIP LOCKED``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from portside.core.errors import NotFound
from portside.core.model import OutboxKind, OutboxMessage, OutboxStatus
from portside.core.ports import OutboxDepth

from .session import Repository


def _message(row: asyncpg.Record) -> OutboxMessage:
    return msgspec.convert(dict(row), OutboxMessage)


def _params(m: OutboxMessage) -> tuple[Any, ...]:
    return (
        m.id,
        m.kind.value,
        m.store_id,
        m.subject_id,
        m.payload,
        m.status.value,
        m.attempts,
        m.available_at,
        m.created_at,
        m.last_error,
        m.outcome_unknown,
        m.lease_owner,
        m.lease_until,
        m.delivered_at,
    )


class PostgresOutbox(Repository):
    async def add(self, message: OutboxMessage) -> None:
        await self._insert_new("outbox_add", "outbox message", message.id, *_params(message))

    async def get(self, message_id: str) -> OutboxMessage | None:
        row = await self._fetchrow("outbox_get", message_id)
        return None if row is None else _message(row)

    async def claim(
        self,
        *,
        owner: str,
        now: datetime,
        lease_s: float,
        limit: int,
        kinds: tuple[OutboxKind, ...] | None = None,
    ) -> list[OutboxMessage]:
        kind_values = None if kinds is None else [k.value for k in kinds]
        rows = await self._fetch("outbox_claim", owner, now, lease_s, limit, kind_values)
        return sorted((_message(row) for row in rows), key=lambda m: (m.available_at, m.id))

    async def save(self, message: OutboxMessage) -> None:
        await self._update_existing("outbox_save", "outbox message", message.id, *_params(message))

    async def renew(self, message_ids: list[str], *, owner: str, until: datetime) -> set[str]:
        if not message_ids:
            return set()
        return {row[0] for row in await self._fetch("outbox_renew", sorted(message_ids), owner, until)}

    async def save_many(self, messages: list[OutboxMessage], *, held_by: str | None = None) -> set[str]:
        if not messages:
            return set()
        # Sorted, which does not fix the order an UPDATE … FROM locks rows in (its join decides): two
        # relays settling overlapping messages could deadlock, and the relay's settler then records
        # its group one message at a time.
        ordered = sorted(messages, key=lambda m: m.id)
        columns = [list(column) for column in zip(*(_params(m) for m in ordered), strict=True)]
        saved = {row[0] for row in await self._fetch("outbox_save_many", *columns, held_by)}
        missing = [m.id for m in ordered if m.id not in saved]
        if missing and held_by is None:
            raise NotFound("outbox message", missing[0])
        return saved

    async def depth(self, *, now: datetime) -> list[OutboxDepth]:
        return [
            OutboxDepth(
                kind=row["kind"],
                due=row["due"],
                scheduled=row["scheduled"],
                in_flight=row["in_flight"],
                dead=row["dead"],
                oldest_due_age_s=(now - row["oldest_due"]).total_seconds() if row["oldest_due"] else 0.0,
            )
            for row in await self._fetch("outbox_depth", now)
        ]

    async def find(
        self,
        *,
        status: OutboxStatus | None = None,
        store_id: str | None = None,
        subject_id: str | None = None,
        limit: int = 100,
    ) -> list[OutboxMessage]:
        rows = await self._fetch("outbox_find", None if status is None else status.value, store_id, limit, subject_id)
        return [_message(row) for row in rows]
