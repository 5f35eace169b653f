"""Scheduler additions: acceptance-SLA flags, the channel's minimum poll interval, events published."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import msgspec

from portside.adapters.memory import MemoryStorage
from portside.core.model import OrderStatus
from portside.core.ports import ChannelCapabilities, OrderRecord
from portside.core.services import content_hash
from portside.entrypoints.metrics import Metrics
from portside.entrypoints.scheduler import OVERDUE_FLAG, Scheduler, check_acceptance_sla
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.orders import generate_orders, make_order

from .helpers import add_store, make_app

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_overdue_acceptances_are_flagged_counted_and_logged_once(caplog) -> None:  # type: ignore[no-untyped-def]
    storage = MemoryStorage()
    store = await add_store(storage)
    records = []
    for cid, age_h in (("OLD", 30), ("NEW", 2)):
        order = make_order(store.id, cid, status="WaitingAcceptance", core_status=OrderStatus.awaiting_acceptance)
        order = msgspec.structs.replace(order, placed_at=NOW - timedelta(hours=age_h))
        records.append(OrderRecord(order=order, content_hash=content_hash(order), modified_at=NOW))
    async with storage() as u:
        await u.orders.save_many(records)
        await u.commit()
    clock = FixedClock(NOW)
    first = await check_acceptance_sla(uow=storage, clock=clock, threshold=timedelta(hours=24))
    second = await check_acceptance_sla(uow=storage, clock=clock, threshold=timedelta(hours=24))
    assert (first.overdue, len(first.newly_breached)) == (1, 1)
    assert (second.overdue, second.newly_breached) == (1, [])  # still overdue, not counted again
    async with storage() as u:
        flagged = await u.orders.get(records[0].order.id)
        fresh = await u.orders.get(records[1].order.id)
    assert flagged is not None and flagged.order.has_flag(OVERDUE_FLAG)
    assert fresh is not None and not fresh.order.has_flag(OVERDUE_FLAG)
    warnings = [r for r in caplog.records if "awaited acceptance" in r.getMessage()]
    assert len(warnings) == 1 and "OLD" in warnings[0].getMessage() and warnings[0].levelname == "WARNING"

    metrics = Metrics()
    metrics.acceptance_overdue(first.overdue, len(first.newly_breached))
    metrics.acceptance_overdue(second.overdue, len(second.newly_breached))
    text = metrics.render()
    assert "portside_acceptance_overdue_orders 1.0" in text
    assert "portside_acceptance_sla_breaches_total 1.0" in text


async def test_the_demos_seeded_backlog_is_logged_at_info(caplog) -> None:  # type: ignore[no-untyped-def]
    """``portside demo`` flags its sandbox's weeks-old orders before the ready banner: not an incident."""
    storage = MemoryStorage()
    store = await add_store(storage)
    order = make_order(store.id, "SEEDED", status="WaitingAcceptance", core_status=OrderStatus.awaiting_acceptance)
    order = msgspec.structs.replace(order, placed_at=NOW - timedelta(hours=662))
    async with storage() as u:
        await u.orders.save_many([OrderRecord(order=order, content_hash=content_hash(order), modified_at=NOW)])
        await u.commit()
    caplog.set_level(logging.INFO)
    report = await check_acceptance_sla(
        uow=storage, clock=FixedClock(NOW), threshold=timedelta(hours=24), level=logging.INFO
    )
    assert report.newly_breached == [order.id]
    logged = [r for r in caplog.records if "awaited acceptance" in r.getMessage()]
    assert [r.levelname for r in logged] == ["INFO"]


class SlowPollPlugin(FakeChannelPlugin):
    def __init__(self) -> None:
        super().__init__()
        self.capabilities = msgspec.structs.replace(self.capabilities, min_poll_interval_s=1800)

    def build(self, store, deps):  # type: ignore[no-untyped-def]
        return msgspec.structs.replace(super().build(store, deps), capabilities=self.capabilities)


async def test_next_run_respects_the_channel_minimum_poll_interval() -> None:
    storage, plugin = MemoryStorage(), SlowPollPlugin()
    store = await add_store(storage, interval=300)
    clock = FixedClock(NOW)
    app = make_app(storage, plugin, clock=clock)
    await app.sync_store(store.id)
    assert storage.tables.sync_leases[store.id].next_run_at == NOW + timedelta(seconds=1800)

    fast = await add_store(storage, store_id="s2", interval=3600)
    await app.sync_store(fast.id)  # a store slower than the minimum keeps its own interval
    assert storage.tables.sync_leases[fast.id].next_run_at == NOW + timedelta(seconds=3600)
    assert isinstance(plugin.capabilities, ChannelCapabilities)


async def test_scheduler_publishes_events_and_counts_syncs() -> None:
    storage, plugin, metrics = MemoryStorage(), FakeChannelPlugin(), Metrics()
    store = await add_store(storage)
    plugin.market(store.id).put(*generate_orders(store.id, 5, start=datetime.now(UTC) - timedelta(hours=1)))
    async with storage() as u:
        await u.sync_leases.schedule(store.id, datetime.now(UTC))
        await u.commit()
    app = make_app(storage, plugin, observer=metrics)
    scheduler = Scheduler(app, sync_poll_s=0.01, relay_poll_s=0.01, events_poll_s=0.01, housekeeping_s=0.05)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))
    try:
        async with asyncio.timeout(5):
            while not storage.tables.published or len(storage.tables.published) < 5:
                await asyncio.sleep(0.01)
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
    text = metrics.render()
    assert 'portside_syncs_total{channel="fake",outcome="completed"} 1.0' in text
    assert 'portside_orders_imported_total{channel="fake",kind="new"} 5.0' in text
    assert "portside_events_published_total 5.0" in text
