"""Driving the Cdiscount plugin against a running Octopia sandbox over real HTTP, for the tests."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from portside.adapters.http import HttpClient, RetryPolicy
from portside.channels.cdiscount import plugin
from portside.channels.cdiscount.sandbox import RunningSandbox
from portside.channels.cdiscount.statuses import DEFAULT_STATUS_MAPPING
from portside.channels.registry import ChannelDeps
from portside.core.model import Order, Store
from portside.core.ports import ChannelBundle, MappingFailure, SkippedOrder
from portside.testing.clock import FixedClock
from tests.support.recorded_sleeps import RecordedSleeps

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=60)
Wire = dict[str, Any]


def sandbox_store(sandbox: RunningSandbox, store_id: str = "sandbox-store", **settings: Any) -> Store:
    config = sandbox.state.config
    credentials = settings.pop("credentials", None) or {
        "client_id": config.client_id,
        "client_secret": config.client_secret,
        "seller_id": config.seller_id,
    }
    return Store(
        id=store_id,
        account_id="account-1",
        channel="cdiscount",
        name="Sandbox shop",
        credentials=credentials,
        settings={
            "auth_url": sandbox.auth_url,
            "api_base_url": sandbox.api_base_url,
            "rate_per_s": 1000.0,
            "rate_burst": 100,
            "timeout_s": 5.0,
            **settings,
        },
        created_at=NOW,
    )


class Harness:
    """One store on one sandbox: the plugin's bundle plus ground truth read from the sandbox's state.

    It also satisfies ``portside.testing.channel_contract.ChannelHarness``.
    """

    channel = "cdiscount"
    default_status_mapping = DEFAULT_STATUS_MAPPING
    since = SINCE

    def __init__(self, sandbox: RunningSandbox, session: aiohttp.ClientSession, **settings: Any) -> None:
        self.sandbox = sandbox
        self.sleeps = RecordedSleeps()  # backoff and Retry-After recorded, not waited
        self.http = HttpClient(session, retry=RetryPolicy(attempts=4), sleep=self.sleeps, rng=random.Random(5))
        self.store = sandbox_store(sandbox, **settings)
        self.store_id = self.store.id
        self.bundle: ChannelBundle = plugin.build(self.store, ChannelDeps(http=self.http, clock=FixedClock(NOW)))

    # Ground truth -------------------------------------------------------------------------------
    def stored(self) -> list[Wire]:
        return self.sandbox.state.store.all()

    async def marketplace_order_ids(self, updated_since: datetime) -> set[str]:
        cutoff = updated_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {o["orderId"] for o in self.stored() if o["updatedAt"] >= cutoff}

    def stats(self) -> dict[str, Any]:
        return self.sandbox.state.snapshot()

    def fired(self, knob: str) -> int:
        return self.sandbox.state.faults.fired[knob]

    async def set_faults(self, **knobs: Any) -> None:
        self.sandbox.state.faults.update(knobs)

    def wire_order(self, status: str, *, pickup: str | None = None) -> Wire:
        """A stored order in ``status`` that the seller ships (has an open Seller line), not malformed."""
        for wire in self.stored():
            if wire["status"] != status or wire["orderId"] in self.sandbox.state.faults.malformed:
                continue
            modes = {(ln.get("offer") or {}).get("supplyMode") for ln in wire["lines"]}
            mode = wire["lines"][0]["delivery"]["mode"]
            if "Seller" in modes and (pickup is None or mode in pickup.split("|")):
                return wire
        raise LookupError(f"the sandbox holds no {status} seller order (pickup={pickup})")

    # The contract kit's needs ---------------------------------------------------------------------
    async def order_ready_to_ship(self) -> Order:
        return await self.bundle.source.fetch_order(self.wire_order("InPreparation")["orderId"])

    async def parcels_on_marketplace(self, channel_order_id: str) -> int:
        return int(self.stats()["parcels"].get(channel_order_id, 0))

    # Syncing --------------------------------------------------------------------------------------
    async def sync(
        self, since: datetime = SINCE
    ) -> tuple[list[Order], list[MappingFailure], list[SkippedOrder], list[datetime | None]]:
        orders: list[Order] = []
        failures: list[MappingFailure] = []
        skipped: list[SkippedOrder] = []
        cursors: list[datetime | None] = []
        async for page in self.bundle.source.pages(since):
            orders += page.orders
            failures += page.failures
            skipped += page.skipped
            cursors.append(page.max_updated_at)
        return orders, failures, skipped, cursors


def expected_skips(stored: list[Wire]) -> set[str]:
    """Orders with no Seller line: the channel skips them on purpose."""
    return {
        o["orderId"]
        for o in stored
        if isinstance(o["lines"], list)
        and all((ln.get("offer") or {}).get("supplyMode") != "Seller" for ln in o["lines"])
    }
