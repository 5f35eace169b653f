"""A sync asked for now is never started sooner after the store's last sync started than its marketplace
allows, and a sync still running keeps answering 'already running'."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portside.adapters.memory import MemoryStorage
from portside.core.errors import SyncAlreadyRunning, SyncTooSoon
from portside.core.model import Store, SyncReport
from portside.core.ports import ChannelCapabilities
from portside.core.services import claim_on_demand_sync, import_orders
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannel

LEROY = ChannelCapabilities(min_poll_interval_s=900, marketplace="Leroy Merlin")


async def claim(store: Store, storage: MemoryStorage, clock: FixedClock, owner: str = "api") -> None:
    await claim_on_demand_sync(store, LEROY, owner=owner, uow=storage, clock=clock, lease_ttl_s=600)


async def held_by_someone(storage: MemoryStorage, store: Store, clock: FixedClock) -> bool:
    async with storage() as u:  # not committed: the probe takes nothing
        return not await u.sync_leases.acquire(store.id, owner="probe", now=clock.now(), ttl_s=1)


async def add_report(storage: MemoryStorage, report: SyncReport) -> None:
    async with storage() as u:
        await u.sync_reports.save(report)
        await u.commit()


async def test_a_store_never_synced_may_sync_now_and_the_caller_holds_its_lease(
    store: Store, storage: MemoryStorage, clock: FixedClock
) -> None:
    await claim(store, storage, clock)
    assert await held_by_someone(storage, store, clock)
    with pytest.raises(SyncAlreadyRunning):
        await claim(store, storage, clock, owner="another request")


async def test_sooner_than_the_minimum_after_the_last_start_is_refused_with_the_wait_and_nothing_taken(
    store: Store, storage: MemoryStorage, clock: FixedClock
) -> None:
    last = clock.now()
    # Finished long before the minimum: the interval counts from the start, as the marketplace sees polls.
    await add_report(
        storage,
        SyncReport(
            id="r1", store_id=store.id, started_at=last, finished_at=last + timedelta(minutes=1), outcome="completed"
        ),
    )
    clock.advance(minutes=10)
    with pytest.raises(SyncTooSoon) as refused:
        await claim(store, storage, clock)
    error = refused.value
    assert error.retry_after == 300 and error.allowed_at == last + timedelta(minutes=15)
    assert (error.minimum_s, error.last_started_at, error.store_id) == (900, last, store.id)
    message = str(error)
    assert "Leroy Merlin allows at most one every 900 s" in message and "rate-limit" in message
    assert "2026-11-02T09:15:00Z" in message and "in 300 s" in message
    assert not await held_by_someone(storage, store, clock)  # refused: the lease was not taken

    clock.advance(minutes=5)  # exactly the minimum after the last start
    await claim(store, storage, clock)
    assert await held_by_someone(storage, store, clock)


async def test_a_running_sync_is_already_running_even_when_too_soon(
    store: Store, storage: MemoryStorage, clock: FixedClock
) -> None:
    await add_report(storage, SyncReport(id="r1", store_id=store.id, started_at=clock.now()))
    async with storage() as u:
        assert await u.sync_leases.acquire(store.id, owner="scheduler", now=clock.now(), ttl_s=600)
        await u.commit()
    clock.advance(seconds=5)
    with pytest.raises(SyncAlreadyRunning):
        await claim(store, storage, clock)


async def test_a_last_start_ahead_of_this_clock_waits_one_interval_at_most(
    store: Store, storage: MemoryStorage, clock: FixedClock
) -> None:
    ahead = clock.now() + timedelta(hours=2)  # another process's clock runs fast
    await add_report(storage, SyncReport(id="r1", store_id=store.id, started_at=ahead, outcome="completed"))
    with pytest.raises(SyncTooSoon) as refused:
        await claim(store, storage, clock)
    assert refused.value.retry_after == 900


async def test_the_sync_then_runs_under_the_claimed_lease(
    store: Store, storage: MemoryStorage, clock: FixedClock, channel: FakeChannel
) -> None:
    await claim(store, storage, clock, owner="api")
    report = await import_orders(store, source=channel, uow=storage, clock=clock, status_defaults={}, owner="api")
    assert report.outcome == "completed" and report.started_at == clock.now()
    clock.advance(seconds=899)
    with pytest.raises(SyncTooSoon) as refused:
        await claim(store, storage, clock)
    assert refused.value.retry_after == 1
