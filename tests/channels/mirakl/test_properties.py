"""Properties: mapping never crashes, every state maps, relay ids normalise once, money adds up, countries convert."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portside.channels.mirakl.countries import alpha2_by_alpha3, to_alpha2
from portside.channels.mirakl.mapping import MappingContext
from portside.channels.mirakl.pages import decode_page, map_raw
from portside.channels.mirakl.profiles import load_profile, profile_names
from portside.channels.mirakl.relay import normalise_relay_id
from portside.channels.mirakl.sandbox.generator import build_order
from portside.channels.mirakl.sandbox.operators import operator
from portside.channels.mirakl.sandbox.render import wire_view
from portside.channels.mirakl.schemas import WireOrder
from portside.channels.mirakl.statuses import DEFAULT_STATUS_MAPPING, ORDER_STATES
from portside.core.model import Address, Order, OrderFlag, OrderStatus, PickupCarrier, normalise_point_id
from portside.core.ports import MappingFailure

from .wire_samples import encode, order, page
from .wire_strategies import ANY_JSON, CORE, wire

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CONTEXTS = {name: MappingContext("store-1", load_profile(name), "https://x.mirakl.net") for name in profile_names()}
profiles = st.sampled_from(sorted(CONTEXTS))
quick = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@quick
@given(wire(WireOrder) | wire(WireOrder, CORE), profiles)
def test_any_order_the_schema_admits_maps_or_is_quarantined(raw: dict, profile: str) -> None:
    item, _ = map_raw(encode(raw), CONTEXTS[profile])  # never raises
    assert isinstance(item, Order | MappingFailure)
    if isinstance(item, MappingFailure):
        assert item.error and item.raw
    else:
        assert item.channel == "mirakl" and item.placed_at.tzinfo is not None
        mapped = DEFAULT_STATUS_MAPPING.get(item.channel_status)
        assert item.status == (mapped or OrderStatus.on_hold)
        assert (OrderFlag.unmapped_status in item.flags) == (mapped is None)


@quick
@given(st.lists(ANY_JSON | wire(WireOrder), max_size=4), profiles)
def test_any_json_on_a_page_is_one_entry_each_never_an_exception(items: list, profile: str) -> None:
    decoded = decode_page(page(*items), CONTEXTS[profile])
    assert len(decoded.entries) == len(items)


@given(st.sampled_from(ORDER_STATES), profiles)
def test_every_state_maps(state: str, profile: str) -> None:
    item, _ = map_raw(encode(order(order_state=state)), CONTEXTS[profile])
    assert isinstance(item, Order) and item.status == DEFAULT_STATUS_MAPPING[state]
    assert item.status != OrderStatus.on_hold


@given(st.text())
def test_relay_id_normalisation_is_idempotent(raw: str) -> None:
    once = normalise_relay_id(raw)
    assert normalise_relay_id(once) == once
    if once is not None:
        assert once == once.strip() and ":" not in once
        for carrier in PickupCarrier:
            point_id = normalise_point_id(carrier, once)
            assert normalise_point_id(carrier, point_id) == point_id


@given(st.sampled_from(sorted(alpha2_by_alpha3())))
def test_every_alpha3_code_converts_to_a_valid_alpha2(alpha3: str) -> None:
    alpha2 = to_alpha2(alpha3.lower())
    assert alpha2 is not None and Address(country=alpha2).country == alpha2 == to_alpha2(alpha2)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(CONTEXTS)), st.integers(0, 10_000), st.integers(0, 500))
def test_sandbox_orders_map_and_their_money_adds_up(profile: str, seed: int, index: int) -> None:
    stored = build_order(operator(profile), seed, index, NOW)
    item, _ = map_raw(encode(wire_view(stored)), CONTEXTS[profile])
    assert isinstance(item, Order), item
    totals = item.totals
    assert totals.items + totals.shipping + totals.fees - totals.discounts == totals.grand_total
    relay_label = re.search(r"Mondial Relay \d+$", stored["shipping_type_label"])
    assert (item.pickup_point is not None) == bool(stored["shipping_pudo_id"] or relay_label)
