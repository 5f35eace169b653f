"""Per-store state that outlives one bundle: the rate limiter, the carrier list and the Shipments API switch.

The composition root builds a store's bundle once and reuses it, but a host may build one per call;
either way a store shares one throttle, fetches SH21 once a day (reference §3) and remembers that its
operator has the Shipments API off. States are kept per HTTP client (one per process, one per test)
and per store, replaced when the key, instance or shop changes, so another sandbox starts afresh.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from datetime import datetime
from weakref import WeakKeyDictionary

import msgspec

from portside.adapters.http import HttpClient, TokenBucket

from .settings import MiraklCredentials, MiraklSettings


class OperatorCarrier(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    tracking_url: str | None = None  # SH21 template with ``{trackingId}``


class CarrierList(msgspec.Struct, frozen=True, kw_only=True):
    carriers: tuple[OperatorCarrier, ...]
    fetched_at: datetime


class StoreState:
    def __init__(self, settings: MiraklSettings) -> None:
        self.limiter = TokenBucket(settings.rate_per_s, settings.rate_burst)
        self.carriers: CarrierList | None = None
        self.carriers_lock = asyncio.Lock()
        self.shipments_api_off_since: datetime | None = None  # ST01 answered 404 at that moment


class StoreStates:
    """One state per store and HTTP client. A new key, instance, shop or throttle replaces the store's
    state; past ``limit`` stores the least recently used is forgotten, so connection attempts (each
    with a fresh store id) cannot grow memory without bound."""

    def __init__(self, limit: int = 10_000) -> None:
        self._limit = limit
        self._by_client: WeakKeyDictionary[HttpClient, OrderedDict[str, tuple[str, StoreState]]] = WeakKeyDictionary()

    def get(
        self, http: HttpClient, store_id: str, credentials: MiraklCredentials, settings: MiraklSettings
    ) -> StoreState:
        identity = "\x1f".join(
            (
                credentials.fingerprint(),
                settings.instance,
                settings.shop or "",
                f"{settings.rate_per_s}/{settings.rate_burst}",
            )
        )
        states = self._by_client.setdefault(http, OrderedDict())
        kept = states.pop(store_id, None)
        state = kept[1] if kept is not None and kept[0] == identity else StoreState(settings)
        states[store_id] = (identity, state)  # most recently used last
        if len(states) > self._limit:
            states.popitem(last=False)
        return state
