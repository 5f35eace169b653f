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


async def test_one_account_cannot_connect_the_same_seller_twice(
    octopia: RunningSandbox, cdiscount_api: tuple[Api, Portside]
) -> None:
    anonymous, app = cdiscount_api
    seller = await make_tenant(app, anonymous, "Vendeur Cdiscount")
    first = await seller.api.post("/v1/stores", json=body(octopia))
    assert first.status == 201, first.body
    first_id = first.json["id"]
    # The same seller on the same API, spelled a little differently, is the same seller.
    again = body(octopia, seller_id=" 123456 ", client_id="another-client")
    again["settings"]["api_base_url"] = octopia.api_base_url + "/"
    refused = await seller.api.post("/v1/stores", json={**again, "name": "Doublon"})
    problem = refused.problem(409)
    assert first_id in problem["detail"] and "Boutique Cdiscount" in problem["detail"]
    assert "123456" not in problem["detail"]
    async with app.uow() as u:
        assert [s.id for s in await u.stores.find()] == [first_id]
    # Deactivated, it still holds the seller (its orders are kept): reactivate it instead.
    assert (await seller.api.delete(f"/v1/stores/{first_id}")).status == 200
    inactive = (await seller.api.post("/v1/stores", json=body(octopia))).problem(409)
    assert first_id in inactive["detail"] and "reactivate" in inactive["detail"]
    # Another account is another tenant: it may connect the same seller.
    other = await make_tenant(app, anonymous, "Autre compte")
    assert (await other.api.post("/v1/stores", json=body(octopia))).status == 201


async def test_changing_a_store_to_another_stores_seller_is_refused(
    octopia: RunningSandbox, cdiscount_api: tuple[Api, Portside]
) -> None:
    anonymous, app = cdiscount_api
    seller = await make_tenant(app, anonymous, "Vendeur Cdiscount")
    first = await seller.api.post("/v1/stores", json=body(octopia))
    assert first.status == 201, first.body
    second_octopia = await start_sandbox(SandboxConfig(orders=1))
    try:
        second = await seller.api.post("/v1/stores", json={**body(second_octopia), "name": "Seconde"})
        assert second.status == 201, second.body  # same seller id on another API: another seller
        second_id = second.json["id"]
        patch = {"settings": {"auth_url": octopia.auth_url, "api_base_url": octopia.api_base_url}}
        problem = (await seller.api.patch(f"/v1/stores/{second_id}", json=patch)).problem(409)
        assert first.json["id"] in problem["detail"]
        async with app.uow() as u:
            kept = await u.stores.get(second_id)
        assert kept is not None and kept.settings["api_base_url"] == second_octopia.api_base_url
        # Changes that keep the store's own seller are fine.
        renamed = await seller.api.patch(f"/v1/stores/{second_id}", json={"name": "Renommée"})
        assert renamed.status == 200, renamed.body
    finally:
        await second_octopia.close()
