"""The activity log: what happened to an order, when, and why."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec
from msgspec.structs import force_setattr

from ._time import require_utc


class ActivityKind(StrEnum):
    created = "created"
    updated = "updated"
    status_changed = "status_changed"
    cancelled = "cancelled"
    shipment_confirmed = "shipment_confirmed"
    notification_delivered = "notification_delivered"
    notification_failed = "notification_failed"
    accepted = "accepted"
    refused = "refused"
    note_changed = "note_changed"


class ActivityRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    order_id: str
    store_id: str
    kind: ActivityKind
    at: datetime
    detail: dict[str, Any] = {}

    def __post_init__(self) -> None:
        force_setattr(self, "at", require_utc(self.at, "at"))
