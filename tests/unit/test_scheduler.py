"""The scheduler: due stores synced by one worker at a time, the outbox drained, a clean stop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from portside.adapters.memory import MemoryStorage
from portside.channels.registry import ChannelRegistry
from portside.core.model import Store
from portside.core.ports import ChannelBundle, OrderPage, OrderQuery
from portside.core.services import ImportSettings, RelaySettings, ShipmentRequest
from portside.entrypoints.application import Portside
from portside.entrypoints.channel_provider import StoreChannels
from portside.entrypoints.scheduler import Scheduler
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.orders import generate_orders


class RealTimeClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def portside(storage: MemoryStorage, plugin: FakeChannelPlugin, worker: str) -> Portside:
    registry = ChannelRegistry([plugin])
    channels = StoreChannels(registry=registry, uow=storage, deps=None)  # the fake plugin needs no deps
    return Portside(
        uow=storage,
        clock=RealTimeClock(),
        channels=channels,
        directories={},
        worker_id=worker,
        import_settings=ImportSettings(),
        relay_settings=RelaySettings(base_backoff_s=0.01),
    )


async def add_stores(storage: MemoryStorage, plugin: FakeChannelPlugin, count: int) -> list[Store]:
    now = datetime.now(UTC)
    stores = [
        Store(
            id=f"s{i}",
            account_id="a",
            channel="fake",
            name=f"store {i}",
            credentials={"secret": "fake-secret"},
            settings={"page_size": 7},
            created_at=now,
        )
        for i in range(count)
    ]
    async with storage() as u:
        for store in stores:
            await u.stores.add(store)
            await u.sync_leases.schedule(store.id, now)
            plugin.market(store.id).put(
                *generate_orders(store.id, 15, seed=hash(store.id) % 1000, start=now - timedelta(days=1))
            )
        await u.commit()
    return stores


async def run_until(scheduler_list: list[Scheduler], condition, timeout: float = 10.0) -> None:
    stop = asyncio.Event()
    runs = [asyncio.create_task(s.run(stop)) for s in scheduler_list]
    try:
        async with asyncio.timeout(timeout):
            while not await condition():
                await asyncio.sleep(0.02)
    finally:
        stop.set()
        await asyncio.gather(*runs)


async def test_two_workers_sync_every_store_once_and_deliver_every_notification() -> None:
    storage, plugin = MemoryStorage(), FakeChannelPlugin()
    stores = await add_stores(storage, plugin, 6)
    apps = [portside(storage, plugin, "w1"), portside(storage, plugin, "w2")]
    workers = [Scheduler(app, sync_concurrency=2, sync_poll_s=0.01, relay_poll_s=0.01) for app in apps]

    async def all_imported() -> bool:
        async with storage() as u:
            return await u.orders.count() == 6 * 15

    await run_until(workers, all_imported)
    async with storage() as u:
        reports = [r for s in stores for r in await u.sync_reports.find(s.id)]
        orders = await u.orders.find(OrderQuery(limit=1000))
    assert sorted(r.store_id for r in reports) == sorted(s.id for s in stores)  # each synced once
    assert {r.outcome for r in reports} == {"completed"}

    # Ship one order per store, then let both workers relay.
    first_per_store = {r.order.store_id: r.order for r in orders}
    for order in first_per_store.values():
        await apps[0].confirm_shipment(
            order.id, ShipmentRequest(carrier="colissimo", tracking_number=f"TRK{order.id[:8]}")
        )

    async def all_delivered() -> bool:
        return all(plugin.market(s).parcels.get(o.channel_order_id) for s, o in first_per_store.items())

    await run_until(workers, all_delivered)
    for store_id, order in first_per_store.items():
        assert len(plugin.market(store_id).parcels[order.channel_order_id]) == 1


class HeldSource:
    """An order source that, on its first page, waits until the test lets it go."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def pages(self, updated_since: datetime, *, known: Any = None) -> AsyncIterator[OrderPage]:
        self.entered.set()
        await self.release.wait()
        async for page in self.source.pages(updated_since, known=known):
            yield page

    async def fetch_order(self, channel_order_id: str) -> Any:
        return await self.source.fetch_order(channel_order_id)


class HeldPlugin(FakeChannelPlugin):
    def __init__(self) -> None:
        super().__init__()
        self.held: HeldSource | None = None

    def build(self, store: Store, deps: object) -> ChannelBundle:
        bundle = super().build(store, deps)
        self.held = HeldSource(bundle.source)
        return msgspec.structs.replace(bundle, source=self.held)


async def test_stop_lets_running_syncs_finish() -> None:
    storage, plugin = MemoryStorage(), HeldPlugin()
    await add_stores(storage, plugin, 1)
    scheduler = Scheduler(portside(storage, plugin, "w1"), sync_poll_s=0.01, relay_poll_s=0.01)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))

    async def sync_running() -> None:
        while plugin.held is None:
            await asyncio.sleep(0.01)
        await plugin.held.entered.wait()

    await asyncio.wait_for(sync_running(), timeout=5)  # the sync holds the lease, in its first page
    stop.set()
    await asyncio.sleep(0)
    assert not task.done()  # the scheduler waits for the sync it started...
    plugin.held.release.set()  # type: ignore[union-attr]
    await asyncio.wait_for(task, timeout=5)
    async with storage() as u:
        (report,) = await u.sync_reports.find("s0")
    assert report.outcome == "completed"  # ...which finished its work rather than being cut
