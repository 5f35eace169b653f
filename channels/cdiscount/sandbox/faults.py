"""Fault injection: the knobs (how often each failure happens) and the seeded dice that decide per call.

Every knob has a per-call ``probability`` and a ``count`` of next eligible calls that fail for sure
(the count is used up first, so a test can say "the next two calls get a 429"). ``only`` narrows a
knob to some endpoints; by default a transport knob (rate limit, 5xx, slow) hits every API endpoint
but not the token endpoint, which lives on another host upstream (``auth.octopia-io.net``). Name
``"token"`` in ``only`` to fail token requests too.
"""

from __future__ import annotations

import random
from collections import Counter

import msgspec

# Route names the app registers; knobs and stats use them.
ENDPOINTS = ("token", "orders.list", "orders.count", "orders.get", "carriers", "approval", "shipments")


class Knob(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    probability: float = 0.0
    count: int = 0
    only: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability must be within 0..1, got {self.probability}")
        if self.count < 0:
            raise ValueError(f"count must be >= 0, got {self.count}")
        unknown = sorted(set(self.only) - set(ENDPOINTS))
        if unknown:
            raise ValueError(f"unknown endpoint(s) {unknown}; expected some of {list(ENDPOINTS)}")


class RateLimitKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    retry_after_s: int = 2


class ServerErrorKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    statuses: tuple[int, ...] = (500, 502, 503)


class SlowKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    delay_s: float = 5.0  # pick it above the client's timeout to provoke a client-side timeout


class StallKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    stall_s: float = 0.0  # wait this long after applying, then answer ``status``
    status: int = 500


class FaultKnobs(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    rate_limit: RateLimitKnob = msgspec.field(default_factory=RateLimitKnob)
    server_error: ServerErrorKnob = msgspec.field(default_factory=ServerErrorKnob)
    slow: SlowKnob = msgspec.field(default_factory=SlowKnob)
    expire_tokens_early: Knob = msgspec.field(default_factory=Knob)
    malformed_order: Knob = msgspec.field(default_factory=Knob)
    update_while_paging: Knob = msgspec.field(default_factory=Knob)
    shipment_timeout_after_apply: StallKnob = msgspec.field(default_factory=StallKnob)


# Ways an order is broken on the wire; each is a type error a strict wire schema must reject.
MALFORMATIONS = ("quantity_as_text", "lines_as_object", "price_as_text", "updated_at_as_number")


class FaultInjector:
    """Holds the live knobs, rolls the dice with its own seeded ``random.Random``, and counts firings."""

    def __init__(self, knobs: FaultKnobs, seed: int) -> None:
        self.knobs = _copy(knobs)
        self._rng = random.Random(f"faults:{seed}")  # never the global generator: runs must replay
        self.fired: Counter[str] = Counter()
        # Orders once chosen to be malformed stay malformed, so a retry or a re-fetch sees the same bytes.
        self.malformed: dict[str, str] = {}

    def fires(self, name: str, endpoint: str) -> bool:
        """Whether knob ``name`` hits this call to ``endpoint`` (consumes one ``count`` when it does)."""
        knob: Knob = getattr(self.knobs, name)
        eligible = endpoint in knob.only if knob.only else endpoint != "token"
        if not eligible:
            return False
        if knob.count > 0:
            knob.count -= 1
        elif not (knob.probability > 0 and self._rng.random() < knob.probability):
            return False
        self.fired[name] += 1
        return True

    def choice(self, options: list[str] | tuple[str, ...]) -> str:
        return self._rng.choice(options)

    def pick_status(self) -> int:
        return self._rng.choice(self.knobs.server_error.statuses)

    def update(self, patch: dict[str, object]) -> None:
        """Replace the knobs named in ``patch``; the others keep their current settings."""
        merged = msgspec.to_builtins(self.knobs)
        merged.update(patch)
        self.knobs = msgspec.convert(merged, FaultKnobs)

    def reset(self) -> None:
        """Every knob off and no order left malformed: the sandbox behaves like a healthy API again."""
        self.knobs = FaultKnobs()
        self.malformed.clear()


def _copy(knobs: FaultKnobs) -> FaultKnobs:
    # Knobs are mutable (counts run down); never share them with the frozen config.
    return msgspec.convert(msgspec.to_builtins(knobs), FaultKnobs)
