"""Fixtures for the entry points' tests: a local HTTP receiver for webhooks and the shared client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from aiohttp import web

from portside.adapters.http import HttpClient, create_session


class Receiver:
    """A webhook endpoint answering what the test asks, remembering every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []  # answers to give, in order; 200 once exhausted
        self.delay_s = 0.0
        self.url = ""
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append(({k: v for k, v in request.headers.items()}, body))
        self.arrived.set()
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status, text="ok")


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    app = web.Application()
    app.router.add_post("/hooks", hook.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    hook.url = f"http://{host}:{port}/hooks"
    yield hook
    await runner.cleanup()


@pytest.fixture
async def http_client() -> AsyncIterator[HttpClient]:
    session: aiohttp.ClientSession = create_session()
    yield HttpClient(session)
    await session.close()


Render = Callable[[object], object]
