"""Colissimo errorCode paths: the sandbox answers what the service would; the directory handles each."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from portside.adapters.carriers.colissimo import ColissimoDirectory, ColissimoSettings
from portside.adapters.carriers.directory_errors import (
    CarrierAuthFailed,
    CarrierBadResponse,
    CarrierRequestRejected,
)
from portside.adapters.carriers.sandbox_kit import Running
from portside.adapters.http import HttpClient
from portside.core.model import Weight
from portside.core.ports import SearchArea

from .conftest import TODAY

SEARCH = {
    "accountNumber": "123456",
    "password": "sandbox-password",
    "zipCode": "75011",
    "city": "PARIS",
    "countryCode": "FR",
    "shippingDate": "26/11/2026",
    "filterRelay": "1",
    "lang": "FR",
    "optionInter": "0",
}
BY_ID = {
    "accountNumber": "123456",
    "password": "sandbox-password",
    "id": "060567",
    "date": "26/11/2026",
    "reseau": "R01",
    "langue": "FR",
}


@pytest.mark.parametrize(
    ("operation", "changes", "code"),
    [
        ("findRDVPointRetraitAcheminement", {"accountNumber": None}, 101),
        ("findRDVPointRetraitAcheminement", {"password": None}, 102),
        ("findRDVPointRetraitAcheminement", {"password": "nope"}, 201),
        ("findRDVPointRetraitAcheminement", {"accountNumber": None, "apiKey": "wrong"}, 201),
        ("findRDVPointRetraitAcheminement", {"zipCode": None}, 104),
        ("findRDVPointRetraitAcheminement", {"city": ""}, 105),
        ("findRDVPointRetraitAcheminement", {"shippingDate": None}, 106),
        ("findRDVPointRetraitAcheminement", {"countryCode": None}, 117),
        ("findRDVPointRetraitAcheminement", {"weight": "heavy"}, 120),
        ("findRDVPointRetraitAcheminement", {"weight": 100_000}, 121),
        ("findRDVPointRetraitAcheminement", {"shippingDate": "2026-11-26"}, 122),
        ("findRDVPointRetraitAcheminement", {"filterRelay": "yes"}, 123),
        ("findRDVPointRetraitAcheminement", {"zipCode": "99999"}, 125),
        ("findRDVPointRetraitAcheminement", {"requestId": "not valid!"}, 127),
        ("findRDVPointRetraitAcheminement", {"countryCode": "BE", "zipCode": "10000"}, 143),
        ("findRDVPointRetraitAcheminement", {"countryCode": "US"}, 146),
        ("findRDVPointRetraitAcheminement", {"optionInter": "1"}, 203),
        ("findRDVPointRetraitAcheminement", {"weight": 40_000}, 300),  # points nearby, none that heavy
        ("findRDVPointRetraitAcheminement", {"zipCode": "01000", "city": "BOURG"}, 301),
        ("findRDVPointRetraitAcheminement", {"accountNumber": None, "apiKey": "sandbox-api-key"}, 0),
        ("findRDVPointRetraitAcheminement", {}, 0),
        ("findPointRetraitAcheminementByID", {"id": None}, 107),
        ("findPointRetraitAcheminementByID", {"id": "60-567"}, 124),
        ("findPointRetraitAcheminementByID", {"date": None}, 106),
        ("findPointRetraitAcheminementByID", {"date": "tomorrow"}, 122),
        ("findPointRetraitAcheminementByID", {"id": "616034"}, 301),  # delisted
        ("findPointRetraitAcheminementByID", {"reseau": "R03"}, 301),  # asked on the wrong network
        ("findPointRetraitAcheminementByID", {"reseau": None}, 301),
        ("findPointRetraitAcheminementByID", {}, 0),
    ],
)
async def test_the_sandbox_answers_the_services_error_code(
    http: HttpClient, colissimo_sandbox: Running, operation: str, changes: dict[str, Any], code: int
) -> None:
    body = dict(SEARCH if operation.startswith("findRDV") else BY_ID)
    body.update(changes)
    response = await http.request(
        "POST",
        f"{colissimo_sandbox.url}/{operation}",
        headers={"Content-Type": "application/json"},
        data=msgspec.json.encode({k: v for k, v in body.items() if v is not None}),
    )
    assert response.status == 200
    assert msgspec.json.decode(response.body)["errorCode"] == code


async def test_the_sandbox_refuses_a_body_that_is_not_json(http: HttpClient, colissimo_sandbox: Running) -> None:
    url = f"{colissimo_sandbox.url}/findRDVPointRetraitAcheminement"
    response = await http.request("POST", url, data=b"accountNumber=1")
    assert response.status == 400


async def test_wrong_credentials_are_an_auth_error_that_never_shows_the_password(
    http: HttpClient, colissimo_sandbox: Running
) -> None:
    settings = ColissimoSettings(url=colissimo_sandbox.url, account="123456", password="s3cr3t-wrong")
    with pytest.raises(CarrierAuthFailed, match="errorCode 201") as caught:
        await ColissimoDirectory(settings, http).get("060567", "FR")
    assert "s3cr3t-wrong" not in str(caught.value)
    assert "check the settings account and password, or api_key" in str(caught.value)  # what the settings call them


async def test_an_api_key_works_instead_of_account_and_password(http: HttpClient, colissimo_sandbox: Running) -> None:
    settings = ColissimoSettings(url=colissimo_sandbox.url, api_key="sandbox-api-key")
    point = await ColissimoDirectory(settings, http, today=lambda: TODAY).get("060567", "FR")
    assert point is not None and point.point_id == "060567"


async def test_no_point_nearby_or_too_heavy_for_all_is_an_empty_list(colissimo_directory: ColissimoDirectory) -> None:
    assert await colissimo_directory.search(SearchArea(postal_code="01000", city="Bourg-en-Bresse")) == []  # 301
    assert (
        await colissimo_directory.search(SearchArea(postal_code="75011", city="Paris"), weight=Weight(grams=40_000))
        == []
    )
    assert (
        await colissimo_directory.search(SearchArea(postal_code="75011", city="Paris"), weight=Weight(grams=10**6))
        == []
    )


async def test_a_point_on_an_unexpected_network_is_found_once_a_search_has_shown_it(
    http: HttpClient, colissimo_settings: ColissimoSettings
) -> None:
    # Only post offices' network is tried: the A2P shop 613870 (network R03) is invisible to get()…
    settings = msgspec.structs.replace(colissimo_settings, networks={"FR": ("R01",)})
    directory = ColissimoDirectory(settings, http, today=lambda: TODAY)
    assert await directory.get("613870", "FR") is None
    # …until a search has returned it with its network, which the directory remembers.
    found = await directory.search(SearchArea(postal_code="75011", city="Paris"))
    assert "613870" in {p.point_id for p in found}
    point = await directory.get("613870", "FR")
    assert point is not None and point.network == "R03"


async def test_get_falls_back_to_searching_near_the_orders_address(
    http: HttpClient, colissimo_settings: ColissimoSettings
) -> None:
    settings = msgspec.structs.replace(colissimo_settings, networks={"FR": ("X99",)})
    directory = ColissimoDirectory(settings, http, today=lambda: TODAY)
    assert await directory.get("618266", "FR") is None
    near = SearchArea(postal_code="75018", city="Paris", address_line="21 rue Lepic")
    point = await directory.get("618266", "FR", near=near)
    assert point is not None and point.name == "CAVE DE MONTMARTRE"
    assert await directory.get("616034", "FR", near=SearchArea(postal_code="75013", city="Paris")) is None


async def test_get_of_malformed_ids_is_none_without_a_call(colissimo_directory: ColissimoDirectory) -> None:
    assert await colissimo_directory.get("60-567!", "FR") is None
    assert await colissimo_directory.get("", "FR") is None


@pytest.mark.parametrize(
    ("area", "fragment"),
    [
        (SearchArea(latitude=48.85, longitude=2.35), "postcode and a city"),
        (SearchArea(postal_code="75011"), "postcode and a city"),
        (SearchArea(postal_code="75011", city="Paris", country="France"), "country"),
    ],
)
async def test_searches_colissimo_cannot_answer_are_refused_before_any_call(
    colissimo_directory: ColissimoDirectory, area: SearchArea, fragment: str
) -> None:
    with pytest.raises(CarrierRequestRejected, match=fragment) as caught:
        await colissimo_directory.search(area)
    assert caught.value.carrier == "colissimo"


async def test_a_point_that_breaks_the_format_is_left_out_of_a_search(
    colissimo_directory: ColissimoDirectory, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from portside.adapters.carriers.colissimo import directory as module

    real = module.to_pickup_point

    def flaky(wire: Any, **kwargs: Any) -> Any:
        if wire.identifiant == "613870":
            raise CarrierBadResponse("colissimo", "hours garbled")
        return real(wire, **kwargs)

    monkeypatch.setattr(module, "to_pickup_point", flaky)
    points = await colissimo_directory.search(SearchArea(postal_code="75011", city="Paris"))
    assert points and "613870" not in {p.point_id for p in points}
    assert "613870" in caplog.text
