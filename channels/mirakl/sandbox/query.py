"""OR11 query strings: parsing, the widened update window, filtering, stable sort and offset paging.

Choices where Mirakl is silent: bounds are inclusive; ``max`` defaults to 10 (the SDK's default)
and tops out at 100 (§4); ``paginate=false`` returns everything; unknown parameters are ignored.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec
from multidict import MultiMapping

from .clock import iso, parse_iso

Wire = dict[str, Any]
MAX_IDS = 100  # "The limit of 100 is exceeded for the parameter : order_ids" (§5.1)


class QueryError(ValueError):
    pass


class OrdersQuery(msgspec.Struct, frozen=True, kw_only=True):
    order_ids: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    bounds: tuple[tuple[str, str, str], ...] = ()  # (field, "min"|"max", iso timestamp)
    paginate: bool = True
    max: int = 10
    offset: int = 0
    desc: bool = False


def _int(params: MultiMapping[str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"Invalid value '{raw}' for parameter {name}: an integer is expected") from None


def _csv(params: MultiMapping[str], name: str) -> frozenset[str]:
    return frozenset(v.strip() for raw in params.getall(name, []) for v in raw.split(",") if v.strip())


def parse(params: MultiMapping[str], *, max_page: int, widening_s: int) -> OrdersQuery:
    """Raises QueryError with Mirakl-like wording for a bad parameter."""
    ids = _csv(params, "order_ids")
    if len(ids) > MAX_IDS:
        raise QueryError(f"The limit of {MAX_IDS} is exceeded for the parameter : order_ids")
    size, offset = _int(params, "max", 10), _int(params, "offset", 0)
    if not 1 <= size <= max_page or offset < 0:
        raise QueryError(f"max must be between 1 and {max_page} and offset at least 0")
    if params.get("sort", "dateCreated") != "dateCreated":
        raise QueryError(f"Invalid sort '{params.get('sort')}': OR11 sorts by dateCreated only")
    direction = params.get("order", "asc").lower()
    if direction not in ("asc", "desc"):
        raise QueryError(f"Invalid order '{direction}': asc or desc")
    bounds = []
    for name, field, bound in (
        ("start_update_date", "last_updated_date", "min"),
        ("end_update_date", "last_updated_date", "max"),
        ("start_date", "created_date", "min"),
        ("end_date", "created_date", "max"),
    ):
        if (raw := params.get(name)) is None:
            continue
        try:
            moment = parse_iso(raw)
        except ValueError:
            raise QueryError(f"Invalid date '{raw}' for parameter {name}: ISO-8601 expected") from None
        if name == "start_update_date":
            # "Mirakl will subtract a time delta to ensure no orders are missed" (§5.1).
            moment -= timedelta(seconds=widening_s)
        bounds.append((field, bound, iso(moment)))
    return OrdersQuery(
        order_ids=ids,
        states=_csv(params, "order_state_codes"),
        bounds=tuple(bounds),
        paginate=params.get("paginate", "true").lower() != "false",
        max=size,
        offset=offset,
        desc=direction == "desc",
    )


def _matches(order: Wire, query: OrdersQuery) -> bool:
    if query.order_ids and order["order_id"] not in query.order_ids:
        return False
    if query.states and order.get("order_state") not in query.states:
        return False
    for field, bound, value in query.bounds:
        stamp = order.get(field) or ""
        if (bound == "min" and stamp < value) or (bound == "max" and stamp > value):
            return False
    return True


def select(orders: list[Wire], query: OrdersQuery) -> list[Wire]:
    """Filtered, sorted by creation date then order id ("and then by order identifier", §4)."""
    kept = [o for o in orders if _matches(o, query)]
    kept.sort(key=lambda o: (o.get("created_date") or "", o["order_id"]), reverse=query.desc)
    return kept


def page(selected: list[Wire], query: OrdersQuery) -> list[Wire]:
    if not query.paginate:
        return selected
    return selected[query.offset : query.offset + query.max]
