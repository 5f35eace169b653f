"""JSON answers, encoded once by one shared msgspec encoder."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec
from aiohttp import web

_encoder = msgspec.json.Encoder()


def encode(value: object) -> bytes:
    return _encoder.encode(value)


def json_response(value: object, *, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(status=status, body=_encoder.encode(value), content_type="application/json", headers=headers)
