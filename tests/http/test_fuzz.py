"""Fuzzing every operation from the OpenAPI document (schemathesis): whatever a client sends, the
server never fails (no 5xx) and answers only as documented (status, media type, headers, body)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from portside.adapters.memory import MemoryStorage
from portside.core.model import PickupCarrier, WebhookEvent
from portside.core.services.accounts import create_account, create_api_key
from portside.core.services.confirm_shipment import ShipmentRequest
from portside.core.services.stores import StoreDraft, connect_store
from portside.core.services.webhooks import subscribe
from portside.entrypoints.application import Portside
from portside.entrypoints.http import build_http_app, operations
from portside.entrypoints.http.routing import Operation
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.fake_directory import FakeDirectory
from portside.testing.orders import generate_orders

from .conftest import NOW, build_portside, relay_points
from .support import RecordingMetrics

CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]


@dataclass
class LiveApi:
    url: str
    key: str
    document: dict[str, Any]
    ids: dict[str, str]  # path prefix → an existing resource's id, so fuzzing reaches past the 404


async def _seed(portside: Portside, plugin: FakeChannelPlugin, account_id: str) -> dict[str, str]:
    draft = StoreDraft(channel="fake", name="Fuzz", credentials={"secret": "fake-secret"})
    registry = portside.channels.registry
    store = await connect_store(
        account_id,
        draft,
        channels={"fake": registry.get("fake")},
        verify=lambda s: portside.channels.bundle_for(s).verifier.verify(),
        uow=portside.uow,
        clock=portside.clock,
    )
    orders = generate_orders(store.id, 5, seed=9)
    plugin.market(store.id).put(*orders)
    await portside.sync_store(store.id)
    shipment = await portside.confirm_shipment(
        orders[0].id, ShipmentRequest(carrier="colissimo", tracking_number="6A1")
    )
    hook = await subscribe(
        account_id, "https://h.example/x", [WebhookEvent.order_created], uow=portside.uow, clock=portside.clock
    )
    return {
        "/v1/stores/": store.id,
        "/v1/orders/": orders[1].id,
        "/v1/shipments/": shipment.id,
        "/v1/webhooks/": hook.id,
        "/v1/catalog/products/": "SKU-0001",
        "/v1/pickup-points/": "005680",
    }


async def _serve(ready: Future[tuple[web.AppRunner, LiveApi]]) -> None:
    storage, clock, plugin = MemoryStorage(), FixedClock(NOW), FakeChannelPlugin()
    portside = build_portside(storage, clock, plugin, FakeDirectory(PickupCarrier.mondial_relay, relay_points()))
    account = await create_account("fuzz", uow=storage, clock=clock)
    _, key = await create_api_key(account.id, uow=storage, clock=clock)
    ids = await _seed(portside, plugin, account.id)
    runner = web.AppRunner(build_http_app(portside, metrics=RecordingMetrics()), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    ready.set_result((runner, LiveApi(f"http://{host}:{port}", key, {}, ids)))


@pytest.fixture(scope="module")
def live_api() -> Iterator[LiveApi]:
    """The API on a real socket, in its own thread and event loop (schemathesis speaks HTTP synchronously)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    ready: Future[tuple[web.AppRunner, LiveApi]] = Future()
    asyncio.run_coroutine_threadsafe(_serve(ready), loop).result(timeout=10)
    runner, live = ready.result()
    live.document = requests.get(f"{live.url}/v1/openapi.json", timeout=10).json()
    try:
        yield live
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def api_schema(live_api: LiveApi) -> Any:
    return schemathesis.openapi.from_dict(live_api.document)


@pytest.mark.parametrize("op", operations(with_metrics=True), ids=lambda op: f"{op.method} {op.path}")
def test_every_operation_answers_as_documented(op: Operation, api_schema: Any, live_api: LiveApi) -> None:
    auth = {"Authorization": f"Bearer {live_api.key}"}

    known = next((v for prefix, v in live_api.ids.items() if op.path.startswith(prefix)), None)

    @given(case=api_schema[op.path][op.method].as_strategy(), use_known=st.booleans())
    @settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def fuzz(case: Any, use_known: bool) -> None:
        if use_known and known is not None and case.path_parameters and "id" in case.path_parameters:
            case.path_parameters["id"] = known
        if use_known and known is not None and case.path_parameters and "sku" in case.path_parameters:
            case.path_parameters["sku"] = known
        case.call_and_validate(base_url=live_api.url, headers=auth, checks=CHECKS)

    fuzz()
