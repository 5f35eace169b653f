"""Invariants of the core model, enforced on construction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portside.core.model import (
    MAX_AMOUNT,
    MAX_LINES,
    MAX_QUANTITY,
    Address,
    Closure,
    DayHours,
    Money,
    OrderLine,
    PickupCarrier,
    PickupPoint,
    Store,
    StoreOrderIds,
    TimeSlot,
    Weight,
    normalise_point_id,
    order_id_for,
)
from portside.testing.orders import make_order


def test_money_rejects_bad_currency_and_normalises_case() -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(amount=Decimal(1), currency="EURO")
    assert Money(amount=Decimal(1), currency="eur").currency == "EUR"


def test_money_refuses_mixing_currencies() -> None:
    with pytest.raises(ValueError, match="EUR with USD"):
        Money(amount=Decimal(1), currency="EUR") + Money(amount=Decimal(1), currency="USD")


def test_weight_and_quantity_cannot_be_negative() -> None:
    with pytest.raises(ValueError):
        Weight(grams=-1)
    with pytest.raises(ValueError, match="quantity"):
        OrderLine(channel_line_id="1", quantity=-1, unit_price=Money(amount=Decimal(1), currency="EUR"))


def test_quantities_amounts_and_line_counts_are_bounded() -> None:
    """Past these a marketplace order is broken or hostile: mapping raises, the import quarantines it."""
    euro = Money(amount=Decimal(1), currency="EUR")
    assert OrderLine(channel_line_id="1", quantity=MAX_QUANTITY, unit_price=euro).quantity == MAX_QUANTITY
    for quantity in (MAX_QUANTITY + 1, 10**30, 10**4000):
        with pytest.raises(ValueError, match="quantity must be between 0 and 100,000"):
            OrderLine(channel_line_id="1", quantity=quantity, unit_price=euro)
    assert Money(amount=-MAX_AMOUNT, currency="VND").amount == -MAX_AMOUNT
    for amount in (MAX_AMOUNT + Decimal("0.01"), -MAX_AMOUNT - 1, Decimal("1e400"), Decimal("Infinity")):
        with pytest.raises(ValueError, match="within"):
            Money(amount=amount, currency="EUR")
    with pytest.raises(ValueError, match="within"):  # arithmetic keeps the invariant too
        Money(amount=MAX_AMOUNT, currency="EUR") + euro
    order = make_order("s", "A1")
    line = order.lines[0]
    assert len(msgspec.structs.replace(order, lines=(line,) * MAX_LINES).lines) == MAX_LINES
    with pytest.raises(ValueError, match="more than 1,000"):
        msgspec.structs.replace(order, lines=(line,) * (MAX_LINES + 1))


def test_order_datetimes_must_be_aware_and_become_utc() -> None:
    order = make_order("s", "A1")
    with pytest.raises(ValueError, match="timezone-aware"):
        msgspec.structs.replace(order, placed_at=datetime(2026, 1, 1, 12, 0))
    paris = datetime.fromisoformat("2026-06-01T14:00:00+02:00")
    moved = msgspec.structs.replace(order, placed_at=paris)
    assert moved.placed_at.utcoffset().total_seconds() == 0
    assert moved.placed_at.hour == 12


def test_with_flags_adds_removes_keeps_order_and_returns_the_same_order_when_nothing_changes() -> None:
    plain = make_order("s", "A1")
    assert plain.with_flags(remove=("unknown_sku",)) is plain  # nothing to remove, nothing to add
    flagged = plain.with_flags(add=("unknown_sku", "unmapped_status", "unknown_sku"))
    assert flagged.flags == ("unknown_sku", "unmapped_status")
    assert flagged.with_flags(add=("unmapped_status",)) is flagged
    assert flagged.with_flags(remove=("pickup_point_unverified",)) is flagged
    assert flagged.with_flags(add=("recipient_mobile_missing",), remove=("unknown_sku",)).flags == (
        "unmapped_status",
        "recipient_mobile_missing",
    )
    assert flagged.with_flags(remove=("unknown_sku", "unmapped_status")).flags == ()
    assert plain.flags == ()  # frozen: every change is a new order


def test_mondial_relay_ids_are_padded_to_six_digits() -> None:
    point = PickupPoint(carrier=PickupCarrier.mondial_relay, point_id=" 5680 ")
    assert point.point_id == "005680"
    assert PickupPoint(carrier=PickupCarrier.mondial_relay, point_id="FR-005680").point_id == "005680"


@given(st.sampled_from(list(PickupCarrier)), st.text(min_size=1, max_size=12))
def test_point_id_normalisation_is_idempotent(carrier: PickupCarrier, raw: str) -> None:
    once = normalise_point_id(carrier, raw)
    assert normalise_point_id(carrier, once) == once


def test_point_open_days_and_closures() -> None:
    point = PickupPoint(
        carrier=PickupCarrier.colissimo,
        point_id="612345",
        opening_hours=(DayHours(weekday=1, slots=(TimeSlot(opens="09:00", closes="18:00"),)),),
        closures=(Closure(start=date(2026, 12, 24), end=date(2027, 1, 2)),),
    )
    assert point.is_open_on(date(2026, 11, 30))  # a Monday
    assert not point.is_open_on(date(2026, 12, 1))  # Tuesday: no hours
    assert not point.is_open_on(date(2026, 12, 28))  # Monday inside the holiday


def test_country_codes_are_validated() -> None:
    assert Address(country="fr").country == "FR"
    with pytest.raises(ValueError, match="alpha-2"):
        Address(country="FRA")


def test_store_repr_never_shows_credentials() -> None:
    store = Store(
        id="s1",
        account_id="a",
        channel="fake",
        name="n",
        credentials={"client_secret": "hunter2-very-secret"},
        created_at=datetime.fromisoformat("2026-01-01T00:00:00+00:00"),
    )
    assert "hunter2" not in repr(store)
    assert "hunter2" not in str(store)
    assert "hunter2" not in f"{store}"


@given(st.lists(st.decimals(min_value=-10_000, max_value=10_000, places=2), max_size=30))
def test_money_totals_add_up(amounts: list[Decimal]) -> None:
    total = Money.zero("EUR")
    for amount in amounts:
        total = total + Money(amount=amount, currency="EUR")
    assert total.amount == sum(amounts, Decimal(0))


@given(st.text(max_size=40), st.text(min_size=1, max_size=40))
def test_fast_store_order_ids_equal_order_id_for(store_id: str, channel_order_id: str) -> None:
    assert StoreOrderIds(store_id)(channel_order_id) == order_id_for(store_id, channel_order_id)
