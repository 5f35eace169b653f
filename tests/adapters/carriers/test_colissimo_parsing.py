"""Reading Colissimo Point Retrait answers: the reference's example, lockers, closures, malformed bodies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import msgspec
import pytest

from portside.adapters.carriers.colissimo.parsing import decode, to_pickup_point
from portside.adapters.carriers.colissimo.sandbox.app import malformed_body, nesting_bomb
from portside.adapters.carriers.colissimo.schemas import ByIdResponse, SearchResponse, WirePoint
from portside.adapters.carriers.directory_errors import CarrierBadResponse
from portside.core.model import Closure, PickupCarrier, PointSource, TimeSlot

FIXTURES = Path(__file__).parent / "fixtures"
LOCKERS = ("PCS",)


def test_the_reference_by_id_example() -> None:
    answer = decode((FIXTURES / "colissimo_by_id_response.json").read_bytes(), ByIdResponse)
    assert answer.errorCode == 0 and answer.pointRetraitAcheminement is not None
    point = to_pickup_point(answer.pointRetraitAcheminement, country="FR", locker_types=LOCKERS)
    assert point.carrier == PickupCarrier.colissimo and point.source == PointSource.directory
    assert point.point_id == "060567"  # leading zero kept
    assert point.name == "BUREAU DE POSTE EXEMPLE"
    assert point.address is not None
    assert (point.address.line1, point.address.line2, point.address.postal_code) == ("13 RUE EXEMPLE", None, "69100")
    assert point.address.city == "VILLEURBANNE"
    assert point.latitude == pytest.approx(45.7695505) and point.longitude == pytest.approx(4.86314559)
    monday, sunday = point.opening_hours
    assert monday.slots == (TimeSlot(opens="09:00", closes="12:00"), TimeSlot(opens="14:00", closes="18:00"))
    assert sunday.weekday == 7 and sunday.slots == ()
    # 1745186400000 ms is 2025-04-20T22:00Z: midnight of 21 April in Paris, where the points are.
    assert point.closures == (Closure(start=date(2025, 4, 21), end=date(2025, 4, 21)),)
    assert (point.point_type, point.network, point.is_locker) == ("BPR", "R01", False)
    assert point.max_weight is not None and point.max_weight.grams == 30_000
    assert point.distance_m is None  # -1 in lookups by id


def test_a_search_answer_with_a_locker_and_soap_style_dates() -> None:
    answer = decode((FIXTURES / "colissimo_search_response.json").read_bytes(), SearchResponse)
    shop, locker = (
        to_pickup_point(w, country="FR", locker_types=LOCKERS) for w in answer.listePointRetraitAcheminement or ()
    )
    assert shop.distance_m == 412 and shop.network == "R03" and not shop.is_locker
    assert shop.opening_hours[0].slots == (TimeSlot(opens="07:00", closes="20:00"),)
    assert locker.is_locker and locker.point_type == "PCS"
    assert locker.max_weight is not None and locker.max_weight.grams == 20_000  # "20000" as a string
    assert locker.opening_hours[0].slots == (TimeSlot(opens="00:01", closes="23:59"),)
    assert locker.closures == (Closure(start=date(2026, 12, 24), end=date(2026, 12, 27)),)
    assert not locker.is_open_on(date(2026, 12, 25))


def point(**fields: object) -> WirePoint:
    base: dict[str, object] = {"identifiant": "060567", "nom": "BUREAU", "codePays": "FR"}
    base.update(fields)
    return msgspec.convert(base, WirePoint)


def test_a_numeric_id_gets_its_leading_zeros_back() -> None:
    assert to_pickup_point(point(identifiant=60567), country="FR", locker_types=LOCKERS).point_id == "060567"


def test_a_slot_closing_at_midnight_reads_as_24_00() -> None:
    mapped = to_pickup_point(point(horairesOuvertureLundi="18:00-00:00"), country="FR", locker_types=LOCKERS)
    assert mapped.opening_hours[0].slots == (TimeSlot(opens="18:00", closes="24:00"),)


@pytest.mark.parametrize(
    "fields",
    [
        {"horairesOuvertureLundi": "9h-12h"},
        {"horairesOuvertureLundi": "14:00-09:00"},
        {"coordGeolocalisationLatitude": "north"},
        {"coordGeolocalisationLongitude": "200.0"},
        {"listeConges": [{"calendarDeDebut": "soon", "calendarDeFin": 0}]},
        {"listeConges": [{"calendarDeDebut": 10**20, "calendarDeFin": 0}]},
        {"listeConges": [{"calendarDeDebut": 1745186400000, "calendarDeFin": 1700000000000}]},
        {"poidsMaxi": "20 kg"},
        {"poidsMaxi": -5},
        {"distanceEnMetre": "far"},
        {"identifiant": "  "},
    ],
)
def test_points_with_fields_outside_the_published_format(fields: dict[str, object]) -> None:
    with pytest.raises(CarrierBadResponse) as caught:
        to_pickup_point(point(**fields), country="FR", locker_types=LOCKERS)
    assert caught.value.carrier == "colissimo"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>502 Bad Gateway</html>",
        b"[]",
        b'{"errorMessage":"no code"}',
        b'{"errorCode":[1]}',
        malformed_body(),
    ],
)
def test_bodies_that_are_not_an_answer(body: bytes) -> None:
    with pytest.raises(CarrierBadResponse) as caught:
        decode(body, SearchResponse)
    assert caught.value.carrier == "colissimo" and caught.value.retryable


def test_absurdly_nested_json_is_refused_without_exhausting_the_stack() -> None:
    with pytest.raises(CarrierBadResponse, match="nested too deeply") as caught:
        decode(nesting_bomb(), SearchResponse)
    assert not caught.value.retryable
