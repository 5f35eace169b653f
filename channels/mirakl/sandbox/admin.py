"""Sandbox-only admin endpoints under ``/_sandbox/`` (no auth): faults, orders, the Shipments API switch, stats.

``GET|POST|DELETE /_sandbox/faults``  read / merge knobs (``{"rate_limit": {"count": 2}}``) / all off
``POST /_sandbox/orders``            ``{"generate": 5, "state"?, "relay"?, "recent"?}`` or ``{"order": {...}}``
``GET|POST /_sandbox/orders/{id}``   the stored order (hidden fields included) / change it the way the
                                     marketplace would: ``{"state"?, "malformed"?, "touch"?}``
``POST /_sandbox/shipments-api``     ``{"enabled": false}``: ST01 and ST11 answer 404 (multi-shipment off)
``GET /_sandbox/stats``              calls, per-order write counts, tracking, faults fired, states
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from aiohttp import web

from .faults import MALFORMATIONS
from .generator import STATE_WEIGHTS
from .render import error, json_reply
from .state import STATE
from .store import OrderRejected
from .visibility import shows_addresses

STATES = (*STATE_WEIGHTS, "WAITING_DEBIT")
Handler = Callable[[web.Request], Awaitable[web.Response]]


async def _body(request: web.Request) -> dict[str, Any] | web.Response:
    try:
        body = msgspec.json.decode(await request.read()) if request.body_exists else {}
    except msgspec.DecodeError as exc:
        return error(400, f"Body is not JSON: {exc}")
    return body if isinstance(body, dict) else error(400, "Body must be a JSON object")


def with_body(handler: Callable[[web.Request, dict[str, Any]], Awaitable[web.Response]]) -> Handler:
    """The handler gets the request's JSON object; anything else is answered 400 before it runs."""

    async def wrapped(request: web.Request) -> web.Response:
        body = await _body(request)
        return body if isinstance(body, web.Response) else await handler(request, body)

    return wrapped


async def get_faults(request: web.Request) -> web.Response:
    return json_reply(request.app[STATE].faults.knobs)


@with_body
async def set_faults(request: web.Request, body: dict[str, Any]) -> web.Response:
    state = request.app[STATE]
    try:
        state.faults.update(body)
    except (msgspec.ValidationError, ValueError) as exc:
        return error(400, f"Invalid fault knobs: {exc}")
    return json_reply(state.faults.knobs)


async def reset_faults(request: web.Request) -> web.Response:
    request.app[STATE].faults.reset()
    return json_reply(request.app[STATE].faults.knobs)


@with_body
async def add_orders(request: web.Request, body: dict[str, Any]) -> web.Response:
    state = request.app[STATE]
    if isinstance(order := body.get("order"), dict):
        order.setdefault("_addresses_shown", shows_addresses(state.operator, str(order.get("order_state"))))
        try:
            state.store.add(order)
        except OrderRejected as exc:
            return error(400, str(exc))
        return json_reply({"order_ids": [order["order_id"]]}, 201)
    count, wanted, relay = body.get("generate", 1), body.get("state"), body.get("relay")
    if not isinstance(count, int) or not 0 < count <= 10_000:
        return error(400, "generate: an integer between 1 and 10000")
    if wanted is not None and wanted not in STATES:
        return error(400, f"state: one of {', '.join(STATES)}")
    if relay is not None and not isinstance(relay, bool):
        return error(400, "relay: true or false")
    created = state.generate(count, state=wanted, relay=relay, recent=bool(body.get("recent", True)))
    return json_reply({"order_ids": [o["order_id"] for o in created]}, 201)


async def get_order(request: web.Request) -> web.Response:
    order = request.app[STATE].store.get(request.match_info["order_id"])
    return json_reply(order) if order is not None else error(404, "No such order")


@with_body
async def update_order(request: web.Request, body: dict[str, Any]) -> web.Response:
    """Change an order the way the marketplace would (debit done, buyer cancels), bumping its update date."""
    state = request.app[STATE]
    order = state.store.get(request.match_info["order_id"])
    if order is None:
        return error(404, "No such order")
    wanted, malformed = body.get("state"), body.get("malformed")
    if wanted is not None and wanted not in STATES:
        return error(400, f"state: one of {', '.join(STATES)}")
    if malformed not in (None, False, *MALFORMATIONS):
        return error(400, f"malformed: one of {', '.join(MALFORMATIONS)}, or false")
    if malformed:
        state.faults.malformed[order["order_id"]] = malformed
    elif malformed is False:
        state.faults.malformed.pop(order["order_id"], None)
    if wanted is not None:
        state.store.set_state(order, wanted)
        order["_addresses_shown"] = order.get("_addresses_shown") or shows_addresses(state.operator, wanted)
    elif body.get("touch", True):
        state.store.touch(order)
    return json_reply(order)


@with_body
async def shipments_api(request: web.Request, body: dict[str, Any]) -> web.Response:
    state = request.app[STATE]
    if not isinstance(body.get("enabled"), bool):
        return error(400, "enabled: true or false")
    state.shipments_api = body["enabled"]
    return json_reply({"enabled": state.shipments_api})


async def stats(request: web.Request) -> web.Response:
    return json_reply(request.app[STATE].snapshot())


def add_admin_routes(app: web.Application) -> None:
    router = app.router
    router.add_get("/_sandbox/faults", get_faults, name="admin.faults")
    router.add_post("/_sandbox/faults", set_faults, name="admin.faults.set")
    router.add_delete("/_sandbox/faults", reset_faults, name="admin.faults.reset")
    router.add_post("/_sandbox/orders", add_orders, name="admin.orders.add")
    router.add_get("/_sandbox/orders/{order_id}", get_order, name="admin.orders.get")
    router.add_post("/_sandbox/orders/{order_id}", update_order, name="admin.orders.update")
    router.add_post("/_sandbox/shipments-api", shipments_api, name="admin.shipments_api")
    router.add_get("/_sandbox/stats", stats, name="admin.stats")
