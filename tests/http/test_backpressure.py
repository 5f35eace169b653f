"""Back-pressure at the API's edge: past the in-flight limit a request is refused at once (429), and one
that cannot get a database connection in time is refused too (503); both say when to retry, and neither
changed anything. Health and readiness are never refused. A store shows why its last sync failed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from portside.adapters.memory import MemoryStorage
from portside.core.errors import ChannelAuthFailed, StorageBusy
from portside.entrypoints.application import Portside
from portside.entrypoints.http import build_http_app
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.fake_directory import FakeDirectory

from ..entrypoints.helpers import FailingPlugin
from .conftest import build_portside
from .support import Api, Snapshot, connect_store, make_tenant


class HeldSyncs:
    """A sync launcher that holds every request until ``release`` is set: a request in flight, on demand."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def start(self, store_id: str) -> None:
        self.started.set()
        await self.release.wait()

    async def close(self) -> None:
        self.release.set()


@pytest.fixture
async def held() -> HeldSyncs:
    return HeldSyncs()


@pytest.fixture
async def limited(portside: Portside, held: HeldSyncs) -> AsyncIterator[Api]:
    app = build_http_app(portside, sync_launcher=held, max_in_flight=1)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield await Api.connect(client)


async def test_past_the_in_flight_limit_a_request_is_refused_at_once_and_changed_nothing(
    limited: Api, portside: Portside, held: HeldSyncs, snapshot: Snapshot
) -> None:
    alice = await make_tenant(portside, limited, "Alice")
    store = await connect_store(alice)
    in_flight = asyncio.create_task(alice.api.post(f"/v1/stores/{store['id']}/sync"))
    await asyncio.wait_for(held.started.wait(), timeout=5)
    before = await snapshot()

    refused = await alice.api.post("/v1/stores", json={"channel": "fake", "name": "B", "credentials": {}})
    problem = refused.problem(429)
    assert refused.headers["Retry-After"] == "1" and "retry" in problem["detail"]
    assert await snapshot() == before  # refused before anything was read or written
    # An orchestrator can still tell a busy process from a dead one.
    assert (await limited.get("/healthz")).status == 200
    assert (await limited.get("/readyz")).status == 200
    assert (await limited.get("/v1/openapi.json")).status == 200

    held.release.set()
    assert (await in_flight).status == 202
    assert (await alice.api.get(f"/v1/stores/{store['id']}")).status == 200  # the slot is free again


class SaturatedStorage:
    """MemoryStorage whose units of work are refused with StorageBusy while ``busy``."""

    def __init__(self, storage: MemoryStorage) -> None:
        self.storage = storage
        self.busy = False

    def __call__(self) -> Any:
        if not self.busy:
            return self.storage()
        return _Refused()


class _Refused:
    async def __aenter__(self) -> None:
        raise StorageBusy("no database connection came free within 5 s; retry in a moment")

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


async def test_no_database_connection_in_time_is_a_503_saying_when_to_retry(
    storage: MemoryStorage, clock: FixedClock, plugin: FakeChannelPlugin, directory: FakeDirectory, snapshot: Snapshot
) -> None:
    saturated = SaturatedStorage(storage)
    portside = build_portside(saturated, clock, plugin, directory)  # type: ignore[arg-type]
    async with TestClient(TestServer(build_http_app(portside), host="127.0.0.1")) as client:
        api = await Api.connect(client)
        alice = await make_tenant(portside, api, "Alice")
        store = await connect_store(alice)
        before = await snapshot()
        saturated.busy = True
        for method, path, body in (
            ("GET", "/v1/orders", None),
            ("PATCH", f"/v1/stores/{store['id']}", {"name": "renamed"}),
        ):
            answer = await alice.api.call(method, path, **({"json": body} if body else {}))
            problem = answer.problem(503)
            assert answer.headers["Retry-After"] == "1"
            assert problem["type"] == "urn:portside:problem:storage-unavailable" and "retry" in problem["detail"]
        assert await snapshot() == before
        saturated.busy = False
        assert (await alice.api.get("/v1/orders")).status == 200


async def test_a_store_shows_its_last_sync_and_why_it_failed(
    storage: MemoryStorage, clock: FixedClock, directory: FakeDirectory
) -> None:
    refused = "the marketplace refused the client secret; update the store's credentials"
    plugin = FailingPlugin(lambda: ChannelAuthFailed(refused), failing=False)
    portside = build_portside(storage, clock, plugin, directory)
    async with TestClient(TestServer(build_http_app(portside), host="127.0.0.1")) as client:
        alice = await make_tenant(portside, await Api.connect(client), "Alice")
        store = await connect_store(alice)
        assert (await alice.api.get(f"/v1/stores/{store['id']}")).json["last_sync"] is None  # never synced
        assert (await portside.sync_store(store["id"])).outcome == "completed"

        clock.advance(minutes=15)
        plugin.failing = True  # the seller changed the secret on the marketplace
        portside.channels.forget(store["id"])
        with pytest.raises(ChannelAuthFailed):
            await portside.sync_store(store["id"])

        shown = (await alice.api.get(f"/v1/stores/{store['id']}")).json["last_sync"]
        assert shown["outcome"] == "failed" and "client secret" in shown["error"]
        listed = (await alice.api.get("/v1/stores")).json["items"]
        assert listed[0]["last_sync"]["error"] == shown["error"]
