"""Write side of ``/seller/v2``: accept or refuse an order, and ship it with one parcel.

Choices where Octopia is silent (reference §4.6, §4.7, §8): approval answers ``204``; a shipment answers
``201`` with an empty body; a wrong status answers ``409`` when the order is already shipped or delivered
(so a client must read the order back before resending) and ``400`` otherwise; tracking numbers are capped
at 50 characters and URLs at 255, the legacy API's rules.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import msgspec
from aiohttp import web

from .carriers import match_label
from .orders import requested_order
from .problems import problem, validation_problem
from .state import STATE

Wire = dict[str, Any]
ONE_PARCEL = "Cdiscount only enables one parcel per complete order."
_CLOSED_LINE = frozenset({"Cancelled", "Refused", "Rejected"})


async def _json(request: web.Request) -> Any:
    try:
        return msgspec.json.decode(await request.read())
    except msgspec.DecodeError:
        return msgspec.UNSET


async def set_approval(request: web.Request) -> web.Response:
    state = request.app[STATE]
    order = requested_order(request)
    if isinstance(order, web.Response):
        return order
    order_id = order["orderId"]
    state.stats.approval_posts[order_id] += 1
    body = await _json(request)
    decision = body.get("approval_status") if isinstance(body, dict) else None
    if decision not in ("Accepted", "Refused"):
        return validation_problem({"approval_status": ['Send {"approval_status": "Accepted"} or "Refused".']})
    if order["status"] != "WaitingAcceptance":
        detail = f"Order {order_id} is {order['status']}: only WaitingAcceptance orders can be accepted or refused."
        return problem(409, detail, current_status=order["status"])
    # An accepted Cdiscount order passes Accepted and lands in InPreparation (Lengow, Nov 2025 change).
    state.store.set_status(order, "InPreparation" if decision == "Accepted" else "Refused")
    return web.Response(status=204)


def _parcel_errors(parcel: Any) -> tuple[dict[str, list[str]], str | None]:
    """Field errors of one parcel, and the referential label its ``carrierName`` designates."""
    if not isinstance(parcel, dict):
        return {"parcels": ["Each parcel is a JSON object."]}, None
    errors: dict[str, list[str]] = {}
    number = parcel.get("parcelNumber")
    if not isinstance(number, str) or not number.strip():
        errors["parcelNumber"] = ["parcelNumber (the tracking number) is required."]
    elif len(number.strip()) > 50:
        errors["parcelNumber"] = ["parcelNumber must be at most 50 characters."]
    name = parcel.get("carrierName")
    label = match_label(name) if isinstance(name, str) else None
    if label is None:
        errors["carrierName"] = [f"Unknown carrier {name!r}: use a label from GET /carriers."]
    url = parcel.get("trackingUrl")
    if url is not None:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            errors["trackingUrl"] = ["trackingUrl must be an http(s) URL."]
        elif len(url) > 255:
            errors["trackingUrl"] = ["trackingUrl must be at most 255 characters."]
    line_ids = parcel.get("orderLineIds")
    if line_ids is not None and not (isinstance(line_ids, list) and all(isinstance(i, str) for i in line_ids)):
        errors["orderLineIds"] = ["orderLineIds is a list of line id strings."]
    return errors, label


def _shipped_by_seller(line: Wire) -> bool:
    supply_mode = (line.get("offer") or {}).get("supplyMode", "Seller")
    return supply_mode == "Seller" and line.get("status") not in _CLOSED_LINE


async def create_shipment(request: web.Request) -> web.Response:
    state = request.app[STATE]
    order = requested_order(request)
    if isinstance(order, web.Response):
        return order
    order_id = order["orderId"]
    state.stats.shipment_posts[order_id] += 1
    body = await _json(request)
    if not isinstance(body, list) or not body:
        return validation_problem({"parcels": ["The body is a non-empty JSON array of parcels."]})
    if len(body) > 1:
        return validation_problem({"parcels": [ONE_PARCEL]}, detail=ONE_PARCEL)
    parcel = body[0]
    errors, label = _parcel_errors(parcel)
    if errors:
        return validation_problem(errors)
    status = order["status"]
    if status in ("Shipped", "Delivered"):
        return problem(
            409, f"Order {order_id} is already {status}; read it back to see its parcel.", current_status=status
        )
    if status != "InPreparation":
        return problem(
            400, f"Order {order_id} is {status}: only InPreparation orders can be shipped.", current_status=status
        )
    seller_lines = [ln for ln in order["lines"] if _shipped_by_seller(ln)]
    if not seller_lines:
        return problem(400, f"Order {order_id} has no line shipped by the seller (fulfilment orders ship themselves).")
    covered = parcel.get("orderLineIds")  # absent: the parcel covers the whole order
    if covered is not None and set(covered) != {ln["orderLineId"] for ln in seller_lines}:
        return validation_problem({"orderLineIds": [ONE_PARCEL]}, detail=ONE_PARCEL)
    shipped = {
        "parcelNumber": parcel["parcelNumber"].strip(),
        "carrierName": label,
        "trackingUrl": parcel.get("trackingUrl"),
    }
    for line in seller_lines:
        line.setdefault("parcels", []).append(dict(shipped))
        line["status"] = "Shipped"
    state.store.set_status(order, "Shipped", lines_too=False)
    state.stats.shipments_applied[order_id] += 1
    if state.faults.fires("shipment_timeout_after_apply", "shipments"):
        # Applied but the client never hears so: the outcome is ambiguous, as after a real timeout.
        knob = state.faults.knobs.shipment_timeout_after_apply
        await asyncio.sleep(knob.stall_s)
        return problem(knob.status, "The upstream service did not answer in time.")
    return web.Response(status=201)
