"""Events: activity becomes one webhook delivery per matching subscription, exactly once."""

from __future__ import annotations

from datetime import timedelta

from portside.core.model import OutboxKind, Store, WebhookEvent, WebhookSubscription
from portside.core.services import import_orders, publish_events
from portside.testing.fake_channel import FAKE_STATUSES
from portside.testing.orders import generate_orders


async def test_each_event_is_queued_once_per_subscriber(storage, clock, channel, market, store) -> None:
    quiet = Store(id="store-q", account_id="acct-quiet", channel="fake", name="q", created_at=clock.now())
    hooks = [
        WebhookSubscription(
            id=f"hook-{i}",
            account_id=store.account_id,
            url=f"https://platform.example/{i}",
            secret="s",
            events=events,
            created_at=clock.now(),
        )
        for i, events in enumerate(
            [(WebhookEvent.order_created,), (WebhookEvent.order_created, WebhookEvent.order_cancelled)]
        )
    ]
    async with storage() as u:
        await u.stores.add(quiet)
        for hook in hooks:
            await u.webhooks.add(hook)
        await u.commit()
    market.put(*generate_orders(store.id, 3, start=clock.now() - timedelta(hours=1)))
    await import_orders(store, source=channel, uow=storage, clock=clock, status_defaults=FAKE_STATUSES, owner="w")

    first = await publish_events(uow=storage, clock=clock)
    again = await publish_events(uow=storage, clock=clock)

    assert (first.records, first.deliveries, again.records) == (3, 6, 0)
    async with storage() as u:
        messages = await u.outbox.find(limit=100)
    assert {m.kind for m in messages} == {OutboxKind.webhook}
    assert sorted(m.subject_id for m in messages) == ["hook-0"] * 3 + ["hook-1"] * 3
    assert {m.payload["type"] for m in messages} == {"order.created"}

    # A cancellation reaches only the subscriber that asked for it.
    cancelled = next(iter(market.orders))
    market.update(cancelled, channel_status="Cancelled", updated_at=clock.now())
    clock.advance(minutes=1)
    await import_orders(store, source=channel, uow=storage, clock=clock, status_defaults=FAKE_STATUSES, owner="w")
    report = await publish_events(uow=storage, clock=clock)
    assert (report.records, report.deliveries) == (1, 1)
