"""The API over in-memory storage and the fake channel: a client that checks every answer against the
OpenAPI document, tenants with API keys, and helpers to connect stores and import orders."""

from __future__ import annotations

import copy
import functools
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from portside.adapters.carriers import MondialRelaySettings
from portside.adapters.carriers.mondial_relay.sandbox import MondialRelaySandboxConfig
from portside.adapters.carriers.mondial_relay.sandbox import start_sandbox as start_mondial_relay
from portside.adapters.carriers.sandbox_kit import Running
from portside.adapters.http import HttpClient, RetryPolicy
from portside.adapters.memory import MemoryStorage
from portside.channels.registry import ChannelRegistry
from portside.core.model import Address, PickupCarrier, PickupPoint
from portside.core.ports import UnitOfWorkFactory
from portside.core.services import ImportSettings, RelaySettings
from portside.entrypoints.application import Portside
from portside.entrypoints.channel_provider import StoreChannels
from portside.entrypoints.container import build_directory
from portside.entrypoints.directories import AccountDirectories
from portside.entrypoints.http import build_http_app
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.fake_directory import FakeDirectory

from .support import Api, RecordingMetrics, Snapshot, Tenant, make_tenant
from .tour import World, build_world

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def relay_points() -> list[PickupPoint]:
    def point(point_id: str, lat: float, lon: float, postal_code: str) -> PickupPoint:
        return PickupPoint(
            carrier=PickupCarrier.mondial_relay,
            point_id=point_id,
            name=f"RELAIS {point_id}",
            address=Address(line1="1 rue du Port", postal_code=postal_code, city="Paris", country="FR"),
            country="FR",
            latitude=lat,
            longitude=lon,
        )

    return [
        point("005680", 48.857, 2.370, "75011"),
        point("012345", 48.860, 2.380, "75011"),
        point("077777", 45.76, 4.83, "69003"),
    ]


def build_portside(
    uow: UnitOfWorkFactory, clock: FixedClock, plugin: FakeChannelPlugin, directory: FakeDirectory
) -> Portside:
    channels = StoreChannels(registry=ChannelRegistry([plugin]), uow=uow, deps=None)  # type: ignore[arg-type]
    return Portside(
        uow=uow,
        clock=clock,
        channels=channels,
        directories={PickupCarrier.mondial_relay: directory},
        worker_id="http-tests",
        import_settings=ImportSettings(),
        relay_settings=RelaySettings(base_backoff_s=0.01, max_attempts=3),
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def plugin() -> FakeChannelPlugin:
    return FakeChannelPlugin()


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory(PickupCarrier.mondial_relay, relay_points())


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def portside(
    storage: MemoryStorage, clock: FixedClock, plugin: FakeChannelPlugin, directory: FakeDirectory
) -> Portside:
    return build_portside(storage, clock, plugin, directory)


@pytest.fixture
def snapshot(storage: MemoryStorage) -> Snapshot:
    """Everything stored, comparable with ``==``: proves a refused request wrote nothing."""

    async def take() -> object:
        return copy.deepcopy(storage.tables)

    return take


@pytest.fixture
def metrics() -> RecordingMetrics:
    return RecordingMetrics()


@pytest.fixture
def app(portside: Portside, metrics: RecordingMetrics) -> web.Application:
    return build_http_app(portside, metrics=metrics)


@pytest.fixture
async def client(app: web.Application) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        yield test_client


@pytest.fixture
async def api(client: TestClient) -> Api:
    """An anonymous client; ``api.as_(tenant)`` speaks for a tenant."""
    return await Api.connect(client)


TenantFactory = Callable[[str], Coroutine[Any, Any, Tenant]]


@pytest.fixture
def new_tenant(portside: Portside, api: Api) -> TenantFactory:
    async def make(name: str) -> Tenant:
        return await make_tenant(portside, api, name)

    return make


@pytest.fixture
async def alice(new_tenant: TenantFactory) -> Tenant:
    return await new_tenant("Alice's shop")


@pytest.fixture
async def bob(new_tenant: TenantFactory) -> Tenant:
    return await new_tenant("Bob's shop")


@pytest.fixture
async def world(alice: Tenant, portside: Portside, plugin: FakeChannelPlugin) -> World:
    """Alice's store, orders, shipment, webhook and product, for the route-by-route tests."""
    return await build_world(alice, portside, plugin)


# A second Mondial Relay account, known only to the second sandbox ("another Enseigne").
OWN_ENSEIGNE, OWN_KEY = "BDTEST22", "OwnSandboxKey22"


@dataclass
class CarrierWorld:
    """The API over ``portside``'s storage and fake channel, with real Mondial Relay directories: the
    service's on one sandbox (BDTEST13), and a second sandbox that knows only ``OWN_ENSEIGNE``."""

    portside: Portside
    api: Api
    service: Running
    own: Running

    async def break_service(self) -> None:
        async with aiohttp.ClientSession() as session:
            faults = {"server_error": {"probability": 1.0, "statuses": [503]}}
            async with session.post(f"{self.service.base_url}/_sandbox/faults", json=faults) as answer:
                assert answer.status == 200

    async def repair_service(self) -> None:
        async with aiohttp.ClientSession() as session, session.delete(f"{self.service.base_url}/_sandbox/faults"):
            pass


@pytest.fixture
async def carrier_world(portside: Portside) -> AsyncIterator[CarrierWorld]:
    own_config = MondialRelaySandboxConfig(accounts={OWN_ENSEIGNE: OWN_KEY})
    async with (
        aiohttp.ClientSession() as session,
        await start_mondial_relay() as service,
        await start_mondial_relay(own_config) as own,
    ):
        http = HttpClient(session, retry=RetryPolicy(attempts=1, base_delay_s=0.0))
        settings = MondialRelaySettings(url=service.url, enseigne="BDTEST13", private_key="TestAPI1key", timeout_s=2)
        directories = AccountDirectories(
            service={PickupCarrier.mondial_relay: settings},
            build=functools.partial(build_directory, http=http, service=True),
            build_own=functools.partial(build_directory, http=http),  # accounts' own, as the container does
            uow=portside.uow,
            clock=portside.clock,
        )
        app = Portside(
            uow=portside.uow,
            clock=portside.clock,
            channels=portside.channels,
            directories=directories,
            worker_id="carrier-tests",
            import_settings=portside.import_settings,
            relay_settings=portside.relay_settings,
        )
        async with TestClient(TestServer(build_http_app(app), host="127.0.0.1")) as client:
            yield CarrierWorld(app, await Api.connect(client), service, own)
