"""Request decoding at the edge: bodies and query strings into msgspec Structs, every bad field named."""

from __future__ import annotations

import typing
from typing import Any, TypeVar

import msgspec
from aiohttp import web

from portside.core.errors import ValidationFailed
from portside.core.services.validation import convert_fields

from .problems import ApiProblem
from .state import SETTINGS

T = TypeVar("T")

_json = msgspec.json.Decoder()  # untyped: the typed pass below names every bad field

# Postgres stores no U+0000 in text or jsonb: a NUL reaching it fails the transaction (a 500). Every
# value a client sends (JSON bodies, path and query parameters, bulk rows) is refused at the edge instead.
NUL = "\x00"
NUL_PROBLEM = "holds a NUL character (U+0000), which cannot be stored"
NUL_KEY_PROBLEM = "a key holds a NUL character (U+0000), which cannot be stored"


def nul_fields(data: object, prefix: str = "") -> dict[str, str]:
    """Where decoded JSON ``data`` holds a NUL, by field path (``lines[0].title``) as validation names
    fields; a key holding one is reported at its object. Iterative: the decoder's nesting is deep."""
    found: dict[str, str] = {}
    stack: list[tuple[str, object]] = [(prefix, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                found[path or "body"] = NUL_PROBLEM
        elif isinstance(value, dict):
            for key, item in value.items():
                if NUL in key:
                    found[path or "body"] = NUL_KEY_PROBLEM
                else:
                    stack.append((f"{path}.{key}" if path else key, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return found


def refuse_nul(problems: dict[str, str], what: str) -> None:
    """Raise ValidationFailed (a 422 naming each field) when ``problems`` (from ``nul_fields``) has any."""
    if problems:
        raise ValidationFailed(f"invalid {what}: {'; '.join(f'{k}: {v}' for k, v in problems.items())}", problems)


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
        if b"\\u0000" in body:  # the only way JSON text holds a NUL (a raw one is malformed)
            refuse_nul(nul_fields(data), what)
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
