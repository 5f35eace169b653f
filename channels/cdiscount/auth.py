"""OAuth2 client-credentials tokens for one store: reused until shortly before expiry, one refresh at a time.

Octopia issues 2-hour tokens and caps issuance at 500 an hour (reference §4.1): a token per call
would exhaust the quota, so the token lives in the store's state and every call shares it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import msgspec

from portside.adapters.http import HttpClient, HttpError, HttpOutcomeUnknown, HttpUnavailable
from portside.core.errors import ChannelAuthFailed, ChannelError, ChannelRejected, ChannelUnavailable

from .problems import AUTH_REJECTED, field_errors, read_problem
from .redact import Redactor
from .schemas import WireToken, decoder
from .settings import PRODUCTION_AUTH_URL, CdiscountCredentials, CdiscountSettings

log = logging.getLogger("portside.channels.cdiscount")

# Keycloak's answers when the credentials themselves are wrong (RFC 6749 §5.2).
_CREDENTIAL_ERRORS = frozenset({"invalid_client", "unauthorized_client", "invalid_grant"})
_WRONG_ENDPOINT = frozenset({404, 405, 410})  # no token endpoint there: a setting to fix, not an outage
_BLOCKED_RETRY_S = 300.0  # a 403 before any credential is read: a firewall or proxy, often for a while


class TokenCache:
    """The store's current token and the lock that lets exactly one caller refresh it."""

    def __init__(self) -> None:
        self.token: str | None = None
        self.refresh_at: datetime | None = None
        self.lock = asyncio.Lock()
        self.issued = 0  # tokens obtained by this process for the store (tests, diagnostics)


class TokenProvider:
    def __init__(
        self,
        http: HttpClient,
        settings: CdiscountSettings,
        credentials: CdiscountCredentials,
        cache: TokenCache,
        now: Callable[[], datetime],
        redact: Redactor,
    ) -> None:
        self._http = http
        self._settings = settings
        self._credentials = credentials
        self._cache = cache
        self._now = now
        self._redact = redact

    def _fresh(self) -> str | None:
        cache = self._cache
        if cache.token is not None and cache.refresh_at is not None and self._now() < cache.refresh_at:
            return cache.token
        return None

    async def token(self) -> str:
        """A valid token, from the cache when it has one; otherwise one caller fetches, the rest wait."""
        token = self._fresh()
        if token is not None:
            return token
        async with self._cache.lock:
            # Whoever held the lock before us may have refreshed it already.
            return self._fresh() or await self._issue()

    async def refresh(self, stale: str) -> str:
        """After a 401 with ``stale``: a new token, unless another caller already replaced it."""
        async with self._cache.lock:
            current = self._cache.token
            if current is not None and current != stale and self._fresh() is not None:
                return current
            return await self._issue()

    async def _issue(self) -> str:
        settings, credentials = self._settings, self._credentials
        form = {
            "grant_type": "client_credentials",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
        }
        try:
            response = await self._http.request(
                "POST",
                settings.auth_url,
                data=form,
                headers={"Accept": "application/json"},
                # Asking for a token twice is harmless (one more against the hourly quota).
                idempotent=True,
                timeout_s=settings.timeout_s,
            )
        except (HttpUnavailable, HttpOutcomeUnknown) as exc:
            retry_after = exc.retry_after if isinstance(exc, HttpUnavailable) else None
            raise ChannelUnavailable(
                f"Octopia's token endpoint is unavailable: {self._redact(str(exc))}", retry_after=retry_after
            ) from None
        except HttpError as exc:
            raise ChannelError(f"Octopia's token endpoint: {self._redact(str(exc))}") from None
        if response.status in (400, 401):
            problem = read_problem(response)
            detail = self._redact(problem.error_description or problem.detail or problem.title or "")
            if response.status == 401 or problem.error in _CREDENTIAL_ERRORS:
                raise ChannelAuthFailed(f"{AUTH_REJECTED} (Octopia said: {detail or 'HTTP 401'})")
            raise ChannelRejected(
                f"Octopia's token endpoint refused the request: {detail or 'HTTP 400'}",
                field_errors=field_errors(problem.errors, self._redact),
            )
        if response.status in _WRONG_ENDPOINT:
            # No token endpoint at that URL (a mistyped auth_url, a proxy refusing the path): retrying
            # cannot help, the store's setting must change.
            reason = (
                f"HTTP {response.status} from the token endpoint: check the store's auth_url setting "
                f"(Octopia's is {PRODUCTION_AUTH_URL})"
            )
            raise ChannelRejected(f"Octopia's token endpoint: {reason}", field_errors={"auth_url": [reason]})
        if response.status == 403:
            # Refused before any credential was read (those are a 400/401): a firewall or proxy in the way,
            # often for a while only; retried later, so that a blocking spell kills no notification.
            raise ChannelUnavailable(
                "Octopia's token endpoint answered HTTP 403 (a firewall or proxy refusing the request); portside "
                f"will retry. If it lasts, check the store's auth_url setting (Octopia's is {PRODUCTION_AUTH_URL}) "
                "and that this host may reach it.",
                retry_after=_BLOCKED_RETRY_S,
            )
        if not response.ok:
            raise ChannelUnavailable(f"Octopia's token endpoint answered HTTP {response.status}; portside will retry.")
        try:
            wire = decoder(WireToken).decode(response.body)
        except msgspec.DecodeError:
            # Seen on the legacy API: a bot-challenge HTML page instead of a token (pain points #7).
            raise ChannelUnavailable(
                "Octopia's token endpoint answered something that is not a token (an HTML page?); portside will retry."
            ) from None
        self._store(wire)
        return wire.access_token

    def _store(self, wire: WireToken) -> None:
        lifetime = max(wire.expires_in, 0.0)
        # Refresh a little before expiry, never later than halfway through a short-lived token.
        margin = min(self._settings.token_refresh_margin_s, lifetime / 2)
        cache = self._cache
        cache.token = wire.access_token
        cache.refresh_at = self._now() + timedelta(seconds=lifetime - margin)
        cache.issued += 1
        self._redact.add_token(wire.access_token)
        log.info("new Octopia access token for seller %s, valid %.0f s", self._credentials.seller_id, lifetime)
