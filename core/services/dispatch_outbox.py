"""The outbox relay: claim due messages, deliver them, back off on failure, give up visibly."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Mapping, Sequence
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol, TypeVar

import msgspec

from ..errors import ChannelBusy, ChannelError, Conflict, NotFound, StorageUnavailable
from ..model import OutboxKind, OutboxMessage, OutboxStatus
from ..ports import BUDGET_WAIT, Clock, UnitOfWork, UnitOfWorkFactory
from .store_pauses import StorePauses

log = logging.getLogger("portside.relay")
T = TypeVar("T")


class OutboxHandler(Protocol):
    kind: OutboxKind

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        """Deliver once; raise a ChannelError to report failure. When ``message.outcome_unknown``,
        look for an earlier delivery before sending again."""
        ...

    async def on_outcomes(self, u: UnitOfWork, outcomes: Sequence[Outcome]) -> None:
        """Record each outcome on its message's subject, in the transaction that settles the messages:
        one or more of this handler's kind, in subject order (one query for all of them where it can)."""
        ...

    async def prepare(self, batch: OutboxBatch) -> None:
        """Load, with ``batch.shared``, what the batch's deliveries of this kind will need, before they
        take a slot (may do nothing). A failure here is not the deliveries': they load it again."""
        ...


class RelaySettings(msgspec.Struct, frozen=True, kw_only=True):
    batch: int = 50
    concurrency: int = 10  # deliveries in progress at once (each one call to the outside world)
    # A pass claims again while it still has work in hand, up to this many batches: each pass ends by
    # draining its last deliveries (slots standing empty), so a pass should be long; a host stopping
    # says so through ``keep_claiming`` and the pass claims no more.
    batches_per_pass: int = 20
    lease_s: float = 120.0  # longer than one delivery's worst case (client timeout x tries)
    max_attempts: int = 8
    base_backoff_s: float = 10.0
    max_backoff_s: float = 3600.0
    # How long a delivery waits for its store's request budget with the channel (its rate limit) while
    # holding a slot; past that it is deferred until the budget is back, attempts untouched, so that one
    # store's backlog never holds up the other stores' messages (``core.ports.BUDGET_WAIT``).
    budget_wait_s: float = 1.0

    def __post_init__(self) -> None:
        # Hosts build this directly: a zero count would hang the relay (Semaphore(0)), deliver
        # nothing or kill every message; a zero lease or backoff would resend at once.
        for name in ("batch", "concurrency", "batches_per_pass", "max_attempts"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name}: must be at least 1")
        for name in ("lease_s", "base_backoff_s", "max_backoff_s", "budget_wait_s"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name}: must be positive")


class DispatchReport(msgspec.Struct, kw_only=True):
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    lost_leases: int = 0  # claimed, not started in time, and claimed by another relay meanwhile
    deferred: int = 0  # not sent: the store's request budget was spent (ChannelBusy); back when it is not


def backoff(attempts: int, settings: RelaySettings, rng: random.Random) -> float:
    """Exponential with jitter (half fixed, half random), so retries of one outage spread out."""
    ceiling = min(settings.max_backoff_s, settings.base_backoff_s * 2.0 ** max(0, attempts - 1))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


class OutboxBatch:
    """The batch a delivery was claimed in. A handler may read what all of the batch's messages need in
    one query, the first of its deliveries doing it for the others (``batch_shared``), instead of a
    query per message inside each delivery's slot."""

    def __init__(self, messages: Sequence[OutboxMessage]) -> None:
        self.messages = tuple(messages)
        self._shared: dict[Hashable, asyncio.Future[Any]] = {}

    async def shared(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """``load()``'s result, loaded once for the batch under ``key`` (again after a failure)."""
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = asyncio.ensure_future(load())
        try:
            # Shielded: one delivery cancelled must not cancel the load the others wait for.
            result: T = await asyncio.shield(found)
        except BaseException:
            # A failed (or cancelled) load is not kept: the next delivery tries again. The caller's own
            # cancellation leaves a load still running in place for the others.
            if found.done() and self._shared.get(key) is found and (found.cancelled() or found.exception()):
                del self._shared[key]
            raise
        return result

    async def prepare(self, handlers: Mapping[OutboxKind, OutboxHandler]) -> None:
        """Let each handler with messages in the batch load what they need, while the slots are still
        busy with the previous batch: then no delivery waits on the database holding a slot."""
        for kind in dict.fromkeys(m.kind for m in self.messages):
            try:
                await handlers[kind].prepare(self)
            except (ChannelError, StorageUnavailable) as exc:
                # A failed shared load is not kept: each delivery tries it again, and reports it if it fails.
                log.debug("preparing a %s batch failed (its deliveries load what they need): %s", kind, exc)
            except Exception:
                log.warning(
                    "preparing a %s batch failed unexpectedly; its deliveries load what they need", kind, exc_info=True
                )


_BATCH: ContextVar[OutboxBatch | None] = ContextVar("portside_outbox_batch", default=None)


async def batch_shared(key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
    """``load()``'s result shared by the deliveries of the current batch; outside a relay pass (a
    handler called on its own), simply ``await load()``."""
    batch = _BATCH.get()
    return await (load() if batch is None else batch.shared(key, load))


def current_batch() -> OutboxBatch | None:
    """The batch the running delivery was claimed in, if a relay pass is running it."""
    return _BATCH.get()


async def dispatch_outbox(
    *,
    uow: UnitOfWorkFactory,
    handlers: Mapping[OutboxKind, OutboxHandler],
    clock: Clock,
    owner: str,
    settings: RelaySettings | None = None,
    rng: random.Random | None = None,
    on_settled: Callable[[Outcome], None] | None = None,
    keep_claiming: Callable[[], bool] | None = None,
) -> DispatchReport:
    """One pass of the relay: claim due messages in batches and settle each of them. ``on_settled`` is
    told of each outcome (delivered, pending again, deferred or dead) once it is committed. Once
    ``keep_claiming()`` says no (the host is stopping), the pass claims no more batches and ends when
    those in hand are settled.

    A pipeline, not batch after batch: a new delivery starts as soon as one of ``concurrency`` slots
    frees, and the next batch is claimed while the last deliveries of this one are still in flight,
    so one slow delivery never holds the others up. A slot is held for the delivery only; recording
    its outcome happens outside it, in one transaction with the outcomes that arrived meanwhile."""
    settings = settings or RelaySettings()
    rng = rng or random.Random()
    report = DispatchReport()
    gate = asyncio.Semaphore(settings.concurrency)
    running: set[asyncio.Task[None]] = set()
    settler = _Settler(uow, owner, on_settled)

    # Stores found out of request budget during this pass: their other messages are put off without
    # taking a slot, so that a store's backlog costs the pass one wait, not one per message.
    paused = StorePauses()

    async def attempt(message: OutboxMessage) -> None:
        handler = handlers[message.kind]
        BUDGET_WAIT.set(settings.budget_wait_s)  # this delivery's own context (a task of its own)
        outcome = await _deliver(message, handler, clock, settings, rng, report, gate, paused)
        await settler.settle(handler, outcome)

    async def put_off(message: OutboxMessage) -> None:
        now = clock.now()
        why = "its store's request budget is spent: put off unsent"
        await settler.settle(handlers[message.kind], _later(message, paused.next_turn(message, now), why, now, report))

    def start(work: Coroutine[Any, Any, None], batch: contextvars.Context) -> None:
        # Each its own copy of the batch's context: a ContextVar one delivery sets stays its own.
        task = asyncio.create_task(work, context=batch.copy())
        running.add(task)
        task.add_done_callback(running.discard)

    async def claim() -> OutboxBatch:
        async with uow() as u:
            claimed = await u.outbox.claim(
                owner=owner, now=clock.now(), lease_s=settings.lease_s, limit=settings.batch, kinds=tuple(handlers)
            )
            await u.commit()
        report.claimed += len(claimed)
        prepared = OutboxBatch(claimed)
        await prepared.prepare(handlers)
        return prepared

    next_claim: asyncio.Task[OutboxBatch] | None = None
    try:
        prepared = await claim()
        for number in range(1, settings.batches_per_pass + 1):
            claimed = prepared.messages
            more = len(claimed) == settings.batch and number < settings.batches_per_pass
            batch = contextvars.copy_context()
            batch.run(_BATCH.set, prepared)
            leases = _Leases(claimed, uow=uow, clock=clock, owner=owner, lease_s=settings.lease_s)
            for index, message in enumerate(claimed):
                if more and next_claim is None and len(claimed) - index <= settings.concurrency:
                    # The next batch is claimed while this one's last messages wait for a slot, so that
                    # no slot stands empty for a claim's round trips.
                    if keep_claiming is None or keep_claiming():
                        next_claim = asyncio.ensure_future(claim())
                    else:
                        more = False
                held_up = paused.holds(message, clock.now())
                if not held_up:
                    await gate.acquire()  # released by the delivery once the outside world answered
                    if held_up := paused.holds(message, clock.now()):  # found out while it waited
                        gate.release()
                if held_up:
                    # Its store's budget is spent: nothing is sent, no slot is taken, it waits its turn.
                    start(put_off(message), batch)
                    continue
                try:
                    held = await leases.hold(message, waiting=claimed[index:])
                except BaseException:
                    gate.release()
                    raise
                if not held:
                    gate.release()  # claimed by another relay while it waited: theirs to send now
                    report.lost_leases += 1
                    continue
                start(attempt(message), batch)
            if not more:
                break
            # ``more`` survived the batch: its last messages started the next claim.
            assert next_claim is not None
            prepared, next_claim = await next_claim, None
    finally:
        if next_claim is not None:
            # Claimed and not started (the pass was cut short): the leases lapse and the messages come
            # back, marked outcome_unknown, which only costs a lookup on the channel.
            await asyncio.gather(next_claim, return_exceptions=True)
        # Whatever happens to this pass, every claimed message is settled (or its lease lapses).
        await asyncio.gather(*running, return_exceptions=True)
    return report


class _Leases:
    """The leases of a batch's messages. A delivery must not outlive its lease (another relay would
    claim the message and send it too), and a message may wait for a slot a while after the claim: one
    starts only with at least three quarters of a lease ahead (``lease_s`` exceeds a delivery's worst
    case), the waiting messages' leases renewed together, in one statement, when the next is short."""

    def __init__(
        self, messages: Sequence[OutboxMessage], *, uow: UnitOfWorkFactory, clock: Clock, owner: str, lease_s: float
    ) -> None:
        self._until = {m.id: m.lease_until for m in messages}
        self._uow, self._clock, self._owner = uow, clock, owner
        self._lease = timedelta(seconds=lease_s)

    async def hold(self, message: OutboxMessage, *, waiting: Sequence[OutboxMessage]) -> bool:
        """Whether ``message`` (the first of ``waiting``) may be delivered now."""
        if message.id not in self._until:
            return False  # lost at an earlier renewal
        now, until = self._clock.now(), self._until[message.id]
        if until is None or until - now >= self._lease * 3 / 4:
            return True
        ids = [m.id for m in waiting if m.id in self._until]
        async with self._uow() as u:
            renewed = await u.outbox.renew(ids, owner=self._owner, until=now + self._lease)
            await u.commit()
        for message_id in ids:
            if message_id in renewed:
                self._until[message_id] = now + self._lease
            else:
                del self._until[message_id]
        return message.id in renewed


class Outcome(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """What one delivery came to, for its handler to record: the message as settled (status, attempts,
    next attempt), the handler's result when delivered, the error otherwise, and when."""

    message: OutboxMessage
    result: dict[str, Any] | None
    error: str | None
    dead: bool
    now: datetime
    deferred: bool = False  # never sent (ChannelBusy): only the message's time changes, its handler is not told


async def _deliver(
    message: OutboxMessage,
    handler: OutboxHandler,
    clock: Clock,
    settings: RelaySettings,
    rng: random.Random,
    report: DispatchReport,
    gate: asyncio.Semaphore,
    paused: StorePauses,
) -> Outcome:
    """Deliver (holding the caller's slot, already acquired), release the slot, say what to record."""
    attempts = message.attempts + 1
    result: dict[str, Any] | None = None
    error: str | None = None
    retry = False
    unknown = False
    retry_after: float | None = None
    busy: ChannelBusy | None = None
    try:
        try:
            result = await handler.deliver(message)
        except ChannelBusy as exc:
            busy = exc
        except ChannelError as exc:
            error, retry, unknown, retry_after = str(exc), exc.retryable, exc.outcome_unknown, exc.retry_after
        except (NotFound, Conflict) as exc:
            error = str(exc)
        except StorageUnavailable as exc:
            # An outage, not a bug: no traceback. The handler's reads come before its call out, but
            # that is the handler's business: assume the call may have gone, a lookup settles it.
            log.warning("outbox message %s (%s) waits for the database: %s", message.id, message.kind, exc)
            error, retry, unknown = str(exc), True, True
        except Exception as exc:  # a bug or an unexpected answer: keep the message, assume it may have landed
            log.exception("outbox message %s (%s) failed unexpectedly", message.id, message.kind)
            error, retry, unknown = f"unexpected error: {type(exc).__name__}: {exc}", True, True
    finally:
        gate.release()
    now = clock.now()
    if busy is not None:
        # Not sent: back when the budget is, not an attempt (attempts, last error and doubt stay).
        return _later(message, paused.busy(message, busy, now), str(busy), now, report)
    dead = result is None and (not retry or attempts >= settings.max_attempts)
    if result is not None:
        settled = msgspec.structs.replace(
            message,
            status=OutboxStatus.delivered,
            attempts=attempts,
            delivered_at=now,
            last_error=None,
            outcome_unknown=False,
            lease_owner=None,
            lease_until=None,
        )
        report.delivered += 1
    else:
        delay = max(backoff(attempts, settings, rng), retry_after or 0.0)
        settled = msgspec.structs.replace(
            message,
            status=OutboxStatus.dead if dead else OutboxStatus.pending,
            attempts=attempts,
            available_at=now + timedelta(seconds=delay) if not dead else message.available_at,
            last_error=error,
            # Once unknown, stays unknown until a delivery (or a lookup) settles it.
            outcome_unknown=message.outcome_unknown or unknown,
            lease_owner=None,
            lease_until=None,
        )
        if dead:
            report.dead += 1
            log.warning(
                "outbox message %s (%s) is dead after %d attempts: %s", message.id, message.kind, attempts, error
            )
        else:
            report.retrying += 1
    return Outcome(message=settled, result=result, error=error, dead=dead, now=now)


def _later(message: OutboxMessage, until: datetime, why: str, now: datetime, report: DispatchReport) -> Outcome:
    """``message`` back to pending until ``until``, unsent: nothing else about it changes."""
    report.deferred += 1
    settled = msgspec.structs.replace(
        message, status=OutboxStatus.pending, available_at=until, lease_owner=None, lease_until=None
    )
    return Outcome(message=settled, result=None, error=why, dead=False, now=now, deferred=True)


class _Settler:
    """Records outcomes: those that arrive while a settling transaction runs are recorded together in
    the next one, so a busy relay pays a transaction's fixed round trips once per group rather than
    once per message. A group that fails is recorded message by message, so that one message's
    failure never holds the others back (a message left unrecorded is claimed again once its lease
    lapses, and checked on the channel before anything is resent)."""

    def __init__(self, uow: UnitOfWorkFactory, owner: str, on_settled: Callable[[Outcome], None] | None) -> None:
        self._uow, self._owner, self._on_settled = uow, owner, on_settled
        self._waiting: list[_Waiting] = []
        self._busy = False

    async def settle(self, handler: OutboxHandler, outcome: Outcome) -> None:
        """Record ``outcome``; return once it is committed (raise if it could not be)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiting(handler, outcome, done))
        if not self._busy:
            # No transaction running: this caller runs them until nothing waits.
            self._busy = True
            try:
                while self._waiting:
                    group, self._waiting = self._waiting, []
                    await self._record(group)
            finally:
                self._busy = False
                for left in self._waiting:  # cut short (cancelled): the others must not wait forever
                    _finish(left.done, RuntimeError("the relay pass ended before this outcome was recorded"))
                self._waiting = []
        await done

    async def _record(self, group: list[_Waiting]) -> None:
        try:
            await self._commit(group)
        except Exception as exc:
            if len(group) == 1:
                _failed(group[0], exc)
                return
            try:
                for waiting in group:
                    try:
                        await self._commit([waiting])
                    except Exception as alone:
                        _failed(waiting, alone)
                    else:
                        _finish(waiting.done, None)
            except BaseException as cut:
                # Cancelled one by one: the rest of the group (raised here, outside the clause
                # below) must not wait forever either.
                for waiting in group:
                    _finish(waiting.done, cut)
                raise
            return
        except BaseException as exc:
            for waiting in group:
                _finish(waiting.done, exc)
            raise
        for waiting in group:
            _finish(waiting.done, None)

    async def _commit(self, group: list[_Waiting]) -> None:
        async with self._uow() as u:
            # Lost to a crash, a settlement is redone: the claim (durable) lapses and the message is
            # checked on the channel. The claim itself must be durable: it is what marks a send as
            # perhaps done.
            u.relax_durability()
            # One order whatever order they arrived in: two relays settling overlapping subjects lock
            # them in the same order. One statement for the messages, one call per handler.
            ordered = sorted(group, key=lambda w: _lock_order(w.outcome.message))
            saved = await u.outbox.save_many([w.outcome.message for w in ordered], held_by=self._owner)
            by_kind: dict[OutboxKind, tuple[OutboxHandler, list[Outcome]]] = {}
            for w in ordered:
                if w.outcome.message.id not in saved:
                    # Its lease lapsed during the delivery and another relay claimed it: that relay looks
                    # on the channel before sending (outcome_unknown) and records what it finds.
                    log.warning(
                        "outbox message %s: its lease lapsed before its outcome was recorded; the relay "
                        "now holding it settles it",
                        w.outcome.message.id,
                    )
                    continue
                if w.outcome.deferred:
                    continue  # nothing happened on the channel: nothing for the handler to record
                by_kind.setdefault(w.outcome.message.kind, (w.handler, []))[1].append(w.outcome)
            for handler, outcomes in by_kind.values():
                await handler.on_outcomes(u, outcomes)
            await u.commit()
        if self._on_settled is not None:
            # Told after the commit only: a group that fails and is recorded again one by one is
            # reported once, as recorded.
            for w in ordered:
                if w.outcome.message.id in saved:
                    self._on_settled(w.outcome)


def _lock_order(message: OutboxMessage) -> tuple[str, str, str]:
    return (message.kind.value, message.subject_id, message.id)


class _Waiting(NamedTuple):
    handler: OutboxHandler
    outcome: Outcome
    done: asyncio.Future[None]


def _finish(done: asyncio.Future[None], error: BaseException | None) -> None:
    if done.done():
        return
    if error is None:
        done.set_result(None)
    else:
        done.set_exception(error)


def _failed(waiting: _Waiting, error: Exception) -> None:
    # Left in flight, the message comes back when its lease lapses (and is looked up on the channel).
    log.warning("the outcome of outbox message %s could not be recorded: %s", waiting.outcome.message.id, error)
    _finish(waiting.done, error)


async def revive_dead(u: UnitOfWork, message: OutboxMessage, *, clock: Clock) -> OutboxMessage:
    """Save ``message`` (dead) pending again with a fresh retry budget, in the caller's unit of work."""
    if message.status != OutboxStatus.dead:
        raise Conflict(f"message {message.id} is {message.status}; only dead messages can be retried")
    revived = msgspec.structs.replace(
        message, status=OutboxStatus.pending, attempts=0, available_at=clock.now(), last_error=None
    )
    await u.outbox.save(revived)
    return revived
