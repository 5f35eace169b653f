"""Every error as RFC 7807 problem+json: what went wrong and what to do, never a trace or a secret."""

from __future__ import annotations

import logging
import math
import re
import uuid
from collections.abc import Mapping

import msgspec
from aiohttp import web
from aiohttp.typedefs import Handler

from portside.core.errors import (
    ChannelError,
    ChannelRejected,
    Conflict,
    DirectoryError,
    DirectoryRequestRejected,
    NotFound,
    StorageUnavailable,
    SyncAlreadyRunning,
    SyncTooSoon,
    ValidationFailed,
)

from .schemas.common import Problem

log = logging.getLogger("portside.http")

PROBLEM_JSON = "application/problem+json"
_encode = msgspec.json.Encoder().encode

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests, retry later",
    500: "Internal error",
    502: "Bad gateway",
    503: "Unavailable, retry later",
}


class ApiProblem(Exception):
    """Raised by the edge for a problem that no core error describes (auth, body, media type)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str,
        errors: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.errors = dict(errors) if errors else None
        self.headers = dict(headers or {})


def _type(slug: str) -> str:
    return f"urn:portside:problem:{slug}"


def problem_response(
    status: int,
    detail: str,
    *,
    slug: str,
    request: web.Request | None = None,
    errors: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    error_id: str | None = None,
) -> web.Response:
    problem = Problem(
        type=_type(slug),
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.path if request is not None else None,
        errors=dict(errors) if errors else None,
        error_id=error_id,
    )
    response = web.Response(status=status, body=_encode(problem), headers=headers)
    response.content_type = PROBLEM_JSON
    return response


def _retry_after(seconds: float | None) -> dict[str, str]:
    return {} if seconds is None else {"Retry-After": str(max(1, math.ceil(seconds)))}


def from_exception(exc: BaseException, request: web.Request) -> web.Response:
    """The problem response for ``exc``; anything unexpected is logged and answered with a bare 500."""
    if isinstance(exc, ApiProblem):
        return problem_response(
            exc.status, exc.detail, slug=exc.slug, request=request, errors=exc.errors, headers=exc.headers
        )
    if isinstance(exc, ValidationFailed):
        return problem_response(422, str(exc), slug="validation", request=request, errors=exc.problems or None)
    if isinstance(exc, NotFound):
        return problem_response(404, str(exc), slug="not-found", request=request)
    if isinstance(exc, SyncTooSoon):  # the marketplace's limit, not ours: nothing was started
        return problem_response(
            429, str(exc), slug="sync-too-soon", request=request, headers=_retry_after(exc.retry_after)
        )
    if isinstance(exc, Conflict | SyncAlreadyRunning):
        return problem_response(409, str(exc), slug="conflict", request=request)
    if isinstance(exc, ChannelRejected):
        errors = {f"channel.{k}": "; ".join(v) for k, v in exc.field_errors.items()} or None
        return problem_response(
            422, f"the marketplace refused it: {exc}", slug="channel-rejected", request=request, errors=errors
        )
    if isinstance(exc, ChannelError):
        # The channel's message is already a sentence saying what happened; add the advice only if it has none.
        said = str(exc).rstrip(". ")
        advice = "" if re.search(r"\b(retry|try again)\b", said) else "; retry later"
        detail = f"the marketplace could not be reached or is busy: {said}{advice}"
        return problem_response(
            503, detail, slug="channel-unavailable", request=request, headers=_retry_after(exc.retry_after)
        )
    if isinstance(exc, StorageUnavailable):  # refused before any change: retrying is safe
        return problem_response(
            503, str(exc), slug="storage-unavailable", request=request, headers=_retry_after(exc.retry_after)
        )
    if isinstance(exc, DirectoryRequestRejected):
        detail = f"the carrier refused the search as asked: {exc}; correct the parameters and try again"
        return problem_response(422, detail, slug="validation", request=request, errors={"query": str(exc)})
    if isinstance(exc, DirectoryError):
        if exc.retryable:
            detail = f"the carrier's pickup point directory is unavailable ({exc}); retry in a minute"
            return problem_response(
                503, detail, slug="directory-unavailable", request=request, headers={"Retry-After": "60"}
            )
        return problem_response(
            502, f"the carrier's directory answered something unusable: {exc}", slug="directory-error", request=request
        )
    if isinstance(exc, web.HTTPException):
        return _from_http(exc, request)
    error_id = uuid.uuid4().hex[:16]
    log.error("unexpected error %s on %s %s", error_id, request.method, request.path, exc_info=exc)
    detail = f"something went wrong on our side; quote error id {error_id} if you report it"
    return problem_response(500, detail, slug="internal", request=request, error_id=error_id)


def _from_http(exc: web.HTTPException, request: web.Request) -> web.Response:
    status = exc.status
    if status == 404:
        detail = f"no route {request.path}; see /v1/openapi.json for the routes"
    elif status == 405:
        allowed = exc.headers.get("Allow", "")
        detail = f"{request.method} is not allowed on {request.path}; allowed: {allowed}"
    elif status == 413:
        detail = "the request body is too large; send a smaller one (bulk imports have their own route)"
    else:
        detail = exc.reason
    headers = {k: v for k, v in exc.headers.items() if k in ("Allow", "Retry-After")}
    slug = {404: "not-found", 413: "request-too-large"}.get(status, f"http-{status}")
    return problem_response(status, detail, slug=slug, request=request, headers=headers)


@web.middleware
async def problems_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise  # redirects and the like are answers, not problems
        return from_exception(exc, request)
    except Exception as exc:
        return from_exception(exc, request)
