"""The unit of work never waits for a connection without limit: a saturated pool is StorageBusy after the
acquire timeout, an unreachable database StorageUnavailable; either way nothing was done."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime

import asyncpg
import pytest

from portside.adapters.postgres import PostgresUnitOfWorkFactory, create_pool
from portside.adapters.postgres.pool import is_connection_failure
from portside.core.errors import StorageBusy, StorageUnavailable


async def test_a_saturated_pool_refuses_after_the_acquire_timeout_then_serves_again(pg_dsn: str) -> None:
    pool = await create_pool(pg_dsn, min_size=1, max_size=1)
    try:
        uow = PostgresUnitOfWorkFactory(pool, acquire_timeout_s=0.2)
        async with pool.acquire():  # the only connection, held
            started = asyncio.get_running_loop().time()
            with pytest.raises(StorageBusy, match=r"no database connection came free within 0\.2 s") as refused:
                async with uow():
                    pass
            assert asyncio.get_running_loop().time() - started < 2
            assert refused.value.retryable and refused.value.retry_after >= 1
        async with uow() as u:  # released: the pool serves again, nothing was left half-open
            assert await u.accounts.get("nobody") is None
        assert pool.get_size() == 1 and pool.get_idle_size() == 1
    finally:
        await pool.close()


async def test_an_unreachable_database_is_storage_unavailable_naming_the_reason() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pool = await create_pool(f"postgresql://portside@127.0.0.1:{port}/portside", min_size=0, max_size=1)
    try:
        with pytest.raises(StorageUnavailable, match="cannot be reached") as refused:
            async with PostgresUnitOfWorkFactory(pool, acquire_timeout_s=5)():
                pass
        assert isinstance(refused.value.__cause__, OSError)  # the reason stays in the chain, for the logs
        assert str(port) not in str(refused.value)  # the message may reach an API client: no address
    finally:
        await pool.close()


async def test_a_query_error_is_not_mistaken_for_an_outage(pg_uow_factory: PostgresUnitOfWorkFactory) -> None:
    with pytest.raises(asyncpg.PostgresError) as failed:
        async with pg_uow_factory() as u:
            await u.stores.get("s1")
            await pg_uow_factory.pool.execute("SELECT 1/0")
    assert not is_connection_failure(failed.value)
    assert is_connection_failure(ConnectionRefusedError(111, "refused"))
    assert is_connection_failure(asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"))
    assert is_connection_failure(asyncpg.InterfaceError("connection is closed"))
    assert not is_connection_failure(
        asyncpg.InterfaceError("cannot perform operation: another operation is in progress")
    )


async def test_a_connection_lost_mid_transaction_is_storage_unavailable(
    pg_uow_factory: PostgresUnitOfWorkFactory, pg_dsn: str
) -> None:
    with pytest.raises(StorageUnavailable, match="connection was lost") as lost:
        async with pg_uow_factory() as u:
            await u.outbox.claim(owner="r", now=datetime.now(UTC), lease_s=60, limit=1)  # the transaction opens
            outsider = await asyncpg.connect(pg_dsn)
            try:  # an outage, for every connection but this one
                await outsider.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            finally:
                await outsider.close()
            # The next query after the connection learnt it was closed (the server's goodbye read), as
            # in a real outage; asked before that, asyncpg may say only that an operation is in progress.
            conn = u._session._conn  # type: ignore[attr-defined]
            for _ in range(10_000):
                if getattr(conn, "_con", None) is None or conn.is_closed():
                    break
                await asyncio.sleep(0.001)
            await u.outbox.claim(owner="r", now=datetime.now(UTC), lease_s=60, limit=1)
    assert lost.value.__cause__ is not None and is_connection_failure(lost.value.__cause__)
    async with pg_uow_factory() as u:  # the pool replaces the connection: served again
        assert await u.stores.get("s1") is None
