"""Start-up resources with a lifetime: the database (embedded or not), its pool, the HTTP session."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import asyncpg

from portside.adapters.http import HttpClient, create_session
from portside.adapters.postgres.cipher import FernetCipher
from portside.adapters.postgres.dsn import mask_dsn
from portside.adapters.postgres.embedded import EmbeddedPostgres
from portside.adapters.postgres.pool import create_pool

from .config import ConfigError, Settings
from .outbound import public_only_socket

log = logging.getLogger("portside")

KEY_FILE = "secret.key"


async def database_dsn(settings: Settings) -> AsyncIterator[str]:
    """``PORTSIDE_DATABASE_URL``, or the embedded Postgres in the data directory (started here)."""
    if settings.database_url:
        log.info("database: %s", mask_dsn(settings.database_url))
        yield settings.database_url
        return
    embedded = EmbeddedPostgres(settings.data_dir)
    dsn = await asyncio.to_thread(embedded.start)
    log.info("database: embedded Postgres in %s", embedded.pgdata)
    try:
        yield dsn
    finally:
        await asyncio.to_thread(embedded.stop)


async def database_pool(dsn: str, settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(dsn, min_size=settings.db_pool_min, max_size=settings.db_pool_max)
    try:
        yield pool
    finally:
        await pool.close()


async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    session = create_session()
    try:
        yield session
    finally:
        await session.close()


async def tenant_http_session(settings: Settings) -> AsyncIterator[aiohttp.ClientSession | None]:
    """The session for URLs tenants chose, whose connections refuse non-public addresses; None when
    ``PORTSIDE_ALLOW_PRIVATE_URLS`` lets them share the process's session."""
    if settings.allow_private_urls:
        yield None
        return
    session = create_session(socket_factory=public_only_socket)
    try:
        yield session
    finally:
        await session.close()


def tenant_http_client(shared: HttpClient, session: aiohttp.ClientSession | None) -> HttpClient:
    return shared if session is None else HttpClient(session)


def credentials_cipher(settings: Settings) -> FernetCipher:
    """``PORTSIDE_SECRET_KEY`` (comma-separated to rotate: new key first), else a key file that the
    embedded defaults create once in the data directory, readable by its owner only."""
    if settings.secret_key:
        try:
            return FernetCipher(*[k.strip() for k in settings.secret_key.split(",") if k.strip()])
        except ValueError as exc:  # the message describes the format, never the key
            raise ConfigError(f"invalid configuration: PORTSIDE_SECRET_KEY: {exc}") from None
    path = Path(settings.data_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w") as handle:
            handle.write(FernetCipher.generate_key())
        log.info("created the credentials key %s (mode 0600); back it up with the database", path)
    return FernetCipher(path.read_text().strip())
