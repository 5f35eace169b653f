"""Fixtures for the Mirakl channel tests: stores, an HTTP client that records its sleeps, aioresponses, sandboxes."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from portside.adapters.http import HttpClient, RetryPolicy
from portside.channels.mirakl import plugin
from portside.channels.mirakl.plugin import StoreConnection
from portside.channels.mirakl.sandbox import MiraklSandboxConfig, Running, start_sandbox
from portside.channels.registry import ChannelDeps
from portside.core.ports import ChannelBundle
from portside.testing.clock import FixedClock
from tests.support.aioresponses_shim import mock_http  # noqa: F401  (the fixture, re-exported)
from tests.support.recorded_sleeps import RecordedSleeps

from .harness import NOW, Harness, make_store


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def sleeps() -> RecordedSleeps:
    return RecordedSleeps()


@pytest.fixture
async def http_client(sleeps: RecordedSleeps) -> AsyncIterator[HttpClient]:
    async with aiohttp.ClientSession() as session:
        yield HttpClient(session, retry=RetryPolicy(attempts=3), sleep=sleeps, rng=random.Random(3))


@pytest.fixture
def deps(http_client: HttpClient, clock: FixedClock) -> ChannelDeps:
    return ChannelDeps(http=http_client, clock=clock)


@pytest.fixture
def connect(deps: ChannelDeps) -> Callable[..., StoreConnection]:
    return lambda store=None: plugin.connect(store or make_store(), deps)


@pytest.fixture
def build(deps: ChannelDeps) -> Callable[..., ChannelBundle]:
    return lambda store=None: plugin.build(store or make_store(), deps)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.fixture
async def sandboxes() -> AsyncIterator[Callable[..., Awaitable[Running]]]:
    """Start sandboxes (``await sandboxes(profile="decathlon")``); all are closed after the test."""
    started: list[Running] = []

    async def start(**overrides: Any) -> Running:
        started.append(await start_sandbox(MiraklSandboxConfig(**{"seed": 7, "orders": 60, "now": NOW, **overrides})))
        return started[-1]

    yield start
    for running in started:
        await running.close()


@pytest.fixture
async def lm(sandboxes: Callable[..., Awaitable[Running]], session: aiohttp.ClientSession) -> Harness:
    """A Leroy Merlin store on its sandbox."""
    return Harness(await sandboxes(profile="leroy_merlin"), session)


@pytest.fixture
def harness_for(session: aiohttp.ClientSession) -> Callable[..., Harness]:
    return lambda sandbox, **settings: Harness(sandbox, session, **settings)
