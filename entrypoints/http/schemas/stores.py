"""Stores, their status mapping, sync reports and quarantined payloads, as the API shows them."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from portside.core.model import AcceptancePolicy, OrderStatus
from portside.core.model.masking import masked_repr, masked_rich_repr

from .common import UtcTime

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Interval = Annotated[int, msgspec.Meta(ge=60, le=86_400, description="seconds between syncs")]


class StoreCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    channel: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    name: Name
    credentials: Annotated[dict[str, Any], msgspec.Meta(description="the channel's credentials; never returned")]
    settings: Annotated[dict[str, Any], msgspec.Meta(description="the channel's settings")] = {}
    acceptance_policy: AcceptancePolicy = AcceptancePolicy.manual
    sync_interval_s: Interval | None = None  # default 900, or the channel's minimum if higher

    __secret_fields__ = frozenset({"credentials"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


class StorePatch(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent change. ``credentials`` and ``settings`` are merged key by key (a null
    value removes the key); new credentials or settings are checked with the channel first."""

    name: Name | None = None
    credentials: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    acceptance_policy: AcceptancePolicy | None = None
    sync_interval_s: Interval | None = None
    active: bool | None = None  # false: stop syncing (orders kept); true: resume, syncing now

    __secret_fields__ = frozenset({"credentials"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


class StoreJson(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    channel: str
    name: str
    settings: dict[str, Any]
    acceptance_policy: AcceptancePolicy
    sync_interval_s: int
    active: bool
    created_at: UtcTime
    # The latest sync: its outcome and, when it failed, why (e.g. the marketplace refused the credentials).
    last_sync: SyncReportJson | None = None


class StoreList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[StoreJson]


class StatusMappingPut(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    overrides: Annotated[
        dict[str, OrderStatus], msgspec.Meta(description="channel status → platform status; replaces every override")
    ]


class StatusMappingJson(msgspec.Struct, frozen=True, kw_only=True):
    defaults: dict[str, OrderStatus]  # the channel's
    overrides: dict[str, OrderStatus]  # the store's
    effective: dict[str, OrderStatus]
    orders_changed: int | None = None  # after a PUT: stored orders whose status changed


class SyncReportJson(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    started_at: UtcTime
    finished_at: UtcTime | None
    outcome: str  # running | completed | failed | interrupted (its process died; the next sync resumed)
    error: str | None
    since: UtcTime | None
    pages: int
    fetched: int
    new: int
    updated: int
    unchanged: int
    quarantined: int
    skipped: int
    enriched_later: int
    unmapped_statuses: dict[str, int]
    cursor_before: UtcTime | None
    cursor_after: UtcTime | None


class SyncReportList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[SyncReportJson]


class SyncStarted(msgspec.Struct, frozen=True, kw_only=True):
    store_id: str
    status: str  # started
    reports: str  # where its report appears


class QuarantinedJson(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    channel_order_id: str | None
    error: str
    received_at: UtcTime
    sync_id: str | None
    raw: bytes  # the payload as received, base64


class QuarantineList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[QuarantinedJson]


class Limit(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 20
