"""Both carrier directories pass the shared directory contract against their sandboxes over real HTTP."""

from __future__ import annotations

import pytest

from portside.adapters.carriers.colissimo import ColissimoDirectory
from portside.adapters.carriers.mondial_relay import MondialRelayDirectory
from portside.adapters.carriers.seed_points import COLISSIMO, MONDIAL_RELAY, SeedPoint, point_by_id
from portside.core.model import Closure, Weight
from portside.core.ports import PickupPointDirectory, SearchArea
from portside.testing.directory_contract import DirectoryContract, DirectoryContractCase


def _seed(carrier: str, point_id: str) -> SeedPoint:
    point = point_by_id(carrier, point_id)
    assert point is not None, f"seed point {carrier} {point_id} is gone; update the contract case"
    return point


def _case(
    carrier: str,
    *,
    known: str,
    unknown: tuple[str, ...],
    postcode: tuple[str, str, str],
    near: str,
    holiday: str,
    locker: str,
    with_postcode: bool,
) -> DirectoryContractCase:
    shop, there, closed, box = (_seed(carrier, i) for i in (known, near, holiday, locker))

    def at(p: SeedPoint) -> SearchArea:
        # Colissimo searches need a postcode and a city; the coordinates then rank the answers.
        extra = {"postal_code": p.postal_code, "city": p.city} if with_postcode else {}
        return SearchArea(country=p.country, latitude=p.latitude, longitude=p.longitude, **extra)

    return DirectoryContractCase(
        country=shop.country,
        known_id=shop.point_id,
        known_postal_code=shop.postal_code,
        known_latitude=shop.latitude,
        known_longitude=shop.longitude,
        known_point_type=shop.point_type,
        short_id=shop.point_id.lstrip("0"),
        unknown_ids=unknown,
        postcode_area=SearchArea(country="FR", postal_code=postcode[0], city=postcode[1]),
        postcode_expected_id=postcode[2],
        coordinates_area=at(there),
        coordinates_nearest_id=there.point_id,
        holiday_id=closed.point_id,
        holiday=Closure(start=closed.closures[0][0], end=closed.closures[0][1]),
        locker_id=box.point_id,
        heavy_area=at(box),
        heavy_weight=Weight(grams=box.max_weight_g + 5_000),
        limit=5,
    )


class TestMondialRelayContract(DirectoryContract):
    @pytest.fixture
    def contract_case(self) -> DirectoryContractCase:
        return _case(
            MONDIAL_RELAY,
            known="005680",
            unknown=("052376", "999999"),  # 052376 is delisted: orders still name it
            postcode=("75010", "Paris", "005680"),
            near="020481",
            holiday="012345",
            locker="031207",
            with_postcode=False,
        )

    @pytest.fixture
    def directory(self, mr_directory: MondialRelayDirectory) -> PickupPointDirectory:
        return mr_directory


class TestColissimoContract(DirectoryContract):
    @pytest.fixture
    def contract_case(self) -> DirectoryContractCase:
        return _case(
            COLISSIMO,
            known="060567",
            unknown=("616034", "999999"),  # 616034 is delisted
            postcode=("75011", "Paris", "613870"),
            near="618266",
            holiday="617751",
            locker="614402",
            with_postcode=True,
        )

    @pytest.fixture
    def directory(self, colissimo_directory: ColissimoDirectory) -> PickupPointDirectory:
        return colissimo_directory
