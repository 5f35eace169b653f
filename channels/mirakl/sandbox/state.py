"""Everything one running sandbox holds: config, operator, clock, orders, shipments, faults and counters."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from aiohttp import web

from .clock import SandboxClock
from .config import MiraklSandboxConfig
from .faults import FaultInjector
from .generator import build_order
from .operators import Operator, operator
from .stats import Stats
from .store import OrderStore

Wire = dict[str, Any]


class SandboxState:
    """Single event loop, so plain attributes and no locks: handlers never await while mutating."""

    def __init__(self, config: MiraklSandboxConfig) -> None:
        self.config = config
        self.operator: Operator = operator(config.profile)
        self.clock = SandboxClock(config.now)
        self.store = OrderStore(self.clock)
        self.faults = FaultInjector(config.faults, config.seed)
        self.stats = Stats()
        self.shipments_api = config.shipments_api
        self.shipments: list[Wire] = []  # ST01 shipments, as ST11 lists them
        self._next_index = 0
        # Without a configured "now", date the seed from the start of the hour: the same seed then gives
        # the same orders for every start within that hour.
        base = config.now or self.clock.now().replace(minute=0, second=0)
        self.generate(config.orders, recent=False, now=base)

    def generate(
        self,
        count: int,
        *,
        state: str | None = None,
        relay: bool | None = None,
        recent: bool = True,
        now: datetime | None = None,
    ) -> list[Wire]:
        """Add ``count`` seeded orders; ``recent`` ones show up now (new business arriving)."""
        created: list[Wire] = []
        now = now or self.clock.now()
        while len(created) < count:
            order = build_order(self.operator, self.config.seed, self._next_index, now, state=state, relay=relay)
            self._next_index += 1
            if order["order_id"] in self.store:  # a clash is astronomically rare; skip rather than rename
                continue
            created.append(self.store.add(order))
            if recent:
                self.store.touch(order)
        return created

    def snapshot(self) -> dict[str, Any]:
        stats = self.stats
        orders = self.store.all()
        return {
            "profile": self.config.profile,
            "shipments_api": self.shipments_api,
            "calls": dict(stats.calls),
            "responses": {ep: {str(code): n for code, n in c.items()} for ep, c in stats.responses.items()},
            "received": {ep: dict(c) for ep, c in stats.received.items()},
            "applied": {ep: dict(c) for ep, c in stats.applied.items()},
            "tracking": {o["order_id"]: o["shipping_tracking"] for o in orders if o.get("shipping_tracking")},
            "faults_fired": dict(self.faults.fired),
            "malformed_orders": dict(self.faults.malformed),
            "moved_while_paging": list(stats.moved_while_paging),
            "orders": {"total": len(orders), "by_state": dict(Counter(o["order_state"] for o in orders))},
        }


STATE = web.AppKey("mirakl_sandbox_state", SandboxState)
