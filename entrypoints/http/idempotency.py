"""``Idempotency-Key``: a retried POST gets the first answer again instead of doing the work twice."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from aiohttp import web

from portside.core.ports import IdempotentResponse, UnitOfWorkFactory

from .problems import ApiProblem
from .state import PORTSIDE, account_id

log = logging.getLogger("portside.http")

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
_MAX_KEY = 255

Work = Callable[[], Awaitable[tuple[int, bytes]]]  # status and JSON body of the first answer
# A claim this old belonged to a request whose process died before answering: a retry takes over.
_STALE = timedelta(minutes=5)


def _key(request: web.Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= _MAX_KEY or not key.isprintable():
        raise ApiProblem(
            422,
            f"{HEADER} must be 1 to {_MAX_KEY} printable characters (a UUID is a good choice)",
            slug="validation",
            errors={HEADER: f"1 to {_MAX_KEY} printable characters"},
        )
    return key


def _json(status: int, body: bytes, *, replayed: bool) -> web.Response:
    headers = {REPLAYED: "true"} if replayed else None
    return web.Response(status=status, body=body, content_type="application/json", headers=headers)


async def idempotent(request: web.Request, fingerprint: bytes, work: Work) -> web.Response:
    """Run ``work`` once per (account, key), across processes; ``fingerprint`` identifies the request's
    content, so reusing a key for another request is refused rather than answered with the wrong result."""
    key = _key(request)
    if key is None:
        status, body = await work()
        return _json(status, body, replayed=False)
    account = account_id(request)
    request_hash = hashlib.sha256(f"{request.method} {request.path}\n".encode() + fingerprint).hexdigest()
    portside = request.app[PORTSIDE]
    uow, clock = portside.uow, portside.clock
    now = clock.now()
    async with uow() as u:
        # The claim is committed before the work starts, so every other process sees it.
        first = await u.idempotency.reserve(account, key, request_hash, now=now, stale_before=now - _STALE)
        await u.commit()
    if first is not None:
        return _replay(first, request_hash)
    try:
        status, body = await work()
    except BaseException:
        await _release(uow, account, key)
        raise
    if not 200 <= status < 300:  # errors are not kept: a failed request changed nothing, retrying is safe
        await _release(uow, account, key)
        return _json(status, body, replayed=False)
    answer = IdempotentResponse(
        account_id=account, key=key, request_hash=request_hash, status=status, body=body, created_at=clock.now()
    )
    async with uow() as u:
        await u.idempotency.complete(answer)
        await u.commit()
    return _json(status, body, replayed=False)


async def _release(uow: UnitOfWorkFactory, account: str, key: str) -> None:
    async with uow() as u:
        await u.idempotency.release(account, key)
        await u.commit()


def _replay(first: IdempotentResponse, request_hash: str) -> web.Response:
    if first.request_hash != request_hash:
        raise ApiProblem(
            422,
            f"this {HEADER} was already used for a different request; use a new key for a new request",
            slug="idempotency-key-reused",
            errors={HEADER: "already used with another body or path"},
        )
    if first.pending:
        raise ApiProblem(
            409,
            f"a request with this {HEADER} is still being processed; retry in a few seconds to get its answer",
            slug="idempotency-key-in-use",
            headers={"Retry-After": "2"},
        )
    return _json(first.status, first.body, replayed=True)
