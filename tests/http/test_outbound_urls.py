"""URLs a tenant chooses (webhooks, its own carrier endpoint, its stores' marketplace URLs) must not lead
portside into its own network: a strict app (the service's default) refuses them with a 422 saying why and
how an operator allows them; the app a host builds without a policy accepts them."""

from __future__ import annotations

import pytest
from aiohttp import web
from yarl import URL

from portside.entrypoints.application import Portside
from portside.entrypoints.http import build_http_app
from portside.entrypoints.outbound import OutboundPolicy

from .support import Api, RecordingMetrics, Snapshot, Tenant

PRIVATE = [
    "http://127.0.0.1/h",
    "http://10.0.0.1/h",
    "http://[::1]/h",
    "http://169.254.169.254/latest",
    "http://localhost:8080/h",
    "http://intranet.example/h",  # resolves to a private address
    "http://[::ffff:10.0.0.1]/h",
    "http://0.0.0.0:5432/",
]
NAMES = {"intranet.example": ["10.20.30.40"], "hooks.example": ["93.184.216.34"]}


async def resolve(host: str, port: int) -> list[str]:
    try:
        return NAMES[host]
    except KeyError:
        raise OSError(f"no such host {host}") from None


@pytest.fixture
def app(portside: Portside, metrics: RecordingMetrics) -> web.Application:
    """The API with the service's default policy (PORTSIDE_ALLOW_PRIVATE_URLS unset), on a fake resolver."""
    return build_http_app(portside, metrics=metrics, outbound=OutboundPolicy(resolve=resolve))


def _refusal(problem: dict[str, object], field: str) -> str:
    errors = problem["errors"]
    assert isinstance(errors, dict) and set(errors) == {field}, problem
    why = errors[field]
    assert "PORTSIDE_ALLOW_PRIVATE_URLS=true" in why and "public" in why, why
    return str(why)


async def test_a_webhook_to_an_internal_address_is_refused_and_nothing_is_stored(
    alice: Tenant, snapshot: Snapshot
) -> None:
    before = await snapshot()
    for url in PRIVATE:
        answer = await alice.api.post("/v1/webhooks", json={"url": url, "events": ["order.created"]})
        why = _refusal(answer.problem(422), "url")
        host = URL(url).host or ""
        assert host not in why or host == "localhost", why  # the answer never echoes what was sent
    assert "loopback" in _refusal(
        (await alice.api.post("/v1/webhooks", json={"url": PRIVATE[0], "events": ["order.created"]})).problem(422),
        "url",
    )
    assert await snapshot() == before
    accepted = await alice.api.post(
        "/v1/webhooks", json={"url": "https://hooks.example/h?token=1", "events": ["order.created"]}
    )
    assert accepted.status == 201, accepted.body
    unknown = await alice.api.post(
        "/v1/webhooks", json={"url": "https://nowhere.example/h", "events": ["order.created"]}
    )
    assert "does not resolve" in unknown.problem(422)["errors"]["url"]


async def test_a_carrier_endpoint_on_an_internal_address_is_refused_before_any_call(
    alice: Tenant, snapshot: Snapshot
) -> None:
    before = await snapshot()
    for url in PRIVATE:
        settings = {"enseigne": "BDTEST13", "private_key": "TestAPI1key", "url": url}
        answer = await alice.api.put("/v1/carriers/mondial_relay/settings", json={"settings": settings})
        _refusal(answer.problem(422), "settings.url")
    assert await snapshot() == before


async def test_a_store_whose_settings_name_an_internal_address_is_refused(alice: Tenant, snapshot: Snapshot) -> None:
    before = await snapshot()
    body = {"channel": "fake", "name": "B", "credentials": {"secret": "fake-secret"}}
    for url in PRIVATE[:3]:
        created = await alice.api.post("/v1/stores", json={**body, "settings": {"base_url": url}})
        _refusal(created.problem(422), "settings.base_url")
    assert await snapshot() == before
    store = await alice.api.post("/v1/stores", json=body)
    nested = {"settings": {"endpoints": [{"url": "http://169.254.169.254/"}]}}
    patched = await alice.api.patch(f"/v1/stores/{store.json['id']}", json=nested)
    _refusal(patched.problem(422), "settings.endpoints[0].url")


async def test_an_app_built_without_a_policy_accepts_private_urls(portside: Portside, alice: Tenant) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    async with TestClient(TestServer(build_http_app(portside), host="127.0.0.1")) as client:
        api = Api(client, (await Api.connect(client)).checker, alice.key)
        for url in PRIVATE[:5]:
            answer = await api.post("/v1/webhooks", json={"url": url, "events": ["order.created"]})
            assert answer.status == 201, (url, answer.body)
