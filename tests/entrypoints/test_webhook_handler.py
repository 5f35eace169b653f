"""Webhook deliveries through the relay: signed body with the order, inactive subscriptions skipped,
410 deactivates, failures retried then dead, and each outcome counted in the metrics."""

from __future__ import annotations

import time
from typing import Any

import msgspec

from portside.adapters.http import HttpClient
from portside.adapters.memory import MemoryStorage
from portside.adapters.webhooks import WebhookSender, verify
from portside.core.model import (
    ActivityKind,
    ActivityRecord,
    OutboxKind,
    OutboxStatus,
    WebhookEvent,
    WebhookSubscription,
)
from portside.core.ports import OrderRecord
from portside.core.services import content_hash
from portside.entrypoints.metrics import Metrics
from portside.entrypoints.webhooks import WebhookHandler
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.orders import make_order

from .conftest import Receiver
from .helpers import RealClock, add_store, make_app


async def setup(  # type: ignore[no-untyped-def]
    storage: MemoryStorage, receiver: Receiver, http_client: HttpClient, metrics: Metrics, clock: Any = None
):
    clock = clock or RealClock()
    store = await add_store(storage)
    order = make_order(store.id, "C1")
    now = clock.now()
    hook = WebhookSubscription(
        id="wh1",
        account_id="acct",
        url=receiver.url,
        secret="whsec",
        events=(WebhookEvent.order_created,),
        created_at=now,
    )
    async with storage() as u:
        await u.orders.save_many([OrderRecord(order=order, content_hash=content_hash(order), modified_at=now)])
        await u.webhooks.add(hook)
        await u.activity.add_many(
            [ActivityRecord(id="act1", order_id=order.id, store_id=store.id, kind=ActivityKind.created, at=now)]
        )
        await u.commit()
    handler = WebhookHandler(
        uow=storage,
        sender=WebhookSender(http_client, timeout_s=2),
        clock=clock,
        render_order=lambda o: {"id": o.id, "channel_order_id": o.channel_order_id},
        render_shipment=msgspec.to_builtins,
    )
    app = make_app(storage, FakeChannelPlugin(), clock=clock, handlers={OutboxKind.webhook: handler}, observer=metrics)
    published = await app.publish_events()
    assert published.deliveries == 1
    return app, order, hook


async def outbox(storage: MemoryStorage) -> list:  # type: ignore[type-arg]
    async with storage() as u:
        return await u.outbox.find()


async def test_delivered_signed_with_the_order(receiver: Receiver, http_client: HttpClient) -> None:
    storage, metrics = MemoryStorage(), Metrics()
    app, order, _ = await setup(storage, receiver, http_client, metrics)
    report = await app.relay_once()
    assert report.delivered == 1
    ((headers, body),) = receiver.requests
    assert verify("whsec", body, headers["Portside-Signature"], now=time.time())
    event = msgspec.json.decode(body)
    assert event["id"] == "act1" == headers["Portside-Event-Id"]
    assert event["type"] == "order.created"
    assert event["data"] == {"order": {"id": order.id, "channel_order_id": "C1"}}
    assert "created_at" in event
    assert 'portside_outbox_outcomes_total{kind="webhook",outcome="delivered"} 1.0' in metrics.render()


async def test_inactive_subscription_is_settled_without_sending(receiver: Receiver, http_client: HttpClient) -> None:
    storage = MemoryStorage()
    app, _, hook = await setup(storage, receiver, http_client, Metrics())
    async with storage() as u:
        await u.webhooks.update(msgspec.structs.replace(hook, active=False))
        await u.commit()
    assert (await app.relay_once()).delivered == 1
    assert receiver.requests == []


async def test_410_unsubscribes_without_a_dead_message(receiver: Receiver, http_client: HttpClient) -> None:
    storage, metrics = MemoryStorage(), Metrics()
    app, _, hook = await setup(storage, receiver, http_client, metrics)
    receiver.statuses = [410]
    report = await app.relay_once()
    assert report.delivered == 1 and report.dead == 0
    async with storage() as u:
        assert not (await u.webhooks.get(hook.id)).active  # type: ignore[union-attr]
    (message,) = await outbox(storage)
    assert message.status == OutboxStatus.delivered and message.last_error is None
    text = metrics.render()
    assert 'outcome="dead"' not in text
    assert 'portside_outbox_outcomes_total{kind="webhook",outcome="delivered"} 1.0' in text
    async with storage() as u:
        depth = {d.kind: d for d in await u.outbox.depth(now=message.created_at)}
    assert OutboxKind.webhook not in depth or depth[OutboxKind.webhook].dead == 0


async def test_failures_retry_with_backoff_then_die_visibly(receiver: Receiver, http_client: HttpClient) -> None:
    storage, metrics, clock = MemoryStorage(), Metrics(), FixedClock()
    app, _, hook = await setup(storage, receiver, http_client, metrics, clock)
    receiver.statuses = [500, 503, 500]
    for attempt in (1, 2):  # max_attempts=3 in make_app
        assert (await app.relay_once()).retrying == 1
        (message,) = await outbox(storage)
        assert message.status == OutboxStatus.pending and message.attempts == attempt
        assert message.available_at > clock.now()  # backed off: not due again yet...
        assert (await app.relay_once()).claimed == 0
        clock.at = message.available_at  # ...until its time comes
    assert (await app.relay_once()).dead == 1
    (message,) = await outbox(storage)
    assert message.status == OutboxStatus.dead and message.attempts == 3
    assert "HTTP 500" in (message.last_error or "")
    async with storage() as u:
        assert (await u.webhooks.get(hook.id)).active  # type: ignore[union-attr]  # only 410 deactivates
    text = metrics.render()
    assert 'portside_outbox_outcomes_total{kind="webhook",outcome="failed"} 2.0' in text
    assert 'portside_outbox_outcomes_total{kind="webhook",outcome="dead"} 1.0' in text
    assert message.available_at <= clock.now()  # a dead message is not scheduled again
