"""One way for directory clients to call a carrier: transport failures become directory errors."""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp

from portside.adapters.http import (
    HttpClient,
    HttpOutcomeUnknown,
    HttpResponse,
    HttpUnavailable,
    ResponseTooLarge,
    TokenBucket,
    where,
)
from portside.core.errors import DirectoryError, DirectoryUnavailable

from .directory_errors import CarrierAuthFailed, CarrierBadResponse

MAX_DIRECTORY_BODY = 2 * 1024 * 1024  # thirty points are tens of kilobytes; more means a wrong answer


async def post_lookup(
    client: HttpClient,
    carrier: str,
    url: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
    timeout_s: float,
    limiter: TokenBucket | None = None,
) -> HttpResponse:
    """POST a read-only lookup and return a 2xx answer, or raise a ``DirectoryError`` naming ``carrier``.

    Lookups change nothing at the carrier, so they are sent as idempotent (retried on timeouts and
    5xx even though SOAP and REST lookups are POSTs).
    """
    try:
        response = await client.request(
            "POST",
            url,
            headers=headers,
            data=body,
            idempotent=True,
            timeout_s=timeout_s,
            limiter=limiter,
            max_body=MAX_DIRECTORY_BODY,
        )
    except (HttpUnavailable, HttpOutcomeUnknown) as exc:
        raise DirectoryUnavailable(carrier, f"directory unreachable, try again later ({exc})") from None
    except ResponseTooLarge as exc:
        raise CarrierBadResponse(carrier, str(exc), retryable=False) from None
    except aiohttp.ClientError as exc:
        # Anything else the transport raises (bad status line, invalid URL…): never let it escape raw.
        raise DirectoryUnavailable(carrier, f"{where(url)}: {type(exc).__name__}") from None
    if response.ok:
        return response
    if response.status in (401, 403):
        raise CarrierAuthFailed(
            carrier, f"{where(url)} refused the credentials (HTTP {response.status})", code=str(response.status)
        )
    raise DirectoryError(carrier, f"{where(url)} answered HTTP {response.status}", code=str(response.status))
