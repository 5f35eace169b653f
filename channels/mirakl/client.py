"""The Mirakl seller API client for one store: raw key in ``Authorization``, ``shop_id`` on every call, typed errors.

Reads are retried by the shared client (backoff, Retry-After on 429). Writes that change an order
(OR21, OR23, OR24, ST01) are sent once: after a timeout or a 5xx they become OutcomeUnknown and
the caller reads the order back before trying again (reference §3, "do not blindly retry").
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import quote

from portside.adapters.http import HttpClient, HttpError, HttpResponse, TokenBucket, channel_error

from .problems import error_for
from .redact import Redactor
from .settings import MiraklCredentials, MiraklSettings

log = logging.getLogger("portside.channels.mirakl")

JSON = "application/json"


def order_path(order_id: str, action: str) -> str:
    """``/orders/{order_id}/{action}`` with the id escaped: it is a path segment, whatever it holds."""
    return f"/orders/{quote(order_id, safe='')}/{action}"


class MiraklClient:
    def __init__(
        self,
        http: HttpClient,
        settings: MiraklSettings,
        credentials: MiraklCredentials,
        limiter: TokenBucket,
        redact: Redactor,
    ) -> None:
        self._http = http
        self._settings = settings
        self._key = credentials.api_key.strip()
        self._limiter = limiter
        self._redact = redact
        self.shop_id = settings.shop
        self.api_base = settings.instance + "/api"

    async def get(self, path: str, params: Mapping[str, str] | None = None) -> HttpResponse:
        return await self._call("GET", path, params, None, idempotent=True)

    async def put_json(self, path: str, body: bytes) -> HttpResponse:
        return await self._call("PUT", path, None, body, idempotent=False)

    async def put_empty(self, path: str) -> HttpResponse:
        """A bodyless PUT (OR24): "The Content-Length header must be present with value 0" (§2)."""
        return await self._call("PUT", path, None, b"", idempotent=False)

    async def post_json(self, path: str, body: bytes) -> HttpResponse:
        return await self._call("POST", path, None, body, idempotent=False)

    async def _call(
        self, method: str, path: str, params: Mapping[str, str] | None, body: bytes | None, *, idempotent: bool
    ) -> HttpResponse:
        what = f"{method} {path}"
        query = dict(params or {})
        if self.shop_id is not None:
            query["shop_id"] = self.shop_id  # accepted by every seller operation (§2)
        headers = {"Authorization": self._key, "Accept": JSON}  # raw key, no "Bearer" (§2)
        if body is not None:
            headers["Content-Type" if body else "Content-Length"] = JSON if body else "0"
        try:
            response = await self._http.request(
                method,
                self.api_base + path,
                headers=headers,
                params=query,
                data=body,
                idempotent=idempotent,
                timeout_s=self._settings.timeout_s,
                limiter=self._limiter,
            )
        except HttpError as exc:
            raise channel_error(exc, what=what, marketplace="Mirakl", redact=self._redact) from None
        log.debug("%s → %d", what, response.status)
        if response.ok:
            return response
        raise error_for(response, what, self._redact, self.shop_id)
