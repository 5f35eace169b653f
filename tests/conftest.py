"""Shared fixtures: a real Postgres for each test that asks for one, cloned from a migrated template.

The server is ``PORTSIDE_TEST_DATABASE_URL`` when set, else one embedded Postgres per test run. It
never skips: a Postgres that cannot start fails the tests that need it, saying why.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import asyncpg
import pytest
from hypothesis import settings as hypothesis_settings

pytest.register_assert_rewrite("portside.testing")

# No deadline: Hypothesis's default (200 ms an example) is a timing assertion in disguise, failing on a
# loaded 2-core CI machine for no fault of the code. Speed is measured by bench/, never asserted.
hypothesis_settings.register_profile("portside", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "portside"))

from portside.adapters.postgres import (  # noqa: E402  (after the assert-rewrite registration)
    EmbeddedPostgres,
    FernetCipher,
    PostgresUnitOfWorkFactory,
    create_pool,
    mask_dsn,
    migrate,
)
from portside.adapters.postgres.databases import create_database, drop_database  # noqa: E402

PG_FIXTURES = frozenset({"pg_server", "pg_dsn", "pg_empty_dsn", "pg_pool", "pg_uow_factory"})
_SERVER_INFO = pytest.StashKey[str]()
_PG_TESTS = pytest.StashKey[set[str]]()


@dataclass(frozen=True)
class PgServer:
    admin_dsn: str
    template: str
    embedded: EmbeddedPostgres | None


def _scratch_dir() -> str | None:
    # tmpfs keeps a clone per test at ~20 ms where a busy disk takes ~300 ms; only when it has
    # room (Docker's default /dev/shm is 64 MB, less than a Postgres cluster).
    try:
        if os.access("/dev/shm", os.W_OK) and shutil.disk_usage("/dev/shm").free >= 1 << 30:
            return "/dev/shm"
    except OSError:
        pass
    return None


async def _prepare_template(admin_dsn: str, template: str, *, tune: bool) -> str:
    conn = await asyncpg.connect(admin_dsn)
    try:
        if tune:
            # A throwaway server: durability only costs time here.
            for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                await conn.execute(f"ALTER SYSTEM SET {setting} = off")
            # Each clone writes its copy to the WAL: recycle it early to keep tmpfs use small.
            await conn.execute("ALTER SYSTEM SET max_wal_size = '96MB'")
            await conn.execute("SELECT pg_reload_conf()")
        version = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
    dsn = await create_database(admin_dsn, template)
    conn = await asyncpg.connect(dsn)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    return str(version)


def _start_server(template: str) -> tuple[PgServer, str]:
    """The server and its version, or RuntimeError saying what went wrong."""
    url = os.environ.get("PORTSIDE_TEST_DATABASE_URL")
    embedded = None
    if url:
        admin_dsn = url
    else:
        embedded = EmbeddedPostgres(tempfile.mkdtemp(prefix="portside-pg-", dir=_scratch_dir()), delete_on_stop=True)
        try:
            admin_dsn = embedded.start()
        except Exception as exc:
            raise RuntimeError(f"the embedded Postgres for the tests did not start: {exc}") from exc
    try:
        version = asyncio.run(_prepare_template(admin_dsn, template, tune=embedded is not None))
    except Exception as exc:
        if embedded is not None:
            embedded.stop()
        raise RuntimeError(f"cannot prepare the test template on {mask_dsn(admin_dsn)}: {exc!r}") from exc
    return PgServer(admin_dsn=admin_dsn, template=template, embedded=embedded), version


@pytest.fixture(scope="session")
def pg_server(pytestconfig: pytest.Config) -> Iterator[PgServer]:
    problem = None
    try:
        server, version = _start_server(f"portside_template_{secrets.token_hex(4)}")
    except RuntimeError as exc:
        problem = str(exc)
    if problem is not None:
        # Fail, never skip: CI must not go green without having run the Postgres tests.
        pytest.fail(problem, pytrace=False)
    embedded, admin_dsn, template = server.embedded, server.admin_dsn, server.template
    kind = "embedded" if embedded else "PORTSIDE_TEST_DATABASE_URL"
    pytestconfig.stash[_SERVER_INFO] = f"{kind} PostgreSQL {version} at {mask_dsn(admin_dsn)}"
    try:
        yield server
    finally:
        if embedded is not None:
            embedded.stop()
            shutil.rmtree(embedded.data_dir, ignore_errors=True)
        else:
            asyncio.run(drop_database(admin_dsn, template))


@pytest.fixture
async def pg_dsn(pg_server: PgServer) -> AsyncIterator[str]:
    """A fresh, migrated database of its own (a ~50 ms clone of the template)."""
    name = f"t_{secrets.token_hex(6)}"
    dsn = await create_database(pg_server.admin_dsn, name, template=pg_server.template)
    yield dsn
    await drop_database(pg_server.admin_dsn, name)


@pytest.fixture
async def pg_empty_dsn(pg_server: PgServer) -> AsyncIterator[str]:
    """A fresh database with no portside schema at all: for migration tests."""
    name = f"t_{secrets.token_hex(6)}"
    dsn = await create_database(pg_server.admin_dsn, name)
    yield dsn
    await drop_database(pg_server.admin_dsn, name)


@pytest.fixture
async def pg_pool(pg_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(pg_dsn, min_size=1, max_size=5)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
def pg_cipher() -> FernetCipher:
    return FernetCipher(FernetCipher.generate_key())


@pytest.fixture
def pg_uow_factory(pg_pool: asyncpg.Pool, pg_cipher: FernetCipher) -> PostgresUnitOfWorkFactory:
    return PostgresUnitOfWorkFactory(pg_pool, cipher=pg_cipher)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if PG_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)
    config.stash[_PG_TESTS] = {item.nodeid for item in items if item.get_closest_marker("postgres")}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    # Say out loud that the Postgres tests ran (or did not): CI output must show it.
    pg_tests = config.stash.get(_PG_TESTS, set())
    counts: dict[str, int] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        reports = terminalreporter.stats.get(outcome, [])
        counts[outcome] = len({r.nodeid for r in reports if getattr(r, "nodeid", None) in pg_tests})
    if not any(counts.values()):
        return
    summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
    where = config.stash.get(_SERVER_INFO, "no server started")
    terminalreporter.write_sep("-", "postgres", bold=True)
    terminalreporter.write_line(f"postgres tests: {summary} on {where}")
    if counts["skipped"]:
        terminalreporter.write_line("WARNING: postgres tests were skipped; they must run in CI", red=True)
