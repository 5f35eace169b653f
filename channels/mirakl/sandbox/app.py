"""The sandbox application: Mirakl's seller paths under ``/api``, the auth and fault middleware, start and stop.

A store points its ``base_url`` at ``Running.url`` exactly as it would at ``https://<operator>.mirakl.net``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from portside.adapters.carriers.sandbox_kit import Running as Served
from portside.adapters.carriers.sandbox_kit import serve

from . import orders_api, shipments_api
from .admin import add_admin_routes
from .config import MiraklSandboxConfig
from .faults import WRITES
from .render import error
from .state import STATE, SandboxState

API = "/api"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _authorise(request: web.Request, state: SandboxState) -> web.Response | None:
    """The raw shop key in ``Authorization``, no scheme (reference §2); ``shop_id`` must be the key's shop."""
    if request.headers.get("Authorization") != state.config.api_key:
        return error(401, "Unauthorized")
    shop = request.query.get("shop_id")
    if shop is not None and state.config.shop_id is not None and shop.strip() != state.config.shop_id:
        return error(403, f"Forbidden: shop {shop} is not accessible with this API key")
    return None


async def _before(state: SandboxState, endpoint: str) -> web.Response | None:
    """What the network or the gateway does before the API sees the call: delay, throttle, fail."""
    faults = state.faults
    if faults.fires("slow", endpoint):
        await asyncio.sleep(faults.knobs.slow.delay_s)
    if faults.fires("rate_limit", endpoint):
        retry_after = str(faults.knobs.rate_limit.retry_after_s)
        return error(429, "Too Many Requests", headers={"Retry-After": retry_after})
    if faults.fires("server_error", endpoint):
        status = faults.pick_status()
        if status == 500:
            return error(500, "An unexpected error occurred")
        # Gateways in front of the API answer 502/503 with an HTML page, not JSON.
        return web.Response(
            status=status, text=f"<html><body><h1>{status}</h1></body></html>", content_type="text/html"
        )
    return None


@web.middleware
async def sandbox_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[STATE]
    route_error = request.match_info.http_exception
    if route_error is not None:
        return error(route_error.status, f"No route for {request.method} {request.path}")
    endpoint = request.match_info.route.name or ""
    if endpoint.startswith("admin."):
        return await handler(request)
    final = await _before(state, endpoint) or _authorise(request, state) or await handler(request)
    knob = state.faults.knobs.error_after_apply
    if endpoint in WRITES and final.status < 300 and state.faults.fires("error_after_apply", endpoint):
        # Applied, but the answer is lost: the client must read the order back before sending again.
        await asyncio.sleep(knob.stall_s)
        final = error(knob.status, "Gateway Timeout")
    state.stats.record(endpoint, final.status)
    return final


def build_app(config: MiraklSandboxConfig) -> web.Application:
    """A fresh sandbox (its own seeded orders and faults) as an aiohttp application."""
    app = web.Application(middlewares=[sandbox_middleware])
    app[STATE] = SandboxState(config)
    router = app.router
    router.add_get(f"{API}/orders", orders_api.list_orders, name="orders.list")
    router.add_put(f"{API}/orders/{{order_id}}/accept", orders_api.accept, name="orders.accept")
    router.add_put(f"{API}/orders/{{order_id}}/tracking", orders_api.tracking, name="orders.tracking")
    router.add_put(f"{API}/orders/{{order_id}}/ship", orders_api.ship, name="orders.ship")
    router.add_post(f"{API}/shipments", shipments_api.create_shipments, name="shipments.create")
    router.add_get(f"{API}/shipments", shipments_api.list_shipments, name="shipments.list")
    router.add_get(f"{API}/shipping/carriers", shipments_api.carriers, name="carriers")
    router.add_get(f"{API}/shipping/types", shipments_api.shipping_types, name="shipping_types")
    add_admin_routes(app)
    return app


class Running:
    """A started sandbox: ``url`` is a store's ``base_url``; ``state`` is its live state; ``close()`` stops it."""

    def __init__(self, served: Served) -> None:
        self._served = served
        self.app = served.app
        self.url = served.url
        self.api_url = served.url + API
        self.admin_url = served.url + "/_sandbox"
        self.state: SandboxState = served.app[STATE]

    @property
    def config(self) -> MiraklSandboxConfig:
        return self.state.config

    async def close(self) -> None:
        await self._served.close()

    async def __aenter__(self) -> Running:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()


async def start_sandbox(config: MiraklSandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> Running:
    """Serve a new sandbox on ``host:port`` (port 0: any free port); ``await running.close()`` stops it."""
    return Running(await serve(build_app(config or MiraklSandboxConfig()), host=host, port=port, path=""))
