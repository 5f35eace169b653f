"""HTTP bodies of the sandbox: msgspec JSON, and RFC 7807 ``application/problem+json`` errors."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import msgspec
from aiohttp import web

PROBLEM_JSON = "application/problem+json"
_encoder = msgspec.json.Encoder()


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(body=_encoder.encode(body), status=status, content_type="application/json", headers=headers)


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> web.Response:
    """An Octopia-style error: ``type``, ``title``, ``status``, ``detail`` and, for validation, ``errors``."""
    body: dict[str, Any] = {
        "type": "about:blank",  # RFC 7807: no semantics beyond the status code
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = dict(errors)
    body.update(extensions)
    return web.Response(body=_encoder.encode(body), status=status, content_type=PROBLEM_JSON, headers=headers)


def validation_problem(errors: Mapping[str, list[str]], detail: str | None = None) -> web.Response:
    """400 with field errors, the shape clients parse (reference cdiscount-api §4.9)."""
    summary = detail or "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in errors.items())
    return problem(400, summary, title="Validation Failed", errors=errors)
