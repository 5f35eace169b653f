"""A sync that died or failed: its report is closed, and the store runs again soon after a passing fault,
at its usual time after a refusal."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from portside.adapters.memory import MemoryStorage
from portside.adapters.postgres.pool import is_connection_failure
from portside.core.errors import ChannelAuthFailed, ChannelUnavailable, StorageBusy, StorageUnavailable
from portside.core.model import Store, SyncReport
from portside.entrypoints.scheduler.outage import storage_outages
from portside.entrypoints.scheduler.retry import failures_in_a_row, retry_delay
from portside.entrypoints.scheduler.syncs import SyncLoop
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin

from ..entrypoints.helpers import FailingPlugin, add_store, claim, make_app

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_a_report_left_running_by_a_dead_sync_is_closed_as_interrupted_by_the_next() -> None:
    storage, plugin = MemoryStorage(), FakeChannelPlugin()
    store = await add_store(storage)
    clock = FixedClock(NOW)
    dead = SyncReport(id="dead-sync", store_id=store.id, started_at=NOW - timedelta(hours=1))
    async with storage() as u:
        await u.sync_reports.save(dead)  # its worker was killed: nothing ever finished it
        assert await u.sync_leases.acquire(store.id, owner="killed", now=dead.started_at, ttl_s=600)
        await u.commit()

    report = await make_app(storage, plugin, clock=clock).sync_store(store.id)  # the lease lapsed long ago

    async with storage() as u:
        by_id = {r.id: r for r in await u.sync_reports.find(store.id)}
    assert report.outcome == "completed"
    closed = by_id["dead-sync"]
    assert (closed.outcome, closed.finished_at) == ("interrupted", NOW)
    assert closed.error is not None and "stopped before it ended" in closed.error
    assert by_id[report.id].outcome == "completed"


def test_a_passing_fault_retries_soon_with_backoff_and_a_refusal_waits_the_interval() -> None:
    rng = random.Random(7)
    outage = storage_outages(is_connection_failure)  # as the container wires the scheduler

    def delay(error: BaseException, failures: int = 1, minimum: float = 0.0) -> float | None:
        return retry_delay(
            error, failures=failures, first_s=30, interval_s=900, channel_minimum_s=minimum, rng=rng, is_outage=outage
        )

    busy = StorageBusy("no connection")
    assert [15 <= (delay(busy, n) or 0) <= 30 * 2 ** (n - 1) for n in (1, 2, 3)] == [True] * 3
    assert 450 <= (delay(StorageUnavailable("down"), 10) or 0) <= 900  # never later than the interval
    assert 15 <= (delay(ConnectionRefusedError(111, "refused")) or 0) <= 30  # a raw connection failure too
    assert (
        retry_delay(  # ... which only the storage adapter's predicate tells: the scheduler knows no driver
            ConnectionRefusedError(111, "refused"), failures=1, first_s=30, interval_s=900, channel_minimum_s=0, rng=rng
        )
        is None
    )
    # The marketplace: its Retry-After and the channel's minimum poll interval both hold.
    assert delay(ChannelUnavailable("HTTP 503")) is not None
    assert delay(ChannelUnavailable("HTTP 429", retry_after=1200)) == 1200
    assert delay(ChannelUnavailable("HTTP 503"), minimum=300) == 300
    # Permanent: the store's normal interval (None), whatever the count.
    assert delay(ChannelAuthFailed("credentials refused")) is None
    assert delay(KeyError("a bug"), 3) is None


def test_failures_in_a_row_counts_back_to_the_last_completed_sync() -> None:
    def report(outcome: str) -> SyncReport:
        return SyncReport(id=outcome, store_id="s", started_at=NOW, outcome=outcome)

    newest_first = [report(o) for o in ("running", "failed", "interrupted", "completed", "failed")]
    assert failures_in_a_row(newest_first) == 3
    assert failures_in_a_row([]) == 0


async def _scheduled_sync(error: Exception) -> tuple[MemoryStorage, Store, timedelta]:
    """One scheduled sync of a store whose marketplace fails with ``error``: the delay to its next run."""
    storage, plugin = MemoryStorage(), FailingPlugin(lambda: error)
    store = await add_store(storage, interval=900)
    app = make_app(storage, plugin, clock=FixedClock(NOW))
    loop = SyncLoop(app, concurrency=1, poll_s=1, lease_s=600, shutdown_grace_s=1, retry_s=30)
    await loop._sync(await claim(storage, store.id, owner="w1", now=NOW), "w1")
    lease = storage.tables.sync_leases[store.id]
    assert lease.lease_owner is None  # released either way
    assert lease.next_run_at is not None
    return storage, store, lease.next_run_at - NOW


async def test_a_sync_the_marketplace_failed_for_a_moment_runs_again_soon() -> None:
    _, _, delay = await _scheduled_sync(ChannelUnavailable("HTTP 503 after 3 tries"))
    # The fake channel's minimum poll interval is 60 s: no sooner; the store's interval is 900 s.
    assert timedelta(seconds=60) <= delay < timedelta(seconds=900)


async def test_a_sync_whose_credentials_were_refused_waits_its_interval_and_the_store_says_why() -> None:
    storage, store, delay = await _scheduled_sync(ChannelAuthFailed("the marketplace refused the client secret"))
    assert delay == timedelta(seconds=900)
    async with storage() as u:
        (report,) = await u.sync_reports.find(store.id)
    assert report.outcome == "failed" and report.error is not None and "client secret" in report.error
