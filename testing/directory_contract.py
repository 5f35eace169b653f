"""The pickup point directory contract: what every ``PickupPointDirectory`` does, whatever the carrier.

In a pytest module, subclass ``DirectoryContract`` as a ``Test…`` class and provide two fixtures:
``directory`` (the implementation, usually talking to its sandbox over HTTP) and ``contract_case``
(a ``DirectoryContractCase`` naming points that directory knows)::

    class TestMondialRelay(DirectoryContract):
        @pytest.fixture
        def contract_case(self) -> DirectoryContractCase: ...

        @pytest.fixture
        async def directory(self) -> AsyncIterator[PickupPointDirectory]: ...

Call ``pytest.register_assert_rewrite("portside.testing")`` in a conftest for detailed failures.
"""

from __future__ import annotations

from itertools import pairwise

import msgspec

from portside.core.model import Closure, PickupPoint, PointSource, Weight
from portside.core.ports import PickupPointDirectory, SearchArea


class DirectoryContractCase(msgspec.Struct, frozen=True, kw_only=True):
    """Facts about the directory under test, as its data (sandbox seed, recorded answers) states them."""

    country: str
    known_id: str  # a point with an address, hours and coordinates
    known_postal_code: str
    known_latitude: float
    known_longitude: float
    known_point_type: str
    short_id: str  # the same point's id as a marketplace sends it, leading zeros dropped
    unknown_ids: tuple[str, ...]  # well-formed ids the directory must not know (e.g. delisted points)
    postcode_area: SearchArea
    postcode_expected_id: str  # a point that search by postcode_area must return within ``limit``
    coordinates_area: SearchArea
    coordinates_nearest_id: str  # the point standing at coordinates_area
    holiday_id: str
    holiday: Closure  # a closure holiday_id reports
    locker_id: str
    heavy_area: SearchArea  # around the locker, with heavier-capable points nearby
    heavy_weight: Weight  # more than the locker takes, less than nearby shops take
    limit: int = 3


def _distances_ascend(points: list[PickupPoint]) -> bool:
    distances = [p.distance_m for p in points if p.distance_m is not None]
    assert len(distances) == len(points), f"search results need a distance: {[p.distance_m for p in points]}"
    return all(a <= b for a, b in pairwise(distances))


class DirectoryContract:
    async def test_get_returns_the_point_with_address_hours_and_coordinates(
        self, directory: PickupPointDirectory, contract_case: DirectoryContractCase
    ) -> None:
        case = contract_case
        point = await directory.get(case.known_id, case.country)
        assert point is not None
        assert point.carrier == directory.carrier
        assert point.point_id == case.known_id
        assert point.source == PointSource.directory
        assert point.name
        assert point.country == case.country
        assert point.address is not None
        assert point.address.line1
        assert point.address.city
        assert point.address.postal_code == case.known_postal_code
        assert point.latitude is not None and abs(point.latitude - case.known_latitude) < 1e-4
        assert point.longitude is not None and abs(point.longitude - case.known_longitude) < 1e-4
        assert point.point_type == case.known_point_type
        assert any(day.slots for day in point.opening_hours), "a shop publishes opening hours"
        assert all(1 <= day.weekday <= 7 for day in point.opening_hours)

    async def test_get_an_unknown_id_returns_none(
        self, directory: PickupPointDirectory, contract_case: DirectoryContractCase
    ) -> None:
        for point_id in contract_case.unknown_ids:
            assert await directory.get(point_id, contract_case.country) is None, point_id

    async def test_get_pads_ids_sent_without_leading_zeros(
        self, directory: PickupPointDirectory, contract_case: DirectoryContractCase
    ) -> None:
        point = await directory.get(contract_case.short_id, contract_case.country.lower())
        assert point is not None
        assert point.point_id == contract_case.known_id

    async def test_search_by_postcode_returns_nearest_first_within_limit(
        self, directory: PickupPointDirectory, contract_case: DirectoryContractCase
    ) -> None:
        points = await directory.search(contract_case.postcode_area, limit=contract_case.limit)
        assert 0 < len(points) <= contract_case.limit
        assert _distances_ascend(points)
        assert contract_case.postcode_expected_id in {p.point_id for p in points}
        assert all(p.carrier == directory.carrier and p.source == PointSource.directory for p in points)

    async def test_search_by_coordinates_puts_the_point_standing_there_first(
        self, directory: PickupPointDirectory, contract_case: DirectoryContractCase
    ) -> None:
        points = await directory.search(contract_case.coordinates_area, limit=contract_case.limit)
        assert 0 < len(points) <= contract_case.limit
        assert points[0].point_id == contract_case.coordinates_nearest_id
        assert _distances_ascend(points)

    async def test_search_leaves_out_points_that_cannot_take_the_weight(
        self, directory: PickupPointDirectory, contract_case: DirectoryContractCase
    ) -> None:
        case = contract_case
        light = await directory.search(case.heavy_area, limit=case.limit)
        assert case.locker_id in {p.point_id for p in light}
        heavy = await directory.search(case.heavy_area, weight=case.heavy_weight, limit=case.limit)
        assert heavy, "points nearby take heavier parcels than the locker"
        assert case.locker_id not in {p.point_id for p in heavy}
        assert all(p.accepts(case.heavy_weight) for p in heavy)

    async def test_a_point_closed_for_holidays_reports_its_closures(
        self, directory: PickupPointDirectory, contract_case: DirectoryContractCase
    ) -> None:
        point = await directory.get(contract_case.holiday_id, contract_case.country)
        assert point is not None
        assert contract_case.holiday in point.closures
        assert not point.is_open_on(contract_case.holiday.start)

    async def test_lockers_are_flagged(
        self, directory: PickupPointDirectory, contract_case: DirectoryContractCase
    ) -> None:
        locker = await directory.get(contract_case.locker_id, contract_case.country)
        assert locker is not None and locker.is_locker
        shop = await directory.get(contract_case.known_id, contract_case.country)
        assert shop is not None and not shop.is_locker

    async def test_search_never_returns_unknown_points(
        self, directory: PickupPointDirectory, contract_case: DirectoryContractCase
    ) -> None:
        for area in (contract_case.postcode_area, contract_case.coordinates_area, contract_case.heavy_area):
            points = await directory.search(area, limit=30)
            assert not {p.point_id for p in points} & set(contract_case.unknown_ids)
