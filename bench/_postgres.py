"""A Postgres for benchmarks: PORTSIDE_TEST_DATABASE_URL's server, or an embedded one in a temp dir."""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from portside.adapters.postgres.databases import create_database, drop_database
from portside.adapters.postgres.embedded import EmbeddedPostgres
from portside.adapters.postgres.migrate import migrate
from portside.adapters.postgres.pool import create_pool


@asynccontextmanager
async def admin_dsn() -> AsyncIterator[str]:
    url = os.environ.get("PORTSIDE_TEST_DATABASE_URL")
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="portside-bench-") as tmp:
        os.chmod(tmp, 0o755)  # the embedded server runs as its own user when we are root
        server = EmbeddedPostgres(tmp, delete_on_stop=True)
        dsn = await asyncio.to_thread(server.start)
        try:
            yield dsn
        finally:
            await asyncio.to_thread(server.stop)


@asynccontextmanager
async def fresh_pool(admin: str, *, max_size: int = 10) -> AsyncIterator[asyncpg.Pool]:
    """A new migrated database on ``admin``'s server, dropped afterwards."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    dsn = await create_database(admin, name)
    pool = await create_pool(dsn, min_size=2, max_size=max_size)
    try:
        await migrate(pool)
        yield pool
    finally:
        await pool.close()
        await drop_database(admin, name)
