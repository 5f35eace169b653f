"""Start-up resources with a lifetime: the database (embedded or not), its pool, the HTTP session."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import tempfile
import time
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
        if _create_key_file(path):
            log.info("created the credentials key %s (mode 0600); back it up with the database", path)
    return FernetCipher(_read_key_file(path))


def _create_key_file(path: Path) -> bool:
    """Write a new key where none is, atomically: the key goes to a private temporary file (mode 0600)
    which is then linked to ``path``. The link fails if another process starting at the same moment
    got there first, and its key is kept; nobody ever sees a half-written file. False: it was not ours."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(FernetCipher.generate_key())
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        except OSError:
            # A file system without hard links: exclusive creation, and readers wait for the content.
            return _create_key_file_in_place(path)
        return True
    finally:
        os.unlink(temporary)


def _create_key_file_in_place(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as handle:
        handle.write(FernetCipher.generate_key())
    return True


def _read_key_file(path: Path, *, wait_s: float = 5.0) -> str:
    """The key in ``path``; an empty file is one being written by another process (see above): wait."""
    deadline = time.monotonic() + wait_s
    while not (key := path.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not key:
        raise ConfigError(
            f"invalid configuration: the credentials key file {path} is empty: restore it from your backup "
            "(or delete it if no store, carrier setting or webhook was ever saved)"
        )
    return key
