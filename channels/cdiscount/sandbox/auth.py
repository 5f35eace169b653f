"""OAuth2 client-credentials token endpoint (Keycloak realm ``maas``) and the checks every API call passes.

Token errors are problem+json as Octopia documents them (reference §4.1), with Keycloak's ``error`` /
``error_description`` members added as RFC 7807 extensions, since the realm really is a Keycloak.
Client credentials are read from the form body or, as Keycloak also allows, from HTTP Basic.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from aiohttp import web

from .problems import json_response, problem, validation_problem
from .state import STATE, SandboxState

TOKEN_PATH = "/auth/realms/maas/protocol/openid-connect/token"  # noqa: S105 - a URL path, not a secret


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(encoded.strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return client_id, secret


def _token_error(status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> web.Response:
    return problem(status, detail, error=error, error_description=detail, headers=headers)


async def issue_token(request: web.Request) -> web.Response:
    state = request.app[STATE]
    if request.content_type != "application/x-www-form-urlencoded":
        return _token_error(400, "invalid_request", "Send the token request as application/x-www-form-urlencoded.")
    form = await request.post()
    grant_type = form.get("grant_type")
    if grant_type != "client_credentials":
        return _token_error(
            400, "unsupported_grant_type", f"grant_type must be client_credentials, got {grant_type!r}."
        )
    client_id, secret = str(form.get("client_id") or ""), str(form.get("client_secret") or "")
    if not client_id and (basic := _basic_credentials(request.headers.get("Authorization", ""))):
        client_id, secret = basic
    config = state.config
    # Constant-time comparisons: the sandbox should not teach clients habits a real server would punish.
    known = secrets.compare_digest(client_id.encode(), config.client_id.encode())
    if not (known and secrets.compare_digest(secret.encode(), config.client_secret.encode())):
        return _token_error(401, "invalid_client", "Invalid client or Invalid client credentials")
    issued = state.tokens.issue()
    if isinstance(issued, float):
        retry = str(int(issued) + 1)
        detail = f"Token quota of {config.token_cap_per_hour} per hour reached: reuse the token you have."
        return _token_error(429, "too_many_requests", detail, headers={"Retry-After": retry})
    return json_response(
        {
            "access_token": issued,
            "expires_in": state.tokens.ttl_s,
            "refresh_expires_in": 0,  # Keycloak issues no refresh token for client credentials
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": "profile email",
        }
    )


def authorise(request: web.Request, state: SandboxState, endpoint: str) -> web.Response | None:
    """The error response for a call without a valid bearer token and matching ``SellerId``, else None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        challenge = {"WWW-Authenticate": 'Bearer realm="maas"'}
        return problem(401, "Send 'Authorization: Bearer <access_token>' from the token endpoint.", headers=challenge)
    reason = state.tokens.problem_with(token)
    if reason is None and state.faults.fires("expire_tokens_early", endpoint):
        state.tokens.expire(token)
        reason = "The access token has expired."
    if reason is not None:
        challenge = {"WWW-Authenticate": f'Bearer realm="maas", error="invalid_token", error_description="{reason}"'}
        return problem(401, reason + " Request a new token and retry.", headers=challenge)
    seller_id = request.headers.get("SellerId", "").strip()
    if not seller_id:
        return validation_problem({"SellerId": ["The SellerId header is required (your numeric Octopia seller id)."]})
    if seller_id != state.config.seller_id:
        return problem(403, f"These API credentials are not allowed to act for seller {seller_id}.")
    return None
