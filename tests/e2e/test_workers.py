"""Two ``portside worker`` processes on one database share ten stores: each store synced once and never
by both at once, and every shipment notification delivered exactly once to the marketplace sandbox."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from portside.channels.cdiscount.sandbox import SandboxConfig, start_sandbox
from portside.core.model import OrderStatus
from portside.core.ports import OrderQuery
from portside.core.services import ShipmentRequest
from portside.core.services.stores import StoreDraft
from portside.entrypoints.commands import application, running

from .service import SANDBOX_CREDENTIALS, fast_settings

STORES = 10
PORTSIDE = str(Path(sys.executable).with_name("portside"))


class Worker:
    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        self.name, self.process, self.lines = name, process, []

    async def read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode(errors="replace").rstrip())

    def synced(self) -> set[str]:
        return {m.group(1) for line in self.lines if (m := re.search(r"synced store (\S+):", line))}

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)


@pytest.fixture
async def octopia() -> AsyncIterator[object]:
    sandbox = await start_sandbox(SandboxConfig(orders=80))
    yield sandbox
    await sandbox.close()


async def start_worker(name: str, env: dict[str, str]) -> tuple[Worker, asyncio.Task[None]]:
    process = await asyncio.create_subprocess_exec(
        PORTSIDE, "worker", env={**env, "PORTSIDE_WORKER_ID": name}, stderr=asyncio.subprocess.PIPE
    )
    worker = Worker(name, process)
    return worker, asyncio.create_task(worker.read())


async def wait_until(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(0.05)


async def test_two_workers_share_stores_and_deliver_once(pg_dsn: str, octopia) -> None:  # type: ignore[no-untyped-def]
    settings = fast_settings(pg_dsn, sync_concurrency=2, relay_batch=5)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTSIDE_")}
    env |= {
        "PORTSIDE_DATABASE_URL": pg_dsn,
        "PORTSIDE_SECRET_KEY": settings.secret_key or "",
        "PORTSIDE_LOG_LEVEL": "INFO",
        **{
            f"PORTSIDE_{k.upper()}": str(getattr(settings, k)) for k in ("sync_poll_s", "relay_poll_s", "events_poll_s")
        },
        "PORTSIDE_SYNC_CONCURRENCY": "2",
        "PORTSIDE_RELAY_BATCH": "5",
        "PORTSIDE_RELAY_BACKOFF_S": "0.05",
    }
    workers = [await start_worker(f"w{i}", env) for i in (1, 2)]
    try:
        await wait_until(lambda: _true(all(w.said("worker w") for w, _ in workers)))
        async with running(settings) as container:
            app = await application(container)
            urls = {"auth_url": octopia.auth_url, "api_base_url": octopia.api_base_url}
            # One account each: an account connects the sandbox's one seller once; separate tenants may share it.
            stores = [
                await app.connect_store(
                    (await app.create_account(f"two workers {i}")).id,
                    StoreDraft(channel="cdiscount", name=f"s{i}", credentials=SANDBOX_CREDENTIALS, settings=urls),
                )
                for i in range(STORES)
            ]

            async def all_synced() -> bool:
                async with app.uow() as u:
                    reports = [r for s in stores for r in await u.sync_reports.find(s.id)]
                return sum(r.outcome == "completed" for r in reports) == STORES

            await wait_until(all_synced)
            async with app.uow() as u:
                reports = {s.id: await u.sync_reports.find(s.id) for s in stores}
            assert all(len(found) == 1 for found in reports.values()), "a store was synced twice"
            by_worker = [w.synced() for w, _ in workers]
            assert by_worker[0] | by_worker[1] == {s.id for s in stores}
            assert not by_worker[0] & by_worker[1]
            assert by_worker[0] and by_worker[1], "one worker did everything"

            # One distinct marketplace order per store (the stores share one sandbox seller).
            shipped: list[str] = []
            for index, store in enumerate(stores):
                async with app.uow() as u:
                    waiting = await u.orders.find(
                        OrderQuery(store_ids=(store.id,), statuses=(OrderStatus.awaiting_shipment,), limit=100)
                    )
                candidates = sorted((r.order for r in waiting), key=lambda o: o.channel_order_id)
                order = candidates[index]
                await app.confirm_shipment(
                    order.id, ShipmentRequest(carrier="colissimo", tracking_number=f"6A{index:011d}")
                )
                shipped.append(order.channel_order_id)

            async def all_delivered() -> bool:
                return all(octopia.state.stats.shipments_applied.get(cid) == 1 for cid in shipped)

            await wait_until(all_delivered)
            await asyncio.sleep(0.3)  # a duplicate would show up by now
            stats = octopia.state.snapshot()
            assert {cid: stats["shipment_posts"][cid] for cid in shipped} == dict.fromkeys(shipped, 1)
            assert {cid: stats["parcels"][cid] for cid in shipped} == dict.fromkeys(shipped, 1)
    finally:
        for worker, _ in workers:
            if worker.process.returncode is None:
                worker.process.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(w.process.wait(), 20) for w, _ in workers]
        await asyncio.gather(*(reader for _, reader in workers))
    assert codes == [0, 0], [w.lines[-5:] for w, _ in workers]
    assert all(w.said("stopped") for w, _ in workers)


async def _true(value: bool) -> bool:
    return value
