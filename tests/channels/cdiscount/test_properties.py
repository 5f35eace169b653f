"""Properties: mapping never crashes, every status maps, carrier names match loosely, ids are stable."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portside.channels.cdiscount.carrier_tables import CarrierTables
from portside.channels.cdiscount.carriers import CdiscountCarrierCatalog
from portside.channels.cdiscount.mapping import MappingContext
from portside.channels.cdiscount.pages import decode_page, map_raw
from portside.channels.cdiscount.redact import MASK, Redactor
from portside.channels.cdiscount.sandbox.carriers import CARRIERS
from portside.channels.cdiscount.schemas import WireLine, WireOrder
from portside.channels.cdiscount.settings import CdiscountSettings
from portside.channels.cdiscount.state import CarrierList, StoreState
from portside.channels.cdiscount.statuses import DEFAULT_STATUS_MAPPING, OCTOPIA_STATUSES
from portside.core.model import (
    Order,
    OrderFlag,
    OrderStatus,
    PickupCarrier,
    StoreOrderIds,
    normalise_point_id,
    order_id_for,
)
from portside.core.ports import MappingFailure, SkippedOrder

from .wire_samples import REFERENCE_ORDER, encode, line, order, page
from .wire_strategies import ANY_JSON, mutated_orders, wire_orders

CTX = MappingContext("store-1")
NOW = datetime(2026, 11, 26, tzinfo=UTC)


ADMITTED = wire_orders(WireOrder) | mutated_orders(REFERENCE_ORDER, WireOrder, WireLine)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(wire=ADMITTED)
def test_mapping_any_order_the_schema_admits_never_crashes(wire: dict[str, Any]) -> None:
    raw = encode(wire)
    result = map_raw(raw, CTX)
    assert isinstance(result, Order | SkippedOrder | MappingFailure)
    if isinstance(result, MappingFailure):
        assert result.raw == raw and result.error
    if isinstance(result, Order):
        assert result.id == order_id_for("store-1", result.channel_order_id)
        assert result.placed_at.tzinfo is not None
        assert any(line.supply_mode is None or line.supply_mode.strip().casefold() == "seller" for line in result.lines)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(orders=st.lists(ADMITTED | ANY_JSON, max_size=6))
def test_a_page_of_anything_is_mapped_order_by_order(orders: list[Any]) -> None:
    result = decode_page(page(*orders), CTX)
    assert len(result.orders) + len(result.failures) + len(result.skipped) == len(orders)


@given(status=st.sampled_from(OCTOPIA_STATUSES))
def test_every_octopia_status_maps_to_a_platform_status(status: str) -> None:
    result = map_raw(encode(order(status=status)), CTX)
    assert isinstance(result, Order)
    assert result.status == DEFAULT_STATUS_MAPPING[status] != OrderStatus.on_hold
    assert OrderFlag.unmapped_status not in result.flags


# Any text but a NUL, which no order may hold (the database cannot store it: tests/channels/test_hostile_orders.py).
@given(
    status=st.text(st.characters(codec="utf-8", blacklist_characters="\x00"), max_size=20).filter(
        lambda s: s not in DEFAULT_STATUS_MAPPING
    )
)
def test_any_other_status_is_kept_on_hold_and_flagged(status: str) -> None:
    result = map_raw(encode(order(status=status)), CTX)
    assert isinstance(result, Order)
    assert result.status == OrderStatus.on_hold and OrderFlag.unmapped_status in result.flags


def test_the_default_mapping_covers_exactly_the_documented_statuses() -> None:
    assert set(DEFAULT_STATUS_MAPPING) == set(OCTOPIA_STATUSES)


def _catalog(labels: tuple[str, ...]) -> CdiscountCarrierCatalog:
    settings_ = CdiscountSettings()
    state = StoreState(settings_)
    state.carriers = CarrierList(labels=labels, fetched_at=NOW)  # fresh: no call is made
    return CdiscountCarrierCatalog(None, state, settings_, CarrierTables(), lambda: NOW)  # type: ignore[arg-type]


SANDBOX_LABELS = tuple(dict.fromkeys(label.strip() for _, label in CARRIERS))


@given(
    label=st.sampled_from(SANDBOX_LABELS),
    flips=st.lists(st.booleans(), min_size=40, max_size=40),
    left=st.text(" \t", max_size=3),
    right=st.text(" \t\n", max_size=3),
)
def test_carrier_labels_match_whatever_the_case_and_surrounding_spaces(
    label: str, flips: list[bool], left: str, right: str
) -> None:
    varied = "".join(c.upper() if flip else c.lower() for c, flip in zip(label, flips, strict=False)) + label[40:]
    catalog = _catalog(SANDBOX_LABELS)
    assert asyncio.run(catalog.resolve(f"{left}{varied}{right}")) == label


@given(
    code=st.sampled_from(
        [
            "colissimo",
            "mondial_relay",
            "chronopost",
            "colis_prive",
            "relais_colis",
            "dpd",
            "gls",
            "ups",
            "dhl",
            "fedex",
            "tnt",
            "la_poste",
            "other",
        ]
    )
)
def test_platform_codes_resolve_to_an_accepted_label(code: str) -> None:
    resolved = asyncio.run(_catalog(SANDBOX_LABELS).resolve(code))
    assert resolved in SANDBOX_LABELS


@given(carrier=st.sampled_from(PickupCarrier), raw=st.text(max_size=10) | st.integers(0, 10**7).map(str))
def test_pickup_point_ids_normalise_idempotently(carrier: PickupCarrier, raw: str) -> None:
    once = normalise_point_id(carrier, raw)
    assert normalise_point_id(carrier, once) == once


@given(mode=st.sampled_from(["REL", "SO1", "RCO"]), pickup_id=st.integers(1, 999_999) | st.text(min_size=1, max_size=8))
def test_mapped_pickup_points_are_already_normalised(mode: str, pickup_id: Any) -> None:
    shipping = {"firstName": "A", "lastName": "B", "countryCode": "FR", "pickupId": pickup_id, "pickupName": "P"}
    result = map_raw(encode(order(lines=[line(delivery={"mode": mode}, shippingAddress=shipping)])), CTX)
    if isinstance(result, Order) and result.pickup_point is not None:
        point = result.pickup_point
        assert normalise_point_id(point.carrier, point.point_id) == point.point_id


@given(store_id=st.text(max_size=20), channel_order_id=st.text(max_size=30))
def test_fast_order_ids_are_the_cores_order_ids(store_id: str, channel_order_id: str) -> None:
    assert StoreOrderIds(store_id)(channel_order_id) == order_id_for(store_id, channel_order_id)


@given(
    # As credentials are kept: stripped (the Redactor strips them too, and masks a shorter one only alone).
    secret=st.text(st.characters(blacklist_characters="*"), min_size=8, max_size=30).filter(lambda s: s == s.strip()),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
)
def test_the_redactor_leaves_no_secret_behind(secret: str, before: str, after: str) -> None:
    text = Redactor(secret)(f"{before}{secret}{after}{secret}")
    assert secret not in text and MASK in text


def test_wire_orders_strategy_reaches_real_orders() -> None:
    """The generator is not only producing garbage: mapped orders do come out of it."""
    seen: set[str] = set()

    @settings(max_examples=300, database=None)
    @given(wire=ADMITTED)
    def collect(wire: dict[str, Any]) -> None:
        seen.add(type(map_raw(msgspec.json.encode(wire), CTX)).__name__)

    collect()
    assert seen == {"Order", "MappingFailure", "SkippedOrder"}
