"""Publish events: turn new activity into webhook deliveries for the accounts that subscribed."""

from __future__ import annotations

from datetime import datetime

import msgspec

from ..model import (
    ActivityKind,
    ActivityRecord,
    OutboxKind,
    OutboxMessage,
    WebhookEvent,
    WebhookPayload,
    WebhookSubscription,
    to_payload,
)
from ..ports import Clock, UnitOfWork, UnitOfWorkFactory
from .ids import derived_id


def event_of(record: ActivityRecord) -> WebhookEvent | None:
    """The webhook event an activity record stands for, if any."""
    kind = record.kind
    if kind == ActivityKind.created:
        return WebhookEvent.order_created
    if kind == ActivityKind.updated:
        return WebhookEvent.order_updated
    if kind == ActivityKind.status_changed:
        return WebhookEvent.order_status_changed
    if kind == ActivityKind.cancelled:
        return WebhookEvent.order_cancelled
    if "shipment" not in record.detail:
        return None  # acceptance decisions have no event of their own
    if kind == ActivityKind.notification_delivered:
        return WebhookEvent.shipment_notified
    if kind == ActivityKind.notification_failed and record.detail.get("dead"):
        return WebhookEvent.shipment_failed
    return None


class PublishReport(msgspec.Struct, kw_only=True):
    records: int = 0
    deliveries: int = 0


async def publish_events(*, uow: UnitOfWorkFactory, clock: Clock, batch: int = 500) -> PublishReport:
    """One pass: claim unpublished activity, queue a webhook delivery per matching subscription, mark
    the records published, all in one transaction: each event reaches each subscriber's queue once."""
    report = PublishReport()
    async with uow() as u:
        records = await u.activity.claim_unpublished(limit=batch)
        if not records:
            return report
        now = clock.now()
        subscribers = await _subscribers(u, {r.store_id for r in records})
        for record in records:
            event = event_of(record)
            if event is None:
                continue
            for hook in subscribers.get(record.store_id, []):
                if event in hook.events:
                    await u.outbox.add(_delivery(record, event, hook, now))
                    report.deliveries += 1
        await u.activity.mark_published([r.id for r in records])
        await u.commit()
    report.records = len(records)
    return report


async def _subscribers(u: UnitOfWork, store_ids: set[str]) -> dict[str, list[WebhookSubscription]]:
    by_account: dict[str, list[WebhookSubscription]] = {}
    by_store: dict[str, list[WebhookSubscription]] = {}
    for store_id in store_ids:
        store = await u.stores.get(store_id)
        if store is None:
            continue
        if store.account_id not in by_account:
            by_account[store.account_id] = await u.webhooks.find(store.account_id, active=True)
        by_store[store_id] = by_account[store.account_id]
    return by_store


def _delivery(record: ActivityRecord, event: WebhookEvent, hook: WebhookSubscription, now: datetime) -> OutboxMessage:
    return OutboxMessage(
        # Derived: if this pass is retried after a crash, the same delivery collides instead of doubling.
        id=derived_id("webhook", record.id, hook.id),
        kind=OutboxKind.webhook,
        store_id=record.store_id,
        subject_id=hook.id,
        payload=to_payload(
            WebhookPayload(
                event_id=record.id, type=event, occurred_at=record.at, order_id=record.order_id, detail=record.detail
            )
        ),
        available_at=now,
        created_at=now,
    )
