"""``GET /orders`` and ``/orders/count`` query strings: parsing, filtering, sorting and paging.

Choices where Octopia is silent: ``*Min`` and ``*Max`` bounds are inclusive; ``status`` may repeat or
hold a comma-separated list; unknown parameters are ignored (Octopia ignores ``limit``, reference §4.2);
the default order is ``updatedAt`` then ``orderId`` ascending, and ties always break on ``orderId``
ascending so paging is stable.
"""

from __future__ import annotations

from typing import Any

import msgspec
from multidict import MultiMapping

from .clock import iso, parse_iso
from .generator import STATUSES

Wire = dict[str, Any]
SORT_FIELDS = ("updatedAt", "createdAt", "purchasedAt", "shippedAtMax")
_DATE_FILTERS = {f"{field}{bound}": (field, bound) for field in ("updatedAt", "createdAt") for bound in ("Min", "Max")}


class QueryError(ValueError):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class OrderQuery(msgspec.Struct, frozen=True, kw_only=True):
    page_index: int = 1
    page_size: int = 50
    statuses: frozenset[str] = frozenset()
    sales_channel_id: str | None = None
    reference: str | None = None
    supply_mode: str | None = None
    shipping_country: str | None = None
    business_order: bool | None = None
    bounds: tuple[tuple[str, str, str], ...] = ()  # (field, "Min"|"Max", iso timestamp)
    sort: str = "updatedAt"
    desc: bool = False


def _flag(value: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())


def _int(params: MultiMapping[str], name: str, default: int, errors: dict[str, list[str]]) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        errors[name] = [f"'{raw}' is not an integer"]
        return default


def parse_query(params: MultiMapping[str], *, page_size_max: int, page_size_default: int) -> OrderQuery:
    """Read the query string; a bad value raises ``QueryError`` naming each offending parameter."""
    errors: dict[str, list[str]] = {}
    page_index = _int(params, "pageIndex", 1, errors)
    page_size = _int(params, "pageSize", page_size_default, errors)
    if page_index < 1:
        errors["pageIndex"] = ["pageIndex starts at 1"]
    if not 1 <= page_size <= page_size_max:
        errors["pageSize"] = [f"pageSize must be between 1 and {page_size_max}"]
    statuses = {s.strip() for raw in params.getall("status", []) for s in raw.split(",")}
    statuses.discard("")
    if unknown := sorted(statuses - set(STATUSES)):
        errors["status"] = [f"unknown status {s!r}; expected one of {', '.join(STATUSES)}" for s in unknown]
    bounds = []
    for name, (field, bound) in _DATE_FILTERS.items():
        if (raw := params.get(name)) is not None:
            try:
                bounds.append((field, bound, iso(parse_iso(raw))))
            except ValueError:
                errors[name] = [f"'{raw}' is not an ISO-8601 date-time such as 2025-06-01T00:00:00Z"]
    sort = params.get("sort", "updatedAt")
    if sort not in SORT_FIELDS:
        errors["sort"] = [f"cannot sort by {sort!r}; expected one of {', '.join(SORT_FIELDS)}"]
    desc = _flag(params.get("desc", "false"))
    business = _flag(params["businessOrder"]) if "businessOrder" in params else None
    if desc is None:
        errors["desc"] = ["desc must be true or false"]
    if errors:
        raise QueryError(errors)
    return OrderQuery(
        page_index=page_index,
        page_size=page_size,
        statuses=frozenset(statuses),
        sales_channel_id=params.get("salesChannelId"),
        reference=params.get("reference"),
        supply_mode=params.get("supplyMode"),
        shipping_country=params.get("shippingCountry"),
        business_order=business,
        bounds=tuple(bounds),
        sort=sort,
        desc=bool(desc),
    )


def _matches(order: Wire, query: OrderQuery) -> bool:
    if query.statuses and order.get("status") not in query.statuses:
        return False
    if query.sales_channel_id and (order.get("salesChannel") or {}).get("id") != query.sales_channel_id:
        return False
    if query.reference and query.reference not in (order.get("reference"), order.get("orderId")):
        return False
    if query.business_order is not None and bool(order.get("businessOrder")) is not query.business_order:
        return False
    raw_lines = order.get("lines")
    lines = [ln for ln in raw_lines if isinstance(ln, dict)] if isinstance(raw_lines, list) else []
    if query.supply_mode and not any((ln.get("offer") or {}).get("supplyMode") == query.supply_mode for ln in lines):
        return False
    if query.shipping_country and not any(
        (ln.get("shippingAddress") or {}).get("countryCode") == query.shipping_country for ln in lines
    ):
        return False
    for field, bound, value in query.bounds:
        stamp = order.get(field) or ""
        if (bound == "Min" and stamp < value) or (bound == "Max" and stamp > value):
            return False
    return True


def select(orders: list[Wire], query: OrderQuery) -> list[Wire]:
    """Every order the filters keep, in the query's order (paging is left to ``page``)."""
    kept = sorted((o for o in orders if _matches(o, query)), key=lambda o: o["orderId"])
    # Stable sort: orders with the same timestamp keep orderId ascending whatever the direction.
    kept.sort(key=lambda o: o.get(query.sort) or "", reverse=query.desc)
    return kept


def page(selected: list[Wire], query: OrderQuery) -> list[Wire]:
    start = (query.page_index - 1) * query.page_size
    return selected[start : start + query.page_size]
