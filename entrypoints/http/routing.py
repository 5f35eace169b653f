"""The route table: each operation declared once, so routing, auth and the OpenAPI document agree."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec
from aiohttp import web

from .decoding import NUL, NUL_PROBLEM, refuse_nul

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
JSON = "application/json"

_PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Reply:
    """One documented answer: its schema (a Struct type, None for no body) and media type."""

    description: str
    schema: Any = None
    media_type: str = JSON
    headers: Mapping[str, str] = field(default_factory=dict)  # header name → description
    links: tuple[str, ...] = ()  # operations whose ``{id}`` is this answer's ``id`` (for clients and fuzzers)


@dataclass(frozen=True)
class Body:
    """A request body: a Struct decoded from JSON, or raw media (``schema`` None) described in words."""

    schema: Any
    media_types: tuple[str, ...] = (JSON,)
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class Header:
    name: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    handler: Handler
    operation_id: str
    summary: str
    tag: str
    replies: Mapping[int, Reply]
    description: str = ""
    body: Body | None = None
    query: type[msgspec.Struct] | None = None
    params: Mapping[str, Any] = field(default_factory=dict)  # path parameter → type (default str)
    headers: tuple[Header, ...] = ()
    problems: tuple[int, ...] = ()  # error statuses besides the ones every operation can answer
    public: bool = False  # no API key needed

    @property
    def path_params(self) -> list[str]:
        return _PARAM.findall(self.path)


def problem_statuses(op: Operation) -> list[int]:
    """Every error status ``op`` can answer, for its documentation."""
    statuses = {500, *op.problems}
    if not op.public:
        # 429: past the in-flight limit; 503: no database connection in time. Both carry Retry-After.
        statuses.update({401, 429, 503})
    if op.path_params and not op.public:
        statuses.add(404)
    if op.body is not None or op.query is not None or op.path_params:
        statuses.add(422)
    if op.body is not None:
        statuses.update({400, 413, 415} if op.body.schema is not None else {413, 415})
    return sorted(statuses)


def add_routes(app: web.Application, operations: list[Operation]) -> None:
    seen: set[tuple[str, str]] = set()
    for op in operations:
        key = (op.method, op.path)
        if key in seen:
            raise ValueError(f"route declared twice: {op.method} {op.path}")
        seen.add(key)
        handler = _refusing_nul(op.handler) if 422 in problem_statuses(op) else op.handler
        app.router.add_route(op.method, op.path, handler, name=op.operation_id)


def _refusing_nul(handler: Handler) -> Handler:
    """``handler`` behind a check of the path and query parameters: one holding a NUL (which Postgres
    cannot store) is a 422 naming it, before the handler reads it. JSON bodies: ``decoding.read_json``."""

    @functools.wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        params = [*request.match_info.items(), *request.query.items()]
        if any(NUL in name or NUL in value for name, value in params):
            refuse_nul(
                {(name if NUL not in name else "query"): NUL_PROBLEM for name, value in params if NUL in name + value},
                "path or query",
            )
        return await handler(request)

    return guarded
