"""Health, readiness, metrics and the OpenAPI document: the routes that need no API key."""

from __future__ import annotations

from aiohttp import web

from ..problems import problem_response
from ..respond import json_response
from ..routing import Operation, Reply
from ..schemas.common import Health
from ..state import METRICS, OPENAPI, READINESS

PROMETHEUS = "text/plain; version=0.0.4"


async def healthz(request: web.Request) -> web.Response:
    return json_response(Health(status="ok"))


async def readyz(request: web.Request) -> web.Response:
    try:
        reason = await request.app[READINESS]()
    except Exception as exc:  # a check that fails is an answer: not ready, and why
        reason = f"readiness check failed: {type(exc).__name__}"
    if reason is not None:
        return problem_response(
            503, f"not ready: {reason}", slug="not-ready", request=request, headers={"Retry-After": "5"}
        )
    return json_response(Health(status="ready"))


async def metrics(request: web.Request) -> web.Response:
    text = request.app[METRICS].render()
    return web.Response(body=text.encode(), headers={"Content-Type": f"{PROMETHEUS}; charset=utf-8"})


async def openapi(request: web.Request) -> web.Response:
    return web.Response(body=request.app[OPENAPI], content_type="application/json")


def operations(*, with_metrics: bool) -> list[Operation]:
    ops = [
        Operation(
            "GET",
            "/healthz",
            healthz,
            "healthz",
            "The process is up",
            "health",
            {200: Reply("up", Health)},
            public=True,
        ),
        Operation(
            "GET",
            "/readyz",
            readyz,
            "readyz",
            "Ready for traffic (database reachable, schema up to date)",
            "health",
            {200: Reply("ready", Health)},
            problems=(503,),
            public=True,
        ),
        Operation(
            "GET",
            "/v1/openapi.json",
            openapi,
            "openapi",
            "This document",
            "health",
            {200: Reply("the OpenAPI 3.1 document", dict)},
            public=True,
        ),
    ]
    if with_metrics:
        ops.append(
            Operation(
                "GET",
                "/metrics",
                metrics,
                "metrics",
                "Prometheus metrics",
                "health",
                {200: Reply("metrics, Prometheus text format 0.0.4", str, media_type=PROMETHEUS)},
                public=True,
            )
        )
    return ops
