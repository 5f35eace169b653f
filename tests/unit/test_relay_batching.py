"""The relay's batching: reads shared by a batch's deliveries (OutboxBatch / batch_shared), outcomes
recorded in groups (and one by one when a group fails), the next batch claimed while this one's last
deliveries run, and the ship-notification handler's outcome written without a read.

Nothing here waits on the wall clock: deliveries and commits are held on events the tests release."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

import msgspec
import pytest

from portside.core.errors import ChannelBusy, StorageUnavailable
from portside.core.model import (
    ActivityKind,
    NotificationState,
    NotificationStatus,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Shipment,
)
from portside.core.ports import BUDGET_WAIT, OrderRecord
from portside.core.services import (
    Outcome,
    RelaySettings,
    ShipmentRequest,
    ShipNotificationHandler,
    confirm_shipment,
    dispatch_outbox,
)
from portside.core.services.dispatch_outbox import OutboxBatch, batch_shared, current_batch
from portside.testing.orders import make_order

OWNER = "relay-1"
GUARD_S = 10.0  # only bounds a hang: every wait below ends on an event well before it


# --- storage and channel wrappers: the real in-memory ones, watched ---------------------------


class Recorder:
    """A UnitOfWorkFactory over ``MemoryStorage`` that records the repository calls the relay and the
    handler make, the claims, and the settling transactions (those that call ``relax_durability``)
    that committed, by the ids of the messages they saved. A settling commit can be held: ``hold(n)``
    stops the n-th one (1-based) until its ``release`` event is set."""

    def __init__(self, storage) -> None:
        self.storage = storage
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.claims: list[list[str]] = []
        self.settlements: list[list[str]] = []  # committed settling transactions, message ids saved
        self.settling_commits = 0  # attempted
        self._holds: dict[int, tuple[asyncio.Event, asyncio.Event]] = {}
        self.held_tasks: dict[int, asyncio.Task[Any] | None] = {}
        self._claim_waits: dict[int, asyncio.Event] = {}

    def __call__(self) -> RecordingUnit:
        return RecordingUnit(self, self.storage())

    def hold(self, n: int) -> tuple[asyncio.Event, asyncio.Event]:
        """(reached, release): ``reached`` is set when the n-th settling commit starts, which then
        waits for ``release``."""
        self._holds[n] = (asyncio.Event(), asyncio.Event())
        return self._holds[n]

    def claims_reached(self, n: int) -> asyncio.Event:
        event = self._claim_waits.setdefault(n, asyncio.Event())
        if len(self.claims) >= n:
            event.set()
        return event

    def count(self, name: str) -> int:
        return sum(1 for call, _ in self.calls if call == name)

    def args(self, name: str) -> list[tuple[Any, ...]]:
        return [args for call, args in self.calls if call == name]

    def claimed(self, ids: list[str]) -> None:
        self.claims.append(ids)
        for n, event in self._claim_waits.items():
            if len(self.claims) >= n:
                event.set()


class RecordingUnit:
    def __init__(self, recorder: Recorder, inner) -> None:
        self._rec = recorder
        self._inner = inner
        self._settling = False
        self._saved: list[str] = []

    async def __aenter__(self) -> RecordingUnit:
        await self._inner.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._inner.__aexit__(*exc)

    def relax_durability(self) -> None:
        self._settling = True
        self._inner.relax_durability()

    async def commit(self) -> None:
        if self._settling:
            self._rec.settling_commits += 1
            n = self._rec.settling_commits
            if n in self._rec._holds:
                reached, release = self._rec._holds[n]
                self._rec.held_tasks[n] = asyncio.current_task()
                reached.set()
                await release.wait()
        await self._inner.commit()
        if self._settling:
            self._rec.settlements.append(self._saved)
        self._saved = []

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._inner, name)
        return _Spy(self, name, found) if name in ("shipments", "orders", "outbox", "activity") else found


class _Spy:
    def __init__(self, unit: RecordingUnit, repo_name: str, repo: Any) -> None:
        self._unit, self._name, self._repo = unit, repo_name, repo

    def __getattr__(self, method: str) -> Any:
        real = getattr(self._repo, method)
        unit, name = self._unit, f"{self._name}.{method}"

        async def spied(*args: Any, **kwargs: Any) -> Any:
            unit._rec.calls.append((name, args))
            result = await real(*args, **kwargs)
            if name == "outbox.save":
                unit._saved.append(args[0].id)
            elif name == "outbox.save_many":
                unit._saved.extend(m.id for m in args[0])
            elif name == "outbox.claim":
                unit._rec.claimed([m.id for m in result])
            return result

        return spied


class Notifier:
    """The fake channel's notifier, counting notifications; one can be held on ``gate``, and a hook
    can run before the channel is told."""

    def __init__(self, channel, *, expected: int = 0) -> None:
        self.channel = channel
        self.gate: asyncio.Event | None = None
        self.started = 0
        self.finished = 0
        self.sent: list[str] = []  # shipment ids, in the order the channel was told
        self.expected = expected
        self.all_sent = asyncio.Event()
        self.before: Any = None

    async def notify(self, order, shipment):
        self.started += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.before is not None:
            self.before(shipment)
        receipt = await self.channel.notify(order, shipment)
        self.finished += 1
        self.sent.append(shipment.id)
        if self.expected and len(self.sent) >= self.expected:
            self.all_sent.set()
        return receipt

    async def find_notification(self, order, shipment):
        return await self.channel.find_notification(order, shipment)

    async def preflight(self, order, shipment):
        return await self.channel.preflight(order, shipment)


class Channels:
    """ChannelProvider for the single fake channel (as in test_shipments), counting the bundles built."""

    def __init__(self, channel, notifier: Notifier | None = None) -> None:
        self.channel = channel
        self.notifier = notifier
        self.builds = 0

    async def for_store(self, store_id: str):
        self.builds += 1
        bundle = self.channel.bundle()
        return bundle if self.notifier is None else msgspec.structs.replace(bundle, notifier=self.notifier)


class Handler:
    """The real ship-notification handler; optionally one shipment's outcome cannot be recorded, or
    its delivery is cut short (CancelledError), and each delivery's batch is noted."""

    kind = OutboxKind.ship_notification

    def __init__(
        self,
        inner: ShipNotificationHandler,
        *,
        bad_outcome: str | None = None,
        cut: str | None = None,
        prepare_error: Exception | None = None,
    ) -> None:
        self.inner = inner
        self.bad_outcome = bad_outcome
        self.cut = cut
        self.prepare_error = prepare_error
        self.outcome_failures = 0
        self.batches: dict[str, OutboxBatch | None] = {}

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        self.batches[message.id] = current_batch()
        if message.subject_id == self.cut:
            raise asyncio.CancelledError()
        return await self.inner.deliver(message)

    async def prepare(self, batch: OutboxBatch) -> None:
        if self.prepare_error is not None:
            raise self.prepare_error
        await self.inner.prepare(batch)

    async def on_outcomes(self, u, outcomes: Sequence[Outcome]) -> None:
        if any(o.message.subject_id == self.bad_outcome for o in outcomes):
            self.outcome_failures += 1
            raise RuntimeError("this outcome cannot be recorded")
        await self.inner.on_outcomes(u, outcomes)


# --- builders ---------------------------------------------------------------------------------


async def ship_orders(storage, clock, channel, market, store, count: int) -> list[Shipment]:
    """``count`` orders, each shipped through confirm_shipment (one ship-notification message each)."""
    shipments = []
    for i in range(count):
        order = make_order(store.id, f"BATCH{i:03d}", updated_at=clock.now() - timedelta(hours=1))
        market.put(order)
        async with storage() as u:
            await u.orders.save_many([OrderRecord(order=order, content_hash=b"x", modified_at=clock.now())])
            await u.commit()
        request = ShipmentRequest(carrier="colissimo", tracking_number=f"6A{i:011d}")
        shipments.append(
            await confirm_shipment(
                order.id, request, uow=storage, clock=clock, carriers=channel, capabilities=channel.capabilities
            )
        )
    return shipments


def run_relay(uow, handler, clock, on_settled=None, keep_claiming=None, **settings: Any):
    return dispatch_outbox(
        uow=uow,
        handlers={OutboxKind.ship_notification: handler},
        clock=clock,
        owner=OWNER,
        settings=RelaySettings(**settings),
        rng=random.Random(3),
        on_settled=on_settled,
        keep_claiming=keep_claiming,
    )


async def messages(storage) -> dict[str, OutboxMessage]:
    """The outbox, by subject (shipment id)."""
    async with storage() as u:
        return {m.subject_id: m for m in await u.outbox.find(limit=10_000)}


async def shipment_states(storage, ids: Iterable[str]) -> dict[str, Shipment | None]:
    async with storage() as u:
        return {sid: await u.shipments.get(sid) for sid in ids}


def parcel_count(market, shipment: Shipment) -> int:
    return sum(
        1 for parcels in market.parcels.values() for p in parcels if p["parcelNumber"] == shipment.tracking_number
    )


def assert_delivered_exactly_once(market, shipments: list[Shipment], outbox: dict[str, OutboxMessage]) -> None:
    for s in shipments:
        assert parcel_count(market, s) == 1, s.id
        assert outbox[s.id].status == OutboxStatus.delivered, s.id


def assert_nothing_marked_delivered_unsent(market, shipments: list[Shipment], outbox: dict[str, OutboxMessage]):
    for s in shipments:
        if outbox[s.id].status == OutboxStatus.delivered:
            assert parcel_count(market, s) == 1, f"{s.id} marked delivered, never sent"


def last_claimed(shipments: list[Shipment], outbox: dict[str, OutboxMessage]) -> Shipment:
    """The shipment whose message a claim takes last (claims go by (available_at, id))."""
    ordered = sorted(outbox.values(), key=lambda m: (m.available_at, m.id))
    return next(s for s in shipments if s.id == ordered[-1].subject_id)


# --- 1. OutboxBatch.shared / batch_shared -----------------------------------------------------


async def test_a_shared_load_runs_once_for_all_concurrent_callers_of_a_key() -> None:
    batch = OutboxBatch([])
    started, release = asyncio.Event(), asyncio.Event()
    loads: list[str] = []

    async def load(key: str) -> object:
        loads.append(key)
        started.set()
        await release.wait()
        return object()

    callers = [asyncio.create_task(batch.shared("subjects", lambda: load("subjects"))) for _ in range(6)]
    await started.wait()
    assert not any(c.done() for c in callers)  # all of them are waiting on the one load
    release.set()
    results = await asyncio.wait_for(asyncio.gather(*callers), GUARD_S)

    assert loads == ["subjects"]
    assert all(r is results[0] for r in results)
    assert await batch.shared("subjects", lambda: load("subjects")) is results[0]  # kept for the batch
    other = await batch.shared("bundle", lambda: load("bundle"))  # another key: its own load
    assert loads == ["subjects", "bundle"] and other is not results[0]


async def test_a_failed_shared_load_is_not_kept_and_the_next_caller_loads_again() -> None:
    batch = OutboxBatch([])
    loads = 0

    async def flaky() -> str:
        nonlocal loads
        loads += 1
        if loads == 1:
            raise ConnectionError("database went away")
        return f"loaded #{loads}"

    together = [asyncio.create_task(batch.shared("k", flaky)) for _ in range(3)]
    failed = await asyncio.wait_for(asyncio.gather(*together, return_exceptions=True), GUARD_S)
    assert loads == 1 and all(isinstance(f, ConnectionError) for f in failed)

    assert await batch.shared("k", flaky) == "loaded #2"
    assert await batch.shared("k", flaky) == "loaded #2"  # a success is kept
    assert loads == 2


async def test_a_cancelled_caller_does_not_cancel_the_load_the_others_wait_for() -> None:
    batch = OutboxBatch([])
    started, release = asyncio.Event(), asyncio.Event()
    loads = 0

    async def load() -> str:
        nonlocal loads
        loads += 1
        started.set()
        await release.wait()
        return "shipments"

    first = asyncio.create_task(batch.shared("k", load))
    second = asyncio.create_task(batch.shared("k", load))
    await started.wait()
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    release.set()

    assert await asyncio.wait_for(second, GUARD_S) == "shipments"
    assert await batch.shared("k", load) == "shipments"  # and a later caller still reuses it
    assert loads == 1


async def test_a_cancelled_shared_load_is_not_kept_and_the_next_caller_loads_again() -> None:
    batch = OutboxBatch([])
    calls = 0

    async def load() -> int:
        nonlocal calls
        calls += 1
        if calls == 1:
            task = asyncio.current_task()
            assert task is not None
            task.cancel()  # the load itself is cancelled (its loop stopping, say)
            await asyncio.sleep(1)
        return calls

    with pytest.raises(asyncio.CancelledError):
        await batch.shared("k", load)
    assert await batch.shared("k", load) == 2


async def test_batch_shared_outside_a_relay_pass_simply_awaits_the_load() -> None:
    calls = 0

    async def load() -> int:
        nonlocal calls
        calls += 1
        return calls

    assert current_batch() is None
    assert await batch_shared("k", load) == 1
    assert await batch_shared("k", load) == 2  # nothing is kept: no batch to keep it for


# --- 2. one read of shipments and orders per batch --------------------------------------------


async def test_a_relay_pass_reads_shipments_and_orders_once_per_batch(storage, clock, channel, market, store) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 12)
    rec = Recorder(storage)
    channels = Channels(channel)
    handler = Handler(ShipNotificationHandler(uow=rec, channels=channels))

    report = await run_relay(rec, handler, clock, batch=5, concurrency=3, batches_per_pass=4)

    assert (report.claimed, report.delivered, report.dead) == (12, 12, 0)
    assert [len(c) for c in rec.claims] == [5, 5, 2]
    outbox = await messages(storage)
    subjects = {m.id: m.subject_id for m in outbox.values()}
    # One get_many of shipments and one of orders per batch, for exactly that batch's shipments.
    shipment_reads = rec.args("shipments.get_many")
    assert [sorted(ids) for (ids,) in shipment_reads] == [sorted(subjects[i] for i in c) for c in rec.claims]
    assert rec.count("orders.get_many") == 3
    assert rec.count("shipments.get") == rec.count("orders.get") == 0  # never one read per message
    assert channels.builds == 3  # one channel bundle per store per batch
    # Every delivery saw the batch it was claimed in.
    for claim in rec.claims:
        seen = {handler.batches[i] for i in claim}
        assert len(seen) == 1 and {m.id for m in next(iter(seen)).messages} == set(claim)
    assert_delivered_exactly_once(market, shipments, outbox)


async def test_the_handler_reads_its_own_subject_outside_a_relay_pass(storage, clock, channel, market, store) -> None:
    (shipment,) = await ship_orders(storage, clock, channel, market, store, 1)
    rec = Recorder(storage)
    handler = ShipNotificationHandler(uow=rec, channels=Channels(channel))

    result = await handler.deliver((await messages(storage))[shipment.id])

    assert result["sent"]["parcelNumber"] == shipment.tracking_number
    assert rec.args("shipments.get_many") == [([shipment.id],)]
    assert rec.args("orders.get_many") == [([shipment.order_id],)]


# --- 3. outcomes recorded in groups -----------------------------------------------------------


async def test_outcomes_arriving_during_a_settlement_are_recorded_together(
    storage, clock, channel, market, store
) -> None:
    n = 6
    shipments = await ship_orders(storage, clock, channel, market, store, n)
    rec = Recorder(storage)
    reached, release = rec.hold(1)
    notifier = Notifier(channel, expected=n)
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel, notifier)))

    relay = asyncio.create_task(run_relay(rec, handler, clock, batch=n, concurrency=n, batches_per_pass=1))
    await asyncio.wait_for(reached.wait(), GUARD_S)  # the first outcome's transaction is committing
    await asyncio.wait_for(notifier.all_sent.wait(), GUARD_S)  # and every other delivery has finished
    assert rec.settlements == []
    release.set()
    report = await asyncio.wait_for(relay, GUARD_S)

    assert report.delivered == n
    assert sorted(i for s in rec.settlements for i in s) == sorted(m.id for m in (await messages(storage)).values())
    assert len(rec.settlements) == 2 < n  # the first alone, the ones that piled up behind it together
    assert len(rec.settlements[-1]) == n - 1
    assert_delivered_exactly_once(market, shipments, await messages(storage))
    states = await shipment_states(storage, [s.id for s in shipments])
    assert all(s.notification.status == NotificationStatus.delivered for s in states.values())


async def test_one_outcome_that_cannot_be_recorded_does_not_lose_the_others_of_its_group(
    storage, clock, channel, market, store
) -> None:
    n = 5
    shipments = await ship_orders(storage, clock, channel, market, store, n)
    bad = last_claimed(shipments, await messages(storage))  # delivered last: in the group, not first
    rec = Recorder(storage)
    reached, release = rec.hold(1)
    notifier = Notifier(channel, expected=n)
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel, notifier)), bad_outcome=bad.id)

    told: list[OutboxMessage] = []
    relay = asyncio.create_task(
        run_relay(
            rec,
            handler,
            clock,
            lambda o: told.append(o.message),
            batch=n,
            concurrency=n,
            batches_per_pass=1,
            lease_s=60,
        )
    )
    await asyncio.wait_for(reached.wait(), GUARD_S)
    await asyncio.wait_for(notifier.all_sent.wait(), GUARD_S)
    release.set()
    await asyncio.wait_for(relay, GUARD_S)

    # The group of the n-1 that piled up failed on one outcome: retried one by one, the others landed.
    assert handler.outcome_failures == 2
    assert [len(s) for s in rec.settlements] == [1] * (n - 1)
    # Told once each, once recorded: not for the failed group's attempt, not for the one left in flight.
    assert sorted(m.subject_id for m in told) == sorted(s.id for s in shipments if s.id != bad.id)
    assert all(m.status == OutboxStatus.delivered for m in told)
    outbox = await messages(storage)
    good = [s for s in shipments if s.id != bad.id]
    assert_delivered_exactly_once(market, good, outbox)
    states = await shipment_states(storage, [s.id for s in shipments])
    assert all(states[s.id].notification.status == NotificationStatus.delivered for s in good)
    # The bad one is left in flight (its parcel did go out), its shipment untouched.
    left = outbox[bad.id]
    assert (left.status, left.lease_owner, left.attempts) == (OutboxStatus.in_flight, OWNER, 0)
    assert states[bad.id].notification.status == NotificationStatus.pending
    assert parcel_count(market, bad) == 1

    # Once its lease lapses it is claimed again, found on the channel, and not sent twice.
    healthy = ShipNotificationHandler(uow=storage, channels=Channels(channel))
    assert (await run_relay(storage, healthy, clock, lease_s=60)).claimed == 0  # lease still held
    clock.advance(seconds=61)
    again = await run_relay(storage, healthy, clock, lease_s=60)
    assert (again.claimed, again.delivered) == (1, 1)
    assert_delivered_exactly_once(market, shipments, await messages(storage))
    stored = (await shipment_states(storage, [bad.id]))[bad.id]
    assert stored.notification.status == NotificationStatus.delivered


async def test_a_settlement_cancelled_mid_commit_fails_the_waiting_outcomes_and_records_none(
    storage, clock, channel, market, store
) -> None:
    n = 4
    shipments = await ship_orders(storage, clock, channel, market, store, n)
    rec = Recorder(storage)
    reached, _never = rec.hold(1)
    notifier = Notifier(channel, expected=n)
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel, notifier)))

    relay = asyncio.create_task(run_relay(rec, handler, clock, batch=n, concurrency=n, batches_per_pass=1, lease_s=60))
    await asyncio.wait_for(reached.wait(), GUARD_S)
    await asyncio.wait_for(notifier.all_sent.wait(), GUARD_S)
    settling = rec.held_tasks[1]
    assert settling is not None and settling is not relay
    settling.cancel()  # the delivery running the settlement is cancelled while its commit is held
    report = await asyncio.wait_for(relay, GUARD_S)  # the others are failed, not left waiting

    assert report.delivered == n and rec.settlements == []
    outbox = await messages(storage)
    assert all(m.status == OutboxStatus.in_flight for m in outbox.values())
    assert_nothing_marked_delivered_unsent(market, shipments, outbox)

    clock.advance(seconds=61)
    again = await run_relay(storage, ShipNotificationHandler(uow=storage, channels=Channels(channel)), clock)
    assert (again.claimed, again.delivered) == (n, n)
    assert_delivered_exactly_once(market, shipments, await messages(storage))


async def test_a_settlement_cancelled_while_retrying_one_by_one_leaves_no_outcome_waiting(
    storage, clock, channel, market, store
) -> None:
    n = 4
    shipments = await ship_orders(storage, clock, channel, market, store, n)
    bad = last_claimed(shipments, await messages(storage))
    rec = Recorder(storage)
    first_reached, first_release = rec.hold(1)
    retry_reached, _never = rec.hold(2)  # the first outcome recorded alone after its group failed
    notifier = Notifier(channel, expected=n)
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel, notifier)), bad_outcome=bad.id)

    relay = asyncio.create_task(run_relay(rec, handler, clock, batch=n, concurrency=n, batches_per_pass=1, lease_s=60))
    await asyncio.wait_for(first_reached.wait(), GUARD_S)
    await asyncio.wait_for(notifier.all_sent.wait(), GUARD_S)
    first_release.set()
    await asyncio.wait_for(retry_reached.wait(), GUARD_S)
    assert handler.outcome_failures == 1  # the group failed; its outcomes are being retried alone
    rec.held_tasks[2].cancel()
    report = await asyncio.wait_for(relay, GUARD_S)  # must not wait forever on the rest of the group

    assert report.delivered == n and len(rec.settlements) == 1
    outbox = await messages(storage)
    assert sum(m.status == OutboxStatus.delivered for m in outbox.values()) == 1
    assert_nothing_marked_delivered_unsent(market, shipments, outbox)

    clock.advance(seconds=61)
    again = await run_relay(storage, ShipNotificationHandler(uow=storage, channels=Channels(channel)), clock)
    assert (again.claimed, again.delivered) == (n - 1, n - 1)
    assert_delivered_exactly_once(market, shipments, await messages(storage))


# --- 4. the next batch claimed while this one's last deliveries run ---------------------------


async def test_the_next_batch_is_claimed_while_the_last_deliveries_are_in_hand(
    storage, clock, channel, market, store
) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 8)
    rec = Recorder(storage)
    notifier = Notifier(channel)
    notifier.gate = asyncio.Event()
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel, notifier)))

    relay = asyncio.create_task(run_relay(rec, handler, clock, batch=4, concurrency=2, batches_per_pass=2))
    await asyncio.wait_for(rec.claims_reached(2).wait(), GUARD_S)
    # Claimed while the first two deliveries were in hand (their slots taken), none of them finished:
    # without the early claim it would wait for a slot, i.e. for the held notifications.
    assert len(handler.batches) == 2 and notifier.finished == 0
    notifier.gate.set()
    report = await asyncio.wait_for(relay, GUARD_S)

    assert (report.claimed, report.delivered, report.dead) == (8, 8, 0)
    assert len(rec.claims) == 2 and not set(rec.claims[0]) & set(rec.claims[1])
    assert sorted(notifier.sent) == sorted(s.id for s in shipments)  # each one told once
    assert_delivered_exactly_once(market, shipments, await messages(storage))


async def test_a_stopping_host_ends_the_pass_after_the_batches_in_hand(storage, clock, channel, market, store) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 23)
    rec = Recorder(storage)
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel)))
    answers = iter([True])  # yes once (the second batch), then the host is stopping

    report = await run_relay(
        rec, handler, clock, keep_claiming=lambda: next(answers, False), batch=5, concurrency=3, batches_per_pass=20
    )

    assert (report.claimed, report.delivered) == (10, 10) and [len(c) for c in rec.claims] == [5, 5]
    outbox = await messages(storage)
    rest = [m for m in outbox.values() if m.status != OutboxStatus.delivered]
    assert len(rest) == 13 and all(
        (m.status, m.attempts, m.lease_owner) == (OutboxStatus.pending, 0, None) for m in rest
    )
    stopped = await run_relay(rec, handler, clock, keep_claiming=lambda: False, batch=5, concurrency=3)
    assert (stopped.claimed, stopped.delivered) == (5, 5)  # what a pass has claimed, it delivers
    outbox = await messages(storage)
    delivered = [s for s in shipments if outbox[s.id].status == OutboxStatus.delivered]
    assert len(delivered) == 15
    assert_delivered_exactly_once(market, delivered, outbox)


@pytest.mark.parametrize(
    ("error", "logged"),
    [
        (StorageUnavailable("the database connection was lost; retry in a moment"), False),
        (RuntimeError("a bug in a host's handler"), True),
    ],
)
async def test_a_batch_that_cannot_be_prepared_is_delivered_all_the_same(
    storage, clock, channel, market, store, caplog, error: Exception, logged: bool
) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 7)
    rec = Recorder(storage)
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel)), prepare_error=error)

    with caplog.at_level(logging.WARNING, logger="portside.relay"):
        report = await run_relay(rec, handler, clock, batch=5, concurrency=3, batches_per_pass=3)

    assert (report.claimed, report.delivered, report.dead) == (7, 7, 0)
    # The deliveries loaded what prepare could not, still once per batch.
    assert rec.count("shipments.get_many") == 2
    assert ("unexpectedly" in caplog.text) is logged  # an outage is the deliveries' to report, a bug is not
    assert_delivered_exactly_once(market, shipments, await messages(storage))


async def test_pipelined_batches_deliver_every_message_exactly_once(storage, clock, channel, market, store) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 23)
    rec = Recorder(storage)
    notifier = Notifier(channel)
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel, notifier)))

    first = await run_relay(rec, handler, clock, batch=5, concurrency=3, batches_per_pass=3)

    assert (first.claimed, first.delivered, first.dead) == (15, 15, 0)
    outbox = await messages(storage)
    assert sum(m.status == OutboxStatus.delivered for m in outbox.values()) == 15
    rest = [m for m in outbox.values() if m.status != OutboxStatus.delivered]
    assert all((m.status, m.attempts, m.lease_owner) == (OutboxStatus.pending, 0, None) for m in rest)

    second = await run_relay(rec, handler, clock, batch=5, concurrency=3, batches_per_pass=3)

    assert (second.claimed, second.delivered, second.dead) == (8, 8, 0)
    claimed = [i for c in rec.claims for i in c]
    assert len(claimed) == len(set(claimed)) == 23
    assert sorted(notifier.sent) == sorted(s.id for s in shipments)
    assert_delivered_exactly_once(market, shipments, await messages(storage))
    assert (await run_relay(rec, handler, clock, batch=5)).claimed == 0


async def test_a_cancelled_pass_marks_delivered_only_what_was_delivered(storage, clock, channel, market, store) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 8)
    rec = Recorder(storage)
    notifier = Notifier(channel)
    notifier.gate = asyncio.Event()
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel, notifier)))

    relay = asyncio.create_task(run_relay(rec, handler, clock, batch=4, concurrency=2, batches_per_pass=2, lease_s=60))
    await asyncio.wait_for(rec.claims_reached(2).wait(), GUARD_S)  # a batch claimed, none of it started
    relay.cancel()
    notifier.gate.set()  # the two deliveries in hand finish and are settled
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(relay, GUARD_S)

    outbox = await messages(storage)
    delivered = {sid for sid, m in outbox.items() if m.status == OutboxStatus.delivered}
    assert delivered == set(notifier.sent) and len(delivered) == 2
    assert all(m.status == OutboxStatus.in_flight for sid, m in outbox.items() if sid not in delivered)
    assert_nothing_marked_delivered_unsent(market, shipments, outbox)
    assert sum(parcel_count(market, s) for s in shipments) == 2

    clock.advance(seconds=61)
    again = await run_relay(storage, ShipNotificationHandler(uow=storage, channels=Channels(channel)), clock)
    assert (again.claimed, again.delivered, again.dead) == (6, 6, 0)
    assert_delivered_exactly_once(market, shipments, await messages(storage))


async def test_a_delivery_cut_short_is_left_in_flight_and_the_others_delivered(
    storage, clock, channel, market, store
) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 10)
    cut = shipments[3]
    rec = Recorder(storage)
    handler = Handler(ShipNotificationHandler(uow=rec, channels=Channels(channel)), cut=cut.id)

    report = await asyncio.wait_for(
        run_relay(rec, handler, clock, batch=4, concurrency=2, batches_per_pass=3, lease_s=60), GUARD_S
    )

    assert (report.claimed, report.delivered) == (10, 9)
    outbox = await messages(storage)
    assert outbox[cut.id].status == OutboxStatus.in_flight and parcel_count(market, cut) == 0
    assert_nothing_marked_delivered_unsent(market, shipments, outbox)
    assert_delivered_exactly_once(market, [s for s in shipments if s.id != cut.id], outbox)

    clock.advance(seconds=61)
    again = await run_relay(storage, ShipNotificationHandler(uow=storage, channels=Channels(channel)), clock)
    assert (again.claimed, again.delivered) == (1, 1)
    assert_delivered_exactly_once(market, shipments, await messages(storage))


# --- 5. ShipNotificationHandler.on_outcomes ---------------------------------------------------


async def test_a_delivered_outcome_is_written_with_set_notifications_and_logged(
    storage, clock, channel, market, store
) -> None:
    (shipment,) = await ship_orders(storage, clock, channel, market, store, 1)
    message = msgspec.structs.replace((await messages(storage))[shipment.id], attempts=2)
    rec = Recorder(storage)
    handler = ShipNotificationHandler(uow=rec, channels=Channels(channel))
    clock.advance(minutes=5)
    now = clock.now()
    result = {"sent": {"parcelNumber": shipment.tracking_number, "weight": 2}, "not_sent": ["notes_to_buyer"]}

    async with rec() as u:
        await handler.on_outcomes(u, [Outcome(message=message, result=result, error=None, dead=False, now=now)])
        await u.commit()

    state = NotificationState(
        status=NotificationStatus.delivered,
        attempts=2,
        last_attempt_at=now,
        delivered_at=now,
        sent={"parcelNumber": shipment.tracking_number, "weight": "2"},
        not_sent=("notes_to_buyer",),
    )
    assert rec.args("shipments.set_notifications") == [({shipment.id: state},)]
    assert rec.count("shipments.get") == rec.count("shipments.update") == 0  # no read first
    stored = (await shipment_states(storage, [shipment.id]))[shipment.id]
    assert stored.notification == state
    assert msgspec.structs.replace(stored, notification=shipment.notification) == shipment  # nothing else
    async with storage() as u:
        activity = await u.activity.list_for_order(shipment.order_id)
    (logged,) = [a for a in activity if a.kind == ActivityKind.notification_delivered]
    assert (logged.at, logged.store_id) == (now, shipment.store_id)
    assert logged.detail == {"shipment": shipment.id, "parcelNumber": shipment.tracking_number, "weight": "2"}


@pytest.mark.parametrize("delivered", [True, False], ids=["delivered", "failed"])
async def test_an_outcome_for_a_deleted_shipment_writes_nothing(
    storage, clock, channel, market, store, delivered
) -> None:
    (shipment,) = await ship_orders(storage, clock, channel, market, store, 1)
    message = (await messages(storage))[shipment.id]
    async with storage() as u:
        before = await u.activity.list_for_order(shipment.order_id)
    del storage.tables.shipments[shipment.id]  # deleted meanwhile (no use case deletes one yet)
    handler = ShipNotificationHandler(uow=storage, channels=Channels(channel))
    result = {"sent": {"parcelNumber": shipment.tracking_number}} if delivered else None

    async with storage() as u:
        outcome = Outcome(
            message=message, result=result, error=None if delivered else "HTTP 503", dead=False, now=clock.now()
        )
        await handler.on_outcomes(u, [outcome])
        await u.commit()

    async with storage() as u:
        assert await u.shipments.get(shipment.id) is None  # not brought back
        assert await u.activity.list_for_order(shipment.order_id) == before


async def test_a_shipment_deleted_while_its_notification_is_sent_is_settled_without_it(
    storage, clock, channel, market, store
) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 3)
    gone = shipments[1]
    notifier = Notifier(channel)
    notifier.before = lambda s: storage.tables.shipments.pop(s.id) if s.id == gone.id else None
    handler = ShipNotificationHandler(uow=storage, channels=Channels(channel, notifier))

    report = await run_relay(storage, handler, clock)

    assert (report.claimed, report.delivered) == (3, 3)
    assert_delivered_exactly_once(market, shipments, await messages(storage))
    states = await shipment_states(storage, [s.id for s in shipments])
    assert states[gone.id] is None
    assert all(states[s.id].notification.status == NotificationStatus.delivered for s in shipments if s != gone)
    async with storage() as u:
        logged = await u.activity.list_for_order(gone.order_id)
    assert not [a for a in logged if a.kind == ActivityKind.notification_delivered]


# --- 6. a database outage during a delivery ----------------------------------------------------


class Wrapping:
    """A ship-notification handler around the real one (``inner``): it prepares batches and records
    outcomes as the real one does; subclasses change how a delivery goes."""

    kind = OutboxKind.ship_notification
    inner: ShipNotificationHandler

    async def prepare(self, batch: OutboxBatch) -> None:
        await self.inner.prepare(batch)

    async def on_outcomes(self, u, outcomes: Sequence[Outcome]) -> None:
        await self.inner.on_outcomes(u, outcomes)


class DatabaseDown(Wrapping):
    """The real handler, its database out of reach while a delivery reads what it needs."""

    def __init__(self, inner: ShipNotificationHandler) -> None:
        self.inner = inner

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        raise StorageUnavailable("the database connection was lost (InterfaceError); retry in a moment")


async def test_a_database_outage_in_a_delivery_is_retried_and_logged_without_a_traceback(
    storage, clock, channel, market, store, caplog
) -> None:
    (shipment,) = await ship_orders(storage, clock, channel, market, store, 1)
    handler = ShipNotificationHandler(uow=storage, channels=Channels(channel))

    with caplog.at_level(logging.WARNING, logger="portside.relay"):
        report = await run_relay(storage, DatabaseDown(handler), clock)

    assert (report.claimed, report.retrying, report.dead, report.delivered) == (1, 1, 0, 0)
    waiting = (await messages(storage))[shipment.id]
    assert (waiting.status, waiting.attempts, waiting.outcome_unknown) == (OutboxStatus.pending, 1, True)
    said = [r for r in caplog.records if r.name == "portside.relay"]
    assert said and all(r.exc_info is None for r in said)  # an outage, not a bug: no traceback
    assert "waits for the database" in caplog.text and parcel_count(market, shipment) == 0

    clock.advance(hours=2)
    again = await run_relay(storage, handler, clock)
    assert again.delivered == 1
    assert_delivered_exactly_once(market, [shipment], await messages(storage))


# --- 6b. a store whose request budget is spent ------------------------------------------------------


class BusyStore(Wrapping):
    """The real handler; the store of the shipments in ``busy`` has spent its request budget: their
    delivery gives up (as the shared HTTP client does past the relay's patience) before sending."""

    def __init__(self, inner: ShipNotificationHandler, busy: set[str]) -> None:
        self.inner, self.busy = inner, busy
        self.patience: list[float | None] = []
        self.tried: list[str] = []

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        self.patience.append(BUDGET_WAIT.get())
        self.tried.append(message.subject_id)
        if message.subject_id in self.busy:
            raise ChannelBusy(
                "POST /orders/x/shipments: not sent to Octopia yet: its budget is spent", retry_after=30, interval=0.2
            )
        return await self.inner.deliver(message)


async def test_a_message_whose_store_budget_is_spent_is_deferred_without_counting_an_attempt(
    storage, clock, channel, market, store
) -> None:
    first, second = await ship_orders(storage, clock, channel, market, store, 2)
    m = (await messages(storage))[first.id]
    async with storage() as u:  # the first one's earlier send was lost: its doubt must survive
        await u.outbox.save(msgspec.structs.replace(m, attempts=2, outcome_unknown=True, last_error="timeout"))
        await u.commit()
    handler = BusyStore(ShipNotificationHandler(uow=storage, channels=Channels(channel)), busy={first.id})

    report = await run_relay(storage, handler, clock, max_attempts=2, budget_wait_s=0.5)

    assert (report.claimed, report.delivered, report.deferred, report.retrying, report.dead) == (2, 1, 1, 0, 0)
    assert handler.patience == [0.5, 0.5]  # each delivery waits that long at most for its store's budget
    deferred = (await messages(storage))[first.id]
    assert deferred.status == OutboxStatus.pending  # not dead, though its attempts are at max_attempts
    assert (deferred.attempts, deferred.outcome_unknown, deferred.last_error) == (2, True, "timeout")
    assert deferred.available_at == clock.now() + timedelta(seconds=30)
    assert deferred.lease_owner is None and parcel_count(market, first) == 0
    (waiting,) = (await shipment_states(storage, [first.id])).values()
    assert waiting is not None and waiting.notification.status == NotificationStatus.pending  # nothing failed
    async with storage() as u:
        kinds = [a.kind for a in await u.activity.list_for_order(first.order_id)]
    assert ActivityKind.notification_failed not in kinds

    assert (await run_relay(storage, handler, clock)).claimed == 0  # not before its budget is back
    clock.advance(seconds=31)
    handler.busy.clear()
    again = await run_relay(storage, handler, clock, max_attempts=2)
    assert (again.claimed, again.delivered) == (1, 1)
    assert_delivered_exactly_once(market, [first, second], await messages(storage))


@pytest.mark.parametrize("concurrency", [1, 3])  # with 3, three deliveries of the busy store meet the pause
async def test_a_busy_stores_other_messages_are_put_off_unsent_at_its_rate_and_other_stores_go_out(
    storage, clock, channel, market, store, concurrency: int
) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 6)
    outbox = await messages(storage)
    other = shipments[4]  # another store's message, claimed after the busy store's
    async with storage() as u:
        for s in shipments:
            m = outbox[s.id]
            await u.outbox.save(msgspec.structs.replace(m, store_id="other-store" if s is other else m.store_id))
        await u.commit()
    mine = [s for s in shipments if s is not other]
    handler = BusyStore(ShipNotificationHandler(uow=storage, channels=Channels(channel)), busy={s.id for s in mine})

    report = await run_relay(storage, handler, clock, concurrency=concurrency, batch=6)

    # The busy store is tried once per slot at most: its budget is spent for 30 s, its other messages
    # follow unsent, and the deliveries that met the pause take its next turns (no restart).
    assert (report.claimed, report.delivered, report.deferred, report.retrying) == (6, 1, 5, 0)
    assert 1 <= len([t for t in handler.tried if t != other.id]) <= concurrency and other.id in handler.tried
    after = await messages(storage)
    assert after[other.id].status == OutboxStatus.delivered and parcel_count(market, other) == 1
    waits = sorted((after[s.id].available_at - clock.now()).total_seconds() for s in mine)
    assert waits == pytest.approx([30.0, 30.2, 30.4, 30.6, 30.8])  # back at the store's rate, one by one
    assert all(after[s.id].attempts == 0 and after[s.id].status == OutboxStatus.pending for s in mine)
    assert all(parcel_count(market, s) == 0 for s in mine)


def test_a_pause_holds_for_its_stores_messages_of_its_kind_only_and_hands_out_turns(clock) -> None:
    from portside.core.services.store_pauses import StorePauses

    def message(kind: OutboxKind, store_id: str | None) -> OutboxMessage:
        return OutboxMessage(
            id="m", kind=kind, store_id=store_id, subject_id="s", payload={}, status=OutboxStatus.in_flight,
            attempts=0, available_at=clock.now(), created_at=clock.now(),
        )  # fmt: skip

    now, pauses = clock.now(), StorePauses()
    ship_a = message(OutboxKind.ship_notification, "store-a")
    busy = ChannelBusy("spent", retry_after=5, interval=0.5)
    assert pauses.busy(ship_a, busy, now) == now + timedelta(seconds=5)  # starts the pause
    assert pauses.holds(ship_a, now)
    assert not pauses.holds(message(OutboxKind.webhook, "store-a"), now)  # to its subscriber, not held
    assert not pauses.holds(message(OutboxKind.ship_notification, "store-b"), now)
    assert not pauses.holds(message(OutboxKind.ship_notification, None), now)
    assert pauses.next_turn(ship_a, now) == now + timedelta(seconds=5.5)
    assert pauses.busy(ship_a, busy, now) == now + timedelta(seconds=6)  # met the pause: its next turn
    later = now + timedelta(seconds=5)
    assert not pauses.holds(ship_a, later)  # over
    assert pauses.next_turn(ship_a, later) == later


# --- 7. a delivery never outlives its lease ------------------------------------------------------


class SlowChannel(Wrapping):
    """The real handler; each delivery takes ``seconds`` of the clock, and ``during_first`` runs in the
    first one (another relay acting while this one is busy)."""

    def __init__(self, inner: ShipNotificationHandler, clock, seconds: float, during_first=None) -> None:
        self.inner, self.clock, self.seconds, self.during_first = inner, clock, seconds, during_first
        self.started: list[str] = []

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        self.started.append(message.subject_id)
        self.clock.advance(seconds=self.seconds)
        if len(self.started) == 1 and self.during_first is not None:
            await self.during_first()
        return await self.inner.deliver(message)


async def test_messages_waiting_for_a_slot_have_their_leases_renewed_before_they_start(
    storage, clock, channel, market, store
) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 5)
    rec = Recorder(storage)
    slow = SlowChannel(ShipNotificationHandler(uow=rec, channels=Channels(channel)), clock, seconds=20)

    report = await run_relay(rec, slow, clock, concurrency=1, batch=5, lease_s=120)

    assert (report.claimed, report.delivered, report.lost_leases) == (5, 5, 0)
    # Starts at +0 and +20 (100 s of lease ahead), +40 (80 s: the three waiting renewed to +160), +60,
    # +80 (80 s again: the last one renewed).
    assert [len(args[0]) for args in rec.args("outbox.renew")] == [3, 1]
    assert_delivered_exactly_once(market, shipments, await messages(storage))


async def test_a_message_another_relay_claimed_while_it_waited_is_left_to_that_relay(
    storage, clock, channel, market, store
) -> None:
    shipments = await ship_orders(storage, clock, channel, market, store, 3)

    async def other_relay_took_the_others() -> None:
        # What a relay-b claim leaves after this relay's leases on the waiting two lapsed (its first
        # delivery took most of a lease): relay-b's name and lease on them.
        async with storage() as u:
            for m in await u.outbox.find(limit=100):
                if m.subject_id != slow.started[0]:
                    until = clock.now() + timedelta(seconds=120)
                    await u.outbox.save(msgspec.structs.replace(m, lease_owner="relay-b", lease_until=until))
            await u.commit()

    slow = SlowChannel(
        ShipNotificationHandler(uow=storage, channels=Channels(channel)),
        clock,
        100,
        during_first=other_relay_took_the_others,
    )
    report = await run_relay(storage, slow, clock, concurrency=1, batch=3, lease_s=120)

    assert (report.claimed, report.delivered, report.lost_leases) == (3, 1, 2)
    assert len(slow.started) == 1  # never sent what relay-b now holds
    outbox = await messages(storage)
    first, *rest = sorted(shipments, key=lambda s: slow.started.index(s.id) if s.id in slow.started else 9)
    assert outbox[first.id].status == OutboxStatus.delivered and parcel_count(market, first) == 1
    for s in rest:
        assert (outbox[s.id].status, outbox[s.id].lease_owner) == (OutboxStatus.in_flight, "relay-b")
        assert parcel_count(market, s) == 0


async def test_an_outcome_whose_lease_another_relay_took_during_the_delivery_is_not_recorded(
    storage, clock, channel, market, store
) -> None:
    (shipment,) = await ship_orders(storage, clock, channel, market, store, 1)

    async def relay_b_claims_it() -> None:  # the delivery outlived its lease (a misconfigured lease_s)
        async with storage() as u:
            assert len(await u.outbox.claim(owner="relay-b", now=clock.now(), lease_s=120, limit=10)) == 1
            await u.commit()

    slow = SlowChannel(
        ShipNotificationHandler(uow=storage, channels=Channels(channel)), clock, 200, during_first=relay_b_claims_it
    )
    await run_relay(storage, slow, clock, concurrency=1, batch=1, lease_s=120)

    held = (await messages(storage))[shipment.id]
    assert (held.status, held.lease_owner, held.outcome_unknown) == (OutboxStatus.in_flight, "relay-b", True)
    stored = (await shipment_states(storage, [shipment.id]))[shipment.id]
    assert stored is not None and stored.notification.status != NotificationStatus.delivered  # relay-b records it
