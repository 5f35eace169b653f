"""Fault knobs for the directory sandboxes, shaped like the Cdiscount sandbox's: 429, 5xx, slow, broken bodies.

Each knob has a per-call ``probability`` and a ``count`` of next calls that fail for sure (used up
first, so a test can say "the next two calls get a 429"). ``POST /_sandbox/faults`` merges knobs,
e.g. ``{"rate_limit": {"count": 2, "retry_after_s": 1}}``; ``GET`` reads them, ``DELETE`` turns all off.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable

import msgspec
from aiohttp import web

FAULTS_PATH = "/_sandbox/faults"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Knob(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    probability: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability must be within 0..1, got {self.probability}")
        if self.count < 0:
            raise ValueError(f"count must be >= 0, got {self.count}")


class RateLimitKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    retry_after_s: int = 2


class ServerErrorKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    statuses: tuple[int, ...] = (500, 502, 503)


class SlowKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    delay_s: float = 5.0  # pick it above the client's timeout to provoke a client-side timeout


class DirectoryFaultKnobs(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    rate_limit: RateLimitKnob = msgspec.field(default_factory=RateLimitKnob)
    server_error: ServerErrorKnob = msgspec.field(default_factory=ServerErrorKnob)
    slow: SlowKnob = msgspec.field(default_factory=SlowKnob)
    malformed: Knob = msgspec.field(default_factory=Knob)  # a body cut off mid-answer
    bomb: Knob = msgspec.field(default_factory=Knob)  # a hostile body: XML entity expansion, absurd nesting


class FaultInjector:
    """Holds the live knobs and rolls the dice with its own seeded generator, so runs replay.

    ``malformed`` and ``bomb`` are the carrier's own broken bodies, served as ``content_type``.
    """

    def __init__(self, *, malformed: bytes, bomb: bytes, content_type: str, seed: int = 0) -> None:
        self.knobs = DirectoryFaultKnobs()
        self.fired: Counter[str] = Counter()
        self._bodies = {"malformed": malformed, "bomb": bomb}
        self._content_type = content_type
        self._rng = random.Random(f"faults:{seed}")

    def fires(self, name: str) -> bool:
        """Whether knob ``name`` hits this call (consumes one ``count`` when it does)."""
        knob: Knob = getattr(self.knobs, name)
        if knob.count > 0:
            knob.count -= 1
        elif not (knob.probability > 0 and self._rng.random() < knob.probability):
            return False
        self.fired[name] += 1
        return True

    def update(self, patch: dict[str, object]) -> None:
        """Replace the knobs named in ``patch``; the others keep their current settings."""
        merged = msgspec.to_builtins(self.knobs)
        merged.update(patch)
        self.knobs = msgspec.convert(merged, DirectoryFaultKnobs)

    def reset(self) -> None:
        self.knobs = DirectoryFaultKnobs()

    def install(self, app: web.Application) -> None:
        app.middlewares.append(self._middleware)
        app.router.add_get(FAULTS_PATH, self._get)
        app.router.add_post(FAULTS_PATH, self._post)
        app.router.add_delete(FAULTS_PATH, self._delete)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith("/_sandbox/"):
            return await handler(request)
        if self.fires("slow"):
            await asyncio.sleep(self.knobs.slow.delay_s)
        if self.fires("rate_limit"):
            retry_after = str(self.knobs.rate_limit.retry_after_s)
            return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": retry_after})
        if self.fires("server_error"):
            status = self._rng.choice(self.knobs.server_error.statuses)
            return web.Response(
                status=status, text=f"<html><body><h1>{status}</h1></body></html>", content_type="text/html"
            )
        for name, body in self._bodies.items():
            if self.fires(name):
                return web.Response(status=200, body=body, content_type=self._content_type)
        return await handler(request)

    async def _get(self, request: web.Request) -> web.Response:
        return self._knobs()

    async def _post(self, request: web.Request) -> web.Response:
        try:
            patch = msgspec.json.decode(await request.read(), type=dict[str, object])
            self.update(patch)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            return web.json_response({"error": str(exc)}, status=422)
        return self._knobs()

    async def _delete(self, request: web.Request) -> web.Response:
        self.reset()
        return self._knobs()

    def _knobs(self) -> web.Response:
        return web.Response(body=msgspec.json.encode(self.knobs), content_type="application/json")
