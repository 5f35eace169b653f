"""Driving the Mirakl plugin against a running sandbox over real HTTP, plus the stores the tests use."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import msgspec

from portside.adapters.http import HttpClient, RetryPolicy
from portside.channels.mirakl import plugin
from portside.channels.mirakl.sandbox import Running
from portside.channels.mirakl.statuses import DEFAULT_STATUS_MAPPING
from portside.channels.registry import ChannelDeps
from portside.core.model import Order, Shipment, Store
from portside.core.ports import ChannelBundle, MappingFailure
from portside.testing.channel_contract import contract_shipment
from portside.testing.clock import FixedClock
from tests.support.recorded_sleeps import RecordedSleeps

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=60)
BASE_URL = "https://mirakl.test"
API = BASE_URL + "/api"
KEY = "5f1c2e3a-0000-4000-8000-1234567890ab"
Wire = dict[str, Any]


def make_store(store_id: str = "store-1", *, credentials: dict[str, Any] | None = None, **settings: Any) -> Store:
    return Store(
        id=store_id,
        account_id="account-1",
        channel="mirakl",
        name="Boutique test",
        credentials=credentials or {"api_key": KEY},
        settings={"base_url": BASE_URL, "rate_per_s": 1000.0, "rate_burst": 100, **settings},
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def shipment_for(order: Order, carrier: str, number: str = "6A12345678901", **changes: Any) -> Shipment:
    """The contract kit's shipment, with ``changes`` (lines, tracking URL…) laid on top."""
    return msgspec.structs.replace(contract_shipment(order, carrier, tracking_number=number), **changes)


class Harness:
    """One store on one sandbox: the plugin's bundle plus ground truth read from the sandbox's state.

    It also satisfies ``portside.testing.channel_contract.ChannelHarness``.
    """

    channel = "mirakl"
    default_status_mapping = DEFAULT_STATUS_MAPPING
    since = SINCE

    def __init__(self, sandbox: Running, session: aiohttp.ClientSession, **settings: Any) -> None:
        self.sandbox = sandbox
        self.sleeps = RecordedSleeps()
        self.http = HttpClient(session, retry=RetryPolicy(attempts=4), sleep=self.sleeps, rng=random.Random(5))
        config = sandbox.config
        chosen = {"base_url": sandbox.url, "shop_id": config.shop_id, "profile": config.profile, "timeout_s": 2.0}
        self.store = make_store(
            f"store-{config.profile}", credentials={"api_key": config.api_key}, **{**chosen, **settings}
        )
        self.store_id = self.store.id
        self.deps = ChannelDeps(http=self.http, clock=FixedClock(NOW))
        self.bundle: ChannelBundle = plugin.build(self.store, self.deps)

    # Ground truth --------------------------------------------------------------------------------
    def stored(self) -> list[Wire]:
        return self.sandbox.state.store.all()

    async def marketplace_order_ids(self, updated_since: datetime) -> set[str]:
        cutoff = updated_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {o["order_id"] for o in self.stored() if o["last_updated_date"] >= cutoff}

    def stats(self) -> dict[str, Any]:
        return self.sandbox.state.snapshot()

    def applied(self, endpoint: str, order_id: str) -> int:
        return int(self.stats()["applied"].get(endpoint, {}).get(order_id, 0))

    def received(self, endpoint: str, order_id: str) -> int:
        return int(self.stats()["received"].get(endpoint, {}).get(order_id, 0))

    def set_faults(self, **knobs: Any) -> None:
        self.sandbox.state.faults.update(knobs)

    def wire_order(self, state: str, *, relay: bool | None = None) -> Wire:
        """A stored, well-formed order in ``state`` (optionally a relay order, or not)."""
        for wire in self.stored():
            is_relay = bool(wire.get("shipping_pudo_id")) or "point de proximité" in wire["shipping_type_label"]
            if wire["order_state"] == state and (relay is None or relay == is_relay):
                if wire["order_id"] not in self.sandbox.state.faults.malformed:
                    return wire
        raise LookupError(f"the sandbox holds no {state} order (relay={relay})")

    # The contract kit's needs ---------------------------------------------------------------------
    async def order_ready_to_ship(self) -> Order:
        return await self.bundle.source.fetch_order(self.wire_order("SHIPPING")["order_id"])

    async def parcels_on_marketplace(self, channel_order_id: str) -> int:
        """Tracking numbers the marketplace holds for the order: ST01 shipments, else the OR23 one."""
        shipments = [s for s in self.sandbox.state.shipments if s["order_id"] == channel_order_id]
        if shipments:
            return len({s["tracking"]["tracking_number"] for s in shipments})
        wire = self.sandbox.state.store.get(channel_order_id) or {}
        return 1 if wire.get("shipping_tracking") else 0

    # Syncing --------------------------------------------------------------------------------------
    async def sync(self, since: datetime = SINCE) -> tuple[list[Order], list[MappingFailure], list[datetime | None]]:
        orders: list[Order] = []
        failures: list[MappingFailure] = []
        cursors: list[datetime | None] = []
        async for page in self.bundle.source.pages(since):
            orders += page.orders
            failures += page.failures
            cursors.append(page.max_updated_at)
        return orders, failures, cursors
