"""Fault knobs of the Mirakl sandbox: 429 + Retry-After, 5xx, slow answers, writes that time out after
applying, malformed orders and orders updated while a client pages.

Every knob has a per-call ``probability`` and a ``count`` of next eligible calls that fail for sure
(used up first: "the next two calls get a 429"). ``only`` narrows a knob to some endpoints (the
route names in ``ENDPOINTS``); by default a transport knob hits every API endpoint.
"""

from __future__ import annotations

import random
from collections import Counter

import msgspec

ENDPOINTS = (
    "orders.list",
    "orders.accept",
    "orders.tracking",
    "orders.ship",
    "shipments.create",
    "shipments.list",
    "carriers",
    "shipping_types",
)
WRITES = ("orders.accept", "orders.tracking", "orders.ship", "shipments.create")
# Ways an order is broken on the wire; each is a type error a strict schema rejects, while the order id
# and last_updated_date stay readable so the order can be quarantined and the cursor still moves.
MALFORMATIONS = ("quantity_as_text", "order_lines_as_object", "price_as_word", "customer_as_list")


class Knob(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    probability: float = 0.0
    count: int = 0
    only: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability must be within 0..1, got {self.probability}")
        if self.count < 0:
            raise ValueError(f"count must be >= 0, got {self.count}")
        if unknown := sorted(set(self.only) - set(ENDPOINTS)):
            raise ValueError(f"unknown endpoint(s) {unknown}; expected some of {list(ENDPOINTS)}")


class RateLimitKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    retry_after_s: int = 2


class ServerErrorKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    statuses: tuple[int, ...] = (500, 502, 503)


class SlowKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    delay_s: float = 5.0  # above the client's timeout to provoke a client-side timeout


class StallKnob(Knob, kw_only=True, forbid_unknown_fields=True):
    """A write that is applied, then answered late with an error: the client cannot know it landed."""

    stall_s: float = 0.0
    status: int = 504


class MiraklFaultKnobs(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    rate_limit: RateLimitKnob = msgspec.field(default_factory=RateLimitKnob)
    server_error: ServerErrorKnob = msgspec.field(default_factory=ServerErrorKnob)
    slow: SlowKnob = msgspec.field(default_factory=SlowKnob)
    error_after_apply: StallKnob = msgspec.field(default_factory=StallKnob)
    malformed_order: Knob = msgspec.field(default_factory=Knob)
    update_while_paging: Knob = msgspec.field(default_factory=Knob)


class FaultInjector:
    """The live knobs, dice from a seeded ``random.Random`` (runs replay), and what fired."""

    def __init__(self, knobs: MiraklFaultKnobs, seed: int) -> None:
        self.knobs = _copy(knobs)
        self._rng = random.Random(f"mirakl-faults:{seed}")
        self.fired: Counter[str] = Counter()
        self.malformed: dict[str, str] = {}  # once broken, an order stays broken for every reader

    def fires(self, name: str, endpoint: str) -> bool:
        knob: Knob = getattr(self.knobs, name)
        if knob.only and endpoint not in knob.only:
            return False
        if knob.count > 0:
            knob.count -= 1
        elif not (knob.probability > 0 and self._rng.random() < knob.probability):
            return False
        self.fired[name] += 1
        return True

    def pick(self, options: list[str] | tuple[str, ...]) -> str:
        return self._rng.choice(options)

    def pick_status(self) -> int:
        return self._rng.choice(self.knobs.server_error.statuses)

    def update(self, patch: dict[str, object]) -> None:
        """Replace the knobs named in ``patch``; the others keep their settings."""
        merged = msgspec.to_builtins(self.knobs)
        merged.update(patch)
        self.knobs = msgspec.convert(merged, MiraklFaultKnobs)

    def reset(self) -> None:
        self.knobs = MiraklFaultKnobs()
        self.malformed.clear()


def _copy(knobs: MiraklFaultKnobs) -> MiraklFaultKnobs:
    # Knobs are mutable (counts run down); never share them with the frozen config.
    return msgspec.convert(msgspec.to_builtins(knobs), MiraklFaultKnobs)
