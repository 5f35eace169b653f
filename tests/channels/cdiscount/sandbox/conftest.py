"""Fixtures for the Octopia sandbox tests: a sandbox served on 127.0.0.1 and a client speaking to it over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import msgspec
import pytest

from portside.channels.cdiscount.sandbox import RunningSandbox, SandboxConfig, start_sandbox

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Reply(msgspec.Struct):
    status: int
    headers: dict[str, str]
    body: Any  # decoded JSON, or the raw text when the body is not JSON
    content_type: str


class Api:
    """Talks to a running sandbox the way a client would: token first, then Bearer + SellerId."""

    def __init__(self, sandbox: RunningSandbox, http: aiohttp.ClientSession) -> None:
        self.sandbox = sandbox
        self.http = http
        self.seller_id = sandbox.state.config.seller_id
        self._token: str | None = None

    async def fetch_token(self, client_id: str | None = None, client_secret: str | None = None) -> Reply:
        config = self.sandbox.state.config
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id or config.client_id,
            "client_secret": client_secret or config.client_secret,
        }
        return await self.call("POST", self.sandbox.auth_url, data=form)

    async def token(self) -> str:
        if self._token is None:
            reply = await self.fetch_token()
            assert reply.status == 200, reply
            self._token = reply.body["access_token"]
        return self._token

    async def api(
        self, method: str, path: str, *, token: str | None = None, seller_id: str | None = None, **kwargs: Any
    ) -> Reply:
        headers = {"Authorization": f"Bearer {token or await self.token()}", "SellerId": seller_id or self.seller_id}
        headers.update(kwargs.pop("headers", {}))
        return await self.call(method, self.sandbox.api_base_url + path, headers=headers, **kwargs)

    async def admin(self, method: str, path: str, json: Any = None) -> Reply:
        return await self.call(method, self.sandbox.admin_url + path, json=json)

    async def call(self, method: str, url: str, **kwargs: Any) -> Reply:
        async with self.http.request(method, url, **kwargs) as response:
            raw = await response.read()
            try:
                body = msgspec.json.decode(raw) if raw else None
            except msgspec.DecodeError:
                body = raw.decode()
            return Reply(response.status, dict(response.headers), body, response.content_type)

    async def all_pages(self, page_size: int = 25, **params: Any) -> list[list[dict[str, Any]]]:
        """Every page from pageIndex 1 until a page shorter than ``page_size``, as a naive client reads them."""
        pages: list[list[dict[str, Any]]] = []
        while True:
            query = {"pageIndex": len(pages) + 1, "pageSize": page_size, **params}
            reply = await self.api("GET", "/orders", params=query)
            assert reply.status == 200, reply
            pages.append(reply.body["items"])
            if len(reply.body["items"]) < page_size:
                return pages


def config(**overrides: Any) -> SandboxConfig:
    return SandboxConfig(**{"seed": 7, "orders": 120, "now": NOW, **overrides})


@pytest.fixture
def sandbox_config(request: pytest.FixtureRequest) -> SandboxConfig:
    """The default test sandbox; ``parametrize("sandbox_config", [{...}], indirect=True)`` overrides fields."""
    return config(**getattr(request, "param", {}))


@pytest.fixture
async def start_another() -> AsyncIterator[Callable[..., Awaitable[RunningSandbox]]]:
    """Start extra sandboxes (``await start_another(seed=3)``); all are closed after the test."""
    started: list[RunningSandbox] = []

    async def start(**overrides: Any) -> RunningSandbox:
        started.append(await start_sandbox(config(**overrides)))
        return started[-1]

    yield start
    for running in started:
        await running.close()


@pytest.fixture
async def sandbox(sandbox_config: SandboxConfig) -> AsyncIterator[RunningSandbox]:
    running = await start_sandbox(sandbox_config)
    try:
        yield running
    finally:
        await running.close()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def api(sandbox: RunningSandbox, http: aiohttp.ClientSession) -> Api:
    return Api(sandbox, http)


@pytest.fixture
def api_for(http: aiohttp.ClientSession) -> Callable[[RunningSandbox], Api]:
    """A client for a sandbox started with ``start_another``."""
    return lambda sandbox: Api(sandbox, http)
