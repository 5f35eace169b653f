"""OR11 list, OR21 accept, OR23 tracking and OR24 ship, as an operator's Mirakl instance answers them."""

from __future__ import annotations

from typing import Any

import msgspec
from aiohttp import web

from .clock import iso
from .faults import MALFORMATIONS
from .query import QueryError, page, parse, select
from .render import error, json_reply, wire_view
from .state import STATE, SandboxState
from .visibility import shows_addresses

Wire = dict[str, Any]
Target = tuple[SandboxState, Wire, dict[str, Any]]
INVALID_STATE = "ORDER_INVALID_STATE: Order is not in the expected state for this operation"


async def list_orders(request: web.Request) -> web.Response:
    state = request.app[STATE]
    config = state.config
    try:
        query = parse(request.query, max_page=config.max_page, widening_s=config.window_widening_s)
    except QueryError as exc:
        return error(400, str(exc))
    selected = select(state.store.all(), query)
    shown = page(selected, query)
    faults = state.faults
    if query.offset > 0 and faults.fires("update_while_paging", "orders.list"):
        # An order the client already read changes now: this sync has its old view, the next sync the new.
        moved = faults.pick([o["order_id"] for o in selected[: query.offset]])
        state.store.touch(state.store.get(moved) or {})
        state.stats.moved_while_paging.append(moved)
    fresh = [o["order_id"] for o in shown if o["order_id"] not in faults.malformed]
    if fresh and faults.fires("malformed_order", "orders.list"):
        faults.malformed[faults.pick(fresh)] = faults.pick(MALFORMATIONS)
    views = [wire_view(o, faults.malformed.get(o["order_id"])) for o in shown]
    return json_reply({"orders": views, "total_count": len(selected)})


async def _target(request: web.Request, endpoint: str, wanted: str, *, json_body: bool = True) -> Target | web.Response:
    """The order a write names (404 when unknown, ORDER_INVALID_STATE unless in ``wanted``) and its JSON
    body; the call is counted either way."""
    state = request.app[STATE]
    order_id = request.match_info["order_id"]
    order = state.store.get(order_id)
    if order is None:
        return error(404, f"Order with id '{order_id}' not found")
    state.stats.received_call(endpoint, order_id)
    if order["order_state"] != wanted:
        return error(400, INVALID_STATE)
    if not json_body:
        return state, order, {}
    try:
        body = msgspec.json.decode(await request.read())
    except msgspec.DecodeError as exc:
        return error(400, f"Invalid JSON body: {exc}")
    return (state, order, body) if isinstance(body, dict) else error(400, "The body must be a JSON object")


async def accept(request: web.Request) -> web.StreamResponse:
    """OR21: every line waiting for acceptance must get a decision (§7)."""
    target = await _target(request, "orders.accept", "WAITING_ACCEPTANCE")
    if isinstance(target, web.Response):
        return target
    state, order, body = target
    decisions = body.get("order_lines")
    if not isinstance(decisions, list) or not all(
        isinstance(d, dict) and isinstance(d.get("id"), str) and isinstance(d.get("accepted"), bool) for d in decisions
    ):
        return error(400, "ORDER_LINE_NULL_ELEMENT: order_lines must be a list of {id, accepted}")
    ids = [d["id"] for d in decisions]
    waiting = {ln["order_line_id"] for ln in order["order_lines"] if ln["order_line_state"] == "WAITING_ACCEPTANCE"}
    if len(set(ids)) != len(ids):
        return error(400, "ORDER_LINE_DUPLICATE_ID: an order line appears twice")
    if unknown := set(ids) - waiting:
        return error(400, f"ORDER_LINE_NOT_FOUND: {', '.join(sorted(unknown))}")
    if waiting - set(ids):
        return error(
            400, "ORDER_LINE_ACCEPTANCE_DECISION_MISSING: Some order lines are missing from the acceptance decision"
        )
    verdicts = {d["id"]: d["accepted"] for d in decisions}
    if len(set(verdicts.values())) > 1 and not state.config.partial_acceptance:
        return error(400, "ORDER_PARTIAL_ACCEPTANCE_DISABLED: Partial acceptance is disabled for this shop")
    for line in order["order_lines"]:
        if line["order_line_id"] in verdicts:
            line["order_line_state"] = "SHIPPING" if verdicts[line["order_line_id"]] else "REFUSED"
    new_state = "SHIPPING" if any(verdicts.values()) else "REFUSED"
    order["order_state"] = new_state
    order["acceptance_decision_date"] = iso(state.clock.now())
    order["_addresses_shown"] = order.get("_addresses_shown") or shows_addresses(state.operator, new_state)
    state.store.touch(order)
    state.stats.applied_call("orders.accept", order["order_id"])
    return web.Response(status=204)


async def tracking(request: web.Request) -> web.StreamResponse:
    """OR23: a listed carrier by ``carrier_code``, another by ``carrier_name`` (+ ``carrier_url``) (§9)."""
    target = await _target(request, "orders.tracking", "SHIPPING")
    if isinstance(target, web.Response):
        return target
    state, order, body = target
    number, code, name, url = (body.get(k) for k in ("tracking_number", "carrier_code", "carrier_name", "carrier_url"))
    if not isinstance(number, str) or not number.strip():
        return error(400, "tracking_number is mandatory")
    if code is not None:
        carrier = next((c for c in state.operator.carriers if c.code == code), None)
        if carrier is None:
            return error(400, f"Carrier with code '{code}' does not exist")
        order["shipping_carrier_code"], order["shipping_company"] = carrier.code, carrier.label
        template = carrier.tracking_url
        order["shipping_tracking_url"] = template.replace("{trackingId}", number) if template else None
    elif isinstance(name, str) and name.strip():
        if state.operator.unlisted_needs_url and not url:
            return error(400, "carrier_url is mandatory for a carrier the marketplace has not vetted")
        order["shipping_carrier_code"], order["shipping_company"], order["shipping_tracking_url"] = None, name, url
    else:
        return error(400, "carrier_code is mandatory for a registered carrier, carrier_name for another")
    order["shipping_tracking"] = number
    state.store.touch(order)
    state.stats.applied_call("orders.tracking", order["order_id"])
    return web.Response(status=204)


async def ship(request: web.Request) -> web.StreamResponse:
    """OR24: no body, ``Content-Length: 0`` mandatory (§2, §9); tracking first where the type demands it."""
    if request.headers.get("Content-Length") is None:
        return error(411, "The Content-Length header must be present with value 0")
    if await request.read():
        return error(400, "OR24 takes no body")
    target = await _target(request, "orders.ship", "SHIPPING", json_body=False)
    if isinstance(target, web.Response):
        return target
    state, order, _ = target
    kind = next((t for t in state.operator.shipping_types if t.code == order.get("shipping_type_code")), None)
    if (kind is None or kind.mandatory_tracking) and not order.get("shipping_tracking"):
        return error(400, "Tracking details are mandatory for this shipping method")
    now = iso(state.clock.now())
    for line in order["order_lines"]:
        if line.get("order_line_state") == "SHIPPING":
            line["order_line_state"], line["shipped_date"] = "SHIPPED", now
    order["order_state"] = "SHIPPED"
    state.store.touch(order)
    state.stats.applied_call("orders.ship", order["order_id"])
    return web.Response(status=204)
