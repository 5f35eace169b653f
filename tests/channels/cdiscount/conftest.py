"""Fixtures for the Cdiscount channel tests: a store, an HTTP client that records its sleeps, aioresponses.

Fixture names avoid the sandbox tests' own (``sandbox``, ``http``, ``api``) in the folder below.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from portside.adapters.http import HttpClient, RetryPolicy
from portside.channels.cdiscount import plugin
from portside.channels.cdiscount.plugin import StoreConnection
from portside.channels.cdiscount.sandbox import RunningSandbox, SandboxConfig, start_sandbox
from portside.channels.registry import ChannelDeps
from portside.core.model import Store
from portside.core.ports import ChannelBundle
from portside.testing.clock import FixedClock
from tests.support.aioresponses_shim import mock_http  # noqa: F401  (the fixture, re-exported)
from tests.support.recorded_sleeps import RecordedSleeps

from .sandbox_harness import NOW, Harness

AUTH_URL = "https://auth.octopia.test/auth/realms/maas/protocol/openid-connect/token"
API = "https://api.octopia.test/seller/v2"
SECRET = "Sup3r-S3cret-Value-42"
SELLER_ID = "123456"


def make_store(store_id: str = "store-1", *, credentials: dict[str, Any] | None = None, **settings: Any) -> Store:
    return Store(
        id=store_id,
        account_id="account-1",
        channel="cdiscount",
        name="Boutique test",
        credentials=credentials or {"client_id": "portside-test", "client_secret": SECRET, "seller_id": SELLER_ID},
        settings={"auth_url": AUTH_URL, "api_base_url": API, **settings},
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))


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
async def octopia_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def octopia(request: pytest.FixtureRequest) -> AsyncIterator[RunningSandbox]:
    """A running Octopia sandbox; ``@pytest.mark.parametrize("octopia", [{...config}], indirect=True)``."""
    overrides = getattr(request, "param", {})
    running = await start_sandbox(SandboxConfig(**{"seed": 11, "orders": 150, "now": NOW, **overrides}))
    try:
        yield running
    finally:
        await running.close()


@pytest.fixture
def harness(octopia: RunningSandbox, octopia_session: aiohttp.ClientSession) -> Callable[..., Harness]:
    """``harness(**settings)``: the plugin's bundle for a store on the sandbox, with its ground truth."""
    return lambda **settings: Harness(octopia, octopia_session, **settings)
