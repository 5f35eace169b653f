"""Accepting or refusing orders that await the seller's decision, through the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

import msgspec

from ..errors import ChannelRejected, Conflict, NotFound
from ..model import (
    AcceptancePolicy,
    ActivityKind,
    ActivityRecord,
    DecisionPayload,
    DecisionResult,
    Order,
    OrderFlag,
    OrderStatus,
    OutboxKind,
    OutboxMessage,
    Product,
    Store,
    payload_of,
    result_of,
    to_payload,
)
from ..ports import ChannelProvider, Clock, UnitOfWork, UnitOfWorkFactory
from .dispatch_outbox import OutboxBatch, Outcome
from .ids import derived_id, new_id


def should_auto_accept(store: Store, order: Order, products: dict[str, Product]) -> bool:
    """The ``auto_known_skus`` policy: accept when every line the seller ships is in the catalog."""
    if store.acceptance_policy != AcceptancePolicy.auto_known_skus:
        return False
    if order.status != OrderStatus.awaiting_acceptance:
        return False
    lines = order.shippable_lines
    return bool(lines) and all(line.sku in products for line in lines)


async def enqueue_decision(
    u: UnitOfWork, order: Order, *, accept: bool, reason: str | None, now: datetime, by: Literal["seller", "policy"]
) -> tuple[OutboxMessage, bool]:
    """One decision per order: a second request finds the first instead of queueing another.
    Returns the decision's message and whether this call queued it."""
    message_id = derived_id("decision", order.id)
    existing = await u.outbox.get(message_id)
    if existing is not None:
        if payload_of(existing, DecisionPayload).accept != accept:
            decided = "refused" if accept else "accepted"
            raise Conflict(f"order {order.channel_order_id} was already {decided}; the marketplace has the decision")
        return existing, False
    message = OutboxMessage(
        id=message_id,
        kind=OutboxKind.acceptance,
        store_id=order.store_id,
        subject_id=order.id,
        payload=to_payload(DecisionPayload(accept=accept, reason=reason, by=by)),
        available_at=now,
        created_at=now,
    )
    await u.outbox.add(message)
    return message, True


async def enqueue_policy_acceptance(u: UnitOfWork, order: Order, *, now: datetime) -> bool:
    """Queue the ``auto_known_skus`` policy's acceptance of ``order``; returns whether it did. An order
    that already has a decision keeps it: the seller may have refused it by hand, and the marketplace
    not synced it back yet. Checked first, not left to ``enqueue_decision``'s Conflict, which would
    roll back the caller's whole transaction (an import page, a catalog change's orders)."""
    if await u.outbox.get(derived_id("decision", order.id)) is not None:
        return False
    _, queued = await enqueue_decision(u, order, accept=True, reason=None, now=now, by="policy")
    return queued


async def decide_order(
    order_id: str,
    *,
    accept: bool,
    reason: str | None = None,
    uow: UnitOfWorkFactory,
    clock: Clock,
    acceptance_supported: bool,
) -> OutboxMessage:
    """Queue the seller's accept/refuse decision for an order awaiting acceptance."""
    if not acceptance_supported:
        raise Conflict("this channel does not let sellers accept or refuse orders")
    now = clock.now()
    async with uow() as u:
        record = await u.orders.get(order_id, for_update=True)
        if record is None:
            raise NotFound("order", order_id)
        order = record.order
        if order.status != OrderStatus.awaiting_acceptance:
            raise Conflict(
                f"order {order.channel_order_id} is {order.status}, not awaiting acceptance; "
                "only orders awaiting acceptance can be accepted or refused"
            )
        message, queued = await enqueue_decision(u, order, accept=accept, reason=reason, now=now, by="seller")
        if not queued:
            return message
        # Until the marketplace's own status comes back with a sync, the order says a decision is on
        # its way (an API client would otherwise see it still awaiting acceptance, as if ignored).
        flagged = order.with_flags(add=(OrderFlag.decision_pending,))
        await u.orders.save_many([msgspec.structs.replace(record, order=flagged, modified_at=now)])
        kind = ActivityKind.accepted if accept else ActivityKind.refused
        detail = {"reason": reason, "queued": message.id}
        await u.activity.add_many([ActivityRecord.for_order(order, kind, now, detail, id=new_id())])
        await u.commit()
    return message


class AcceptanceHandler:
    """Outbox handler delivering accept/refuse decisions to the channel."""

    kind = OutboxKind.acceptance

    def __init__(self, *, uow: UnitOfWorkFactory, channels: ChannelProvider) -> None:
        self._uow = uow
        self._channels = channels

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        decision = payload_of(message, DecisionPayload)
        async with self._uow() as u:
            record = await u.orders.get(message.subject_id)
        if record is None or message.store_id is None:
            raise ChannelRejected(f"order {message.subject_id} no longer exists")
        bundle = await self._channels.for_store(message.store_id)
        acknowledger = bundle.acknowledger
        if acknowledger is None:
            raise ChannelRejected("this channel does not take accept/refuse decisions")
        if message.outcome_unknown:
            decided = await acknowledger.find_decision(record.order)
            if decided is not None:
                return to_payload(DecisionResult(decision=_decision(decided), found_on_channel=True))
        if decision.accept:
            await acknowledger.accept(record.order)
        else:
            await acknowledger.refuse(record.order, decision.reason)
        return to_payload(DecisionResult(decision=_decision(decision.accept)))

    async def prepare(self, batch: OutboxBatch) -> None:
        """Nothing ahead: decisions are few, each delivery reads its own order."""

    async def on_outcomes(self, u: UnitOfWork, outcomes: Sequence[Outcome]) -> None:
        records = await u.orders.get_many(sorted({o.message.subject_id for o in outcomes}))
        activity: list[ActivityRecord] = []
        for o in outcomes:
            record = records.get(o.message.subject_id)
            if record is None:
                continue
            if o.result is not None:
                kind, detail = ActivityKind.notification_delivered, to_payload(result_of(o.result, DecisionResult))
            else:
                kind, detail = ActivityKind.notification_failed, {"error": o.error, "dead": o.dead}
            detail["message"] = o.message.id
            activity.append(ActivityRecord.for_order(record.order, kind, o.now, detail, id=new_id()))
        if activity:
            await u.activity.add_many(activity)


def _decision(accepted: bool) -> Literal["accepted", "refused"]:
    return "accepted" if accepted else "refused"
