"""Fixtures for the shared HTTP client tests: aioresponses (with the aiohttp 3.14 shim) and a client
whose sleeps are recorded instead of waited."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import aiohttp
import pytest

from portside.adapters.http import HttpClient, RetryPolicy
from tests.support.aioresponses_shim import mock_http  # noqa: F401  (the fixture, re-exported)


class Sleeps(list[float]):
    """Every delay the client asked for, in order; returns at once."""

    async def __call__(self, delay: float) -> None:
        self.append(delay)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def client(sleeps: Sleeps) -> AsyncIterator[HttpClient]:
    async with aiohttp.ClientSession() as session:
        yield HttpClient(session, retry=RetryPolicy(attempts=3), sleep=sleeps, rng=random.Random(7))
