"""Read side of ``/seller/v2``: list, count and fetch orders, and the carrier referential.

``itemsPerPage`` is the number of items in the page returned (the Octopia sample shows 1 for a one-order
answer to ``pageSize=100``), so a client stops on a page shorter than its ``pageSize``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from multidict import MultiDict, MultiMapping

from .carriers import carriers_body
from .faults import MALFORMATIONS
from .problems import json_response, problem, validation_problem
from .query import OrderQuery, QueryError, page, parse_query, select
from .state import STATE, SandboxState
from .wire import order_view

Wire = dict[str, Any]


def _query(request: web.Request, state: SandboxState, *, paged: bool) -> OrderQuery | web.Response:
    params: MultiMapping[str] = request.query
    if not paged:  # /orders/count takes the filters; paging parameters mean nothing there
        params = MultiDict((k, v) for k, v in request.query.items() if k not in ("pageIndex", "pageSize"))
    try:
        return parse_query(
            params, page_size_max=state.config.page_size_max, page_size_default=state.config.page_size_default
        )
    except QueryError as exc:
        return validation_problem(exc.errors)


def _move_an_earlier_order(state: SandboxState, selected: list[Wire], query: OrderQuery) -> None:
    """The ``update_while_paging`` fault: an order the client already read changes, and moves later.

    Offset paging then shifts every later order one place up, so the first order of the page about to
    be read slides onto a page the client has already seen; only an overlap or a re-sync catches it.
    """
    earlier = selected[: (query.page_index - 1) * query.page_size]
    if not earlier:
        return
    moved = state.store.get(state.faults.choice([o["orderId"] for o in earlier]))
    if moved is not None:
        state.store.touch(moved)
        state.stats.moved_while_paging.append(moved["orderId"])


def _malform_one(state: SandboxState, items: list[Wire]) -> None:
    healthy = [o["orderId"] for o in items if o["orderId"] not in state.faults.malformed]
    if healthy:
        state.faults.malformed[state.faults.choice(healthy)] = state.faults.choice(MALFORMATIONS)


async def list_orders(request: web.Request) -> web.Response:
    state = request.app[STATE]
    query = _query(request, state, paged=True)
    if isinstance(query, web.Response):
        return query
    selected = select(state.store.all(), query)
    if query.page_index > 1 and state.faults.fires("update_while_paging", "orders.list"):
        _move_an_earlier_order(state, selected, query)
        selected = select(state.store.all(), query)
    items = page(selected, query)
    if items and state.faults.fires("malformed_order", "orders.list"):
        _malform_one(state, items)
    malformed = state.faults.malformed
    return json_response(
        {"itemsPerPage": len(items), "items": [order_view(o, malformed.get(o["orderId"])) for o in items]}
    )


async def count_orders(request: web.Request) -> web.Response:
    state = request.app[STATE]
    query = _query(request, state, paged=False)
    if isinstance(query, web.Response):
        return query
    return json_response(len(select(state.store.all(), query)))  # a bare integer, as Octopia answers


def requested_order(request: web.Request) -> Wire | web.Response:
    """The order ``{orderId}`` in the path names, or the 404 problem to answer."""
    order_id = request.match_info["orderId"]
    order = request.app[STATE].store.get(order_id)
    return order if order is not None else problem(404, f"Order {order_id} does not exist for this seller.")


async def get_order(request: web.Request) -> web.Response:
    order = requested_order(request)
    if isinstance(order, web.Response):
        return order
    return json_response(order_view(order, request.app[STATE].faults.malformed.get(order["orderId"])))


async def list_carriers(request: web.Request) -> web.Response:
    return json_response(carriers_body())
