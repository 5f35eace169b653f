"""The HTTP API under load, and notifications through the outbox relay to the Octopia sandbox.

Reads: ``GET /v1/orders`` and ``GET /v1/orders/{id}`` on 100,000 stored orders, served by a real
``portside serve`` process, driven by a local aiohttp client with 16 requests in flight. Baseline: a
bare aiohttp server answering one stored order's JSON from memory, driven the same way.
Notifications: confirmed shipments delivered by the relay (claim, channel calls, settle, activity)
to a ``portside sandbox cdiscount`` process. Baseline: the channel's notifier called directly with
the relay's concurrency, no database, against a second sandbox with the same seed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import msgspec
from aiohttp import web

sys.path.insert(0, str(Path(__file__).parent))

from _postgres import admin_dsn

from portside.adapters.postgres import FernetCipher
from portside.adapters.postgres.databases import create_database, drop_database
from portside.core.model import OrderStatus, Store
from portside.core.ports import OrderQuery, OrderRecord
from portside.core.services import ShipmentRequest, content_hash
from portside.core.services.stores import StoreDraft
from portside.entrypoints.commands import application, ready_schema, running
from portside.entrypoints.config import load_settings
from portside.testing.orders import generate_orders

PORTSIDE = str(Path(sys.executable).with_name("portside"))
CONCURRENCY = 16
BATCH = 5_000
CREDENTIALS = {"client_id": "sandbox-client", "client_secret": "sandbox-secret", "seller_id": "123456"}


class Load(msgspec.Struct):
    rps: float
    p50_ms: float
    p99_ms: float


async def measure(next_url: Callable[[], str], headers: dict[str, str], requests: int) -> Load:
    """``requests`` GETs, ``CONCURRENCY`` in flight, after a warm-up; each must answer 200."""
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as client:

        async def worker(count: int, record: bool) -> None:
            for _ in range(count):
                started = time.perf_counter()
                async with client.get(next_url()) as response:
                    await response.read()
                    assert response.status == 200, response.status
                if record:
                    latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker(20, False) for _ in range(CONCURRENCY)))
        started = time.perf_counter()
        await asyncio.gather(*(worker(requests // CONCURRENCY, True) for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return Load(
        rps=len(latencies) / elapsed,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p99_ms=latencies[int(len(latencies) * 0.99)] * 1000,
    )


@asynccontextmanager
async def scratch_database() -> AsyncIterator[dict[str, str]]:
    """The environment of a process using a fresh database (dropped afterwards)."""
    async with admin_dsn() as admin:
        name = f"bench_{uuid.uuid4().hex[:12]}"
        dsn = await create_database(admin, name)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTSIDE_")}
        env |= {"PORTSIDE_DATABASE_URL": dsn, "PORTSIDE_SECRET_KEY": FernetCipher.generate_key()}
        env |= {"PORTSIDE_LOG_LEVEL": "WARNING"}
        try:
            yield env
        finally:
            await drop_database(admin, name)


async def seed(env: dict[str, str], count: int) -> tuple[str, list[str]]:
    """``count`` orders of one store, written by ``save_many`` in batches of 5,000; an API key."""
    async with running(load_settings(env)) as container:
        await ready_schema(container, migrate=True)
        app = await application(container)
        account = await app.create_account("bench")
        _, key = await app.create_api_key(account.id)
        now = datetime.now(UTC)
        store = Store(id="bench-store", account_id=account.id, channel="cdiscount", name="bench", created_at=now)
        async with app.uow() as u:
            await u.stores.add(store)
            await u.commit()
        ids: list[str] = []
        for first in range(0, count, BATCH):
            orders = generate_orders(store.id, min(BATCH, count - first), seed=first // BATCH + 1, channel="cdiscount")
            async with app.uow() as u:
                await u.orders.save_many(
                    [OrderRecord(order=o, content_hash=content_hash(o), modified_at=now) for o in orders]
                )
                await u.commit()
            ids += [o.id for o in orders]
        # What autovacuum does within a minute of a bulk load: without statistics the planner
        # guesses a few hundred rows and sorts (and detoasts) the whole store for every page.
        pool = await container.storage.pool()
        await pool.execute("ANALYZE portside.orders")
    return key, ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def serve_process(env: dict[str, str]) -> AsyncIterator[str]:
    """``portside serve`` on a free port until the block ends (then SIGTERM, as an orchestrator does)."""
    port = _free_port()
    process = await asyncio.create_subprocess_exec(PORTSIDE, "serve", "--port", str(port), env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as client:
            for _ in range(300):
                with contextlib.suppress(aiohttp.ClientError):
                    async with client.get(url + "/healthz") as response:
                        if response.status == 200:
                            break
                await asyncio.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        await process.wait()


@asynccontextmanager
async def bare_server(body: bytes) -> AsyncIterator[str]:
    async def answer(_: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/order", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = _free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/order"
    finally:
        await runner.cleanup()


async def reads(count: int, requests: int) -> dict[str, Load]:
    async with scratch_database() as env:
        key, ids = await seed(env, count)
        headers = {"Authorization": f"Bearer {key}"}
        rng = random.Random(7)
        async with serve_process(env) as url:
            async with aiohttp.ClientSession(headers=headers) as client, client.get(f"{url}/v1/orders/{ids[0]}") as r:
                sample = await r.read()
            results = {
                "list": await measure(lambda: f"{url}/v1/orders?limit=50", headers, requests),
                "get": await measure(lambda: f"{url}/v1/orders/{rng.choice(ids)}", headers, requests),
            }
    # The baseline in a process of its own too, like the server it stands for.
    async with bare_server(sample) as bare_url:
        results["bare"] = await measure(lambda: bare_url, {}, requests)
    return results


class Sandbox(msgspec.Struct):
    auth_url: str
    api_base_url: str


@asynccontextmanager
async def sandbox_process(orders: int) -> AsyncIterator[Sandbox]:
    """``portside sandbox cdiscount``: the marketplace's CPU is not portside's."""
    process = await asyncio.create_subprocess_exec(
        PORTSIDE, "sandbox", "cdiscount", "--orders", str(orders), stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    lines = [(await process.stdout.readline()).decode() for _ in range(3)]
    try:
        yield Sandbox(auth_url=lines[1].split(": ")[1].strip(), api_base_url=lines[2].split(": ")[1].strip())
    finally:
        process.send_signal(signal.SIGTERM)
        await process.wait()


def _draft(name: str, sandbox: Sandbox) -> StoreDraft:
    # The per-store client throttle (5 requests/s by default, polite to Octopia) is lifted: this
    # measures portside, not that politeness setting.
    settings = {"auth_url": sandbox.auth_url, "api_base_url": sandbox.api_base_url, "rate_per_s": 10_000.0}
    return StoreDraft(channel="cdiscount", name=name, credentials=CREDENTIALS, settings=settings)


async def notifications(orders: int) -> tuple[float, float, int]:
    """(relay notifications/s, direct notifier calls/s, shipments)."""
    async with sandbox_process(orders) as octopia, sandbox_process(orders) as twin, scratch_database() as env:
        async with running(load_settings(env)) as container:
            await ready_schema(container, migrate=True)
            app = await application(container)
            account = await app.create_account("bench")
            store = await app.connect_store(account.id, _draft("bench", octopia))
            await app.sync_store(store.id)
            query = OrderQuery(store_ids=(store.id,), statuses=(OrderStatus.awaiting_shipment,), limit=10_000)
            async with app.uow() as u:
                found = await u.orders.find(query)
            # Orders whose every line Octopia ships itself have nothing for the seller to ship.
            waiting = {r.order.id: r.order for r in found if r.order.shippable_lines}
            shipments = []
            for i, order_id in enumerate(waiting):
                request = ShipmentRequest(carrier="colissimo", tracking_number=f"6A{i:011d}")
                shipments.append(await app.confirm_shipment(order_id, request))
            started = time.perf_counter()
            delivered = 0
            while delivered < len(shipments):
                delivered += (await app.relay_once()).delivered
            relay_rate = len(shipments) / (time.perf_counter() - started)

            notifier = app.channels.bundle_for(await app.connect_store(account.id, _draft("twin", twin))).notifier
            gate = asyncio.Semaphore(app.relay_settings.concurrency)

            async def direct(shipment: Any) -> None:
                async with gate:
                    await notifier.notify(waiting[shipment.order_id], shipment)

            started = time.perf_counter()
            await asyncio.gather(*(direct(s) for s in shipments))
            direct_rate = len(shipments) / (time.perf_counter() - started)
    return relay_rate, direct_rate, len(shipments)


def _row(name: str, value: str, target: str = "", ok: bool = True, unit: str = "") -> dict[str, object]:
    return {"name": name, "value": value, "target": target, "ok": ok, "unit": unit}


def run(quick: bool = False) -> list[dict[str, object]]:
    count, requests, sandbox_orders = (10_000, 3_200, 600) if quick else (100_000, 19_200, 3_000)
    loads = asyncio.run(reads(count, requests))
    relay, direct, shipped = asyncio.run(notifications(sandbox_orders))
    rows = []
    for key, label in (("list", "GET /v1/orders?limit=50"), ("get", "GET /v1/orders/{id}")):
        load = loads[key]
        rows.append(_row(f"{label}, {count:,} orders stored", f"{load.rps:,.0f}", unit="req/s"))
        latency = f"{load.p50_ms:.1f} / {load.p99_ms:.1f}"
        ceiling = 500 if key == "list" else 250  # a page is 50 whole orders, about 120 KB
        rows.append(_row("  p50 / p99 latency", latency, f"p99 < {ceiling}", load.p99_ms < ceiling, "ms"))
    bare = loads["bare"]
    ratio = loads["get"].rps / bare.rps
    rows += [
        _row("bare aiohttp, one order's JSON from memory", f"{bare.rps:,.0f}", unit="req/s"),
        _row("GET /v1/orders/{id} / bare aiohttp", f"{ratio:.2f}", ">= 0.05", ratio >= 0.05),
        _row(f"notifications through the relay ({shipped:,})", f"{relay:,.0f}", unit="notif/s"),
        _row("notifier called directly, no database", f"{direct:,.0f}", unit="notif/s"),
        _row("relay / direct", f"{relay / direct:.2f}", ">= 0.15", relay / direct >= 0.15),
    ]
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(msgspec.json.encode(row).decode())
