"""The channel contract kit: tests every channel package runs to prove it honours the ports.

Subclass :class:`ChannelContract` in a test module named ``test_*.py`` with a class name starting
with ``Test``, and provide an async ``channel_harness`` fixture returning a :class:`ChannelHarness`
over your channel's sandbox (or its real API in a staging account).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol

from portside.core.model import Order, OrderStatus, Shipment, order_id_for
from portside.core.ports import ChannelBundle, NotificationLookup


class ChannelHarness(Protocol):
    bundle: ChannelBundle
    store_id: str
    channel: str
    default_status_mapping: Mapping[str, OrderStatus]
    since: datetime  # a moment before every order the marketplace holds

    async def marketplace_order_ids(self, updated_since: datetime) -> set[str]:
        """Ground truth from the marketplace side: every order id updated since, mappable or not."""
        ...

    async def order_ready_to_ship(self) -> Order:
        """An order the seller may ship now, as the channel maps it."""
        ...

    async def parcels_on_marketplace(self, channel_order_id: str) -> int: ...


def contract_shipment(order: Order, carrier: str, *, tracking_number: str = "CT123456789FR") -> Shipment:
    now = datetime.now(UTC)
    return Shipment(
        id=f"contract-{order.channel_order_id}",
        order_id=order.id,
        store_id=order.store_id,
        carrier=carrier,
        tracking_number=tracking_number,
        shipped_at=now,
        created_at=now,
    )


async def _all_pages(bundle: ChannelBundle, since: datetime) -> tuple[list[Order], list[str], list[str]]:
    orders: list[Order] = []
    failed: list[str] = []
    skipped: list[str] = []
    async for page in bundle.source.pages(since):
        orders += page.orders
        failed += [f.channel_order_id or "?" for f in page.failures]
        skipped += [s.channel_order_id for s in page.skipped]
    return orders, failed, skipped


class ChannelContract:
    """What every channel guarantees the core. Needs a ``channel_harness`` fixture."""

    async def test_pages_cover_every_order_exactly_once(self, channel_harness: ChannelHarness) -> None:
        orders, failed, skipped = await _all_pages(channel_harness.bundle, channel_harness.since)
        seen = [o.channel_order_id for o in orders] + failed + skipped
        assert len(seen) == len(set(seen)), "an order came back on two pages of one undisturbed sync"
        assert set(seen) == await channel_harness.marketplace_order_ids(channel_harness.since)

    async def test_pages_respect_updated_since(self, channel_harness: ChannelHarness) -> None:
        orders, _, _ = await _all_pages(channel_harness.bundle, channel_harness.since)
        assert orders, "the harness must hold at least one mappable order"
        cutoff = sorted(o.updated_at for o in orders)[len(orders) // 2]
        later, failed, skipped = await _all_pages(channel_harness.bundle, cutoff)
        assert all(o.updated_at >= cutoff - timedelta(seconds=1) for o in later)
        seen = {o.channel_order_id for o in later} | set(failed) | set(skipped)
        assert seen == await channel_harness.marketplace_order_ids(cutoff)

    async def test_orders_are_well_formed(self, channel_harness: ChannelHarness) -> None:
        orders, _, _ = await _all_pages(channel_harness.bundle, channel_harness.since)
        for order in orders:
            assert order.store_id == channel_harness.store_id
            assert order.channel == channel_harness.channel
            assert order.id == order_id_for(order.store_id, order.channel_order_id)
            assert order.placed_at.tzinfo is not None and order.updated_at.tzinfo is not None
            assert order.lines, f"order {order.channel_order_id} has no lines"
            mapped = channel_harness.default_status_mapping.get(order.channel_status)
            assert order.status == (mapped or OrderStatus.on_hold)
            assert order.totals.grand_total.currency == order.currency

    async def test_fetch_order_matches_the_pages(self, channel_harness: ChannelHarness) -> None:
        order = await channel_harness.order_ready_to_ship()
        assert await channel_harness.bundle.source.fetch_order(order.channel_order_id) == order

    async def test_carriers_resolve_their_own_names_in_any_case(self, channel_harness: ChannelHarness) -> None:
        catalog = channel_harness.bundle.carriers
        accepted = await catalog.accepted_carriers()
        assert accepted
        for name in accepted:
            assert await catalog.resolve(f"  {name.upper()} ") == name
        unlisted = await catalog.resolve("no such carrier, surely")
        if channel_harness.bundle.capabilities.carriers_by_name:
            assert unlisted == "no such carrier, surely"  # sent by name, as the seller wrote it
        else:
            assert unlisted is None

    async def test_a_notification_is_found_after_it_is_sent_and_not_before(
        self, channel_harness: ChannelHarness
    ) -> None:
        bundle = channel_harness.bundle
        order = await channel_harness.order_ready_to_ship()
        carrier = (await bundle.carriers.accepted_carriers())[0]
        shipment = contract_shipment(order, carrier)
        assert await bundle.notifier.find_notification(order, shipment) == NotificationLookup.absent
        receipt = await bundle.notifier.notify(order, shipment)
        assert receipt.sent
        assert await bundle.notifier.find_notification(order, shipment) == NotificationLookup.found
        assert await channel_harness.parcels_on_marketplace(order.channel_order_id) == 1

    async def test_verify_accepts_working_credentials(self, channel_harness: ChannelHarness) -> None:
        await channel_harness.bundle.verifier.verify()

    async def test_capabilities_match_the_ports(self, channel_harness: ChannelHarness) -> None:
        bundle = channel_harness.bundle
        assert (bundle.acknowledger is not None) == bundle.capabilities.acceptance
        assert bundle.capabilities.min_poll_interval_s >= 1
