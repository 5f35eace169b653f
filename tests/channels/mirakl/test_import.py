"""The core import (import_orders, MemoryStorage) from a Leroy Merlin sandbox, enriched by the Colissimo directory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest

from portside.adapters.carriers.colissimo import ColissimoDirectory, ColissimoSettings
from portside.adapters.carriers.colissimo.sandbox.app import start_sandbox as start_colissimo
from portside.adapters.carriers.seed_points import point_by_id
from portside.adapters.memory import MemoryStorage
from portside.core.model import OrderFlag, OrderStatus, PickupCarrier, PointSource, Store
from portside.core.ports import OrderQuery
from portside.core.services import ImportSettings, import_orders
from portside.core.services.pickup_enrichment import PickupEnricher
from portside.testing.clock import FixedClock

from .harness import NOW, Harness

SETTINGS = ImportSettings(look_back=timedelta(days=60))


@pytest.fixture
async def enricher(lm: Harness) -> AsyncIterator[PickupEnricher]:
    async with await start_colissimo() as colissimo:
        settings = ColissimoSettings(url=colissimo.url, account="123456", password="sandbox-password", timeout_s=2)
        directory = ColissimoDirectory(settings, lm.http, today=lambda: date(2026, 11, 26))
        yield PickupEnricher({PickupCarrier.colissimo: directory}, store_name="Brico Sandbox")


@pytest.fixture
async def storage(lm: Harness) -> MemoryStorage:
    memory = MemoryStorage()
    async with memory() as u:
        await u.stores.add(lm.store)
        await u.commit()
    return memory


async def sync(lm: Harness, storage: MemoryStorage, clock: FixedClock, enricher: PickupEnricher, store: Store):
    return await import_orders(
        store,
        source=lm.bundle.source,
        uow=storage,
        clock=clock,
        status_defaults=lm.default_status_mapping,
        owner="worker-1",
        settings=SETTINGS,
        enrichers=[enricher],
    )


async def stored(storage: MemoryStorage) -> dict:
    async with storage() as u:
        return {r.order.channel_order_id: r.order for r in await u.orders.find(OrderQuery(limit=10_000))}


async def test_relay_orders_get_colissimo_points_from_the_seed_and_the_directory(lm, storage, enricher) -> None:
    clock = FixedClock(NOW)
    lm.set_faults(malformed_order={"count": 1})
    report = await sync(lm, storage, clock, enricher, lm.store)
    orders = await stored(storage)
    assert report.outcome == "completed" and report.quarantined == 1
    assert len(orders) + 1 == len(lm.stored())
    relay = [o for o in orders.values() if o.pickup_point is not None]
    assert relay
    for order in relay:
        point = order.pickup_point
        seed = point_by_id("colissimo", point.point_id)
        assert point.carrier == PickupCarrier.colissimo and seed is not None
        issue = order.pickup_point_issue
        if seed.listed:
            assert point.source == PointSource.directory and point.opening_hours  # completed by the directory
            assert order.label_hints["pickupLocationId"] == seed.point_id
            assert order.label_hints["commercialName"] == "Brico Sandbox"
            assert issue is None or issue.reason == "closed"  # some seed points are on holiday
        else:
            assert issue is not None and issue.reason == "not_found"  # the carrier no longer knows it
        assert (issue is not None) == (OrderFlag.pickup_point_unavailable in order.flags)
    async with storage() as u:
        (quarantined,) = await u.quarantine.find(lm.store.id)
    assert quarantined.channel_order_id in lm.sandbox.state.faults.malformed


async def test_addresses_fill_in_once_the_order_is_accepted(lm, storage, enricher) -> None:
    clock = FixedClock(NOW)
    await sync(lm, storage, clock, enricher, lm.store)
    waiting_id = lm.wire_order("WAITING_ACCEPTANCE")["order_id"]
    before = (await stored(storage))[waiting_id]
    assert before.status == OrderStatus.awaiting_acceptance and before.shipping_address is None
    await lm.bundle.acknowledger.accept(before)
    clock.advance(minutes=5)
    report = await sync(lm, storage, clock, enricher, lm.store)
    after = (await stored(storage))[waiting_id]
    assert after.status == OrderStatus.awaiting_shipment and after.shipping_address is not None
    assert report.new == 0 and report.updated >= 1
    clock.advance(minutes=5)
    again = await sync(lm, storage, clock, enricher, lm.store)
    assert again.new == again.updated == 0  # the widened window brings nothing new
