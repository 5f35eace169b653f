"""Orders: list with filters and keyset pages, read, internal notes, activity, accept and refuse."""

from __future__ import annotations

from aiohttp import web

from portside.core.errors import Conflict
from portside.core.model import DecisionPayload, payload_of
from portside.core.services.acceptance import decide_order
from portside.core.services.order_listing import OrderFilter, list_orders
from portside.core.services.order_notes import set_internal_notes
from portside.core.services.tenancy import owned_order

from ..decoding import read_json, read_query
from ..pagination import decode_cursor, encode_cursor
from ..project import project
from ..respond import json_response
from ..routing import Body, Operation, Reply
from ..schemas.orders import (
    AcceptBody,
    ActivityJson,
    ActivityList,
    DecisionJson,
    OrderJson,
    OrderList,
    OrderPatch,
    OrderQueryParams,
    RefuseBody,
)
from ..state import PORTSIDE, account_id
from ..views import order_json


async def list_orders_route(request: web.Request) -> web.Response:
    query = read_query(request, OrderQueryParams)
    after = decode_cursor(query.cursor) if query.cursor is not None else None
    filters = OrderFilter(
        store_id=query.store_id,
        statuses=tuple(query.status) if query.status else None,
        modified_since=query.updated_since,
        pickup_carrier=query.pickup_carrier,
    )
    page = await list_orders(
        account_id(request), filters, uow=request.app[PORTSIDE].uow, limit=query.limit, after=after
    )
    items = [order_json(r.order, modified_at=r.modified_at) for r in page.records]
    cursor = None if page.next_after is None else encode_cursor(page.next_after)
    return json_response(OrderList(items=items, next_cursor=cursor))


async def get_order(request: web.Request) -> web.Response:
    async with request.app[PORTSIDE].uow() as u:
        record = await owned_order(u, account_id(request), request.match_info["id"])
    return json_response(order_json(record.order, modified_at=record.modified_at))


async def patch_order(request: web.Request) -> web.Response:
    app = request.app[PORTSIDE]
    async with app.uow() as u:  # 404 before 422
        await owned_order(u, account_id(request), request.match_info["id"])
    body = await read_json(request, OrderPatch)
    record = await set_internal_notes(
        account_id(request), request.match_info["id"], body.internal_notes, uow=app.uow, clock=app.clock
    )
    return json_response(order_json(record.order, modified_at=record.modified_at))


async def order_activity(request: web.Request) -> web.Response:
    async with request.app[PORTSIDE].uow() as u:
        record = await owned_order(u, account_id(request), request.match_info["id"])
        found = await u.activity.list_for_order(record.order.id)
    items = [project(ActivityJson, a, detail=dict(a.detail)) for a in found]
    return json_response(ActivityList(items=items))


async def _decide(request: web.Request, *, accept: bool) -> web.Response:
    app = request.app[PORTSIDE]
    async with app.uow() as u:  # 404 before 422
        record = await owned_order(u, account_id(request), request.match_info["id"])
    body = await read_json(request, AcceptBody if accept else RefuseBody, optional=True)
    reason = body.reason if isinstance(body, RefuseBody) else None
    store = await app.store(record.order.store_id)
    bundle = app.channels.bundle_for(store)  # the store's own: one Mirakl marketplace accepts, another does not
    if not bundle.capabilities.acceptance:
        raise Conflict(
            f"store {store.name!r} is on a marketplace that accepts its orders itself (automatic acceptance): "
            f"there is nothing to accept or refuse; ship order {record.order.channel_order_id} once it is "
            "awaiting_shipment"
        )
    message = await decide_order(
        record.order.id,
        accept=accept,
        reason=reason,
        uow=app.uow,
        clock=app.clock,
        acceptance_supported=bundle.capabilities.acceptance,
    )
    decision = "accept" if payload_of(message, DecisionPayload).accept else "refuse"
    body = DecisionJson(
        order_id=record.order.id, decision=decision, delivery=message.status.value, message_id=message.id
    )
    return json_response(body, status=202)


async def accept_order(request: web.Request) -> web.Response:
    return await _decide(request, accept=True)


async def refuse_order(request: web.Request) -> web.Response:
    return await _decide(request, accept=False)


def operations() -> list[Operation]:
    one = {200: Reply("the order", OrderJson)}
    decided = {202: Reply("the decision, queued for the marketplace (a repeat finds the first)", DecisionJson)}
    decide_doc = (
        "Only for orders awaiting acceptance, on stores whose marketplace takes the seller's decision "
        "(not where acceptance is automatic, e.g. Decathlon on Mirakl); otherwise 409."
    )
    return [
        Operation(
            "GET",
            "/v1/orders",
            list_orders_route,
            "listOrders",
            "List orders",
            "orders",
            {200: Reply("a page of orders, oldest change first", OrderList)},
            description="Keyset pages in the order portside last changed them (modified_at, id): follow "
            "next_cursor until it is null; no order is skipped or repeated while you page.",
            query=OrderQueryParams,
            problems=(404,),
        ),
        Operation("GET", "/v1/orders/{id}", get_order, "getOrder", "Read an order", "orders", one),
        Operation(
            "PATCH",
            "/v1/orders/{id}",
            patch_order,
            "updateOrder",
            "Set the internal notes",
            "orders",
            one,
            description="The seller's notes: kept by every sync, recorded in the activity as note_changed.",
            body=Body(OrderPatch),
        ),
        Operation(
            "GET",
            "/v1/orders/{id}/activity",
            order_activity,
            "getOrderActivity",
            "What happened to an order",
            "orders",
            {200: Reply("activity, oldest first", ActivityList)},
        ),
        Operation(
            "POST",
            "/v1/orders/{id}/accept",
            accept_order,
            "acceptOrder",
            "Accept an order",
            "orders",
            decided,
            description=decide_doc,
            body=Body(AcceptBody, required=False),
            problems=(409, 503),
        ),
        Operation(
            "POST",
            "/v1/orders/{id}/refuse",
            refuse_order,
            "refuseOrder",
            "Refuse an order",
            "orders",
            decided,
            description=decide_doc,
            body=Body(RefuseBody, required=False),
            problems=(409, 503),
        ),
    ]
