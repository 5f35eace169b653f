"""Pickup points from order to label: directory checks, unavailable points, outages, label hints."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import msgspec
import pytest

from portside.core.model import (
    Address,
    Closure,
    Customer,
    DayHours,
    OrderFlag,
    PickupCarrier,
    PickupPoint,
    PointSource,
    TimeSlot,
    Weight,
)
from portside.core.ports import OrderQuery
from portside.core.services import import_orders
from portside.core.services.label_hints import french_mobile
from portside.core.services.pickup_enrichment import PickupEnricher
from portside.core.services.pickup_points import CachedDirectory
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FAKE_STATUSES
from portside.testing.fake_directory import FakeDirectory
from portside.testing.orders import make_order

WEEK = tuple(DayHours(weekday=d, slots=(TimeSlot(opens="09:00", closes="19:00"),)) for d in range(1, 7))


def point(point_id: str, lat: float, lon: float, **kw) -> PickupPoint:
    return PickupPoint(
        carrier=kw.pop("carrier", PickupCarrier.mondial_relay),
        point_id=point_id,
        name=kw.pop("name", f"RELAIS {point_id}"),
        address=Address(line1="1 rue de la Paix", postal_code="69003", city="Lyon", country="FR"),
        country="FR",
        latitude=lat,
        longitude=lon,
        opening_hours=kw.pop("hours", WEEK),
        max_weight=Weight(grams=kw.pop("max_g", 30_000)),
        source=PointSource.directory,
        **kw,
    )


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory(
        PickupCarrier.mondial_relay,
        [
            point("005680", 45.760, 4.850),
            point("001111", 45.761, 4.851, closures=(Closure(start=date(2026, 11, 1), end=date(2026, 11, 30)),)),
            point("002222", 45.762, 4.852, max_g=1_000),
            point("003333", 45.770, 4.860),
            point("004444", 45.780, 4.870, hours=()),  # no hours published: assumed open
            point("006666", 45.800, 4.900),
            point("007777", 45.900, 5.000),
        ],
    )


def relay_order(point_id: str, *, ship_by: datetime | None = None, weight_g: int = 2_000, phone: str = "0612345678"):
    order = make_order("store-1", f"R-{point_id}", pickup=PickupCarrier.mondial_relay)
    channel_point = PickupPoint(
        carrier=PickupCarrier.mondial_relay,
        point_id=point_id.lstrip("0"),
        name="CHANNEL NAME",
        address=Address(line1="3 place Bellecour", postal_code="69003", city="Lyon", country="FR"),
    )
    return msgspec.structs.replace(
        order,
        pickup_point=channel_point,
        ship_by=ship_by or datetime(2026, 11, 4, 18, 0, tzinfo=UTC),  # a Wednesday
        total_weight=Weight(grams=weight_g),
        customer=Customer(name="Léa Girard", phone=phone),
        shipping_address=msgspec.structs.replace(order.shipping_address, phone=None),
    )


async def test_a_known_point_is_completed_from_the_directory(directory) -> None:
    (order,) = await PickupEnricher({PickupCarrier.mondial_relay: directory}).enrich([relay_order("005680")])

    assert order.pickup_point.point_id == "005680"  # the channel sent "5680"
    assert order.pickup_point.source == PointSource.directory
    assert order.pickup_point.latitude == 45.760 and order.pickup_point.opening_hours == WEEK
    assert order.pickup_point_issue is None
    assert OrderFlag.pickup_point_unavailable not in order.flags
    assert order.label_hints == {
        "carrier": "mondial_relay",
        "ModeLiv": "24R",
        "LIV_Rel_Pays": "FR",
        "LIV_Rel": "005680",
        "Location": "FR-005680",
    }


@pytest.mark.parametrize(
    ("point_id", "reason", "weight_g"),
    [("009999", "not_found", 2_000), ("001111", "closed", 2_000), ("002222", "overweight", 2_000)],
)
async def test_unavailable_points_are_flagged_with_three_open_alternatives_that_fit(
    directory, point_id, reason, weight_g
) -> None:
    (order,) = await PickupEnricher({PickupCarrier.mondial_relay: directory}).enrich(
        [relay_order(point_id, weight_g=weight_g)]
    )

    assert OrderFlag.pickup_point_unavailable in order.flags
    assert order.pickup_point_issue.reason == reason
    alternatives = [p.point_id for p in order.pickup_point_issue.alternatives]
    assert len(alternatives) == 3 and point_id not in alternatives
    assert "001111" not in alternatives  # closed on the ship-by date
    assert "002222" not in alternatives  # cannot take 2 kg


async def test_an_order_past_its_ship_by_date_needs_its_point_open_on_the_day_it_can_ship(directory) -> None:
    overdue = relay_order("001111", ship_by=datetime(2026, 10, 28, 18, 0, tzinfo=UTC))  # open then
    as_before = PickupEnricher({PickupCarrier.mondial_relay: directory})
    (planned,) = await as_before.enrich([overdue])
    assert planned.pickup_point_issue is None  # no clock: the ship-by date is the ship day

    today = FixedClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))  # closed from 1 to 30 November
    (late,) = await PickupEnricher({PickupCarrier.mondial_relay: directory}, clock=today).enrich([overdue])
    assert late.pickup_point_issue is not None and late.pickup_point_issue.reason == "closed"
    assert "2026-11-16" in late.pickup_point_issue.detail and OrderFlag.pickup_point_unavailable in late.flags

    on_time = relay_order("001111", ship_by=datetime(2026, 12, 2, 18, 0, tzinfo=UTC))  # open again by then
    (fine,) = await PickupEnricher({PickupCarrier.mondial_relay: directory}, clock=today).enrich([on_time])
    assert fine.pickup_point_issue is None  # a ship-by date still ahead is the ship day


async def test_a_directory_outage_keeps_the_channel_data_and_retries_on_the_next_sync(
    storage, clock, channel, market, store, directory
) -> None:
    market.put(msgspec.structs.replace(relay_order("005680"), updated_at=clock.now() - timedelta(minutes=30)))
    enricher = PickupEnricher({PickupCarrier.mondial_relay: directory})
    directory.down = True

    first = await import_orders(
        store, source=channel, uow=storage, clock=clock, status_defaults=FAKE_STATUSES, owner="w", enrichers=[enricher]
    )
    async with storage() as u:
        (record,) = await u.orders.find(OrderQuery(limit=5))
    assert first.new == 1
    assert OrderFlag.pickup_point_unverified in record.order.flags
    assert record.order.pickup_point.name == "CHANNEL NAME" and record.order.pickup_point.source == PointSource.channel

    directory.down = False
    clock.advance(minutes=15)
    second = await import_orders(
        store, source=channel, uow=storage, clock=clock, status_defaults=FAKE_STATUSES, owner="w", enrichers=[enricher]
    )
    async with storage() as u:
        (record,) = await u.orders.find(OrderQuery(limit=5))
    assert (second.unchanged, second.enriched_later) == (1, 1)
    assert OrderFlag.pickup_point_unverified not in record.order.flags
    assert record.order.pickup_point.source == PointSource.directory
    assert record.order.label_hints["LIV_Rel"] == "005680"


async def test_colissimo_hints_carry_the_mobile_and_flag_its_absence() -> None:
    colissimo = FakeDirectory(PickupCarrier.colissimo, [point("612345", 45.7, 4.8, carrier=PickupCarrier.colissimo)])
    enricher = PickupEnricher({PickupCarrier.colissimo: colissimo}, store_name="Ma Boutique")
    base = relay_order("612345")
    order = msgspec.structs.replace(base, pickup_point=PickupPoint(carrier=PickupCarrier.colissimo, point_id="612345"))

    with_mobile, landline_only = await enricher.enrich(
        [order, msgspec.structs.replace(order, customer=Customer(name="X", phone="04 72 00 00 00"))]
    )

    assert with_mobile.label_hints == {
        "carrier": "colissimo",
        "productCode": "HD",
        "pickupLocationId": "612345",
        "commercialName": "Ma Boutique",
        "mobileNumber": "+33612345678",
    }
    assert OrderFlag.recipient_mobile_missing not in with_mobile.flags
    assert "mobileNumber" not in landline_only.label_hints
    assert OrderFlag.recipient_mobile_missing in landline_only.flags


async def test_the_cache_asks_the_carrier_once_per_point(storage, clock, directory) -> None:
    cached = CachedDirectory(directory, uow=storage, clock=clock, ttl=timedelta(hours=24))
    for _ in range(3):
        assert (await cached.get("5680", "FR")).point_id == "005680"
        assert await cached.get("009999", "FR") is None
    assert directory.gets == 2
    clock.advance(hours=2)  # the "unknown" answer is kept for less time than a found point
    await cached.get("009999", "FR")
    await cached.get("5680", "FR")
    assert directory.gets == 3


@pytest.mark.parametrize(
    ("raw", "mobile"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("+33 7 12 34 56 78", "+33712345678"),
        ("0033612345678", "+33612345678"),
        ("04 72 00 00 00", None),
        ("", None),
        (None, None),
        ("612345678", None),
    ],
)
def test_french_mobile_numbers(raw, mobile) -> None:
    assert french_mobile(raw) == mobile


async def test_channel_hints_survive_enrichment(directory) -> None:
    order = msgspec.structs.replace(
        relay_order("005680"), label_hints={"mirakl.pudo-relay-point-provider": "colissimo"}
    )
    (enriched,) = await PickupEnricher({PickupCarrier.mondial_relay: directory}).enrich([order])
    assert enriched.label_hints["mirakl.pudo-relay-point-provider"] == "colissimo"
    assert enriched.label_hints["LIV_Rel"] == "005680"


async def test_a_directory_found_down_is_not_asked_again_in_the_same_batch(directory) -> None:
    directory.down = True
    orders = [relay_order(point_id) for point_id in ("005680", "003333", "006666")]
    enriched = await PickupEnricher({PickupCarrier.mondial_relay: directory}).enrich(orders)
    assert all(OrderFlag.pickup_point_unverified in o.flags for o in enriched)
    assert directory.gets == 1
