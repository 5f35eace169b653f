"""Building a Portside over in-memory storage and the fake channel, for the entry points' tests."""

from __future__ import annotations

from datetime import UTC, datetime

from portside.adapters.memory import MemoryStorage
from portside.channels.registry import ChannelRegistry
from portside.core.model import OutboxKind, Store
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
