"""One pooled connection and its current transaction, shared by the repositories of a unit of work."""

from __future__ import annotations

from typing import Any

import asyncpg
from asyncpg.transaction import Transaction

from portside.core.errors import Conflict, NotFound

from .queries import query


class Session:
    """Begins a transaction on first use, so a unit of work that commits and goes on starts afresh."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._tx: Transaction | None = None
        self.relaxed = False  # commits need not wait for the WAL flush (UnitOfWork.relax_durability)

    async def connection(self) -> asyncpg.Connection:
        if self._tx is None:
            self._tx = self._conn.transaction()
            await self._tx.start()
            if self.relaxed:
                # Postgres keeps transactions atomic and in order; only the wait for the disk goes. A
                # later synchronous commit (the sync's cursor, a claim) flushes these with it.
                await self._conn.execute("SET LOCAL synchronous_commit TO off")
        return self._conn

    @property
    def in_transaction(self) -> bool:
        return self._tx is not None

    async def commit(self) -> None:
        tx, self._tx = self._tx, None
        if tx is not None:
            await tx.commit()

    async def rollback(self) -> None:
        tx, self._tx = self._tx, None
        if tx is not None:
            await tx.rollback()


class Repository:
    """Base of every Postgres repository: runs named queries through the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    async def _conn(self) -> asyncpg.Connection:
        return await self._session.connection()

    async def _execute(self, name: str, *args: Any) -> str:
        return str(await (await self._conn()).execute(query(name), *args))

    async def _fetch(self, name: str, *args: Any) -> list[asyncpg.Record]:
        return list(await (await self._conn()).fetch(query(name), *args))

    async def _fetchrow(self, name: str, *args: Any) -> asyncpg.Record | None:
        return await (await self._conn()).fetchrow(query(name), *args)

    async def _fetchval(self, name: str, *args: Any) -> Any:
        return await (await self._conn()).fetchval(query(name), *args)

    async def _insert_new(self, name: str, kind: str, ident: str, *args: Any) -> None:
        """Run an ``INSERT … ON CONFLICT DO NOTHING RETURNING`` query; nothing returned is a duplicate.

        Checking the result instead of catching a unique violation keeps the transaction usable.
        """
        if await self._fetchval(name, *args) is None:
            raise Conflict(f"{kind} {ident} already exists")

    async def _update_existing(self, name: str, kind: str, ident: str, *args: Any) -> None:
        """Run an ``UPDATE … RETURNING`` query; no row returned means there was nothing to update."""
        if await self._fetchval(name, *args) is None:
            raise NotFound(kind, ident)
