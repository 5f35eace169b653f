"""Channel ports per store: built once from the store's plugin and reused (tokens, caches, limits)."""

from __future__ import annotations

import hashlib

import msgspec

from portside.channels.registry import ChannelDeps, ChannelRegistry
from portside.core.errors import NotFound
from portside.core.model import Store
from portside.core.ports import ChannelBundle, UnitOfWorkFactory


def _fingerprint(store: Store) -> bytes:
    # Rebuild when the seller changes credentials or settings; nothing else matters to the ports.
    raw = msgspec.json.encode([store.channel, store.credentials, store.settings], order="deterministic")
    return hashlib.blake2b(raw, digest_size=16).digest()


class StoreChannels:
    """The core's ChannelProvider: store id → that store's ChannelBundle."""

    def __init__(self, *, registry: ChannelRegistry, uow: UnitOfWorkFactory, deps: ChannelDeps) -> None:
        self.registry = registry
        self._uow = uow
        self._deps = deps
        self._bundles: dict[str, tuple[bytes, ChannelBundle]] = {}

    def bundle_for(self, store: Store) -> ChannelBundle:
        fingerprint = _fingerprint(store)
        cached = self._bundles.get(store.id)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        bundle = self.registry.get(store.channel).build(store, self._deps)
        self._bundles[store.id] = (fingerprint, bundle)
        return bundle

    async def for_store(self, store_id: str) -> ChannelBundle:
        async with self._uow() as u:
            store = await u.stores.get(store_id)
        if store is None:
            raise NotFound("store", store_id)
        return self.bundle_for(store)

    def forget(self, store_id: str) -> None:
        self._bundles.pop(store_id, None)
