"""Back-pressure at the edge: beyond a number of requests in flight, refuse at once with 429 + Retry-After."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .problems import ApiProblem
from .state import PUBLIC_ROUTES

RETRY_AFTER_S = 1


def in_flight_limit(limit: int) -> Middleware:
    """Let at most ``limit`` requests run at once in this process. A request past the limit is refused
    before it touches anything (not even its API key is looked up), so a refusal changed nothing and
    retrying it is safe. Health, readiness, metrics and the OpenAPI document are never refused: an
    orchestrator must be able to tell a busy process from a dead one."""
    if limit < 1:
        raise ValueError("limit: must be at least 1")
    in_flight = 0

    @web.middleware
    async def limit_in_flight(request: web.Request, handler: Handler) -> web.StreamResponse:
        nonlocal in_flight
        resource = request.match_info.route.resource
        template = resource.canonical if resource is not None else None
        if template is None or template in request.app[PUBLIC_ROUTES]:
            return await handler(request)  # exempt, or no such route (a 404/405 costs nothing)
        if in_flight >= limit:
            raise ApiProblem(
                429,
                f"this server is handling as many requests as it can ({limit}); retry in {RETRY_AFTER_S} s",
                slug="too-many-requests",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        in_flight += 1
        try:
            return await handler(request)
        finally:
            in_flight -= 1

    return limit_in_flight
