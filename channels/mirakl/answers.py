"""Wire types of Mirakl's other answers: order read-backs (OR11), carriers (SH21), shipments (ST01, ST11), errors.

As lenient as the order types (schemas.py): unknown fields ignored, everything optional.
"""

from __future__ import annotations

from typing import Any

import msgspec


class _Wire(msgspec.Struct, kw_only=True, gc=False):
    pass


class WireLineState(_Wire):
    order_line_id: str | None = None
    order_line_state: str | None = None
    quantity: Any = None


class WireOrderState(_Wire):
    """What a write reads back (OR11 ``order_ids=``): states and tracking, nothing that could fail to map."""

    order_id: str | None = None
    order_state: str | None = None
    shipping_tracking: str | None = None
    shipping_carrier_code: str | None = None
    shipping_company: str | None = None
    order_lines: list[WireLineState] | None = None


class WireOrderStates(_Wire):
    orders: list[WireOrderState] | None = None


class WireCarrier(_Wire):
    code: str | None = None
    label: str | None = None
    standard_code: str | None = None
    tracking_url: str | None = None  # template with ``{trackingId}`` (§8)


class WireCarriers(_Wire):
    carriers: list[WireCarrier] | None = None


class WireShipmentError(_Wire):
    order_id: str | None = None
    message: str | None = None


class WireShipmentResult(_Wire):
    """ST01 answers 201 with per-shipment errors beside the successes (§10)."""

    shipment_success: list[Any] | None = None
    shipment_errors: list[WireShipmentError] | None = None


class WireTracking(_Wire):
    tracking_number: str | None = None
    carrier_code: str | None = None
    carrier_name: str | None = None


class WireShipment(_Wire):
    order_id: str | None = None
    status: str | None = None
    tracking: WireTracking | None = None


class WireShipmentList(_Wire):
    """ST11: seek pagination (``data``, ``next_page_token``, §4)."""

    data: list[WireShipment] | None = None
    next_page_token: str | None = None


class WireError(_Wire):
    """Both error shapes (§12): classic ``{"status", "message"}`` and newer ``{"errors": [...]}``."""

    status: Any = None
    message: Any = None
    code: Any = None
    errors: Any = None
