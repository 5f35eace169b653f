"""The asyncpg pool: msgspec for json/jsonb both ways, schema ``portside`` first on the search path."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import msgspec

SCHEMA = "portside"

# What a lost, unreachable or restarting server raises, as opposed to an error of the query itself.
# TimeoutError and ConnectionRefusedError are OSErrors; "connection is closed" is an InterfaceError.
_CONNECTION_FAILURES: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)


def is_connection_failure(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is out of reach (try again later), not that a query is wrong."""
    if isinstance(exc, asyncpg.InterfaceError):
        # A pooled connection lost under its holder is closed and its proxy detached by the pool: the
        # next call says "released back to the pool" (a unit of work never uses one after releasing it).
        return "connection is closed" in str(exc) or "released back to the pool" in str(exc)
    return isinstance(exc, _CONNECTION_FAILURES)


class _OneLineReconnects(logging.Filter):
    """asyncpg logs a full traceback each time it fails to reopen the pool's minimum connections, every
    few seconds while the database is down: the reason fits on the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and is_connection_failure(exc):
            record.msg, record.args = f"{record.getMessage()} ({type(exc).__name__}: {exc})", None
            record.exc_info, record.exc_text = None, None
        return True


def _quiet_reconnects() -> None:
    logger = logging.getLogger("asyncpg.pool")
    if not any(isinstance(f, _OneLineReconnects) for f in logger.filters):
        logger.addFilter(_OneLineReconnects())


# jsonb's binary wire format is a version byte (1) followed by the JSON text.
_JSONB_VERSION = b"\x01"


def _encode_jsonb(value: Any) -> bytes:
    return _JSONB_VERSION + msgspec.json.encode(value)


def _decode_jsonb(data: bytes) -> Any:
    return msgspec.json.decode(memoryview(data)[1:])


async def init_connection(conn: asyncpg.Connection) -> None:
    """Register the msgspec codecs; run on every new pooled connection (and on bare ones in tests)."""
    await conn.set_type_codec(
        "jsonb", schema="pg_catalog", encoder=_encode_jsonb, decoder=_decode_jsonb, format="binary"
    )
    await conn.set_type_codec(
        "json", schema="pg_catalog", encoder=msgspec.json.encode, decoder=msgspec.json.decode, format="binary"
    )


async def _release(conn: asyncpg.Connection) -> None:
    """Run when a connection goes back to the pool, after asyncpg rolled back any open transaction.

    asyncpg's default also sends ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`` — one
    more round trip per unit of work, for session state portside never leaves behind (no SET, LISTEN
    or cursors; the migration lock is released in a ``finally``). Skipping it is a large share of a
    small unit of work's cost (an import page, a relay settlement)."""


async def create_pool(
    dsn: str,
    *,
    min_size: int = 2,
    max_size: int = 10,
    application_name: str = "portside",
    **kwargs: Any,
) -> asyncpg.Pool:
    """Open a pool on ``dsn``; the caller closes it (``await pool.close()``)."""
    _quiet_reconnects()
    server_settings = {
        "search_path": f"{SCHEMA},public",
        "application_name": application_name,
        # Short OLTP statements: JIT compilation only ever adds latency to them.
        "jit": "off",
        # Named queries take optional filters as "$n IS NULL OR …"; a generic plan cannot use an
        # index through those, which turns keyset pages into scans from the start. Planning with
        # the actual values costs far less than that.
        "plan_cache_mode": "force_custom_plan",
        **kwargs.pop("server_settings", {}),
    }
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=init_connection,
        reset=_release,
        server_settings=server_settings,
        **kwargs,
    )
    assert pool is not None  # asyncpg types it Optional; it is only None when awaited twice
    return pool
