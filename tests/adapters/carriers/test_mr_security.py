"""Mondial Relay ``Security``: the reference's recorded vectors, and the exact request a search sends."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from defusedxml.ElementTree import fromstring

from portside.adapters.carriers.mondial_relay import MondialRelayDirectory, MondialRelaySettings
from portside.adapters.carriers.mondial_relay.schemas import NAMESPACE
from portside.adapters.carriers.mondial_relay.security import clean, permalink_crc, security
from portside.adapters.carriers.sandbox_kit import serve
from portside.adapters.http import HttpClient
from portside.core.model import Weight
from portside.core.ports import SearchArea

FIXTURES = Path(__file__).parent / "fixtures"

# WSI2_CreationExpedition of reference §1.6, in WSDL order (empty fields left out of the hash).
CREATION_EXPEDITION = [
    ("Enseigne", "BDTEST13"), ("ModeCol", "CCC"), ("ModeLiv", "24R"), ("NDossier", "CD2501011234"),
    ("NClient", ""), ("Expe_Langage", "FR"), ("Expe_Ad1", "MA BOUTIQUE SAS"), ("Expe_Ad2", ""),
    ("Expe_Ad3", "10 RUE DU COMMERCE"), ("Expe_Ad4", ""), ("Expe_Ville", "LYON"), ("Expe_CP", "69002"),
    ("Expe_Pays", "FR"), ("Expe_Tel1", "+33472000000"), ("Expe_Tel2", ""), ("Expe_Mail", ""),
    ("Dest_Langage", "FR"), ("Dest_Ad1", "DUPONT JEAN"), ("Dest_Ad2", ""), ("Dest_Ad3", "5 RUE DES LILAS"),
    ("Dest_Ad4", ""), ("Dest_Ville", "VILLEURBANNE"), ("Dest_CP", "69100"), ("Dest_Pays", "FR"),
    ("Dest_Tel1", "+33612345678"), ("Dest_Tel2", ""), ("Dest_Mail", "jean.dupont@example.com"),
    ("Poids", "1500"), ("Longueur", ""), ("Taille", ""), ("NbColis", "1"), ("CRT_Valeur", "0"),
    ("CRT_Devise", ""), ("Exp_Valeur", ""), ("Exp_Devise", ""), ("COL_Rel_Pays", ""), ("COL_Rel", ""),
    ("LIV_Rel_Pays", "FR"), ("LIV_Rel", "005680"), ("Security", "ignored"), ("Texte", "NOT SIGNED"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "key", "expected"),
    [
        (
            [("Enseigne", "BDTEST13"), ("Pays", "FR"), ("CP", "69100")],
            "TestAPI1key",
            "B92B23556C301E4A5D56F79566107A48",
        ),
        (
            [("Enseigne", "BDTEST13"), ("Pays", "FR"), ("NumPointRelais", "005680"), ("NombreResultats", None)],
            "TestAPI1key",
            "DA56B562D2C0F9C77F7AFF2BEE85BF2F",
        ),
        (
            [("Enseigne", "BDTEST13"), ("Pays", "FR"), ("CP", "75010"), ("Poids", "1500"), ("Action", "24R"),
             ("RayonRecherche", "20"), ("NombreResultats", "10")],
            "TestAPI1key",
            "84B5036C339D830D1242DBE5EDB2AF33",
        ),
        (
            [("Enseigne", "BDTEST13"), ("Pays", "FR"), ("CP", "75010"), ("Poids", "1500"), ("Action", "24R"),
             ("RayonRecherche", "20"), ("NombreResultats", "10")],
            "PrivateK",
            "0B3155882CD11DCB4334F02EB766FECD",
        ),
        (CREATION_EXPEDITION, "TestAPI1key", "8ECE4BE064AA0145138D52C37FC3439C"),
    ],
)  # fmt: skip
def test_security_matches_the_recorded_vectors(params: list[tuple[str, str | None]], key: str, expected: str) -> None:
    assert security(params, key) == expected


def test_signed_url_crcs_match_the_recorded_urls() -> None:
    assert permalink_crc("BDTEST1311", "50554859", private_key="TestAPI1key") == "C4530F968E6E507C379C538C5E36EC76"
    assert permalink_crc("BDTEST1311", "005680", "FR", private_key="TestAPI1key") == "EEC2483BB8957499130C57B7FD62388F"


def test_clean_strips_accents_and_upper_cases() -> None:
    assert clean("  Saint-Étienne ") == "SAINT-ETIENNE"
    assert clean("Café de la Gare") == "CAFE DE LA GARE"


async def test_a_search_sends_the_reference_request_exactly(http: HttpClient) -> None:
    """The reference's example request (§1.4): same parameters, same order, same Security."""
    received: list[bytes] = []

    async def capture(request: web.Request) -> web.Response:
        received.append(await request.read())
        assert request.headers["SOAPAction"] == f'"{NAMESPACE}WSI4_PointRelais_Recherche"'
        body = (FIXTURES / "mr_search_response.xml").read_bytes()
        return web.Response(body=body, content_type="text/xml")

    app = web.Application()
    app.router.add_post("/Web_Services.asmx", capture)
    async with await serve(app, host="127.0.0.1", port=0, path="/Web_Services.asmx") as running:
        settings = MondialRelaySettings(url=running.url, enseigne="BDTEST13", private_key="TestAPI1key")
        directory = MondialRelayDirectory(settings, http)
        await directory.search(SearchArea(postal_code="75010"), weight=Weight(grams=1500), limit=10, radius_km=20)

    sent = _children(received[0])
    expected = _children((FIXTURES / "mr_search_request.xml").read_bytes())
    assert sent == expected


def _children(body: bytes) -> list[tuple[str, str]]:
    root = fromstring(body)
    call = root.find(f".//{{{NAMESPACE}}}WSI4_PointRelais_Recherche")
    return [(child.tag.split("}")[1], child.text or "") for child in call]
