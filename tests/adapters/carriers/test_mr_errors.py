"""Mondial Relay STAT paths: the sandbox answers what the service would; the directory handles each."""

from __future__ import annotations

import pytest

from portside.adapters.carriers.directory_errors import CarrierAuthFailed, CarrierRequestRejected
from portside.adapters.carriers.mondial_relay import MondialRelayDirectory, MondialRelaySettings
from portside.adapters.carriers.mondial_relay.parsing import parse_search_answer
from portside.adapters.carriers.mondial_relay.schemas import PARAM_ORDER, SOAP_ACTION, SearchRequest, envelope
from portside.adapters.carriers.mondial_relay.security import security
from portside.adapters.carriers.sandbox_kit import Running
from portside.adapters.http import HttpClient
from portside.core.ports import SearchArea


@pytest.mark.parametrize(
    ("params", "stat"),
    [
        ({"Enseigne": ""}, 2),
        ({"Enseigne": "bdtest13"}, 1),
        ({"Enseigne": "ZZTEST99"}, 2),
        ({"Security": "0" * 32}, 97),
        ({"Pays": "FRA"}, 37),
        ({"Pays": ""}, 37),
        ({"NumPointRelais": "5680"}, 70),
        ({"NumPointRelais": "052376"}, 70),  # delisted
        ({"NumPointRelais": "005680", "Pays": "BE"}, 70),  # a point is looked up in its own country
        ({"CP": None, "Ville": "PARIS 10"}, 35),
        ({"CP": "75-010!"}, 36),
        ({"Latitude": "48.87"}, 67),
        ({"Longitude": "2.3600000"}, 67),  # longitude without latitude
        ({"Taille": "HUGE"}, 22),
        ({"Poids": "1.5"}, 20),
        ({"Action": "HOM"}, 49),
        ({"NombreResultats": "many"}, 40),
        ({"RayonRecherche": "far"}, 40),
        ({"TypeActivite": "12"}, 71),
        ({"CP": None}, 40),  # nothing to search around
        ({"CP": None, "Ville": "ATLANTIS"}, 9),
        ({"CP": "75010"}, 0),
    ],
)
async def test_the_sandbox_answers_the_services_stat(
    http: HttpClient, mr_sandbox: Running, params: dict[str, str | None], stat: int
) -> None:
    values: dict[str, str | None] = {"Enseigne": "BDTEST13", "Pays": "FR", "CP": "75010"}
    values.update({k: v for k, v in params.items() if k != "Security"})
    request = SearchRequest(**{k: values.get(k) for k in PARAM_ORDER})  # type: ignore[arg-type]
    signature = params.get("Security") or security(request.params(), "TestAPI1key")
    response = await http.request(
        "POST",
        mr_sandbox.url,
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": SOAP_ACTION},
        data=envelope(request, signature),
    )
    assert response.status == 200
    assert parse_search_answer(response.body).stat == str(stat)


async def test_the_sandbox_refuses_unknown_operations_and_broken_xml(http: HttpClient, mr_sandbox: Running) -> None:
    async with http.session.post(mr_sandbox.url, headers={"SOAPAction": '"x"'}, data=b"<a/>") as wrong:
        assert wrong.status == 500 and b"did not recognize" in await wrong.read()
    async with http.session.post(mr_sandbox.url, headers={"SOAPAction": SOAP_ACTION}, data=b"<a") as broken:
        assert broken.status == 400


async def test_a_wrong_private_key_is_an_auth_error_that_never_shows_the_key(
    http: HttpClient, mr_sandbox: Running
) -> None:
    settings = MondialRelaySettings(url=mr_sandbox.url, enseigne="BDTEST13", private_key="WrongKey")
    with pytest.raises(CarrierAuthFailed, match="STAT 97") as caught:
        await MondialRelayDirectory(settings, http).get("005680", "FR")
    assert "WrongKey" not in str(caught.value) and "WrongKey" not in repr(caught.value)
    assert "check the settings enseigne and private_key" in str(caught.value)  # what the settings call them


async def test_an_unknown_enseigne_is_an_auth_error(http: HttpClient, mr_sandbox: Running) -> None:
    settings = MondialRelaySettings(url=mr_sandbox.url, enseigne="ZZTEST99", private_key="TestAPI1key")
    with pytest.raises(CarrierAuthFailed, match="STAT 2"):
        await MondialRelayDirectory(settings, http).search(SearchArea(postal_code="75010"))


async def test_get_of_unknown_or_malformed_ids_is_none(mr_directory: MondialRelayDirectory) -> None:
    assert await mr_directory.get("999999", "FR") is None  # STAT 70
    assert await mr_directory.get("FR-ABCDEF", "FR") is None  # not an id: no call at all
    assert await mr_directory.get("1234567", "FR") is None


async def test_an_unknown_city_is_a_rejected_request(mr_directory: MondialRelayDirectory) -> None:
    with pytest.raises(CarrierRequestRejected, match="STAT 9") as caught:
        await mr_directory.search(SearchArea(city="Atlantis"))
    assert caught.value.carrier == "mondial_relay" and not caught.value.retryable


async def test_a_postcode_nobody_serves_finds_nothing(mr_directory: MondialRelayDirectory) -> None:
    assert await mr_directory.search(SearchArea(postal_code="97400")) == []


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda d: d.get("005680", "France"), "country"),
        (lambda d: d.search(SearchArea(postal_code="75010"), limit=0), "limit"),
        (lambda d: d.search(SearchArea(postal_code="75010"), action="HOM"), "Action"),
        (lambda d: d.search(SearchArea(postal_code="75010"), radius_km=0), "radius"),
        (lambda d: d.search(SearchArea(postal_code="75/010")), "postcode"),
        (lambda d: d.search(SearchArea(city="75")), "city"),
        (lambda d: d.search(SearchArea(latitude=10.0, longitude=120.5)), "Longitude"),
    ],
)
async def test_bad_inputs_are_refused_before_any_call(
    mr_directory: MondialRelayDirectory, call: object, fragment: str
) -> None:
    with pytest.raises(CarrierRequestRejected, match=fragment) as caught:
        await call(mr_directory)  # type: ignore[operator]
    assert caught.value.carrier == "mondial_relay"
