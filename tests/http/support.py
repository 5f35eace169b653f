"""Test helpers: a client that checks every answer against the OpenAPI document and keeps every body
(for the secrecy tests), tenants, and shortcuts to connect a store and import its orders."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient

from portside.core.model import Order
from portside.core.services.accounts import create_account, create_api_key
from portside.entrypoints.application import Portside
from portside.testing.fake_channel import FakeChannelPlugin

from .openapi_check import OpenApiChecker

_UNSET: Any = object()

Snapshot = Callable[[], Coroutine[Any, Any, object]]  # everything stored, comparable with ==


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return jsonlib.loads(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    def problem(self, status: int) -> dict[str, Any]:
        assert self.status == status, f"expected {status}, got {self.status}: {self.body[:500]!r}"
        assert self.content_type.startswith("application/problem+json"), self.content_type
        problem = self.json
        assert problem["status"] == status and problem["title"] and problem["detail"] and problem["type"]
        return problem  # type: ignore[no-any-return]


@dataclass
class Tenant:
    account_id: str
    key: str
    api: Api


@dataclass
class RecordingMetrics:
    observed: list[tuple[str, str, int]] = field(default_factory=list)

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        assert seconds >= 0
        self.observed.append((route, method, status))

    def render(self) -> str:
        return f"portside_http_requests_total {len(self.observed)}\n"


@dataclass
class Api:
    client: TestClient
    checker: OpenApiChecker
    key: str | None = None
    bodies: list[bytes] = field(default_factory=list)  # every body answered, whoever asked

    @classmethod
    async def connect(cls, client: TestClient) -> Api:
        response = await client.get("/v1/openapi.json")
        assert response.status == 200
        return cls(client, OpenApiChecker(await response.json()))

    def as_(self, key: str | None) -> Api:
        return Api(self.client, self.checker, key, self.bodies)

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = _UNSET,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        params: Any = None,
    ) -> Answer:
        sent = dict(headers or {})
        if self.key is not None and "Authorization" not in sent:
            sent["Authorization"] = f"Bearer {self.key}"
        body = data
        if json is not _UNSET:
            body = jsonlib.dumps(json)
            sent.setdefault("Content-Type", "application/json")
        async with self.client.request(method, path, data=body, headers=sent, params=params) as response:
            answer = Answer(response.status, dict(response.headers), await response.read())
        self.bodies.append(answer.body)
        parsed = answer.json if answer.content_type.split(";")[0].endswith("json") and answer.body else answer.body
        self.checker.check(method, path, answer.status, answer.content_type, parsed)
        return answer

    async def get(self, path: str, **kw: Any) -> Answer:
        return await self.call("GET", path, **kw)

    async def post(self, path: str, **kw: Any) -> Answer:
        return await self.call("POST", path, **kw)

    async def put(self, path: str, **kw: Any) -> Answer:
        return await self.call("PUT", path, **kw)

    async def patch(self, path: str, **kw: Any) -> Answer:
        return await self.call("PATCH", path, **kw)

    async def delete(self, path: str, **kw: Any) -> Answer:
        return await self.call("DELETE", path, **kw)


async def make_tenant(portside: Portside, api: Api, name: str) -> Tenant:
    account = await create_account(name, uow=portside.uow, clock=portside.clock)
    _, key = await create_api_key(account.id, uow=portside.uow, clock=portside.clock, label="tests")
    return Tenant(account.id, key, api.as_(key))


FAKE_SECRET = "fake-secret"


async def connect_store(tenant: Tenant, name: str = "Boutique", **extra: Any) -> dict[str, Any]:
    body = {"channel": "fake", "name": name, "credentials": {"secret": FAKE_SECRET}, "settings": {"page_size": 10}}
    answer = await tenant.api.post("/v1/stores", json={**body, **extra})
    assert answer.status == 201, answer.body
    return answer.json  # type: ignore[no-any-return]


async def import_orders(portside: Portside, plugin: FakeChannelPlugin, store_id: str, orders: list[Order]) -> None:
    """Put ``orders`` on the store's fake marketplace and sync them in, as the scheduler would."""
    plugin.market(store_id).put(*orders)
    report = await portside.sync_store(store_id)
    assert report.outcome == "completed", report.error
