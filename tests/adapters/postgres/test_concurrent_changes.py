"""Postgres-only: two writers of one order at once (a memory unit of work runs alone, so only a real
database can interleave them). What one of them committed is never undone by the other's older copy."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import msgspec

from portside.adapters.postgres import PostgresUnitOfWorkFactory
from portside.core.model import OrderStatus, order_id_for
from portside.core.ports import OrderQuery, OrderRecord, UnitOfWork
from portside.core.services import set_status_mapping
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FAKE_STATUSES
from portside.testing.orders import make_order
from portside.testing.storage_contract import T0, make_store


class AfterTheFirstScan:
    """The storage, where ``meanwhile`` commits in a transaction of its own right after the first
    ``orders.find`` that returns orders: between a writer's unlocked read and its write."""

    def __init__(self, storage: PostgresUnitOfWorkFactory, meanwhile: Callable[[], Awaitable[None]]) -> None:
        self.storage, self.meanwhile, self.done = storage, meanwhile, False

    def __call__(self) -> Any:
        return self._unit()

    @contextlib.asynccontextmanager
    async def _unit(self) -> AsyncIterator[UnitOfWork]:
        async with self.storage() as u:
            find = u.orders.find

            async def find_then_change(query: OrderQuery) -> list[OrderRecord]:
                found = await find(query)
                if found and not self.done:
                    self.done = True
                    await self.meanwhile()
                return found

            u.orders.find = find_then_change  # type: ignore[method-assign]
            yield u


async def test_a_shipment_confirmed_while_a_new_mapping_is_applied_stays_shipped(
    pg_uow_factory: PostgresUnitOfWorkFactory,
) -> None:
    storage, clock = pg_uow_factory, FixedClock(T0)
    orders = [
        make_order("store-1", f"M{n}", status="Pending", core_status=OrderStatus.awaiting_payment) for n in range(3)
    ]
    async with storage() as u:
        await u.stores.add(make_store("store-1"))
        await u.orders.save_many([OrderRecord(order=o, content_hash=b"h", modified_at=T0) for o in orders])
        await u.commit()

    async def ship_m1() -> None:  # POST /v1/orders/{id}/shipments, committed during the scan
        async with storage() as other:
            record = await other.orders.get(order_id_for("store-1", "M1"), for_update=True)
            assert record is not None
            shipped = msgspec.structs.replace(record.order, status=OrderStatus.shipped)
            await other.orders.save_many([msgspec.structs.replace(record, order=shipped)])
            await other.commit()

    scanning = AfterTheFirstScan(storage, ship_m1)
    _, changed = await set_status_mapping(
        "store-1", {"Pending": OrderStatus.awaiting_shipment}, uow=scanning, clock=clock, defaults=FAKE_STATUSES
    )

    assert scanning.done and changed == 2
    async with storage() as u:
        statuses = {r.order.channel_order_id: r.order.status for r in await u.orders.find(OrderQuery(limit=10))}
    assert statuses == {"M0": "awaiting_shipment", "M1": "shipped", "M2": "awaiting_shipment"}


async def test_two_mappings_applied_at_once_leave_the_orders_under_the_one_saved_last(
    pg_uow_factory: PostgresUnitOfWorkFactory,
) -> None:
    storage, clock = pg_uow_factory, FixedClock(T0)
    order = make_order("store-1", "M1", status="Pending", core_status=OrderStatus.awaiting_payment)
    async with storage() as u:
        await u.stores.add(make_store("store-1"))
        await u.orders.save_many([OrderRecord(order=order, content_hash=b"h", modified_at=T0)])
        await u.commit()

    async def another_mapping_saved() -> None:  # a second PUT, saved and applied during the first's scan
        await set_status_mapping(
            "store-1", {"Pending": OrderStatus.on_hold}, uow=storage, clock=clock, defaults=FAKE_STATUSES
        )

    scanning = AfterTheFirstScan(storage, another_mapping_saved)
    await set_status_mapping(
        "store-1", {"Pending": OrderStatus.awaiting_shipment}, uow=scanning, clock=clock, defaults=FAKE_STATUSES
    )

    async with storage() as u:
        store = await u.stores.get("store-1")
        stored = await u.orders.get(order.id)
    assert store is not None and store.status_overrides == {"Pending": OrderStatus.on_hold}
    assert stored is not None and stored.order.status == OrderStatus.on_hold
