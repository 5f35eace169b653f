"""A shipment the seller confirmed, and whether the marketplace has heard of it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec
from msgspec.structs import force_setattr

from ._time import optional_utc, require_utc
from .money import Money


class NotificationStatus(StrEnum):
    pending = "pending"  # queued or being retried
    delivered = "delivered"  # the channel accepted it (or already had it)
    failed = "failed"  # last attempt failed; another is scheduled
    dead = "dead"  # gave up after the retry budget or a permanent refusal; retry by hand


class NotificationState(msgspec.Struct, frozen=True, kw_only=True):
    status: NotificationStatus = NotificationStatus.pending
    attempts: int = 0
    last_error: str | None = None
    last_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    sent: dict[str, str] = {}  # exactly what the channel received
    not_sent: tuple[str, ...] = ()  # fields the channel has no place for (e.g. notes_to_buyer on Cdiscount)

    def __post_init__(self) -> None:
        force_setattr(self, "last_attempt_at", optional_utc(self.last_attempt_at, "last_attempt_at"))
        force_setattr(self, "delivered_at", optional_utc(self.delivered_at, "delivered_at"))


class ShipmentLine(msgspec.Struct, frozen=True, kw_only=True):
    channel_line_id: str
    quantity: int

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise ValueError(f"shipment line {self.channel_line_id}: quantity must be positive")


class Shipment(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    order_id: str
    store_id: str
    carrier: str  # the platform's carrier code (``colissimo``) or a channel label
    service: str | None = None
    tracking_number: str
    tracking_url: str | None = None
    carrier_fee: Money | None = None
    notes_to_buyer: str | None = None
    shipped_at: datetime
    created_at: datetime
    lines: tuple[ShipmentLine, ...] = ()
    notification: NotificationState = NotificationState()

    def __post_init__(self) -> None:
        force_setattr(self, "shipped_at", require_utc(self.shipped_at, "shipped_at"))
        force_setattr(self, "created_at", require_utc(self.created_at, "created_at"))
        if not self.tracking_number.strip():
            raise ValueError("tracking number cannot be empty")
