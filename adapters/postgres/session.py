"""One pooled connection and its current transaction, shared by the repositories of a unit of work."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from portside.core.errors import Conflict, NotFound, StorageUnavailable

from .pool import is_connection_failure
from .queries import is_plain_read, query

# One round trip opens a transaction, and a relaxed one says so in the same message (simple-query
# protocol: several statements, one exchange). Postgres keeps transactions atomic and in order; a
# relaxed commit only skips waiting for the WAL flush, and a later synchronous commit (the sync's
# cursor, a claim) flushes it with its own.
# Read committed is what every query here is written for (row locks where a read must hold, SKIP
# LOCKED): said explicitly, so a server whose default is stricter does not change what reads mean.
_BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED"
_BEGIN_RELAXED = f"{_BEGIN}; SET LOCAL synchronous_commit TO off"


class Session:
    """Begins a transaction on the first statement that needs one, so a unit of work that commits and
    goes on starts afresh.

    A plain read (a ``SELECT`` that locks nothing) before that runs on its own: at read committed, a
    statement sees what was committed when it started whether or not a transaction is open, and a
    read takes no lock a transaction would hold; a unit of work that only reads then costs its reads
    and nothing else (no ``BEGIN``, no ``ROLLBACK``). Once a transaction is open, every statement runs
    in it (and sees its writes).

    Transactions are plain ``BEGIN``/``COMMIT`` statements rather than asyncpg's ``Transaction``
    objects, so that opening one costs a single round trip however it is configured."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._open = False
        self._savepoints = 0
        self.relaxed = False  # commits need not wait for the WAL flush (UnitOfWork.relax_durability)

    async def connection(self, *, plain_read: bool = False) -> asyncpg.Connection:
        """The connection, in a transaction unless ``plain_read`` and none is open yet."""
        if not self._open and not plain_read:
            await self._conn.execute(_BEGIN_RELAXED if self.relaxed else _BEGIN)
            self._open = True
        return self._conn

    @property
    def in_transaction(self) -> bool:
        # The server's word too: a BEGIN or COMMIT cut short (a cancelled task) may have landed.
        return self._open or self._conn.is_in_transaction()

    async def commit(self) -> None:
        if not self._open:
            return
        self._open = False
        # A transaction that failed earlier (an error caught and carried on from) ends in a rollback,
        # which Postgres reports as the COMMIT's outcome rather than as an error.
        if await self._conn.execute("COMMIT") != "COMMIT":
            raise asyncpg.InFailedSQLTransactionError("the transaction had failed: COMMIT rolled it back")

    async def rollback(self) -> None:
        if self.in_transaction:
            self._open = False
            await self._conn.execute("ROLLBACK")

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[asyncpg.Connection]:
        """A nested block: an error inside undoes only the block, and the transaction goes on."""
        conn = await self.connection()
        self._savepoints += 1
        name = f"portside_sp{self._savepoints}"
        await conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            if not conn.is_closed():
                await conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            raise
        await conn.execute(f"RELEASE SAVEPOINT {name}")


class Repository:
    """Base of every Postgres repository: runs named queries through the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    async def _conn(self, name: str | None = None) -> asyncpg.Connection:
        """The connection to run query ``name`` on (None: anything, in the transaction)."""
        return await self._session.connection(plain_read=name is not None and is_plain_read(name))

    async def _run(self, name: str, how: str, *args: Any) -> Any:
        """Query ``name`` through the connection's method ``how``. A connection lost on the way is the
        core's StorageUnavailable (the transaction is gone, nothing of it committed), so that callers
        tell an outage from a bug without knowing asyncpg."""
        conn = await self._conn(name)
        try:
            return await getattr(conn, how)(query(name), *args)
        except Exception as exc:
            if not is_connection_failure(exc):
                raise
            raise StorageUnavailable(
                f"the database connection was lost ({type(exc).__name__}); retry in a moment"
            ) from exc

    async def _execute(self, name: str, *args: Any) -> str:
        return str(await self._run(name, "execute", *args))

    async def _fetch(self, name: str, *args: Any) -> list[asyncpg.Record]:
        return list(await self._run(name, "fetch", *args))

    async def _fetchrow(self, name: str, *args: Any) -> asyncpg.Record | None:
        row: asyncpg.Record | None = await self._run(name, "fetchrow", *args)
        return row

    async def _fetchval(self, name: str, *args: Any) -> Any:
        return await self._run(name, "fetchval", *args)

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
