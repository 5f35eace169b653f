"""The in-memory database: plain dicts shared by every unit of work of one ``MemoryStorage``."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

from portside.core.model import (
    Account,
    ActivityRecord,
    ApiKey,
    CarrierAccountSettings,
    OutboxMessage,
    Product,
    QuarantinedPayload,
    Shipment,
    Store,
    SyncCursor,
    SyncReport,
    WebhookSubscription,
)
from portside.core.ports import CachedPoint, IdempotentResponse, OrderRecord


@dataclass
class SyncLeaseRow:
    store_id: str
    next_run_at: datetime | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None


@dataclass
class Tables:
    stores: dict[str, Store] = field(default_factory=dict)
    orders: dict[str, OrderRecord] = field(default_factory=dict)
    order_keys: dict[tuple[str, str], str] = field(default_factory=dict)  # (store, channel id) -> order id
    shipments: dict[str, Shipment] = field(default_factory=dict)
    catalog: dict[tuple[str, str], Product] = field(default_factory=dict)
    cursors: dict[str, SyncCursor] = field(default_factory=dict)
    outbox: dict[str, OutboxMessage] = field(default_factory=dict)
    activity: list[ActivityRecord] = field(default_factory=list)
    quarantine: list[QuarantinedPayload] = field(default_factory=list)
    sync_reports: dict[str, SyncReport] = field(default_factory=dict)
    sync_leases: dict[str, SyncLeaseRow] = field(default_factory=dict)
    pickup_cache: dict[tuple[str, str, str], CachedPoint] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    api_keys: dict[str, ApiKey] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], IdempotentResponse] = field(default_factory=dict)
    webhooks: dict[str, WebhookSubscription] = field(default_factory=dict)
    carrier_settings: dict[tuple[str, str], CarrierAccountSettings] = field(default_factory=dict)
    published: set[str] = field(default_factory=set)  # activity ids already published as events

    def snapshot(self) -> Tables:
        # Values are frozen structs (or small dataclasses copied below), so a shallow copy of each
        # container is a consistent snapshot a unit of work can mutate and later publish.
        clone = copy.copy(self)
        for name in (
            "stores",
            "orders",
            "order_keys",
            "shipments",
            "catalog",
            "cursors",
            "outbox",
            "sync_reports",
            "pickup_cache",
            "accounts",
            "api_keys",
            "idempotency",
            "webhooks",
            "carrier_settings",
        ):
            setattr(clone, name, dict(getattr(self, name)))
        clone.activity = list(self.activity)
        clone.quarantine = list(self.quarantine)
        clone.published = set(self.published)
        clone.sync_leases = {k: copy.copy(v) for k, v in self.sync_leases.items()}
        return clone
