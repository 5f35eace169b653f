"""The asyncpg pool: msgspec for json/jsonb both ways, schema ``portside`` first on the search path."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

SCHEMA = "portside"

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


async def create_pool(
    dsn: str,
    *,
    min_size: int = 2,
    max_size: int = 10,
    application_name: str = "portside",
    **kwargs: Any,
) -> asyncpg.Pool:
    """Open a pool on ``dsn``; the caller closes it (``await pool.close()``)."""
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
        server_settings=server_settings,
        **kwargs,
    )
    assert pool is not None  # asyncpg types it Optional; it is only None when awaited twice
    return pool
