"""``Idempotency-Key``: a retried POST gets the first answer again instead of doing the work twice."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from portside.core.errors import Conflict
from portside.core.ports import IdempotentResponse, UnitOfWorkFactory

from .problems import ApiProblem
from .state import KEY_LOCKS, PORTSIDE, account_id

log = logging.getLogger("portside.http")

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
_MAX_KEY = 255

Work = Callable[[], Awaitable[tuple[int, bytes]]]  # status and JSON body of the first answer


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
    """Run ``work`` once per (account, key); ``fingerprint`` identifies the request's content, so
    reusing a key for another request is refused rather than answered with the wrong result."""
    key = _key(request)
    if key is None:
        status, body = await work()
        return _json(status, body, replayed=False)
    account = account_id(request)
    request_hash = hashlib.sha256(f"{request.method} {request.path}\n".encode() + fingerprint).hexdigest()
    uow = request.app[PORTSIDE].uow
    # Two requests with one key in this process run one after the other: the second replays the first.
    # Across processes, the work itself refuses a second shipment of the same lines (row lock).
    lock = request.app[KEY_LOCKS].setdefault((account, key), asyncio.Lock())
    async with lock:
        replay = await _replay(uow, account, key, request_hash)
        if replay is not None:
            return replay
        try:
            status, body = await work()
        except Conflict:
            # Another process may have done this very request meanwhile: answer as it did.
            replay = await _replay(uow, account, key, request_hash)
            if replay is not None:
                return replay
            raise
        if 200 <= status < 300:  # errors are not kept: a failed request changed nothing, retrying is safe
            first = IdempotentResponse(
                account_id=account,
                key=key,
                request_hash=request_hash,
                status=status,
                body=body,
                created_at=request.app[PORTSIDE].clock.now(),
            )
            async with uow() as u:
                stored = await u.idempotency.put(first)
                await u.commit()
            if not stored:
                log.warning("two requests with one Idempotency-Key both ran (account %s); answering the first", account)
                replay = await _replay(uow, account, key, request_hash)
                if replay is not None:
                    return replay
    return _json(status, body, replayed=False)


async def _replay(uow: UnitOfWorkFactory, account: str, key: str, request_hash: str) -> web.Response | None:
    async with uow() as u:
        first = await u.idempotency.get(account, key)
    if first is None:
        return None
    if first.request_hash != request_hash:
        raise ApiProblem(
            422,
            f"this {HEADER} was already used for a different request; use a new key for a new request",
            slug="idempotency-key-reused",
            errors={HEADER: "already used with another body or path"},
        )
    return _json(first.status, first.body, replayed=True)
