"""What every command that touches the database shares: the running container and the schema check."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from portside.adapters.postgres.dsn import mask_dsn
from portside.adapters.postgres.migrate import migrate as apply_migrations
from portside.adapters.postgres.migrate import migrations_status
from portside.core.errors import PortsideError

from .application import Portside
from .config import Settings
from .container import Container, build_container
from .lifecycle import resolve

log = logging.getLogger("portside")


class SchemaNotReady(PortsideError):
    """The database is missing migrations this portside needs."""


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Container]:
    """A container with its resources started, shut down on exit whatever happens."""
    container = build_container(settings)
    try:
        await _start(container)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        await _shutdown(container)
        where = mask_dsn(settings.database_url) if settings.database_url else "the embedded Postgres"
        raise PortsideError(f"cannot connect to {where}: {exc}. Check PORTSIDE_DATABASE_URL.") from None
    except BaseException:
        await _shutdown(container)  # e.g. start-up interrupted: stop what did start (embedded Postgres)
        raise
    try:
        yield container
    finally:
        await _shutdown(container)


async def _start(container: Container) -> None:
    """Start the resources; an interrupt meanwhile lets the start finish first (a half-initialised
    resource cannot be shut down cleanly), then unwinds through the normal shutdown."""
    init = container.init_resources()
    if init is None:
        return
    starting = asyncio.ensure_future(init)
    try:
        await asyncio.shield(starting)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await starting
        raise


async def _shutdown(container: Container) -> None:
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


async def ready_schema(container: Container, *, migrate: bool) -> None:
    """Apply migrations when asked, else refuse a database that lacks some: a process running on an
    old schema would fail request by request instead of once, here, with the fix."""
    pool = await container.storage.pool()
    if migrate:
        applied = await apply_migrations(pool)
        if applied:
            log.info("applied %d migration(s): %s", len(applied), ", ".join(applied))
    status = await migrations_status(pool)
    if status.changed:
        raise SchemaNotReady(
            f"migration file(s) {', '.join(status.changed)} differ from what this database applied; "
            "restore the shipped files (a change belongs in a new migration)"
        )
    if status.pending:
        raise SchemaNotReady(
            f"the database lacks {len(status.pending)} migration(s) ({', '.join(status.pending)}). "
            "Run 'portside migrate' once (safe from several processes), or start with --migrate."
        )


async def application(container: Container) -> Portside:
    app: Portside = await resolve(container.app())
    return app
