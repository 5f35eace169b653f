"""The service in this process for the security suite: the real composition root on real Postgres, its API on
127.0.0.1, an outbound HTTP session that can only reach loopback, and a tenant with one of everything."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import hypothesis
import schemathesis
from dependency_injector import providers
from hypothesis import strategies as st

from portside.adapters.http import create_session
from portside.channels.cdiscount.sandbox import RunningSandbox, SandboxConfig, start_sandbox
from portside.entrypoints import commands
from portside.entrypoints.application import Portside
from portside.entrypoints.commands import application, ready_schema
from portside.entrypoints.config import Settings
from portside.entrypoints.container import Container, build_container
from portside.entrypoints.lifecycle import resolve
from portside.entrypoints.serve import bound_url, start_site
from tests.reliability.support import SOAK, new_secret_key, portside_env, sandbox_draft, settings_from, shippable

LOOPBACK_NAMES = {"localhost"}


class NotLoopback(aiohttp.ClientOSError):
    """Raised for any request the service tries to send beyond this machine (a fuzzer may ask it to)."""


async def _loopback_only(session: aiohttp.ClientSession, ctx: Any, params: aiohttp.TraceRequestStartParams) -> None:
    host = params.url.host or ""
    try:
        ok = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        ok = host in LOOPBACK_NAMES
    if not ok:
        raise NotLoopback(101, f"blocked by the test: {host} is not loopback")


async def guarded_session() -> AsyncIterator[aiohttp.ClientSession]:
    """The service's outbound session, refusing every address but loopback."""
    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(_loopback_only)
    session = create_session()
    session._trace_configs.append(trace)  # create_session builds the connector; the guard rides on it
    trace.freeze()
    try:
        yield session
    finally:
        await session.close()


def guarded_container(settings: Settings) -> Container:
    container = build_container(settings)
    container.http.session.override(providers.Resource(guarded_session))
    return container


@dataclass
class Service:
    app: Portside
    container: Container
    url: str


@contextlib.asynccontextmanager
async def service(settings: Settings) -> AsyncIterator[Service]:
    """The composition root on ``settings`` (guarded outbound HTTP), migrated, its API served; no scheduler."""
    original = commands.build_container
    commands.build_container = guarded_container  # type: ignore[assignment]
    try:
        async with commands.running(settings) as container:
            await ready_schema(container, migrate=True)
            app = await application(container)
            runner = await start_site(await resolve(container.http_app()), "127.0.0.1", 0)
            try:
                yield Service(app=app, container=container, url=bound_url(runner))
            finally:
                await runner.cleanup()
    finally:
        commands.build_container = original  # type: ignore[assignment]


@contextlib.asynccontextmanager
async def service_on(
    dsn: str, tmp_path: Path, *, seed: int, orders: int
) -> AsyncIterator[tuple[Service, RunningSandbox]]:
    """The in-process service on ``dsn`` and an Octopia sandbox for its stores."""
    settings = settings_from(portside_env(dsn, new_secret_key(), tmp_path / "data"))
    sandbox = await start_sandbox(SandboxConfig(seed=seed, orders=orders, token_cap_per_hour=100_000))
    try:
        async with service(settings) as svc:
            yield svc, sandbox
    finally:
        await sandbox.close()


async def openapi_document(svc: Service) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(svc.url + "/v1/openapi.json") as response:
        assert response.status == 200
        return await response.json()  # type: ignore[no-any-return]


@dataclass
class World:
    """One tenant's resources, one of each kind the API serves."""

    account_id: str
    key: str
    store_id: str
    order_id: str
    shipped_order_id: str
    shipment_id: str
    webhook_id: str
    webhook_secret: str
    sku: str

    def path_values(self) -> dict[str, str]:
        return {
            "store": self.store_id,
            "order": self.order_id,
            "shipment": self.shipment_id,
            "webhook": self.webhook_id,
            "sku": self.sku,
        }


async def build_world(svc: Service, sandbox: RunningSandbox, name: str) -> World:
    """A tenant, through the API where the API can do it: store connected and synced, an order shipped,
    a webhook subscribed, a product in the catalog."""
    app = svc.app
    account = await app.create_account(name)
    _, key = await app.create_api_key(account.id, label="security")
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(base_url=svc.url, headers=headers) as http:

        async def call(method: str, path: str, body: Any = None, expect: int = 200) -> Any:
            async with http.request(method, path, json=body) as r:
                assert r.status == expect, (method, path, r.status, await r.text())
                return await r.json()

        store = await call("POST", "/v1/stores", sandbox_draft(sandbox, f"{name}'s shop"), expect=201)
        report = await app.sync_store(store["id"])
        assert report.outcome == "completed", report.error
        orders = (await call("GET", f"/v1/orders?store_id={store['id']}&limit=200"))["items"]
        ready = {w["orderId"] for w in shippable(sandbox)}
        to_ship = [o for o in orders if o["channel_order_id"] in ready]
        shipment = await call(
            "POST",
            f"/v1/orders/{to_ship[0]['id']}/shipments",
            {"carrier": "colissimo", "tracking_number": f"6S{abs(hash(name)) % 10**9:09d}"},
            expect=202,
        )
        hook = await call(
            "POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/hooks", "events": ["order.created"]}, expect=201
        )
        sku = f"SKU-{name}"
        await call("PUT", f"/v1/catalog/products/{sku}", {"title": f"{name}'s product", "weight_g": 250})
    return World(
        account_id=account.id,
        key=key,
        store_id=store["id"],
        order_id=to_ship[1]["id"],
        shipped_order_id=to_ship[0]["id"],
        shipment_id=shipment["id"],
        webhook_id=hook["id"],
        webhook_secret=hook["secret"],
        sku=sku,
    )


def ids_in(path: str, world: World) -> dict[str, str]:
    """Path parameters naming ``world``'s own resources, by what the path is about."""
    values: dict[str, str] = {}
    for name in re.findall(r"{(\w+)}", path):
        if name == "sku":
            values[name] = world.sku
        elif name == "carrier":
            values[name] = "mondial_relay"
        elif path.startswith("/v1/stores"):
            values[name] = world.store_id
        elif path.startswith("/v1/shipments"):
            values[name] = world.shipment_id
        elif path.startswith("/v1/webhooks"):
            values[name] = world.webhook_id
        elif path.startswith("/v1/orders"):
            values[name] = world.order_id
        else:
            values[name] = "005680"  # a pickup point id
    return values


def fuzz_operations(
    document: dict[str, Any],
    exercise: Callable[[Any, Any, bool], None],
    *,
    examples: int,
    keep: Callable[[Any], bool] = lambda operation: True,
) -> tuple[int, int]:
    """Schemathesis cases for every operation of ``document`` that ``keep`` accepts, each handed to
    ``exercise(operation, case, aimed)`` (``aimed``: a coin to aim it at real ids). Returns how many
    operations and cases. NUL characters are left out: a known 500, see test_api_fuzz.py."""
    schema = schemathesis.openapi.from_dict(document)
    schema.config.generation.update(allow_x00=False)
    operations = [op for op in (result.ok() for result in schema.get_all_operations()) if keep(op)]
    cases = 0

    def property_test(operation: Any) -> Callable[[], None]:
        @hypothesis.settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=not SOAK,  # make test: the same cases every run; make soak: new ones
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.generate],
        )
        @hypothesis.given(case=operation.as_strategy(), aimed=st.booleans())
        def check(case: Any, aimed: bool) -> None:
            nonlocal cases
            cases += 1
            exercise(operation, case, aimed)

        return check  # type: ignore[no-any-return]

    for operation in operations:
        property_test(operation)()
    return len(operations), cases
