"""The outbox relay: claim due messages, deliver them, back off on failure, give up visibly."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

import msgspec

from ..errors import ChannelError, Conflict, NotFound
from ..model import OutboxKind, OutboxMessage, OutboxStatus
from ..ports import Clock, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("portside.relay")


class OutboxHandler(Protocol):
    kind: OutboxKind

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        """Deliver once; raise a ChannelError to report failure. When ``message.outcome_unknown``,
        look for an earlier delivery before sending again."""
        ...

    async def on_outcome(
        self,
        u: UnitOfWork,
        message: OutboxMessage,
        *,
        result: dict[str, Any] | None,
        error: str | None,
        dead: bool,
        now: datetime,
    ) -> None:
        """Record the outcome on the message's subject, in the transaction that settles the message."""
        ...


class RelaySettings(msgspec.Struct, frozen=True, kw_only=True):
    batch: int = 50
    concurrency: int = 10  # deliveries in progress at once (each one call to the outside world)
    batches_per_pass: int = 4  # a pass claims again while it still has work in hand, up to this many
    lease_s: float = 120.0  # longer than one delivery's worst case (client timeout x tries)
    max_attempts: int = 8
    base_backoff_s: float = 10.0
    max_backoff_s: float = 3600.0


class DispatchReport(msgspec.Struct, kw_only=True):
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0


def backoff(attempts: int, settings: RelaySettings, rng: random.Random) -> float:
    """Exponential with jitter (half fixed, half random), so retries of one outage spread out."""
    ceiling = min(settings.max_backoff_s, settings.base_backoff_s * 2.0 ** max(0, attempts - 1))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


async def dispatch_outbox(
    *,
    uow: UnitOfWorkFactory,
    handlers: Mapping[OutboxKind, OutboxHandler],
    clock: Clock,
    owner: str,
    settings: RelaySettings | None = None,
    rng: random.Random | None = None,
) -> DispatchReport:
    """One pass of the relay: claim due messages in batches and settle each of them.

    A pipeline, not batch after batch: a new delivery starts as soon as one of ``concurrency`` slots
    frees, and the next batch is claimed while the last deliveries of this one are still in flight,
    so one slow delivery never holds the others up. A slot is held for the delivery only; recording
    its outcome happens outside it."""
    settings = settings or RelaySettings()
    rng = rng or random.Random()
    report = DispatchReport()
    gate = asyncio.Semaphore(settings.concurrency)
    running: set[asyncio.Task[None]] = set()

    async def settle(message: OutboxMessage) -> None:
        await _settle(message, handlers[message.kind], uow, clock, settings, rng, report, gate)

    try:
        for _ in range(settings.batches_per_pass):
            async with uow() as u:
                claimed = await u.outbox.claim(
                    owner=owner, now=clock.now(), lease_s=settings.lease_s, limit=settings.batch, kinds=tuple(handlers)
                )
                await u.commit()
            report.claimed += len(claimed)
            for message in claimed:
                await gate.acquire()  # released by the delivery once the outside world answered
                task = asyncio.create_task(settle(message))
                running.add(task)
                task.add_done_callback(running.discard)
            if len(claimed) < settings.batch:
                break
    finally:
        # Whatever happens to this pass, every claimed message is settled (or its lease lapses).
        await asyncio.gather(*running, return_exceptions=True)
    return report


async def _settle(
    message: OutboxMessage,
    handler: OutboxHandler,
    uow: UnitOfWorkFactory,
    clock: Clock,
    settings: RelaySettings,
    rng: random.Random,
    report: DispatchReport,
    gate: asyncio.Semaphore,
) -> None:
    """Deliver (holding the caller's slot, already acquired), release the slot, record the outcome."""
    attempts = message.attempts + 1
    result: dict[str, Any] | None = None
    error: str | None = None
    retry = False
    unknown = False
    retry_after: float | None = None
    try:
        try:
            result = await handler.deliver(message)
        except ChannelError as exc:
            error, retry, unknown, retry_after = str(exc), exc.retryable, exc.outcome_unknown, exc.retry_after
        except (NotFound, Conflict) as exc:
            error = str(exc)
        except Exception as exc:  # a bug or an unexpected answer: keep the message, assume it may have landed
            log.exception("outbox message %s (%s) failed unexpectedly", message.id, message.kind)
            error, retry, unknown = f"unexpected error: {type(exc).__name__}: {exc}", True, True
    finally:
        gate.release()
    now = clock.now()
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
    async with uow() as u:
        # Lost to a crash, a settlement is redone: the claim (durable) lapses and the message is checked
        # on the channel. The claim itself must be durable: it is what marks a send as perhaps done.
        u.relax_durability()
        await u.outbox.save(settled)
        await handler.on_outcome(u, settled, result=result, error=error, dead=dead, now=now)
        await u.commit()


async def retry_dead(message_id: str, *, uow: UnitOfWorkFactory, clock: Clock) -> OutboxMessage:
    """Give a dead message a fresh retry budget (the seller fixed what was wrong)."""
    async with uow() as u:
        message = await u.outbox.get(message_id)
        if message is None:
            raise NotFound("outbox message", message_id)
        if message.status != OutboxStatus.dead:
            raise Conflict(f"message {message_id} is {message.status}; only dead messages can be retried")
        revived = msgspec.structs.replace(
            message, status=OutboxStatus.pending, attempts=0, available_at=clock.now(), last_error=None
        )
        await u.outbox.save(revived)
        await u.commit()
    return revived
