"""Connecting a Cdiscount store through the API, against the Octopia sandbox over real HTTP: the
credentials are proven with Octopia before anything is saved, and its refusal reaches the seller."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from portside.adapters.http import HttpClient, RetryPolicy, create_session
from portside.adapters.memory import MemoryStorage
from portside.channels.cdiscount.plugin import plugin
from portside.channels.cdiscount.sandbox import RunningSandbox, SandboxConfig, start_sandbox
from portside.channels.registry import ChannelDeps, ChannelRegistry
from portside.core.services import ImportSettings, RelaySettings
from portside.entrypoints.application import Portside
from portside.entrypoints.channel_provider import StoreChannels
from portside.entrypoints.http import build_http_app
from portside.testing.clock import FixedClock

from .support import Api, make_tenant


@pytest.fixture
async def octopia() -> AsyncIterator[RunningSandbox]:
    sandbox = await start_sandbox(SandboxConfig(orders=5))
    yield sandbox
    await sandbox.close()


@pytest.fixture
async def cdiscount_api(clock: FixedClock) -> AsyncIterator[tuple[Api, Portside]]:
    session = create_session()
    storage = MemoryStorage()
    http = HttpClient(session, retry=RetryPolicy(attempts=1), rng=random.Random(1))
    channels = StoreChannels(registry=ChannelRegistry([plugin]), uow=storage, deps=ChannelDeps(http=http, clock=clock))
    app = Portside(
        uow=storage,
        clock=clock,
        channels=channels,
        directories={},
        worker_id="cdiscount-http-tests",
        import_settings=ImportSettings(),
        relay_settings=RelaySettings(),
    )
    async with TestClient(TestServer(build_http_app(app), host="127.0.0.1")) as client:
        yield await Api.connect(client), app
    await session.close()


def body(octopia: RunningSandbox, **credentials: str) -> dict[str, Any]:
    return {
        "channel": "cdiscount",
        "name": "Boutique Cdiscount",
        "credentials": {
            "client_id": "sandbox-client",
            "client_secret": "sandbox-secret",
            "seller_id": "123456",
            **credentials,
        },
        "settings": {"auth_url": octopia.auth_url, "api_base_url": octopia.api_base_url, "timeout_s": 5.0},
    }


async def test_connect_cdiscount_store_good_and_bad_credentials(
    octopia: RunningSandbox, cdiscount_api: tuple[Api, Portside]
) -> None:
    anonymous, app = cdiscount_api
    seller = await make_tenant(app, anonymous, "Vendeur Cdiscount")
    refused = await seller.api.post("/v1/stores", json=body(octopia, client_secret="not-the-secret-42"))
    problem = refused.problem(422)
    assert problem["errors"]["credentials"] and "not-the-secret-42" not in refused.body.decode()
    async with app.uow() as u:
        assert await u.stores.find() == []
    shape = (await seller.api.post("/v1/stores", json={**body(octopia), "credentials": {"client_id": "x"}})).problem(
        422
    )
    assert {"credentials.client_secret", "credentials.seller_id"} <= set(shape["errors"])
    created = await seller.api.post("/v1/stores", json=body(octopia))
    assert created.status == 201, created.body
    assert created.json["settings"]["api_base_url"] == octopia.api_base_url
    assert "sandbox-secret" not in created.body.decode()
