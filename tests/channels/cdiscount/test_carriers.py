"""The carrier referential: fetched once a day per store, labels trimmed and matched loosely, tables overridable."""

from __future__ import annotations

import pytest

from portside.channels.cdiscount.carrier_tables import CarrierTables, carrier_key
from portside.core.errors import ChannelUnavailable
from portside.testing.clock import FixedClock

from .conftest import API, AUTH_URL, make_store

CARRIERS = f"{API}/carriers"
REFERENTIAL = [
    {"code": "mre", "label": "Mondial Relay "},
    {"code": "pcc", "label": "Colissimo"},
    {"code": "pcc", "label": "La Poste"},
    {"code": "cpr", "label": "Colis Privé"},
    {"code": "dhldp", "label": "DHL"},
    {"code": "default", "label": "autre"},
    {"code": "x", "label": "  "},
    {"code": "pcc", "label": "Colissimo"},
]


@pytest.fixture(autouse=True)
def token(mock_http) -> None:
    mock_http.post(AUTH_URL, payload={"access_token": "tok", "expires_in": 7200}, repeat=True)


def fetches(mock_http) -> int:
    return sum(len(calls) for (method, url), calls in mock_http.requests.items() if str(url) == CARRIERS)


async def test_labels_are_trimmed_deduplicated_and_blank_ones_dropped(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=REFERENTIAL)
    accepted = await build().carriers.accepted_carriers()
    assert accepted == ["Mondial Relay", "Colissimo", "La Poste", "Colis Privé", "DHL", "autre"]


async def test_a_wrapped_list_is_read_too(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload={"items": REFERENTIAL[:2]})
    assert await build().carriers.accepted_carriers() == ["Mondial Relay", "Colissimo"]


@pytest.mark.parametrize(
    ("asked", "label"),
    [
        ("mondial_relay", "Mondial Relay"),
        ("  MONDIAL relay ", "Mondial Relay"),
        ("Mondial-Relay", "Mondial Relay"),
        ("colis_prive", "Colis Privé"),
        ("colis prive", "Colis Privé"),
        ("dhl_express", "DHL"),
        ("la_poste", "La Poste"),
        ("other", "autre"),
        ("chronopost", None),  # a known code, but not in this referential
        ("pigeon", None),
    ],
)
async def test_names_resolve_to_the_referential_label(build, mock_http, asked: str, label: str | None) -> None:
    mock_http.get(CARRIERS, payload=REFERENTIAL)
    assert await build().carriers.resolve(asked) == label


async def test_the_list_is_kept_for_a_day_then_fetched_again(build, mock_http, clock: FixedClock) -> None:
    mock_http.get(CARRIERS, payload=REFERENTIAL[:1])
    mock_http.get(CARRIERS, payload=REFERENTIAL[:2])
    carriers = build().carriers
    assert await carriers.accepted_carriers() == ["Mondial Relay"]
    clock.advance(hours=23)
    assert await carriers.resolve("colissimo") is None
    assert await build().carriers.accepted_carriers() == ["Mondial Relay"]  # shared by the store's bundles
    clock.advance(hours=2)
    assert await carriers.accepted_carriers() == ["Mondial Relay", "Colissimo"]
    assert fetches(mock_http) == 2


async def test_a_failed_refresh_keeps_the_old_list(build, mock_http, clock: FixedClock) -> None:
    mock_http.get(CARRIERS, payload=REFERENTIAL[:1])
    mock_http.get(CARRIERS, status=500, repeat=True)
    carriers = build().carriers
    await carriers.accepted_carriers()
    clock.advance(days=2)
    assert await carriers.accepted_carriers() == ["Mondial Relay"]


async def test_no_list_at_all_is_unavailable(build, mock_http) -> None:
    mock_http.get(CARRIERS, status=503, repeat=True)
    with pytest.raises(ChannelUnavailable):
        await build().carriers.accepted_carriers()


@pytest.mark.parametrize("payload", [[], [{"code": "x"}], "not a list"])
async def test_an_empty_or_unreadable_list_is_unavailable(build, mock_http, payload: object) -> None:
    mock_http.get(CARRIERS, payload=payload)
    with pytest.raises(ChannelUnavailable):
        await build().carriers.accepted_carriers()


async def test_a_store_can_map_its_own_codes_and_tracking_urls(build, mock_http) -> None:
    mock_http.get(CARRIERS, payload=REFERENTIAL)
    store = make_store(
        carrier_labels={"my_relay": "Mondial Relay", "colissimo": "La Poste"},
        tracking_urls={"my_relay": "https://track.example/{tracking}"},
    )
    carriers = build(store).carriers
    assert await carriers.resolve("my_relay") == "Mondial Relay"
    assert await carriers.resolve("colissimo") == "Colissimo"  # a label match wins over the table
    assert carriers.tracking_url("my_relay", "AB 12") == "https://track.example/AB%2012"


def test_default_tracking_urls_by_code_or_label() -> None:
    tables = CarrierTables()
    assert tables.tracking_url("colissimo", "6A1") == "https://www.laposte.fr/outils/suivre-vos-envois?code=6A1"
    assert tables.tracking_url("Colissimo", "6A1") == tables.tracking_url("colissimo", "6A1")
    assert tables.tracking_url("Mondial Relay", "1").startswith("https://www.mondialrelay.fr/")
    assert tables.tracking_url("pigeon", "1") is None


def test_carrier_keys_ignore_case_accents_spaces_and_separators() -> None:
    assert carrier_key("  Colis   Privé ") == carrier_key("COLIS_PRIVE") == carrier_key("colis-prive") == "colis prive"
    assert carrier_key("Kuehne + Nagel") == "kuehne + nagel"
