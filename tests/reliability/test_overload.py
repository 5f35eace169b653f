"""A flood at ``portside serve``: every shipment POSTed twice at once (two tracking numbers racing), on-demand
syncs and order listings, far more requests in flight than database connections (pool of 4).

The service queues rather than fails: no 5xx, each order gets exactly one shipment, every accepted
shipment reaches the marketplace exactly once, and the process's resident memory stays bounded.
Reduced: ~300 shipments racing 600 POSTs; soak: ~1,200 racing 2,400.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import psutil
import pytest

from portside.channels.cdiscount.sandbox import RunningSandbox, SandboxConfig, start_sandbox
from portside.core.model import Store

from .support import (
    Fleet,
    Operator,
    fleet,
    free_port,
    new_secret_key,
    operator,
    portside_env,
    shippable,
    size,
    wait_for,
)

pytestmark = pytest.mark.postgres

IN_FLIGHT = 200  # concurrent client connections: 50 times the database pool
MEMORY_BOUND_MB = 150  # peak resident growth allowed over the idle process


class RssSampler:
    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.baseline = self.peak = self.process.memory_info().rss

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            await asyncio.sleep(0.02)

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.baseline) / 2**20


@dataclass
class Served:
    """``portside serve`` (started by the test) on the test's database, a store on the sandbox, a key."""

    op: Operator
    procs: Fleet
    sandbox: RunningSandbox
    store: Store
    base: str
    headers: dict[str, str]

    async def serve(self, http: aiohttp.ClientSession) -> Any:
        proc = await self.procs.start("serve", name="serve")
        await wait_for(_quietly(lambda: _is_ready(http, self.base)), timeout=60, what=f"serve:\n{proc.output()}")
        return proc


@contextlib.asynccontextmanager
async def served(pg_dsn: str, tmp_path: Path, logs: Path, *, seed: int, orders: int) -> AsyncIterator[Served]:
    port = free_port()
    env = portside_env(pg_dsn, new_secret_key(), tmp_path / "data", port=str(port), host="127.0.0.1")
    sandbox = await start_sandbox(SandboxConfig(seed=seed, orders=orders, token_cap_per_hour=100_000))
    try:
        async with operator(env) as op, fleet(env, logs) as procs:
            store = await op.connect(sandbox, f"shop {seed}")
            _, key = await op.app.create_api_key(op.account_id)
            yield Served(op, procs, sandbox, store, f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"})
    finally:
        await sandbox.close()


async def test_a_flood_of_shipments_and_syncs_queues_instead_of_failing(
    pg_dsn: str, tmp_path: Path, logs: Path
) -> None:
    async with served(pg_dsn, tmp_path, logs, seed=53, orders=size(800, 3000)) as it:
        op, store, base, headers = it.op, it.store, it.base, it.headers
        connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=300)) as http:
            serve = await it.serve(http)

            async def synced() -> bool:
                async with http.get(f"{base}/v1/stores/{store.id}/syncs", headers=headers) as r:
                    return r.status == 200 and any(s["outcome"] == "completed" for s in (await r.json())["items"])

            await wait_for(_quietly(synced), timeout=90, what=f"the first sync:\n{serve.output()[-3000:]}")
            wires = shippable(it.sandbox)
            ids = {
                r[1]: r[0]
                for r in await op.pool.fetch(
                    "SELECT id::text, channel_order_id FROM portside.orders WHERE store_id = $1", store.id
                )
            }
            targets = [ids[w["orderId"]] for w in wires]
            assert len(targets) >= size(250, 1000), len(targets)

            async def call(method: str, path: str, body: object = None) -> tuple[str, int]:
                async with http.request(method, base + path, json=body, headers=headers) as r:
                    await r.read()
                    if r.status >= 500 or r.status == 429:
                        assert r.headers.get("Retry-After"), (path, r.status)  # back-pressure says when
                    return path, r.status

            shipment = {"carrier": "colissimo"}
            requests = [
                call("POST", f"/v1/orders/{oid}/shipments", {**shipment, "tracking_number": f"9F{n}{twin}"})
                for n, oid in enumerate(targets)
                for twin in "AB"
            ]
            requests += [call("POST", f"/v1/stores/{store.id}/sync") for _ in range(size(50, 200))]
            requests += [call("GET", "/v1/orders?limit=100") for _ in range(size(100, 400))]
            sampler = RssSampler(serve.pid)
            stop = asyncio.Event()
            sampling = asyncio.create_task(sampler.run(stop))
            try:
                answers = await asyncio.gather(*requests)
            finally:
                stop.set()
                await sampling

        statuses = collections.Counter(status for _, status in answers)
        assert not [s for s in statuses if s >= 500], statuses  # queued, never failed
        per_order = collections.Counter(
            path.split("/")[3] for path, status in answers if path.endswith("/shipments") and status == 202
        )
        assert per_order == dict.fromkeys(targets, 1), statuses  # exactly one of each racing pair
        assert sampler.growth_mb < MEMORY_BOUND_MB, f"resident memory grew {sampler.growth_mb:.0f} MiB"

        async def delivered() -> bool:
            sql = "SELECT count(*) FROM portside.shipments WHERE notification_status = 'delivered'"
            return await op.count(sql) == len(targets)

        await wait_for(delivered, timeout=180, what="every accepted shipment to be notified")
        parcels = it.sandbox.state.snapshot()["parcels"]
        assert all(parcels.get(w["orderId"]) == 1 for w in wires)
        assert serve.alive(), serve.output()[-3000:]


def _quietly(check):  # type: ignore[no-untyped-def]
    async def run() -> bool:
        try:
            return bool(await check())
        except aiohttp.ClientError:
            return False  # not listening yet

    return run


async def _is_ready(http: aiohttp.ClientSession, base: str) -> bool:
    async with http.get(f"{base}/readyz") as r:
        return r.status == 200


@pytest.mark.xfail(
    strict=True,
    reason="no back-pressure in the API: with every database connection held, a request waits for one "
    "without limit (asyncpg pool acquire has no timeout) instead of being refused with 503/429 + Retry-After",
)
async def test_a_request_that_cannot_get_a_database_connection_is_refused_not_held(
    pg_dsn: str, tmp_path: Path, logs: Path
) -> None:
    async with served(pg_dsn, tmp_path, logs, seed=59, orders=120) as it:
        op, base, headers = it.op, it.base, it.headers
        assert (await op.app.sync_store(it.store.id)).outcome == "completed"
        targets = [
            r[0]
            for r in await op.pool.fetch(
                "SELECT id::text FROM portside.orders WHERE store_id = $1 AND status = 'awaiting_shipment' LIMIT 8",
                it.store.id,
            )
        ]
        async with aiohttp.ClientSession() as http:
            await it.serve(http)
            # A long transaction (a migration, a slow report) holds these orders' rows: every shipment
            # for them holds one of the service's 4 connections while it waits for the lock.
            async with op.pool.acquire() as blocker, blocker.transaction():
                await blocker.execute("SELECT 1 FROM portside.orders WHERE id = ANY($1::uuid[]) FOR UPDATE", targets)
                held = [
                    asyncio.create_task(
                        http.post(
                            f"{base}/v1/orders/{oid}/shipments",
                            json={"carrier": "colissimo", "tracking_number": f"5H{n:08d}"},
                            headers=headers,
                        )
                    )
                    for n, oid in enumerate(targets)
                ]
                await asyncio.sleep(1.0)  # let them take the pool
                try:
                    timeout = aiohttp.ClientTimeout(total=8)
                    async with http.get(f"{base}/v1/orders", headers=headers, timeout=timeout) as answer:
                        status, retry_after = answer.status, answer.headers.get("Retry-After")
                except TimeoutError:
                    status, retry_after = None, None  # held, unanswered
            responses = await asyncio.gather(*held)  # the lock is gone: nothing was lost meanwhile
            assert sorted(r.status for r in responses) == [202] * len(targets)
        assert status in (429, 503) and retry_after, (status, retry_after)
