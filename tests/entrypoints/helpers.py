"""Building a Portside over in-memory storage and the fake channel, for the entry points' tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import msgspec

from portside.adapters.memory import MemoryStorage
from portside.channels.registry import ChannelRegistry
from portside.core.model import OutboxKind, Store
from portside.core.ports import ChannelBundle, OrderPage, UnitOfWorkFactory
from portside.core.services import ImportSettings, OutboxHandler, RelaySettings
from portside.entrypoints.application import Portside
from portside.entrypoints.channel_provider import StoreChannels
from portside.entrypoints.observer import Observer
from portside.testing.fake_channel import FakeChannelPlugin


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def make_app(
    storage: MemoryStorage,
    plugin: FakeChannelPlugin,
    *,
    clock: object | None = None,
    handlers: dict[OutboxKind, OutboxHandler] | None = None,
    observer: Observer | None = None,
) -> Portside:
    channels = StoreChannels(registry=ChannelRegistry([plugin]), uow=storage, deps=None)  # type: ignore[arg-type]
    return Portside(
        uow=storage,
        clock=clock or RealClock(),  # type: ignore[arg-type]
        channels=channels,
        directories={},
        worker_id="test",
        import_settings=ImportSettings(),
        relay_settings=RelaySettings(base_backoff_s=0.01, max_attempts=3),
        extra_handlers=handlers,
        observer=observer,
    )


async def add_store(storage: MemoryStorage, *, store_id: str = "s1", interval: int = 900) -> Store:
    store = Store(
        id=store_id,
        account_id="acct",
        channel="fake",
        name=f"store {store_id}",
        credentials={"secret": "fake-secret"},
        sync_interval_s=interval,
        created_at=datetime.now(UTC),
    )
    async with storage() as u:
        await u.stores.add(store)
        await u.commit()
    return store


class FailingSource:
    """An order source whose every sync fails on its first page with the error ``fail()`` returns."""

    def __init__(self, fail: Callable[[], Exception]) -> None:
        self.fail = fail

    async def pages(self, updated_since: datetime, *, known: object = None) -> AsyncIterator[OrderPage]:
        raise self.fail()
        yield  # an async generator

    async def fetch_order(self, channel_order_id: str) -> Any:
        raise self.fail()


class FailingPlugin(FakeChannelPlugin):
    """The fake channel, whose order source fails with ``fail()`` while ``failing`` (as bundles are built:
    ``channels.forget(store_id)`` rebuilds a store's)."""

    def __init__(self, fail: Callable[[], Exception], *, failing: bool = True) -> None:
        super().__init__()
        self.fail = fail
        self.failing = failing

    def build(self, store: Store, deps: object) -> ChannelBundle:
        bundle = super().build(store, deps)
        return msgspec.structs.replace(bundle, source=FailingSource(self.fail)) if self.failing else bundle


async def claim(uow: UnitOfWorkFactory, store_id: str, *, owner: str, now: datetime) -> str:
    """Make the store due and claim it as the scheduler does: ``owner`` holds its lease."""
    async with uow() as u:
        await u.sync_leases.schedule(store_id, now)
        (claimed,) = await u.sync_leases.claim_due(owner=owner, now=now, ttl_s=600, limit=1)
        await u.commit()
    return claimed
