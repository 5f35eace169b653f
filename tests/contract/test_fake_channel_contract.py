"""The channel contract kit, run on the fake channel the project's own tests use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portside.testing.channel_contract import ChannelContract
from portside.testing.fake_channel import FAKE_STATUSES, FakeChannel, FakeMarketplace
from portside.testing.orders import generate_orders


class FakeHarness:
    channel = "fake"
    store_id = "contract-store"
    default_status_mapping = FAKE_STATUSES

    def __init__(self) -> None:
        start = datetime(2026, 10, 1, tzinfo=UTC)
        self.since = start - timedelta(days=1)
        self.market = FakeMarketplace()
        self.market.put(*generate_orders(self.store_id, 23, start=start))
        self.market.malformed["BROKEN"] = start + timedelta(hours=3)
        self.market.no_seller_lines["FBC-ONLY"] = start + timedelta(hours=4)
        self.bundle = FakeChannel(self.market, page_size=5).bundle()

    async def marketplace_order_ids(self, updated_since: datetime) -> set[str]:
        ids = {cid for cid, o in self.market.orders.items() if o.updated_at >= updated_since}
        ids |= {
            cid for cid, at in {**self.market.malformed, **self.market.no_seller_lines}.items() if at >= updated_since
        }
        return ids

    async def order_ready_to_ship(self):
        return next(iter(self.market.orders.values()))

    async def parcels_on_marketplace(self, channel_order_id: str) -> int:
        return len(self.market.parcels.get(channel_order_id, []))


class TestFakeChannel(ChannelContract):
    @pytest.fixture
    async def channel_harness(self) -> FakeHarness:
        return FakeHarness()
