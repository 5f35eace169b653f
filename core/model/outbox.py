"""Outbox messages: work for the outside world, written in the same transaction as its cause."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec
from msgspec.structs import force_setattr

from ._time import optional_utc, require_utc


class OutboxKind(StrEnum):
    ship_notification = "ship_notification"
    acceptance = "acceptance"
    webhook = "webhook"


class OutboxStatus(StrEnum):
    pending = "pending"
    in_flight = "in_flight"  # claimed by a relay; if its lease expires the outcome is unknown
    delivered = "delivered"
    dead = "dead"


class OutboxMessage(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    kind: OutboxKind
    store_id: str | None
    subject_id: str  # shipment id, order id, or webhook delivery id
    payload: dict[str, Any] = {}
    status: OutboxStatus = OutboxStatus.pending
    attempts: int = 0
    available_at: datetime
    created_at: datetime
    last_error: str | None = None
    # The last attempt may have reached the channel (timeout, 5xx after sending, crash while in
    # flight): ask the channel before sending again, so it never sees a duplicate.
    outcome_unknown: bool = False
    lease_owner: str | None = None
    lease_until: datetime | None = None
    delivered_at: datetime | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "available_at", require_utc(self.available_at, "available_at"))
        force_setattr(self, "created_at", require_utc(self.created_at, "created_at"))
        force_setattr(self, "lease_until", optional_utc(self.lease_until, "lease_until"))
        force_setattr(self, "delivered_at", optional_utc(self.delivered_at, "delivered_at"))
