"""The shared HTTP client: one aiohttp session per process, retries, Retry-After and rate limits."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import msgspec

from portside.core.ports import BUDGET_WAIT

from .errors import HttpBusy, HttpOutcomeUnknown, HttpUnavailable, ResponseTooLarge
from .ratelimit import TokenBucket
from .retry import RetryPolicy, parse_retry_after

log = logging.getLogger("portside.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_MAX_BODY = 16 * 1024 * 1024  # a marketplace page is kilobytes; megabytes means something is wrong


class HttpResponse(msgspec.Struct, frozen=True, kw_only=True):
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    url: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def where(url: str) -> str:
    """Host and path of ``url`` for messages: never the query string, which may carry secrets."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path}"  # never user:password@ either


class _Target:
    """``METHOD host/path`` of a request, for its error and log messages, formatted when one is written
    (parsing the URL on every request would cost a busy relay more than its JSON does)."""

    __slots__ = ("method", "url")

    def __init__(self, method: str, url: str) -> None:
        self.method, self.url = method, url

    def __str__(self) -> str:
        return f"{self.method} {where(self.url)}"


def create_session(
    *, connections: int = 100, socket_factory: Callable[[Any], socket.socket] | None = None
) -> aiohttp.ClientSession:
    """The process's client session (the container owns its lifetime). ``socket_factory`` opens each
    connection's socket, seeing the address it connects to (the policy for tenants' URLs refuses some)."""
    connector = aiohttp.TCPConnector(limit=connections, ttl_dns_cache=300, socket_factory=socket_factory)
    return aiohttp.ClientSession(connector=connector, raise_for_status=False, trust_env=False)


class HttpClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.session = session
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rng = rng or random.Random()

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        data: bytes | str | Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        timeout_s: float = 30.0,
        limiter: TokenBucket | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        retry: RetryPolicy | None = None,
    ) -> HttpResponse:
        """Send, retrying what is safe to retry; any status that is not retried is returned.

        Raises HttpUnavailable when the server never took the request, HttpOutcomeUnknown when a
        non-idempotent request may have been applied.
        """
        method = method.upper()
        policy = retry or self.retry
        safe_to_repeat = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        target = _Target(method, url)  # named in messages only, so built only for one
        for attempt in range(1, policy.attempts + 1):
            last = attempt == policy.attempts
            if limiter is not None:
                await _take_turn(limiter, target)
            if method not in READ_METHODS and BUDGET_WAIT.get() is not None:
                # A request that may change something goes out: the caller's later calls (a read-back,
                # the second step of a write) wait their turn, a busy now would leave it half done.
                BUDGET_WAIT.set(None)
            try:
                response = await self._send(method, url, headers, params, data, timeout_s, max_body)
            except aiohttp.ClientConnectorError as exc:
                # Nothing reached the server: safe to repeat whatever the method.
                failure: Exception = HttpUnavailable(f"{target}: cannot connect ({exc.os_error or exc})")
                delay = policy.backoff(attempt, self._rng)
            except (
                TimeoutError,
                aiohttp.ServerDisconnectedError,
                aiohttp.ClientPayloadError,
                aiohttp.ClientOSError,
                aiohttp.ClientConnectionResetError,  # not a ClientOSError: a reset mid-write
                aiohttp.ClientError,  # anything else the transport raises: classify it, never leak it raw
            ):
                if not safe_to_repeat:
                    raise HttpOutcomeUnknown(
                        f"{target}: no answer within {timeout_s:g} s; it may have been applied"
                    ) from None
                failure = HttpUnavailable(f"{target}: no answer within {timeout_s:g} s after {attempt} tries")
                delay = policy.backoff(attempt, self._rng)
            else:
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                if response.status == 429 or (response.status == 503 and retry_after is not None):
                    # Rate limited or explicitly told to come back: the request was not processed.
                    failure = HttpUnavailable(
                        f"{target}: HTTP {response.status}, rate limited",
                        retry_after=retry_after,
                        status=response.status,
                    )
                    if retry_after is not None and retry_after > policy.max_retry_after_s:
                        raise failure
                    delay = retry_after if retry_after is not None else policy.backoff(attempt, self._rng)
                elif response.status >= 500:
                    if not safe_to_repeat:
                        raise HttpOutcomeUnknown(
                            f"{target}: HTTP {response.status}; it may have been applied", status=response.status
                        )
                    failure = HttpUnavailable(
                        f"{target}: HTTP {response.status} after {attempt} tries", status=response.status
                    )
                    delay = policy.backoff(attempt, self._rng)
                else:
                    return response
            if last:
                raise failure
            log.info("%s failed (%s); retry %d/%d in %.2f s", target, failure, attempt, policy.attempts - 1, delay)
            await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
        data: Any,
        timeout_s: float,
        max_body: int,
    ) -> HttpResponse:
        timeout = aiohttp.ClientTimeout(total=timeout_s)
        async with self.session.request(
            method, url, headers=headers, params=params, data=data, timeout=timeout, allow_redirects=False
        ) as resp:
            declared = resp.content_length
            if declared is not None and declared > max_body:
                raise ResponseTooLarge(f"{method} {where(url)}: body of {declared} bytes exceeds {max_body}")
            body = await _read_capped(resp, max_body, _Target(method, url))
            return HttpResponse(
                status=resp.status,
                headers={k.lower(): v for k, v in resp.headers.items()},
                body=body,
                url=str(resp.url),
            )


async def _take_turn(limiter: TokenBucket, target: _Target) -> None:
    """Wait for the limiter's budget, for no longer than the caller's patience (``BUDGET_WAIT``)."""
    patience = BUDGET_WAIT.get()
    if patience is None:
        await limiter.acquire()
        return
    try:
        async with asyncio.timeout(patience):
            await limiter.acquire()  # cancelled while waiting, it takes nothing from the budget
    except TimeoutError:
        back_in = limiter.wait_estimate()
        raise HttpBusy(
            f"{target}: its request budget ({limiter.rate:g}/s) is spent for the next {back_in:.1f} s",
            retry_after=back_in,
            interval=1 / limiter.rate,
        ) from None


async def _read_capped(resp: aiohttp.ClientResponse, max_body: int, target: _Target) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > max_body:
            raise ResponseTooLarge(f"{target}: body exceeds {max_body} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
