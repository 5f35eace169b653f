"""Migrations: applied once and in order, under an advisory lock, refusing edited history."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from portside.adapters.postgres import MigrationError, load_migrations, migrate, migrations_status
from portside.adapters.postgres.migrate import MIGRATION_LOCK_KEY

SHIPPED = [m.name for m in load_migrations()]


@pytest.fixture
async def conn(pg_empty_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(pg_empty_dsn)
    yield connection
    await connection.close()


async def _tables(conn: asyncpg.Connection) -> set[str]:
    rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'portside'")
    return {row["tablename"] for row in rows}


def test_shipped_migrations_are_numbered_in_order() -> None:
    assert SHIPPED and SHIPPED == sorted(SHIPPED)
    assert SHIPPED[0] == "0001_initial.sql"


async def test_migrate_applies_everything_once(conn: asyncpg.Connection) -> None:
    before = await migrations_status(conn)
    assert before.pending == SHIPPED and not before.up_to_date

    assert await migrate(conn) == SHIPPED
    assert {"orders", "outbox", "store_syncs", "schema_migrations"} <= await _tables(conn)
    assert await migrate(conn) == []

    after = await migrations_status(conn)
    assert after.up_to_date and after.applied == SHIPPED and not after.pending


async def test_a_changed_applied_file_is_refused_by_name(conn: asyncpg.Connection) -> None:
    await migrate(conn)
    await conn.execute("UPDATE portside.schema_migrations SET checksum = 'edited' WHERE name = $1", SHIPPED[0])
    with pytest.raises(MigrationError, match=rf"{SHIPPED[0]} changed after being applied"):
        await migrate(conn)
    status = await migrations_status(conn)
    assert status.changed == [SHIPPED[0]] and not status.up_to_date


async def test_only_pending_files_run_in_name_order(conn: asyncpg.Connection, tmp_path: Path) -> None:
    (tmp_path / "0002_second.sql").write_text("INSERT INTO portside.log VALUES ('second');")
    (tmp_path / "0001_first.sql").write_text(
        "CREATE SCHEMA IF NOT EXISTS portside;\nCREATE TABLE portside.log (step text);"
    )
    (tmp_path / "README.md").write_text("not a migration")
    assert await migrate(conn, load_migrations(tmp_path)) == ["0001_first.sql", "0002_second.sql"]
    (tmp_path / "0003_third.sql").write_text("INSERT INTO portside.log VALUES ('third');\r\n")
    assert await migrate(conn, load_migrations(tmp_path)) == ["0003_third.sql"]
    assert [r["step"] for r in await conn.fetch("SELECT step FROM portside.log")] == ["second", "third"]


async def test_a_failing_migration_leaves_no_trace(conn: asyncpg.Connection, tmp_path: Path) -> None:
    (tmp_path / "0001_ok.sql").write_text("CREATE SCHEMA IF NOT EXISTS portside; CREATE TABLE portside.a (x int);")
    (tmp_path / "0002_bad.sql").write_text("CREATE TABLE portside.b (x int); SELECT no_such_function();")
    with pytest.raises(asyncpg.UndefinedFunctionError):
        await migrate(conn, load_migrations(tmp_path))
    status = await migrations_status(conn, load_migrations(tmp_path))
    assert status.applied == ["0001_ok.sql"] and status.pending == ["0002_bad.sql"]
    assert await _tables(conn) == {"a", "schema_migrations"}
    # The lock was released: this session can take it again at once.
    assert await conn.fetchval("SELECT pg_try_advisory_lock($1)", MIGRATION_LOCK_KEY)


def test_a_badly_named_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "1_initial.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match=r"NNNN_lowercase_name\.sql"):
        load_migrations(tmp_path)


async def test_migrations_unknown_to_this_version_are_reported_not_fatal(conn: asyncpg.Connection) -> None:
    await migrate(conn)
    await conn.execute("INSERT INTO portside.schema_migrations (name, checksum) VALUES ('9999_future.sql', 'x')")
    assert await migrate(conn) == []
    status = await migrations_status(conn)
    assert status.unknown == ["9999_future.sql"] and status.up_to_date


async def test_concurrent_runs_serialise_and_the_second_is_a_no_op(pg_empty_dsn: str) -> None:
    first, second = await asyncpg.connect(pg_empty_dsn), await asyncpg.connect(pg_empty_dsn)
    try:
        results = await asyncio.gather(migrate(first), migrate(second))
    finally:
        await first.close()
        await second.close()
    assert sorted(results, key=len) == [[], SHIPPED]


async def test_migrate_waits_for_the_advisory_lock(pg_empty_dsn: str) -> None:
    holder, runner = await asyncpg.connect(pg_empty_dsn), await asyncpg.connect(pg_empty_dsn)
    try:
        await holder.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
        task = asyncio.create_task(migrate(runner))
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
        )

        async def runner_waits() -> None:
            while not await holder.fetchval(waiting):
                await asyncio.sleep(0.01)

        await asyncio.wait_for(runner_waits(), timeout=10)  # the server shows the runner queued on the lock
        assert not task.done()
        assert await holder.fetchval("SELECT to_regclass('portside.orders')") is None
        await holder.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
        assert await asyncio.wait_for(task, timeout=10) == SHIPPED
    finally:
        await holder.close()
        await runner.close()
