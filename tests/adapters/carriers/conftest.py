"""Fixtures for the carrier directory tests: a real client session, both sandboxes, both directories."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import aiohttp
import pytest

from portside.adapters.carriers.colissimo import ColissimoDirectory, ColissimoSettings
from portside.adapters.carriers.colissimo.sandbox import start_sandbox as start_colissimo
from portside.adapters.carriers.mondial_relay import MondialRelayDirectory, MondialRelaySettings
from portside.adapters.carriers.mondial_relay.sandbox import start_sandbox as start_mondial_relay
from portside.adapters.carriers.sandbox_kit import Running
from portside.adapters.http import HttpClient, RetryPolicy

TODAY = date(2026, 11, 26)  # before the seed's Christmas closures, so Colissimo still lists them


async def _no_sleep(_: float) -> None:
    return None


@pytest.fixture
async def http() -> AsyncIterator[HttpClient]:
    async with aiohttp.ClientSession() as session:
        # Two tries, no waiting: fault tests see retries happen without slowing the suite.
        yield HttpClient(session, retry=RetryPolicy(attempts=2, base_delay_s=0.0), sleep=_no_sleep)


@pytest.fixture
async def mr_sandbox() -> AsyncIterator[Running]:
    async with await start_mondial_relay() as running:
        yield running


@pytest.fixture
async def colissimo_sandbox() -> AsyncIterator[Running]:
    async with await start_colissimo() as running:
        yield running


@pytest.fixture
def mr_settings(mr_sandbox: Running) -> MondialRelaySettings:
    return MondialRelaySettings(url=mr_sandbox.url, enseigne="BDTEST13", private_key="TestAPI1key", timeout_s=0.5)


@pytest.fixture
def colissimo_settings(colissimo_sandbox: Running) -> ColissimoSettings:
    return ColissimoSettings(url=colissimo_sandbox.url, account="123456", password="sandbox-password", timeout_s=0.5)


@pytest.fixture
def mr_directory(mr_settings: MondialRelaySettings, http: HttpClient) -> MondialRelayDirectory:
    return MondialRelayDirectory(mr_settings, http)


@pytest.fixture
def colissimo_directory(colissimo_settings: ColissimoSettings, http: HttpClient) -> ColissimoDirectory:
    return ColissimoDirectory(colissimo_settings, http, today=lambda: TODAY)
