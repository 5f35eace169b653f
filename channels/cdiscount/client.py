"""The Octopia Seller API client for one store: bearer token and SellerId on every call, typed errors."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import quote

from portside.adapters.http import HttpClient, HttpError, HttpResponse, TokenBucket, channel_error
from portside.core.errors import ChannelAuthFailed

from .auth import TokenProvider
from .problems import AUTH_REJECTED, error_for
from .redact import Redactor
from .settings import CdiscountCredentials, CdiscountSettings

log = logging.getLogger("portside.channels.cdiscount")


def order_path(order_id: str, *rest: str) -> str:
    """``/orders/{orderId}/…`` with the id escaped: it is a path segment, whatever Octopia puts in it."""
    return "/".join(("/orders", quote(order_id, safe=""), *rest))


class OctopiaClient:
    def __init__(
        self,
        http: HttpClient,
        settings: CdiscountSettings,
        credentials: CdiscountCredentials,
        tokens: TokenProvider,
        limiter: TokenBucket,
        redact: Redactor,
    ) -> None:
        self._http = http
        self._settings = settings
        self._seller_id = credentials.seller_id.strip()
        self._tokens = tokens
        self._limiter = limiter
        self._redact = redact
        self._base = settings.api_base_url.rstrip("/")

    async def get(self, path: str, params: Mapping[str, str] | None = None) -> HttpResponse:
        return await self._call("GET", path, params=params, body=None, idempotent=True)

    async def post_json(self, path: str, body: bytes) -> HttpResponse:
        """POST is never repeated on a timeout or a 5xx: that answer becomes OutcomeUnknown."""
        return await self._call("POST", path, params=None, body=body, idempotent=False)

    async def _call(
        self, method: str, path: str, *, params: Mapping[str, str] | None, body: bytes | None, idempotent: bool
    ) -> HttpResponse:
        what = f"{method} {path}"
        token = await self._tokens.token()
        response = await self._send(method, path, token, params, body, idempotent, what)
        if response.status == 401:
            # Expired or revoked early: one new token, one more try. A 401 means the request was not
            # processed, so even a POST may be sent again (reference §4.9).
            token = await self._tokens.refresh(token)
            response = await self._send(method, path, token, params, body, idempotent, what)
            if response.status == 401:
                raise ChannelAuthFailed(f"{AUTH_REJECTED} (a fresh token was refused too on {what})")
        log.debug("%s → %d", what, response.status)
        if response.ok:
            return response
        raise error_for(response, what, self._redact)

    async def _send(
        self,
        method: str,
        path: str,
        token: str,
        params: Mapping[str, str] | None,
        body: bytes | None,
        idempotent: bool,
        what: str,
    ) -> HttpResponse:
        headers = {
            "Authorization": f"Bearer {token}",
            "SellerId": self._seller_id,
            "Accept": "application/json",
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            return await self._http.request(
                method,
                self._base + path,
                headers=headers,
                params=params,
                data=body,
                idempotent=idempotent,
                timeout_s=self._settings.timeout_s,
                limiter=self._limiter,
            )
        except HttpError as exc:
            # Every transport failure comes classified by the shared client (it converts each aiohttp error).
            raise channel_error(exc, what=what, marketplace="Octopia", redact=self._redact) from None
