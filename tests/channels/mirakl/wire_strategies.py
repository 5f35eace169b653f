"""Hypothesis strategies for Mirakl orders: any JSON the wire schema admits, derived from the schema itself.

Built from ``msgspec.inspect``, so a field added to ``schemas.py`` is generated without touching the
tests. String fields draw from realistic values half the time, so mapping gets past its first checks.
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone
from typing import Any

import msgspec
from hypothesis import strategies as st

from portside.channels.mirakl.statuses import ORDER_STATES

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
ANY_JSON = st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
)

REALISTIC: dict[str, list[str]] = {
    "order_state": [*ORDER_STATES, "WAITING_REFUND"],
    "order_line_state": [*ORDER_STATES, "INCIDENT_OPEN", "REFUNDED"],
    "country_iso_code": ["FRA", "BEL", "esp", "FR", "", "ZZZ", "France"],
    "currency_iso_code": ["EUR", "eur", "", "EURO"],
    "shipping_type_code": ["RELAY_DELIVERY__STD", "33", "PDP", "HOME_DELIVERY__STD", "PICKUP_IN_STORE", "STD"],
    "shipping_type_label": ["Livraison en point de proximité avec Mondial Relay 5680", "Livraison standard"],
    "shipping_pudo_id": ["908645", " 488411 ", "FR:012345", "5680", ":", " ", "FR-", "2827U"],
    "code": ["pudo-relay-point-provider", "pudo-relay-point-store-name", "relais-id", "type-de-point", "ECO"],
    "media_url": ["/media/product/image/x", "https://cdn.test/a.jpg", "//cdn.test/b.jpg", ""],
    "type": ["LARGE", "SMALL", "A2P", "STRING", "MULTIPLE_VALUES_LIST"],
    "order_id": ["001-4815162342-A", "002-1-A", " ", "X:Y"],
}
_OFFSETS = st.none() | st.just(UTC) | st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-720, 720))
_DECIMAL_TEXT = st.sampled_from(["NaN", "Infinity", "-0", "1e999999", "12.50", "douze"])


def _for_type(
    info: msgspec.inspect.Type, name: str = "", present: frozenset[str] = frozenset()
) -> st.SearchStrategy[Any]:
    if isinstance(info, msgspec.inspect.UnionType):
        return st.one_of(*(_for_type(t, name, present) for t in info.types))
    if isinstance(info, msgspec.inspect.NoneType):
        return st.none()
    if isinstance(info, msgspec.inspect.StrType):
        text = st.text(max_size=12)
        return st.sampled_from(REALISTIC[name]) | text if name in REALISTIC else text
    if isinstance(info, msgspec.inspect.IntType):
        return st.integers(-2, 5) if name == "quantity" else st.integers(-5, 2**40)
    if isinstance(info, msgspec.inspect.BoolType):
        return st.booleans()
    if isinstance(info, msgspec.inspect.DecimalType):
        number = st.decimals(-(10**6), 10**6, places=2, allow_nan=False, allow_infinity=False)
        return number | st.integers(-1000, 1000) | _DECIMAL_TEXT
    if isinstance(info, msgspec.inspect.DateTimeType):
        return st.datetimes(timezones=_OFFSETS).map(lambda d: d.isoformat())
    if isinstance(info, msgspec.inspect.ListType):
        return st.lists(_for_type(info.item_type, name, present), max_size=3)
    if isinstance(info, msgspec.inspect.StructType):
        return struct_json(info, present)
    return ANY_JSON  # Any


def struct_json(
    info: msgspec.inspect.StructType, present: frozenset[str] = frozenset()
) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object for the struct: required fields always, optional ones sometimes, values of their type.

    Fields named in ``present`` are always there, with a realistic non-null value, so that generated
    orders get past the first checks often enough to exercise the rest of the mapping.
    """
    always = {f.name for f in info.fields if f.required or f.encode_name in present}
    required = {f.encode_name: _value(f, present) for f in info.fields if f.name in always}
    optional = {f.encode_name: _for_type(f.type, f.encode_name, present) for f in info.fields if f.name not in always}
    return st.fixed_dictionaries(required, optional=optional)


def _value(field: msgspec.inspect.Field, present: frozenset[str]) -> st.SearchStrategy[Any]:
    if field.encode_name in present and field.encode_name in REALISTIC:
        return st.sampled_from([v for v in REALISTIC[field.encode_name] if v.strip()])
    if field.encode_name in present and isinstance(field.type, msgspec.inspect.UnionType):
        kinds = [t for t in field.type.types if not isinstance(t, msgspec.inspect.NoneType)]
        return st.one_of(*(_for_type(t, field.encode_name, present) for t in kinds))
    return _for_type(field.type, field.encode_name, present)


# The fields without which an order is quarantined at once: present, to reach the rest of the mapping.
CORE = frozenset({"order_id", "order_state", "created_date", "currency_iso_code", "quantity"})


def wire(kind: type, present: frozenset[str] = frozenset()) -> st.SearchStrategy[dict[str, Any]]:
    info = msgspec.inspect.type_info(kind)
    assert isinstance(info, msgspec.inspect.StructType)
    return struct_json(info, present)
