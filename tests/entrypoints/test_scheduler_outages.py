"""The scheduler during a database outage: one warning a loop when it starts, one line when it ends, no
traceback on every poll; a sync the outage cut records its failure once the database is back."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest

from portside.adapters.memory import MemoryStorage
from portside.adapters.postgres.pool import is_connection_failure
from portside.core.errors import StorageBusy, StorageUnavailable
from portside.entrypoints.scheduler import Scheduler
from portside.entrypoints.scheduler.outage import PassFailures, storage_outages
from portside.entrypoints.scheduler.syncs import SyncLoop
from portside.testing.fake_channel import FakeChannelPlugin

from .helpers import FailingPlugin, add_store, claim, make_app


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "portside.scheduler"]


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in _lines(caplog)]


def test_an_outage_is_one_warning_and_one_line_when_it_ends_and_a_bug_keeps_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    monotonic = Clock()
    failures = PassFailures("outbox relay", quiet_s=60, monotonic=monotonic)
    caplog.set_level(logging.INFO)
    for _ in range(50):  # every poll of a long outage
        failures.failed(StorageUnavailable("the database cannot be reached"))
        monotonic.t += 1
    failures.succeeded()
    failures.succeeded()
    (down, up) = _lines(caplog)
    assert "outbox relay: the database is unavailable" in down.getMessage() and down.exc_info is None
    assert "answers again after 50 s (50 failed passes)" in up.getMessage()

    caplog.clear()
    failures.failed(KeyError("a bug"))
    (bug,) = _lines(caplog)
    assert bug.levelno == logging.ERROR and bug.exc_info is not None


def test_a_flapping_database_is_not_a_warning_every_flap(caplog: pytest.LogCaptureFixture) -> None:
    monotonic = Clock()
    # As the container wires it: a raw lost connection of the Postgres driver is an outage too.
    outage = storage_outages(is_connection_failure)
    failures = PassFailures("event publishing", quiet_s=60, monotonic=monotonic, is_outage=outage)
    caplog.set_level(logging.INFO)
    for _ in range(10):  # busy, fine, busy, fine... every 2 s
        failures.failed(StorageBusy("no database connection came free within 5 s"))
        monotonic.t += 1
        failures.succeeded()
        monotonic.t += 1
    assert len(_lines(caplog)) == 2  # the first flap, said and ended; the rest within the quiet period
    monotonic.t += 60
    failures.failed(ConnectionRefusedError(111, "Connection refused"))
    assert "ConnectionRefusedError" in _lines(caplog)[-1].getMessage()


class DownStorage:
    """MemoryStorage that is unreachable while ``down``."""

    def __init__(self, storage: MemoryStorage) -> None:
        self.storage = storage
        self.down = False
        self.calls: list[str] = []  # "down" or "up", each unit of work asked for

    def __call__(self) -> Any:
        self.calls.append("down" if self.down else "up")
        if self.down:
            raise StorageUnavailable("the database cannot be reached (ConnectionRefusedError); retry in a moment")
        return self.storage()


async def test_scheduler_loops_ride_out_an_outage_quietly(caplog: pytest.LogCaptureFixture) -> None:
    storage = DownStorage(MemoryStorage())
    app = make_app(storage.storage, FakeChannelPlugin())
    app.uow = storage  # every loop goes through the storage that fails
    scheduler = Scheduler(app, sync_poll_s=0.01, relay_poll_s=0.01, events_poll_s=0.01, housekeeping_s=0.01)
    caplog.set_level(logging.INFO)
    loops = (
        "claiming due store syncs",
        "outbox relay",
        "event publishing",
        "acceptance SLA check",
        "outbox depth check",
        "pickup cache purge",
    )

    def failed_passes() -> int:
        return sum(1 for call in storage.calls if call == "down")

    async def every_loop_said(what: str) -> None:
        async def said() -> None:
            while not all(any(m.startswith(f"{loop}:") and what in m for m in _messages(caplog)) for loop in loops):
                await asyncio.sleep(0.01)

        await asyncio.wait_for(said(), timeout=10)

    stop = asyncio.Event()
    running = asyncio.create_task(scheduler.run(stop))
    storage.down = True
    await every_loop_said("unavailable")
    polls = failed_passes()
    while failed_passes() < polls + 20:  # more polls of a long outage: still said once
        await asyncio.sleep(0.01)
    storage.down = False
    await every_loop_said("answers again")
    stop.set()
    await asyncio.wait_for(running, timeout=5)

    lines = _lines(caplog)
    assert not [r for r in lines if r.exc_info], [r.getMessage() for r in lines if r.exc_info]
    for loop in loops:
        said = [r.getMessage() for r in lines if r.getMessage().startswith(f"{loop}:")]
        assert len(said) == 2 and "unavailable" in said[0] and "answers again" in said[1], said


async def test_a_sync_cut_by_an_outage_releases_its_lease_once_the_database_is_back() -> None:
    storage = DownStorage(MemoryStorage())

    def outage() -> Exception:  # on the first page: the import cannot even record its failure
        storage.down = True
        asyncio.get_running_loop().call_later(0.2, setattr, storage, "down", False)
        return ConnectionResetError(104, "Connection reset by peer")

    store = await add_store(storage.storage, interval=900)
    app = make_app(storage.storage, FailingPlugin(outage))
    app.uow = storage
    outage = storage_outages(is_connection_failure)
    loop = SyncLoop(app, concurrency=1, poll_s=1, lease_s=600, shutdown_grace_s=1, retry_s=30, is_outage=outage)
    claimed = await claim(storage, store.id, owner="w1", now=app.clock.now())

    await asyncio.wait_for(loop._sync(claimed, "w1"), timeout=10)

    lease = storage.storage.tables.sync_leases[store.id]
    assert lease.lease_owner is None  # not left to lapse after 600 s
    assert lease.next_run_at is not None and lease.next_run_at - app.clock.now() <= timedelta(seconds=30)
