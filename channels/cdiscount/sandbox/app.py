"""The sandbox application: routes on Octopia's paths, the fault and auth middleware, and start/stop.

One process serves both upstream hosts: the token endpoint (``auth.octopia-io.net``) and the API
(``api.octopia-io.net/seller/v2``), so pointing a client at the real service is only a change of URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from . import actions, orders
from .admin import add_admin_routes
from .auth import TOKEN_PATH, authorise, issue_token
from .config import SandboxConfig
from .problems import problem
from .state import STATE, SandboxState

API_PREFIX = "/seller/v2"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _transport_faults(state: SandboxState, endpoint: str) -> web.Response | None:
    """What the network or the gateway does before the API sees the call: delay, throttle, fail."""
    faults = state.faults
    if faults.fires("slow", endpoint):
        await asyncio.sleep(faults.knobs.slow.delay_s)
    if faults.fires("rate_limit", endpoint):
        retry_after = str(faults.knobs.rate_limit.retry_after_s)
        return problem(429, f"Rate limit reached: retry after {retry_after} s.", headers={"Retry-After": retry_after})
    if faults.fires("server_error", endpoint):
        status = faults.pick_status()
        if status == 500:
            return problem(500, "An unexpected error occurred.")
        # Gateways in front of the API answer 502/503 with an HTML page, not problem+json.
        return web.Response(
            status=status, text=f"<html><body><h1>{status}</h1></body></html>", content_type="text/html"
        )
    return None


@web.middleware
async def sandbox_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[STATE]
    route_error = request.match_info.http_exception
    if route_error is not None:  # unknown path or method: still problem+json, like the real API
        return problem(route_error.status, f"No route for {request.method} {request.path}.")
    endpoint = request.match_info.route.name or ""
    if endpoint.startswith("admin."):
        return await handler(request)
    response = await _transport_faults(state, endpoint)
    if response is None and endpoint != "token":
        response = authorise(request, state, endpoint)
    final = response if response is not None else await handler(request)
    state.stats.record(endpoint, final.status)
    return final


def build_sandbox_app(config: SandboxConfig) -> web.Application:
    """A fresh sandbox (its own seeded orders, tokens and faults) as an aiohttp application."""
    app = web.Application(middlewares=[sandbox_middleware])
    app[STATE] = SandboxState(config)
    router = app.router
    router.add_post(TOKEN_PATH, issue_token, name="token")
    # /orders/count before /orders/{orderId}: routes match in the order they are added.
    router.add_get(f"{API_PREFIX}/orders", orders.list_orders, name="orders.list")
    router.add_get(f"{API_PREFIX}/orders/count", orders.count_orders, name="orders.count")
    router.add_get(f"{API_PREFIX}/orders/{{orderId}}", orders.get_order, name="orders.get")
    router.add_get(f"{API_PREFIX}/carriers", orders.list_carriers, name="carriers")
    router.add_post(f"{API_PREFIX}/orders/{{orderId}}/approval-status", actions.set_approval, name="approval")
    router.add_post(f"{API_PREFIX}/orders/{{orderId}}/shipments", actions.create_shipment, name="shipments")
    add_admin_routes(app)
    return app


class RunningSandbox:
    """A started sandbox: where to reach it, its live state, and how to stop it."""

    def __init__(self, runner: web.AppRunner, app: web.Application, url: str) -> None:
        self._runner = runner
        self.app = app
        self.url = url  # base, e.g. http://127.0.0.1:8181
        self.auth_url = url + TOKEN_PATH  # the full token endpoint URL
        self.api_base_url = url + API_PREFIX
        self.admin_url = url + "/_sandbox"
        self.state: SandboxState = app[STATE]

    async def close(self) -> None:
        await self._runner.cleanup()

    async def __aenter__(self) -> RunningSandbox:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()


async def start_sandbox(config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> RunningSandbox:
    """Serve a new sandbox on ``host:port`` (port 0: any free port); ``await sandbox.close()`` to stop."""
    app = build_sandbox_app(config or SandboxConfig())
    # A stalled handler (slow fault) must not hold up close(): give in-flight calls a moment, then cancel.
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    netloc = f"[{bound_host}]:{bound_port}" if ":" in bound_host else f"{bound_host}:{bound_port}"
    return RunningSandbox(runner, app, f"http://{netloc}")
