"""The activity log: what happened to an order, when, and why."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec.structs import force_setattr

from ._time import require_utc

if TYPE_CHECKING:
    from .orders import Order
    from .shipments import Shipment


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

    @classmethod
    def for_order(
        cls, order: Order, kind: ActivityKind, at: datetime, detail: dict[str, Any] | None = None, *, id: str
    ) -> ActivityRecord:
        """A record of what happened to ``order`` (``id``: a new id, ``new_id()`` of the services)."""
        return cls(id=id, order_id=order.id, store_id=order.store_id, kind=kind, at=at, detail=detail or {})

    @classmethod
    def for_shipment(
        cls, shipment: Shipment, kind: ActivityKind, at: datetime, detail: dict[str, Any] | None = None, *, id: str
    ) -> ActivityRecord:
        """A record of what happened to ``shipment``, on its order's log. Its detail names the shipment
        first: that is how events tell a shipment's records from the order's (``publish_events``)."""
        return cls(
            id=id,
            order_id=shipment.order_id,
            store_id=shipment.store_id,
            kind=kind,
            at=at,
            detail={"shipment": shipment.id, **(detail or {})},
        )
