"""One account, one store per marketplace seller: the channel names the seller, the core refuses a
second store of it, and a pair saved before the rule keeps working."""

from __future__ import annotations

import logging

import msgspec
import pytest

from portside.adapters.memory import MemoryStorage
from portside.channels.cdiscount.plugin import plugin as cdiscount
from portside.channels.mirakl.plugin import plugin as mirakl
from portside.channels.registry import ChannelRegistry
from portside.core.errors import Conflict
from portside.core.model import Store
from portside.core.services.stores import StoreChanges, StoreDraft, connect_store, update_store
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin

CDISCOUNT = {"client_id": "c", "client_secret": "s", "seller_id": "123456"}


async def _verified(store: Store) -> None:
    return None


def test_cdiscount_identity_is_the_seller_on_one_api_and_sales_channel() -> None:
    base = cdiscount.store_identity(CDISCOUNT, {})
    assert base == cdiscount.store_identity({**CDISCOUNT, "seller_id": " 123456 ", "client_id": "other"}, {})
    assert base == cdiscount.store_identity(CDISCOUNT, {"api_base_url": "HTTPS://API.octopia-io.net/seller/v2/"})
    assert base != cdiscount.store_identity({**CDISCOUNT, "seller_id": "654321"}, {})
    assert base != cdiscount.store_identity(CDISCOUNT, {"api_base_url": "http://127.0.0.1:9/seller/v2"})
    assert base != cdiscount.store_identity(CDISCOUNT, {"sales_channel_id": "CDISBE"})


def test_mirakl_identity_is_the_shop_on_one_instance() -> None:
    settings = {"base_url": "https://leroymerlin-prod.mirakl.net/api", "shop_id": "2001"}
    shop = mirakl.store_identity({"api_key": "k1"}, settings)
    assert shop == mirakl.store_identity(
        {"api_key": "k2"}, {**settings, "base_url": "https://LeroyMerlin-prod.mirakl.net"}
    )
    assert shop != mirakl.store_identity({"api_key": "k1"}, {**settings, "shop_id": "2002"})
    # Without a shop id the key picks the user's only shop, so it stands for the shop.
    by_key = {"base_url": settings["base_url"]}
    assert mirakl.store_identity({"api_key": "k1"}, by_key) == mirakl.store_identity({"api_key": " k1 "}, by_key)
    assert mirakl.store_identity({"api_key": "k1"}, by_key) != mirakl.store_identity({"api_key": "k2"}, by_key)


async def test_a_pair_saved_before_the_rule_keeps_working(storage: MemoryStorage, clock: FixedClock) -> None:
    channels = {"fake": FakeChannelPlugin()}
    kw = {"channels": channels, "verify": _verified, "uow": storage, "clock": clock}
    legacy = [
        Store(
            id=f"old-{i}",
            account_id="acct-1",
            channel="fake",
            name=f"Old {i}",
            credentials={"secret": "x"},
            settings={"seller": "S"},
            created_at=clock.now(),
        )
        for i in (1, 2)
    ]
    async with storage() as u:
        for store in legacy:
            await u.stores.add(store)  # no seller key: saved before keys existed
        await u.commit()
    draft = StoreDraft(channel="fake", name="New", credentials={"secret": "x"}, settings={"seller": "S"})
    with pytest.raises(Conflict, match="old-1"):
        await connect_store("acct-1", draft, **kw)  # found from its configuration, without a key
    renamed = await update_store("acct-1", "old-2", StoreChanges(name="Renamed", active=False), **kw)
    assert renamed.name == "Renamed" and renamed.seller_key is None  # old-1 may take the key
    moved = await update_store("acct-1", "old-2", StoreChanges(settings={"seller": "T"}), **kw)
    assert moved.seller_key is not None
    kept = await update_store("acct-1", "old-1", StoreChanges(name="Kept"), **kw)
    assert kept.seller_key is not None and kept.seller_key != moved.seller_key
    with pytest.raises(Conflict, match="old-1"):
        await update_store("acct-1", "old-2", StoreChanges(settings={"seller": "S"}), **kw)


class PluginBeforeStoreIdentity:
    """A third-party plugin written against the protocol before ``store_identity``: everything else."""

    def __init__(self, inner: FakeChannelPlugin) -> None:
        self.name = inner.name
        self.display_name = inner.display_name
        self.credentials_type = inner.credentials_type
        self.settings_type = inner.settings_type
        self.default_status_mapping = inner.default_status_mapping
        self.capabilities = inner.capabilities
        self.build = inner.build


async def test_a_plugin_without_store_identity_connects_stores_unchecked(
    storage: MemoryStorage, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    legacy = PluginBeforeStoreIdentity(FakeChannelPlugin())
    assert not hasattr(legacy, "store_identity")
    with caplog.at_level(logging.WARNING, logger="portside.channels"):
        registry = ChannelRegistry([legacy])  # type: ignore[list-item]
    warned = [r for r in caplog.records if "store_identity" in r.getMessage()]
    assert len(warned) == 1 and warned[0].levelno == logging.WARNING and "'fake'" in warned[0].getMessage()

    kw = {"channels": {"fake": registry.get("fake")}, "verify": _verified, "uow": storage, "clock": clock}
    draft = StoreDraft(channel="fake", name="One", credentials={"secret": "x"}, settings={"seller": "S"})
    first = await connect_store("acct-1", draft, **kw)
    second = await connect_store("acct-1", msgspec.structs.replace(draft, name="Two"), **kw)  # no check: allowed
    assert first.seller_key is None and second.seller_key is None
    patched = await update_store("acct-1", second.id, StoreChanges(settings={"seller": "T"}, active=False), **kw)
    assert patched.settings == {"seller": "T"} and patched.seller_key is None
    assert len([r for r in caplog.records if "store_identity" in r.getMessage()]) == 1  # warned once, at start
