"""Command implementations that need the container: migrate, and helpers the others share."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from portside.adapters.postgres.dsn import mask_dsn
from portside.adapters.postgres.migrate import migrate as apply_migrations

from .config import Settings
from .container import Container, build_container

log = logging.getLogger("portside")


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Container]:
    """A container with its resources started, shut down on exit whatever happens."""
    container = build_container(settings)
    init = container.init_resources()
    if init is not None:
        await init
    try:
        yield container
    finally:
        shutdown = container.shutdown_resources()
        if shutdown is not None:
            await shutdown


async def migrate(settings: Settings) -> int:
    async with running(settings) as container:
        pool = await container.storage.pool()
        applied = await apply_migrations(pool)
        where = mask_dsn(await container.storage.dsn())
    if applied:
        print(f"applied {len(applied)} migration(s) to {where}: {', '.join(applied)}")
    else:
        print(f"database {where} is up to date")
    return 0
