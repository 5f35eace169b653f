"""Fault injection for sandboxes: queue 429s, 5xx, slow, malformed or hostile answers over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Literal

import msgspec
from aiohttp import web

FAULTS_PATH = "/_sandbox/faults"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Fault(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One injected misbehaviour, applied to the next ``times`` requests (0: until cleared)."""

    kind: Literal["status", "slow", "malformed", "bomb"]
    status: int = 503  # kind=status: 429, 500, 502, 503…
    retry_after_s: int | None = None  # kind=status: sent as Retry-After
    delay_s: float = 2.0  # kind=slow: wait this long, then answer normally
    times: int = 1

    def __post_init__(self) -> None:
        if self.kind == "status" and not 400 <= self.status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        if self.times < 0 or self.delay_s < 0:
            raise ValueError("times and delay_s cannot be negative")


_decode_faults = msgspec.json.Decoder(Fault | list[Fault])
_encode = msgspec.json.Encoder()


class FaultInjector:
    """Holds queued faults; ``POST /_sandbox/faults`` adds, ``GET`` lists, ``DELETE`` clears.

    ``malformed`` and ``bomb`` are the carrier-specific bodies: a truncated answer in the carrier's
    format, and a hostile one (XML entity expansion, absurd nesting).
    """

    def __init__(self, *, malformed: bytes, bomb: bytes, content_type: str) -> None:
        self._malformed = malformed
        self._bomb = bomb
        self._content_type = content_type
        self._queue: list[Fault] = []  # applied in order; each entry stands for one request

    def add(self, *faults: Fault) -> None:
        self._queue.extend(faults)

    def clear(self) -> None:
        self._queue.clear()

    def pending(self) -> list[Fault]:
        return list(self._queue)

    def _take(self) -> Fault | None:
        if not self._queue:
            return None
        fault = self._queue[0]
        if fault.times == 1:
            self._queue.pop(0)
        elif fault.times > 1:
            self._queue[0] = msgspec.structs.replace(fault, times=fault.times - 1)
        return fault  # times == 0 stays until cleared

    def install(self, app: web.Application) -> None:
        app.middlewares.append(self._middleware)
        app.router.add_post(FAULTS_PATH, self._post)
        app.router.add_get(FAULTS_PATH, self._get)
        app.router.add_delete(FAULTS_PATH, self._delete)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith("/_sandbox/"):
            return await handler(request)
        fault = self._take()
        if fault is None:
            return await handler(request)
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay_s)
            return await handler(request)
        if fault.kind == "status":
            headers = {"Retry-After": str(fault.retry_after_s)} if fault.retry_after_s is not None else {}
            return web.Response(status=fault.status, text=f"sandbox fault: HTTP {fault.status}", headers=headers)
        body = self._malformed if fault.kind == "malformed" else self._bomb
        return web.Response(status=200, body=body, content_type=self._content_type)

    async def _post(self, request: web.Request) -> web.Response:
        try:
            decoded = _decode_faults.decode(await request.read())
        except msgspec.ValidationError as exc:
            return web.json_response({"error": str(exc)}, status=422)
        except msgspec.DecodeError as exc:
            return web.json_response({"error": f"not JSON: {exc}"}, status=400)
        faults = decoded if isinstance(decoded, list) else [decoded]
        self.add(*faults)
        return self._listing(status=201)

    async def _get(self, request: web.Request) -> web.Response:
        return self._listing()

    async def _delete(self, request: web.Request) -> web.Response:
        self.clear()
        return self._listing()

    def _listing(self, status: int = 200) -> web.Response:
        return web.Response(status=status, body=_encode.encode(self.pending()), content_type="application/json")
