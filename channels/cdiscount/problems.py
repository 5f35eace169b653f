"""Octopia error responses (RFC 7807 problem+json, Keycloak OAuth2 errors) → typed channel errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from portside.adapters.http import HttpResponse
from portside.core.errors import ChannelAuthFailed, ChannelError, ChannelRejected

from .schemas import WireProblem, decoder

Redact = Callable[[str], str]

AUTH_REJECTED = (
    "Octopia rejected the client id/secret. Check them in the Octopia Seller zone › API Credentials "
    "Management (create a new pair there if the secret was lost) and enter them again."
)


class OctopiaRejected(ChannelRejected):
    """Octopia answered with a 4xx: what it said, so a seller or an operator can act on it."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        title: str | None = None,
        detail: str | None = None,
        field_errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, field_errors=field_errors)
        self.status = status
        self.title = title
        self.detail = detail


def read_problem(response: HttpResponse) -> WireProblem:
    """The problem body, or an empty one when Octopia (or a gateway in front of it) sent something else."""
    try:
        problem = decoder(WireProblem).decode(response.body)
    except msgspec.DecodeError:
        return WireProblem()
    return problem


def field_errors(raw: Any, redact: Redact) -> dict[str, list[str]]:
    """``errors`` as ``{field: [messages]}``, from the shapes seen in clients: a mapping to a list or
    a string, or a list of ``{field|name|propertyName, message}`` objects (§4.9)."""
    found: dict[str, list[str]] = {}
    if isinstance(raw, dict):
        for field, messages in raw.items():
            items = messages if isinstance(messages, list) else [messages]
            found[str(field)] = [redact(str(m)) for m in items if m is not None]
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                field = item.get("field") or item.get("name") or item.get("propertyName") or "request"
                message = item.get("message") or item.get("detail") or item.get("title") or ""
                found.setdefault(str(field), []).append(redact(str(message)))
    return found


def _summary(problem: WireProblem, errors: dict[str, list[str]], redact: Redact) -> str:
    parts = [p for p in (problem.title, problem.detail, problem.error_description) if p]
    parts += [f"{field}: {'; '.join(messages)}" for field, messages in errors.items()]
    unique = list(dict.fromkeys(parts))
    return redact(" — ".join(unique)) if unique else "no details given"


def error_for(response: HttpResponse, what: str, redact: Redact) -> ChannelError:
    """The typed error for a non-2xx answer to ``what`` (e.g. ``"GET /orders"``). Never a 429 or a 5xx:
    the shared client raises on those (``channel_error`` turns that into ChannelUnavailable/OutcomeUnknown)."""
    problem = read_problem(response)
    errors = field_errors(problem.errors, redact)
    summary = _summary(problem, errors, redact)
    status = response.status
    if status == 401:
        return ChannelAuthFailed(f"{AUTH_REJECTED} ({what}: HTTP 401, {summary})")
    if status == 403:
        return ChannelAuthFailed(
            "Octopia refused access for this seller id with these credentials: check the seller id (the "
            f"number shown in the Octopia Seller zone) and that the API credentials belong to it ({summary})."
        )
    return OctopiaRejected(
        f"Octopia refused {what} (HTTP {status}): {summary}",
        status=status,
        title=redact(problem.title) if problem.title else None,
        detail=redact(problem.detail) if problem.detail else None,
        field_errors=errors,
    )
