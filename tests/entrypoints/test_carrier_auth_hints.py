"""A carrier refusing credentials names what to fix in the words of whoever supplied them: an account's
own settings by their fields (what it sent through the API), the operator's by the ``PORTSIDE_*`` variables."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from portside.adapters.carriers import CarrierAuthFailed, ColissimoSettings, MondialRelaySettings
from portside.adapters.carriers.colissimo.sandbox import start_sandbox as start_colissimo
from portside.adapters.carriers.mondial_relay.sandbox import start_sandbox as start_mondial_relay
from portside.adapters.http import HttpClient
from portside.core.model import PickupCarrier
from portside.core.ports import SearchArea
from portside.entrypoints.container import build_directory

PARIS = SearchArea(country="FR", postal_code="75001", city="PARIS")


@pytest.fixture
async def http() -> AsyncIterator[HttpClient]:
    async with aiohttp.ClientSession() as session:
        yield HttpClient(session)


async def _refusal(carrier: PickupCarrier, settings: Any, http: HttpClient, *, service: bool) -> str:
    with pytest.raises(CarrierAuthFailed) as refused:
        await build_directory(carrier, settings, http=http, service=service).search(PARIS, limit=1)
    return str(refused.value)


async def test_mondial_relay_names_the_fields_or_the_variables(http: HttpClient) -> None:
    async with await start_mondial_relay() as sandbox:
        wrong = MondialRelaySettings(url=sandbox.url, enseigne="BDTEST13", private_key="NotTheKey99")
        own = await _refusal(PickupCarrier.mondial_relay, wrong, http, service=False)
        operator = await _refusal(PickupCarrier.mondial_relay, wrong, http, service=True)
    assert "check the settings enseigne and private_key" in own and "PORTSIDE_" not in own
    assert "PORTSIDE_MONDIAL_RELAY_ENSEIGNE and PORTSIDE_MONDIAL_RELAY_PRIVATE_KEY" in operator
    assert "NotTheKey99" not in own + operator


async def test_colissimo_names_the_fields_or_the_variables(http: HttpClient) -> None:
    async with await start_colissimo() as sandbox:
        wrong = ColissimoSettings(url=sandbox.url, account="123456", password="not-the-password")
        own = await _refusal(PickupCarrier.colissimo, wrong, http, service=False)
        operator = await _refusal(PickupCarrier.colissimo, wrong, http, service=True)
    assert "check the settings account and password, or api_key" in own and "PORTSIDE_" not in own
    assert "PORTSIDE_COLISSIMO_ACCOUNT and PORTSIDE_COLISSIMO_PASSWORD, or PORTSIDE_COLISSIMO_API_KEY" in operator
    assert "not-the-password" not in own + operator
