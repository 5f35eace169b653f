"""Request decoding at the edge: bodies and query strings into msgspec Structs, every bad field named."""

from __future__ import annotations

import typing
from typing import Any, TypeVar

import msgspec
from aiohttp import web

from portside.core.services.validation import convert_fields

from .problems import ApiProblem
from .state import SETTINGS

T = TypeVar("T")

_json = msgspec.json.Decoder()  # untyped: the typed pass below names every bad field


def _json_media(request: web.Request) -> None:
    kind = request.content_type
    if kind != "application/json" and not kind.endswith("+json"):
        raise ApiProblem(
            415, f"send JSON with Content-Type: application/json (got {kind or 'none'})", slug="unsupported-media-type"
        )


async def read_body(request: web.Request) -> bytes:
    """The whole body, refusing one larger than the app's limit before reading it."""
    limit = request.app[SETTINGS].max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise ApiProblem(413, f"the body is larger than {limit} bytes", slug="request-too-large")
    return await request.read()  # aiohttp enforces the same limit (client_max_size) while reading


async def read_json(request: web.Request, kind: type[T], *, what: str = "request body", optional: bool = False) -> T:
    """The body as ``kind``. ``optional``: an empty body means ``{}`` (for commands with no parameters)."""
    body = await read_body(request)
    if not body.strip() and optional:
        data: Any = {}
    else:
        _json_media(request)
        try:
            data = _json.decode(body)
        except msgspec.DecodeError as exc:
            raise ApiProblem(400, f"the body is not valid JSON: {exc}", slug="malformed-json") from None
    return convert_fields(data, kind, what=what)


def is_list_type(kind: object) -> bool:
    """A list (or optional list) field: it takes several query values."""
    args = [a for a in typing.get_args(kind) if a is not type(None)] or [kind]
    return any(typing.get_origin(a) in (list, tuple) for a in args)


def read_query(request: web.Request, kind: type[T]) -> T:
    """The query string as ``kind`` (a Struct of optional fields). A list field takes repeated
    parameters, comma-separated values, or both."""
    fields = {f.encode_name: f for f in msgspec.structs.fields(kind)}  # type: ignore[arg-type]
    data: dict[str, Any] = {}
    for name in request.query:
        values = request.query.getall(name)
        field = fields.get(name)
        if field is not None and is_list_type(field.type):
            data[name] = [part.strip() for value in values for part in value.split(",") if part.strip()]
        else:
            data[name] = values[-1]
    return convert_fields(data, kind, what="query", strict=False)
