"""Hypothesis strategies for Octopia orders: any JSON the wire schema admits, derived from the schema itself.

Built from ``msgspec.inspect`` so a field added to ``schemas.py`` is generated without touching the tests.
String fields draw from realistic values half the time, so the mapping is exercised past its first check.
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone
from typing import Any

import msgspec
from hypothesis import strategies as st

from portside.channels.cdiscount.statuses import OCTOPIA_STATUSES

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
ANY_JSON = st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
)

REALISTIC: dict[str, list[str]] = {
    "status": [*OCTOPIA_STATUSES, "CancelRequest"],
    "supplyMode": ["Seller", "Fulfillment", "Xdock", "seller "],
    "countryCode": ["FR", "be", "", "France"],
    "currencyCode": ["EUR", "eur", "", "EURO"],
    "mode": ["TrackedHomeDelivery", "REL", "SO1", "RCO", "ImmediateVendorPickup", "MondialRelayPickupDelivery"],
    "pickupId": ["5680", "005680", "FR-5680", "I2058", " "],
    "orderId": ["2509011032XYZ12", "SCID01210525142759UT8E", " "],
}

_OFFSETS = st.none() | st.just(UTC) | st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-720, 720))


def _datetime_text() -> st.SearchStrategy[str]:
    return st.datetimes(timezones=_OFFSETS).map(lambda d: d.isoformat())


def _for_type(info: msgspec.inspect.Type, name: str = "") -> st.SearchStrategy[Any]:
    if isinstance(info, msgspec.inspect.UnionType):
        return st.one_of(*(_for_type(t, name) for t in info.types))
    if isinstance(info, msgspec.inspect.NoneType):
        return st.none()
    if isinstance(info, msgspec.inspect.StrType):
        if name in REALISTIC:
            return st.sampled_from(REALISTIC[name]) | st.text(max_size=12)
        return st.text(max_size=12)
    if isinstance(info, msgspec.inspect.IntType):
        return st.integers(-5, 2**40) if name != "quantity" else st.integers(-2, 5)
    if isinstance(info, msgspec.inspect.FloatType):
        return st.floats(-1e6, 1e6, allow_nan=False) | st.decimals(-1000, 1000, places=2).map(float)
    if isinstance(info, msgspec.inspect.BoolType):
        return st.booleans()
    if isinstance(info, msgspec.inspect.DateTimeType):
        return _datetime_text()
    if isinstance(info, msgspec.inspect.ListType):
        return st.lists(_for_type(info.item_type, name), max_size=3)
    if isinstance(info, msgspec.inspect.StructType):
        return struct_json(info)
    return ANY_JSON  # Any, Raw


def struct_json(info: msgspec.inspect.StructType) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object the struct decodes: each optional field present or absent, plus unknown fields."""
    required = {f.encode_name: _for_type(f.type, f.encode_name) for f in info.fields if f.required}
    optional = {f.encode_name: _for_type(f.type, f.encode_name) for f in info.fields if not f.required}
    known = st.fixed_dictionaries(required, optional=optional)
    extra = st.dictionaries(st.text(max_size=6).map(lambda k: f"x-{k}"), ANY_JSON, max_size=2)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


def wire_orders(kind: type[msgspec.Struct]) -> st.SearchStrategy[dict[str, Any]]:
    info = msgspec.inspect.type_info(kind)
    assert isinstance(info, msgspec.inspect.StructType)
    return struct_json(info)


def _overrides(kind: type[msgspec.Struct]) -> st.SearchStrategy[dict[str, Any]]:
    info = msgspec.inspect.type_info(kind)
    assert isinstance(info, msgspec.inspect.StructType)
    return st.fixed_dictionaries({}, optional={f.encode_name: _for_type(f.type, f.encode_name) for f in info.fields})


def mutated_orders(base: dict[str, Any], order_kind: type[msgspec.Struct], line_kind: type[msgspec.Struct]):
    """``base`` with a random subset of its order and line fields replaced by any admitted value: near-valid
    orders, which reach every branch of the mapping that a fully random one rarely gets to."""

    def build(order_changes: dict[str, Any], line_changes: list[dict[str, Any]]) -> dict[str, Any]:
        result = {**base, **order_changes}
        if "lines" not in order_changes:
            result["lines"] = [{**base["lines"][0], **changes} for changes in line_changes]
        return result

    return st.builds(build, _overrides(order_kind), st.lists(_overrides(line_kind), min_size=1, max_size=3))
