"""The Shipments API (ST01 create, ST11 list; 404 when the operator has it off) and SH21/SH12 reference lists."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from aiohttp import web

from .clock import iso
from .render import error, errors, json_reply
from .state import STATE, SandboxState

Wire = dict[str, Any]
MAX_SHIPMENTS = 1000  # per call (§3)


class Refused(ValueError):
    """One shipment of the batch is refused; the others go on (errors per item in a 2xx body, §10)."""


async def create_shipments(request: web.Request) -> web.Response:
    state = request.app[STATE]
    if not state.shipments_api:
        # Mirakl's own connector reads this as "multi-shipment is probably disabled" and falls back (§10).
        return error(404, "Not Found")
    try:
        body = msgspec.json.decode(await request.read())
    except msgspec.DecodeError as exc:
        return errors(400, [("VALIDATION_ERROR", f"Invalid JSON body: {exc}")])
    items = body.get("shipments") if isinstance(body, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_SHIPMENTS:
        return errors(400, [("VALIDATION_ERROR", f"shipments must hold 1 to {MAX_SHIPMENTS} shipments")])
    success: list[Wire] = []
    failed: list[Wire] = []
    for item in items:
        order_id = item.get("order_id") if isinstance(item, dict) else None
        try:
            success.append(_create(state, item))
        except Refused as exc:
            failed.append({"order_id": order_id, "message": str(exc)})
    return json_reply({"shipment_success": success, "shipment_errors": failed}, 201)


def _tracking(state: SandboxState, tracking: Any) -> Wire:
    if not isinstance(tracking, dict) or not isinstance(tracking.get("tracking_number"), str):
        raise Refused("tracking.tracking_number is mandatory")
    code, name = tracking.get("carrier_code"), tracking.get("carrier_name")
    if code is not None:
        carrier = next((c for c in state.operator.carriers if c.code == code), None)
        if carrier is None:
            raise Refused(f"Carrier with code '{code}' does not exist")
        return {"carrier_code": code, "carrier_name": carrier.label, "tracking_number": tracking["tracking_number"]}
    if not isinstance(name, str) or not name.strip():
        raise Refused("tracking.carrier_code or tracking.carrier_name is mandatory")
    if state.operator.unlisted_needs_url and not tracking.get("tracking_url"):
        raise Refused("tracking.tracking_url is mandatory for a carrier the marketplace has not vetted")
    return {
        "carrier_name": name,
        "tracking_number": tracking["tracking_number"],
        "tracking_url": tracking.get("tracking_url"),
    }


def _create(state: SandboxState, item: Any) -> Wire:
    order = state.store.get(item.get("order_id") or "") if isinstance(item, dict) else None
    if order is None:
        raise Refused("Order not found")
    state.stats.received_call("shipments.create", order["order_id"])
    if order["order_state"] != "SHIPPING":
        raise Refused("Order is not in the expected state for this operation")
    lines = {ln["order_line_id"]: ln for ln in order["order_lines"]}
    shipped: dict[str, int] = order.setdefault("_shipped", {})
    wanted = item.get("shipment_lines")
    if not isinstance(wanted, list) or not wanted:
        raise Refused("shipment_lines is mandatory")
    for entry in wanted:
        line = lines.get(entry.get("order_line_id")) if isinstance(entry, dict) else None
        quantity = entry.get("quantity") if isinstance(entry, dict) else None
        if line is None or line["order_line_state"] != "SHIPPING":
            raise Refused(f"Order line {entry!r} cannot be shipped")
        if not isinstance(quantity, int) or not 0 < quantity <= line["quantity"] - shipped.get(
            line["order_line_id"], 0
        ):
            raise Refused(f"Quantity {quantity!r} exceeds what is left to ship on {line['order_line_id']}")
    tracking = _tracking(state, item.get("tracking"))
    now = iso(state.clock.now())
    done = bool(item.get("shipped"))
    for entry in wanted:
        line_id = entry["order_line_id"]
        shipped[line_id] = shipped.get(line_id, 0) + entry["quantity"]
        if done and shipped[line_id] >= lines[line_id]["quantity"]:
            lines[line_id]["order_line_state"], lines[line_id]["shipped_date"] = "SHIPPED", now
    if all(ln["order_line_state"] in ("SHIPPED", "REFUSED", "CANCELED") for ln in order["order_lines"]):
        order["order_state"] = "SHIPPED"
    order["shipping_tracking"] = tracking["tracking_number"]
    order["shipping_carrier_code"] = tracking.get("carrier_code")
    order["shipping_company"] = tracking.get("carrier_name")
    state.store.touch(order)
    state.stats.applied_call("shipments.create", order["order_id"])
    shipment = {
        "id": str(uuid.uuid4()),
        "order_id": order["order_id"],
        "status": "SHIPPED" if done else "SHIPPING",
        "shipment_lines": wanted,
        "tracking": tracking,
        "created_date": now,
        "last_updated_date": now,
    }
    state.shipments.append(shipment)
    return shipment


async def list_shipments(request: web.Request) -> web.Response:
    """ST11, seek-paginated; the sandbox answers everything in one page."""
    state = request.app[STATE]
    if not state.shipments_api:
        return error(404, "Not Found")
    wanted = set(request.query.getall("order_id", []))
    data = [s for s in state.shipments if not wanted or s["order_id"] in wanted]
    return json_reply({"data": data, "next_page_token": None, "previous_page_token": None})


async def carriers(request: web.Request) -> web.Response:
    """SH21, sorted by label (§8)."""
    listed = sorted(request.app[STATE].operator.carriers, key=lambda c: c.label)
    return json_reply({"carriers": [{**msgspec.to_builtins(c), "standard_code": None} for c in listed]})


async def shipping_types(request: web.Request) -> web.Response:
    """SH12."""
    types = request.app[STATE].operator.shipping_types
    return json_reply(
        {
            "shipping_types": [
                {
                    "code": t.code,
                    "label": t.label,
                    "description": None,
                    "standard_code": None,
                    "click_and_collect": t.click_and_collect,
                    "delivery_by_operator": False,
                    "mandatory_tracking": t.mandatory_tracking,
                }
                for t in types
            ]
        }
    )
