"""Sandbox-only admin endpoints under ``/_sandbox/`` (no auth): faults, orders, statistics.

``POST /_sandbox/faults``      merge knobs, e.g. ``{"rate_limit": {"count": 2, "retry_after_s": 1}}``
``GET|DELETE /_sandbox/faults`` read the knobs / switch every fault off
``POST /_sandbox/orders``      ``{"generate": 5, "status"?, "delivery"?, "recent"?}`` or ``{"order": {...}}``
``GET|POST /_sandbox/orders/{orderId}`` the stored order (hidden fields included) / change it:
                               ``{"status"?: "Cancelled", "cancel_lines"?: ["2"], "malformed"?: "lines_as_object"}``
``GET /_sandbox/stats``        counters (tokens, calls, shipment POSTs and parcels per order, faults fired)
"""

from __future__ import annotations

from typing import Any

import msgspec
from aiohttp import web

from .faults import MALFORMATIONS
from .generator import DELIVERIES, STATUSES
from .problems import json_response, problem, validation_problem
from .state import STATE
from .store import OrderRejected


async def _body(request: web.Request) -> dict[str, Any] | web.Response:
    try:
        body = msgspec.json.decode(await request.read()) if request.body_exists else {}
    except msgspec.DecodeError as exc:
        return problem(400, f"Body is not JSON: {exc}")
    return body if isinstance(body, dict) else problem(400, "Body must be a JSON object.")


async def get_faults(request: web.Request) -> web.Response:
    return json_response(request.app[STATE].faults.knobs)


async def set_faults(request: web.Request) -> web.Response:
    state = request.app[STATE]
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    try:
        state.faults.update(body)
    except (msgspec.ValidationError, ValueError) as exc:
        return problem(400, f"Invalid fault knobs: {exc}")
    return json_response(state.faults.knobs)


async def reset_faults(request: web.Request) -> web.Response:
    state = request.app[STATE]
    state.faults.reset()
    return json_response(state.faults.knobs)


async def add_orders(request: web.Request) -> web.Response:
    state = request.app[STATE]
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    if isinstance(order := body.get("order"), dict):
        try:
            state.store.add(order)
        except OrderRejected as exc:
            return problem(400, str(exc))
        return json_response({"order_ids": [order["orderId"]]}, status=201)
    count, status, delivery = body.get("generate", 1), body.get("status"), body.get("delivery")
    errors: dict[str, list[str]] = {}
    if not isinstance(count, int) or not 0 < count <= 10_000:
        errors["generate"] = ["an integer between 1 and 10000"]
    if status is not None and status not in STATUSES:
        errors["status"] = [f"one of {', '.join(STATUSES)}"]
    if delivery is not None and delivery not in DELIVERIES:
        errors["delivery"] = [f"one of {', '.join(DELIVERIES)}"]
    if errors:
        return validation_problem(errors)
    created = state.generate(count, status=status, delivery=delivery, recent=bool(body.get("recent", True)))
    return json_response({"order_ids": [o["orderId"] for o in created]}, status=201)


async def get_order(request: web.Request) -> web.Response:
    order = request.app[STATE].store.get(request.match_info["orderId"])
    return json_response(order) if order is not None else problem(404, "No such order.")


async def update_order(request: web.Request) -> web.Response:
    """Change an order the way the marketplace would (buyer cancels, controls pass), bumping ``updatedAt``."""
    state = request.app[STATE]
    order = state.store.get(request.match_info["orderId"])
    body = await _body(request)
    if order is None or isinstance(body, web.Response):
        return body if isinstance(body, web.Response) else problem(404, "No such order.")
    status, cancel_lines, malformed = body.get("status"), body.get("cancel_lines") or [], body.get("malformed")
    line_ids = {line.get("orderLineId") for line in order["lines"]}
    errors: dict[str, list[str]] = {}
    if status is not None and status not in STATUSES:
        errors["status"] = [f"one of {', '.join(STATUSES)}"]
    if not isinstance(cancel_lines, list) or not set(cancel_lines) <= line_ids:
        errors["cancel_lines"] = [f"line ids among {sorted(map(str, line_ids))}"]
    if malformed not in (None, False, *MALFORMATIONS):
        errors["malformed"] = [f"one of {', '.join(MALFORMATIONS)}, or false"]
    if errors:
        return validation_problem(errors)
    for line in order["lines"]:
        if line.get("orderLineId") in cancel_lines:
            line["status"] = "Cancelled"
    if malformed:
        state.faults.malformed[order["orderId"]] = malformed
    elif malformed is False:
        state.faults.malformed.pop(order["orderId"], None)
    if status is not None:
        state.store.set_status(order, status)
    else:
        state.store.touch(order)
    return json_response(order)


async def stats(request: web.Request) -> web.Response:
    return json_response(request.app[STATE].snapshot())


def add_admin_routes(app: web.Application) -> None:
    router = app.router
    router.add_get("/_sandbox/faults", get_faults, name="admin.faults")
    router.add_post("/_sandbox/faults", set_faults, name="admin.faults.set")
    router.add_delete("/_sandbox/faults", reset_faults, name="admin.faults.reset")
    router.add_post("/_sandbox/orders", add_orders, name="admin.orders.add")
    router.add_get("/_sandbox/orders/{orderId}", get_order, name="admin.orders.get")
    router.add_post("/_sandbox/orders/{orderId}", update_order, name="admin.orders.update")
    router.add_get("/_sandbox/stats", stats, name="admin.stats")
