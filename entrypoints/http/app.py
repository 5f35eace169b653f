"""The HTTP API application: routes, middlewares (metrics, problems, auth) and start-up state."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from importlib.metadata import PackageNotFoundError, version

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from ..application import Portside
from ..outbound import PERMISSIVE, OutboundPolicy
from .auth import auth_middleware
from .background import BackgroundSyncs
from .contracts import HttpMetrics, ReadinessCheck, SyncLauncher
from .limits import in_flight_limit
from .openapi import build_document
from .problems import problems_middleware
from .respond import encode
from .routes import (
    api_keys,
    carriers,
    catalog,
    health,
    orders,
    pickup_points,
    shipments,
    store_ops,
    stores,
    webhooks,
)
from .routing import Operation, add_routes
from .state import METRICS, OPENAPI, OUTBOUND, PORTSIDE, PUBLIC_ROUTES, READINESS, SETTINGS, SYNCS, HttpSettings

MAX_BODY_BYTES = 1 << 20  # 1 MiB: far above any single resource; bulk imports stream instead
MAX_BULK_BYTES = 256 << 20


def operations(*, with_metrics: bool = True) -> list[Operation]:
    """Every route the API serves, in the order the OpenAPI document lists them."""
    return [
        *health.operations(with_metrics=with_metrics),
        *stores.operations(),
        *store_ops.operations(),
        *orders.operations(),
        *shipments.operations(),
        *catalog.operations(),
        *pickup_points.operations(),
        *carriers.operations(),
        *webhooks.operations(),
        *api_keys.operations(),
    ]


def _package_version() -> str:
    try:
        return version("portside")
    except PackageNotFoundError:
        return "0"


def database_readiness(app: Portside) -> ReadinessCheck:
    """The default readiness: one read through the storage (the runtime adds the migrations check)."""

    async def check() -> str | None:
        try:
            async with app.uow() as u:
                await u.accounts.get("readyz")
        except Exception as exc:
            return f"the database is unreachable ({type(exc).__name__})"
        return None

    return check


def _metrics_middleware(metrics: HttpMetrics) -> Middleware:
    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        finally:
            resource = request.match_info.route.resource
            # The template, never the raw path: one series per route, whatever the ids.
            route = resource.canonical if resource is not None else "unmatched"
            metrics.observe(route, request.method, status, time.perf_counter() - started)

    return observe


def build_http_app(
    portside: Portside,
    *,
    registry_names: list[str] | None = None,
    metrics: HttpMetrics | None = None,
    readiness: ReadinessCheck | None = None,
    sync_launcher: SyncLauncher | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    max_bulk_bytes: int = MAX_BULK_BYTES,
    max_in_flight: int | None = None,
    outbound: OutboundPolicy = PERMISSIVE,
) -> web.Application:
    """The API over ``portside``. ``registry_names``: the channels new stores may use (default: every
    installed one). ``metrics``: observes each request and is served at /metrics (absent without it).
    ``readiness``: answers /readyz (default: the database answers). ``sync_launcher``: runs
    ``POST /v1/stores/{id}/sync`` (default: a task in this process, under the store's lease).
    ``max_in_flight``: requests past this many at once are refused with 429 (default: no limit).
    ``outbound``: which URLs a tenant may have portside call (webhooks, its carrier endpoint, its stores'
    marketplace URLs); the default allows any, for hosts and tests; the service passes its setting."""
    # Outermost first: metrics see the final status, problems turn every error (auth's too) into JSON,
    # the in-flight limit refuses before auth spends a database connection on the key.
    middlewares: list[Middleware] = [problems_middleware, auth_middleware]
    if max_in_flight is not None:
        middlewares.insert(1, in_flight_limit(max_in_flight))
    if metrics is not None:
        middlewares.insert(0, _metrics_middleware(metrics))
    app = web.Application(middlewares=middlewares, client_max_size=max_body_bytes)
    ops = operations(with_metrics=metrics is not None)
    add_routes(app, ops)
    names = registry_names if registry_names is not None else portside.channels.registry.names()
    app[PORTSIDE] = portside
    app[OUTBOUND] = outbound
    app[SETTINGS] = HttpSettings(
        max_body_bytes=max_body_bytes, max_bulk_bytes=max_bulk_bytes, channel_names=tuple(names)
    )
    if metrics is not None:
        app[METRICS] = metrics
    app[READINESS] = readiness or database_readiness(portside)
    launcher = sync_launcher or BackgroundSyncs(portside)
    app[SYNCS] = launcher
    app[PUBLIC_ROUTES] = frozenset(op.path for op in ops if op.public)
    app[OPENAPI] = encode(build_document(ops, version=_package_version()))

    async def syncs_lifetime(_: web.Application) -> AsyncIterator[None]:
        yield
        await launcher.close()

    app.cleanup_ctx.append(syncs_lifetime)
    return app
