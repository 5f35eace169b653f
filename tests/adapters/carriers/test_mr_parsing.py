"""Reading Mondial Relay answers: the reference's example, lockers and holidays, and every malformed shape."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from portside.adapters.carriers.directory_errors import CarrierBadResponse, CarrierServiceError
from portside.adapters.carriers.mondial_relay.mapping import to_pickup_point
from portside.adapters.carriers.mondial_relay.parsing import parse_search_answer
from portside.adapters.carriers.mondial_relay.sandbox.render import entity_bomb, malformed_body
from portside.core.errors import DirectoryError
from portside.core.model import Closure, PickupCarrier, PointSource, TimeSlot

FIXTURES = Path(__file__).parent / "fixtures"
SOAP = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}</soap:Body></soap:Envelope>'
RESULT = (
    '<WSI4_PointRelais_RechercheResponse xmlns="http://www.mondialrelay.fr/webservice/">'
    "<WSI4_PointRelais_RechercheResult><STAT>{stat}</STAT>{points}</WSI4_PointRelais_RechercheResult>"
    "</WSI4_PointRelais_RechercheResponse>"
)


def answer(points: str = "", stat: str = "0") -> bytes:
    listing = f"<PointsRelais>{points}</PointsRelais>" if points else ""
    return SOAP.format(RESULT.format(stat=stat, points=listing)).encode()


def point_xml(**fields: str) -> str:
    values = {"Num": "005680", "LgAdr1": "TABAC", "LgAdr3": "1 RUE X", "CP": "75010", "Ville": "PARIS", "Pays": "FR"}
    values.update(fields)
    return "<PointRelais_Details>" + "".join(f"<{k}>{v}</{k}>" for k, v in values.items()) + "</PointRelais_Details>"


def test_the_reference_example_answer() -> None:
    parsed = parse_search_answer((FIXTURES / "mr_search_response.xml").read_bytes())
    assert parsed.stat == "0"
    assert len(parsed.points) == 1
    point = to_pickup_point(parsed.points[0], country="FR", max_weight_g=30_000)
    assert point.carrier == PickupCarrier.mondial_relay
    assert point.source == PointSource.directory
    assert point.point_id == "012345"
    assert point.name == "TABAC DU CANAL"  # right-padding stripped
    assert point.address is not None
    assert (point.address.line1, point.address.postal_code, point.address.city) == (
        "12 RUE DE LANCRY",
        "75010",
        "PARIS",
    )
    assert (point.latitude, point.longitude) == (48.87, 2.36)  # comma decimals, zero-padded longitude
    monday, sunday = point.opening_hours
    assert monday.weekday == 1
    assert monday.slots == (TimeSlot(opens="09:00", closes="12:30"), TimeSlot(opens="14:00", closes="19:00"))
    assert sunday.weekday == 7 and sunday.slots == ()  # 0000 0000: no slot
    assert point.distance_m == 412
    assert not point.is_locker and point.point_type == "REL"
    assert point.closures == ()
    assert point.max_weight is not None and point.max_weight.grams == 30_000


def test_a_locker_with_holidays_looked_up_by_id() -> None:
    parsed = parse_search_answer((FIXTURES / "mr_locker_by_id_response.xml").read_bytes())
    point = to_pickup_point(parsed.points[0], country="FR", max_weight_g=20_000)
    assert point.is_locker and point.point_type == "LOC"
    assert point.name == "LOCKER BORDEAUX SAINT-JEAN HALL 2"  # LgAdr1 + LgAdr2
    assert point.address is not None and point.address.line2 == "PARVIS NORD"
    assert point.longitude == pytest.approx(-0.5561)
    assert point.distance_m is None  # lookups by id carry no distance
    assert len(point.opening_hours) == 7
    assert all(day.slots == (TimeSlot(opens="00:01", closes="23:59"),) for day in point.opening_hours)
    assert point.closures == (
        Closure(start=date(2026, 8, 1), end=date(2026, 8, 23)),
        Closure(start=date(2027, 2, 15), end=date(2027, 2, 28)),
    )
    assert not point.is_open_on(date(2026, 8, 10))
    assert point.is_open_on(date(2026, 8, 24))


def test_a_slot_closing_at_midnight_reads_as_24_00() -> None:
    xml = point_xml(
        Horaires_Lundi="<string>1800</string><string>0000</string><string>0000</string><string>0000</string>"
    )
    point = to_pickup_point(parse_search_answer(answer(xml)).points[0], country="FR", max_weight_g=None)
    assert point.opening_hours[0].slots == (TimeSlot(opens="18:00", closes="24:00"),)


def test_an_error_stat_comes_back_with_no_points() -> None:
    parsed = parse_search_answer(answer(stat="97"))
    assert parsed.stat == "97" and parsed.points == ()


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "not well-formed"),
        (b"<html><body>Bad gateway</body></html>", "SOAP envelope"),
        (SOAP.replace("<soap:Body>{}</soap:Body>", "").encode(), "without a Body"),
        (SOAP.format("<Other/>").encode(), "no WSI4_PointRelais_RechercheResult"),
        (answer(stat=""), "without STAT"),
        (answer("<PointRelais_Details><LgAdr1>X</LgAdr1></PointRelais_Details>"), "without Num"),
        (malformed_body(), "not well-formed"),
        (b"<?xml version='1.0' encoding='ebcdic-xx'?><a/>", "not well-formed"),
    ],
)
def test_answers_that_are_not_what_the_wsdl_says(body: bytes, fragment: str) -> None:
    with pytest.raises(CarrierBadResponse, match=fragment) as caught:
        parse_search_answer(body)
    assert caught.value.carrier == "mondial_relay"


@pytest.mark.parametrize(
    "fields",
    [
        {"Latitude": "48,87x"},
        {"Latitude": "95,0000000"},
        {"Horaires_Lundi": "<string>0900</string><string>1230</string><string>1400</string>"},
        {"Horaires_Lundi": "<string>9h00</string><string>1230</string>"},
        {"Horaires_Lundi": "<string>1400</string><string>0900</string>"},
        {"Informations_Dispo": "<Periode><Debut>soon</Debut><Fin>2026-01-01</Fin></Periode>"},
        {"Informations_Dispo": "<Periode><Debut>2026-02-01</Debut><Fin>2026-01-01</Fin></Periode>"},
        {"Distance": "1,7 km"},
        {"Num": "   "},
    ],
)
def test_points_with_fields_outside_the_published_format(fields: dict[str, str]) -> None:
    with pytest.raises(CarrierBadResponse):
        parsed = parse_search_answer(answer(point_xml(**fields)))
        to_pickup_point(parsed.points[0], country="FR", max_weight_g=None)


def test_a_server_fault_is_retryable_and_a_client_fault_is_not() -> None:
    fault = "<soap:Fault><faultcode>soap:{}</faultcode><faultstring>Boom</faultstring></soap:Fault>"
    with pytest.raises(CarrierServiceError) as server:
        parse_search_answer(SOAP.format(fault.format("Server")).encode())
    assert server.value.retryable
    with pytest.raises(CarrierBadResponse) as client:
        parse_search_answer(SOAP.format(fault.format("Client")).encode())
    assert not client.value.retryable


@pytest.mark.parametrize(
    "body",
    [
        entity_bomb(),
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r/>',
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>',
    ],
    ids=["billion-laughs", "external-entity", "external-dtd", "internal-entity"],
)
def test_xml_with_entities_or_dtds_is_refused_unexpanded(body: bytes) -> None:
    with pytest.raises(DirectoryError, match="XML refused") as caught:
        parse_search_answer(body)
    assert not caught.value.retryable  # hostile content will not get better by asking again
