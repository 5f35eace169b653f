"""Fixtures for the shared HTTP client tests: aioresponses (with the aiohttp 3.14 shim) and a client
whose sleeps are recorded instead of waited."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import aiohttp
import pytest

from portside.adapters.http import HttpClient, RetryPolicy
from tests.support.aioresponses_shim import mock_http  # noqa: F401  (the fixture, re-exported)
from tests.support.recorded_sleeps import RecordedSleeps


@pytest.fixture
def sleeps() -> RecordedSleeps:
    return RecordedSleeps()


@pytest.fixture
async def client(sleeps: RecordedSleeps) -> AsyncIterator[HttpClient]:
    async with aiohttp.ClientSession() as session:
        yield HttpClient(session, retry=RetryPolicy(attempts=3), sleep=sleeps, rng=random.Random(7))
