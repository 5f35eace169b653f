"""Per-store state that outlives one bundle: the access token, the rate limiter and the carrier list.

The composition root may build a store's bundle once or for every sync; either way the store must
share one token (Octopia's hourly token quota) and one rate limit. States are kept per HTTP client
(one per process, one per test) and per store + credentials + endpoints, so new credentials or a
new sandbox start from scratch.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from datetime import datetime
from weakref import WeakKeyDictionary

import msgspec

from portside.adapters.http import HttpClient, TokenBucket

from .auth import TokenCache
from .settings import CdiscountCredentials, CdiscountSettings


class CarrierList(msgspec.Struct, frozen=True, kw_only=True):
    labels: tuple[str, ...]  # trimmed, as Octopia spells them
    fetched_at: datetime


class StoreState:
    def __init__(self, settings: CdiscountSettings) -> None:
        self.tokens = TokenCache()
        self.limiter = TokenBucket(settings.rate_per_s, settings.rate_burst)
        self.carriers: CarrierList | None = None
        self.carriers_lock = asyncio.Lock()


class StoreStates:
    """One state per store and HTTP client: new credentials or endpoints replace the store's state
    (they need a new token), and the least recently used states are forgotten past ``limit`` — failed
    connection attempts each use a fresh store id, and must not grow memory without bound."""

    def __init__(self, limit: int = 10_000) -> None:
        self._limit = limit
        self._by_client: WeakKeyDictionary[HttpClient, OrderedDict[str, tuple[tuple[str, ...], StoreState]]] = (
            WeakKeyDictionary()
        )

    def get(
        self, http: HttpClient, store_id: str, credentials: CdiscountCredentials, settings: CdiscountSettings
    ) -> StoreState:
        key = (
            credentials.fingerprint(),
            settings.auth_url,
            settings.api_base_url,
            f"{settings.rate_per_s}/{settings.rate_burst}",
        )
        states = self._by_client.setdefault(http, OrderedDict())
        found = states.get(store_id)
        if found is not None and found[0] == key:
            states.move_to_end(store_id)
            return found[1]
        state = StoreState(settings)
        states[store_id] = (key, state)
        states.move_to_end(store_id)
        while len(states) > self._limit:
            states.popitem(last=False)
        return state
