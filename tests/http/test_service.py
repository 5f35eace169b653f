"""The service side: health, readiness, metrics, body limits, and unexpected errors (a generic 500
with an id that finds the log line, never the exception)."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from portside.entrypoints.application import Portside
from portside.entrypoints.http import build_http_app

from .support import Api, RecordingMetrics, Tenant


async def test_health_and_readiness(api: Api) -> None:
    assert (await api.get("/healthz")).json == {"status": "ok"}
    assert (await api.get("/readyz")).json == {"status": "ready"}


async def test_not_ready_is_a_503_with_the_reason(portside: Portside) -> None:
    async def not_ready() -> str | None:
        return "migrations pending: 0002_example.sql"

    app = build_http_app(portside, readiness=not_ready)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        api = await Api.connect(client)
        answer = await api.get("/readyz")
        assert "0002_example.sql" in answer.problem(503)["detail"]
        assert (await api.get("/metrics")).status == 404  # no metrics given: no route


async def test_metrics_are_served_and_observe_route_templates(
    alice: Tenant, api: Api, metrics: RecordingMetrics
) -> None:
    await alice.api.get("/v1/orders/7d3c1a9e-0000-4000-8000-000000000000")
    await api.get("/nowhere")
    answer = await api.get("/metrics")
    assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert answer.body.startswith(b"portside_http_requests_total")
    assert ("/v1/orders/{id}", "GET", 404) in metrics.observed
    assert ("unmatched", "GET", 404) in metrics.observed
    assert not any("7d3c1a9e" in route for route, _, _ in metrics.observed)


async def test_unknown_routes_and_methods_are_problems(api: Api, alice: Tenant) -> None:
    assert "openapi.json" in (await api.get("/v2/orders")).problem(404)["detail"]
    answer = await alice.api.call("PUT", "/v1/orders")
    answer.problem(405)
    assert "GET" in answer.headers["Allow"]


async def test_bodies_over_the_limit_are_refused(portside: Portside, alice: Tenant) -> None:
    app = build_http_app(portside, max_body_bytes=200, max_bulk_bytes=300)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        api = (await Api.connect(client)).as_(alice.key)
        big = {"url": "https://h.example/" + "x" * 300, "events": ["order.created"]}
        (await api.post("/v1/webhooks", json=big)).problem(413)
        lines = b"".join(b'{"sku": "S%03d"}\n' % i for i in range(40))
        bulk = await api.post("/v1/catalog/products:bulk", data=lines, headers={"Content-Type": "application/x-ndjson"})
        bulk.problem(413)

        async def chunks():  # type: ignore[no-untyped-def]
            for i in range(40):  # no Content-Length: counted as it streams
                yield b'{"sku": "C%03d"}\n' % i

        chunked = await api.post(
            "/v1/catalog/products:bulk", data=chunks(), headers={"Content-Type": "application/x-ndjson"}
        )
        chunked.problem(413)


async def test_an_unexpected_error_is_a_generic_500_and_a_log_line(
    portside: Portside, alice: Tenant, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> object:
        raise RuntimeError("database exploded at 10.0.0.7 with password hunter2")

    portside.uow = broken  # type: ignore[assignment]
    answer = await alice.api.get("/v1/stores")
    problem = answer.problem(500)
    assert "hunter2" not in answer.body.decode() and "Traceback" not in answer.body.decode()
    assert problem["error_id"] in problem["detail"]
    assert problem["error_id"] in caplog.text and "database exploded" in caplog.text


async def test_registry_names_limit_the_channels_new_stores_may_use(portside: Portside, alice: Tenant) -> None:
    app = build_http_app(portside, registry_names=[])
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        api = (await Api.connect(client)).as_(alice.key)
        body = {"channel": "fake", "name": "B", "credentials": {"secret": "fake-secret"}}
        problem = (await api.post("/v1/stores", json=body)).problem(422)
        assert problem["errors"] == {"channel": "one of: none"}
