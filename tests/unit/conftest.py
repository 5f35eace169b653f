"""Fixtures for core use-case tests: in-memory storage, a settable clock, a fake marketplace."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portside.adapters.memory import MemoryStorage
from portside.core.model import Store
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannel, FakeMarketplace


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def market() -> FakeMarketplace:
    return FakeMarketplace()


@pytest.fixture
def channel(market: FakeMarketplace) -> FakeChannel:
    return FakeChannel(market, page_size=10)


@pytest.fixture
async def store(storage: MemoryStorage, clock: FixedClock) -> Store:
    s = Store(
        id="store-1",
        account_id="acct-1",
        channel="fake",
        name="Boutique Test",
        credentials={"secret": "fake-secret"},
        created_at=clock.now(),
    )
    async with storage() as u:
        await u.stores.add(s)
        await u.commit()
    return s
