"""Apply the numbered SQL migrations once, in order, under an advisory lock, refusing edited history."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TypeAlias

import asyncpg
import msgspec

from portside.core.errors import PortsideError

logger = logging.getLogger(__name__)

# Any process running ``portside migrate`` takes this session lock first, so two deploys starting
# at once apply each file exactly once: the second waits, then finds nothing left to do.
MIGRATION_LOCK_KEY = int.from_bytes(b"portside", "big")

_NAME = re.compile(r"^\d{4}_[a-z0-9_]+\.sql$")

_BOOTSTRAP = """
CREATE SCHEMA IF NOT EXISTS portside;
CREATE TABLE IF NOT EXISTS portside.schema_migrations (
    name       text PRIMARY KEY,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
"""

Target: TypeAlias = asyncpg.Connection | asyncpg.Pool


class MigrationError(PortsideError):
    """The database and the shipped migrations disagree; nothing was applied."""


@dataclass(frozen=True, slots=True)
class Migration:
    name: str  # the file name, e.g. ``0001_initial.sql``
    sql: str
    checksum: str  # sha256 of the file with line endings normalised


class MigrationStatus(msgspec.Struct, frozen=True, kw_only=True):
    applied: list[str]
    pending: list[str]
    changed: list[str]  # applied, but the shipped file differs from what ran
    unknown: list[str]  # applied by a newer portside: this one does not ship them

    @property
    def up_to_date(self) -> bool:
        return not self.pending and not self.changed


def checksum(sql: str) -> str:
    # A checkout with CRLF line endings must not look like an edited migration.
    return hashlib.sha256(sql.replace("\r\n", "\n").encode()).hexdigest()


def load_migrations(directory: Traversable | None = None) -> list[Migration]:
    """The migrations shipped in ``directory`` (default: this package's), sorted by name."""
    root = directory if directory is not None else resources.files("portside.adapters.postgres.migrations")
    found: list[Migration] = []
    for entry in root.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        if not _NAME.match(entry.name):
            raise MigrationError(f"migration file {entry.name} must be named NNNN_lowercase_name.sql")
        sql = entry.read_text(encoding="utf-8")
        found.append(Migration(name=entry.name, sql=sql, checksum=checksum(sql)))
    return sorted(found, key=lambda m: m.name)


@asynccontextmanager
async def _connection(target: Target) -> AsyncIterator[asyncpg.Connection]:
    if isinstance(target, asyncpg.Pool):
        async with target.acquire() as conn:
            yield conn
    else:
        yield target


async def _applied(conn: asyncpg.Connection) -> dict[str, str]:
    exists = await conn.fetchval("SELECT to_regclass('portside.schema_migrations') IS NOT NULL")
    if not exists:
        return {}
    rows = await conn.fetch("SELECT name, checksum FROM portside.schema_migrations")
    return {row["name"]: row["checksum"] for row in rows}


def _status(applied: dict[str, str], migrations: Sequence[Migration]) -> MigrationStatus:
    shipped = {m.name for m in migrations}
    return MigrationStatus(
        applied=sorted(name for name in applied if name in shipped),
        pending=[m.name for m in migrations if m.name not in applied],
        changed=[m.name for m in migrations if m.name in applied and applied[m.name] != m.checksum],
        unknown=sorted(name for name in applied if name not in shipped),
    )


async def migrations_status(target: Target, migrations: Sequence[Migration] | None = None) -> MigrationStatus:
    """What ``migrate`` would do now; ``up_to_date`` is what a readiness probe wants."""
    wanted = load_migrations() if migrations is None else migrations
    async with _connection(target) as conn:
        return _status(await _applied(conn), wanted)


def _refuse_changed(status: MigrationStatus) -> None:
    if status.changed:
        names = ", ".join(status.changed)
        raise MigrationError(
            f"migration file(s) {names} changed after being applied to this database (checksum differs). "
            "Restore the original file and put the change in a new migration."
        )


async def migrate(target: Target, migrations: Sequence[Migration] | None = None) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; return the names applied."""
    wanted = load_migrations() if migrations is None else migrations
    async with _connection(target) as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
        try:
            await conn.execute(_BOOTSTRAP)
            status = _status(await _applied(conn), wanted)
            _refuse_changed(status)
            if status.unknown:
                logger.warning("database has migrations this portside does not ship: %s", ", ".join(status.unknown))
            by_name = {m.name: m for m in wanted}
            for name in status.pending:
                migration = by_name[name]
                async with conn.transaction():
                    await conn.execute(migration.sql)
                    await conn.execute(
                        "INSERT INTO portside.schema_migrations (name, checksum) VALUES ($1, $2)",
                        migration.name,
                        migration.checksum,
                    )
                logger.info("applied migration %s", name)
            return status.pending
        finally:
            # A dead connection has dropped its session lock already.
            if not conn.is_closed():
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
