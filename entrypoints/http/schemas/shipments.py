"""The shipment JSON (public, like the order's) and the request that confirms one."""

from __future__ import annotations

from typing import Annotated

import msgspec

from portside.core.model import NotificationStatus

from .common import MoneyJson, UtcTime

Short = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class ShipmentLineJson(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    channel_line_id: Short
    quantity: Annotated[int, msgspec.Meta(ge=1)]


class NotificationJson(msgspec.Struct, frozen=True, kw_only=True):
    status: NotificationStatus  # pending | delivered | failed (retrying) | dead (retry by hand)
    attempts: int
    last_error: str | None
    last_attempt_at: UtcTime | None
    delivered_at: UtcTime | None
    sent: dict[str, str]  # exactly what the marketplace received
    not_sent: list[str]  # shipment fields the marketplace has no place for


class ShipmentJson(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    order_id: str
    store_id: str
    carrier: str
    service: str | None
    tracking_number: str
    tracking_url: str | None
    carrier_fee: MoneyJson | None
    notes_to_buyer: str | None
    shipped_at: UtcTime
    created_at: UtcTime
    lines: list[ShipmentLineJson]
    notification: NotificationJson


class ShipmentList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ShipmentJson]


class ShipmentCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    carrier: Annotated[str, msgspec.Meta(min_length=1, max_length=100, description="platform code or channel name")]
    tracking_number: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    service: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    tracking_url: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    carrier_fee: MoneyJson | None = None
    notes_to_buyer: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    shipped_at: UtcTime | None = None  # default: now
    lines: list[ShipmentLineJson] | None = None  # default: every line still to ship
