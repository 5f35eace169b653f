"""Housekeeping purges expired pickup point cache entries each pass, in bounded batches, and counts them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portside.adapters.memory import MemoryStorage
from portside.core.ports import CachedPoint
from portside.entrypoints.metrics import Metrics
from portside.entrypoints.scheduler.housekeeping import Housekeeping
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin

from .helpers import make_app

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _entry(point_id: str, *, expires_in_min: float) -> CachedPoint:
    return CachedPoint(
        carrier="mondial_relay",
        point_id=point_id,
        country="FR",
        point=None,
        fetched_at=NOW - timedelta(hours=2),
        expires_at=NOW + timedelta(minutes=expires_in_min),
    )


async def _cache(storage: MemoryStorage, *entries: CachedPoint) -> None:
    async with storage() as u:
        for entry in entries:
            await u.pickup_cache.put(entry)
        await u.commit()


def _left(storage: MemoryStorage) -> set[str]:
    return {point_id for _, point_id, _ in storage.tables.pickup_cache}


def _purged_total(metrics: Metrics) -> float:
    value = metrics.registry.get_sample_value("portside_pickup_cache_purged_total")
    return 0.0 if value is None else value


async def test_a_pass_purges_expired_entries_and_keeps_fresh_ones() -> None:
    storage, metrics, clock = MemoryStorage(), Metrics(), FixedClock(NOW)
    expired = [_entry(f"00000{n}", expires_in_min=-n) for n in range(1, 4)]
    expiring_now = _entry("000004", expires_in_min=0)  # get no longer answers it: expired too
    fresh = [_entry("000010", expires_in_min=1), _entry("000011", expires_in_min=60)]
    await _cache(storage, *expired, expiring_now, *fresh)
    housekeeping = Housekeeping(
        make_app(storage, FakeChannelPlugin(), clock=clock, observer=metrics),
        every_s=30,
        acceptance_sla=timedelta(hours=24),
    )

    await housekeeping.once()

    assert _left(storage) == {"000010", "000011"}
    assert _purged_total(metrics) == 4
    clock.advance(minutes=30)
    await housekeeping.once()
    assert _left(storage) == {"000011"}
    assert _purged_total(metrics) == 5


async def test_a_pass_stops_at_its_cap_and_the_next_pass_goes_on() -> None:
    storage, metrics = MemoryStorage(), Metrics()
    await _cache(
        storage, *(_entry(f"00010{n}", expires_in_min=-10 + n) for n in range(7)), _entry("000999", expires_in_min=5)
    )
    app = make_app(storage, FakeChannelPlugin(), clock=FixedClock(NOW), observer=metrics)
    housekeeping = Housekeeping(app, every_s=30, acceptance_sla=timedelta(hours=24), purge_batch=2, purge_batches=3)

    assert await housekeeping.purge_pickup_cache() == 6  # three full batches: the cap, not the backlog's end
    assert _left(storage) == {"000106", "000999"}  # the longest expired went first
    assert await housekeeping.purge_pickup_cache() == 1  # a short batch: nothing more to do this pass
    assert await housekeeping.purge_pickup_cache() == 0
    assert _left(storage) == {"000999"}
    assert _purged_total(metrics) == 7
