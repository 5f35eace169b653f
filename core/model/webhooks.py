"""Webhook subscriptions: where an account wants to hear about its orders and shipments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec
from msgspec.structs import force_setattr

from ._time import require_utc
from .masking import masked_repr, masked_rich_repr, url_for_display


class WebhookEvent(StrEnum):
    order_created = "order.created"
    order_updated = "order.updated"
    order_status_changed = "order.status_changed"
    order_cancelled = "order.cancelled"
    shipment_notified = "shipment.notified"
    shipment_failed = "shipment.failed"


class WebhookSubscription(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    account_id: str
    url: str
    secret: str  # signs each delivery (HMAC-SHA256); encrypted at rest, shown once at creation
    events: tuple[WebhookEvent, ...]
    active: bool = True
    created_at: datetime

    def __post_init__(self) -> None:
        force_setattr(self, "created_at", require_utc(self.created_at, "created_at"))
        if not self.url.startswith(("https://", "http://")):
            raise ValueError("webhook url must be http(s)")
        if not self.events:
            raise ValueError("a webhook subscription needs at least one event")

    # Neither the signing secret nor the URL's query string (receivers put tokens there) is ever shown.
    __secret_fields__ = frozenset({"secret"})
    __shown_as__ = {"url": url_for_display}
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr
