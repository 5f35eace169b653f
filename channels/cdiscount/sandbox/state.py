"""Everything one running sandbox holds: config, clock, orders, tokens, faults and counters."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from aiohttp import web

from .clock import SandboxClock
from .config import SandboxConfig
from .faults import FaultInjector
from .generator import build_order
from .stats import Stats
from .store import OrderStore
from .tokens import TokenRegistry

Wire = dict[str, Any]


class SandboxState:
    """Single event loop, so plain attributes and no locks: handlers never await while mutating."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.clock = SandboxClock(config.now)
        self.store = OrderStore(self.clock)
        self.tokens = TokenRegistry(self.clock, ttl_s=config.token_ttl_s, cap_per_hour=config.token_cap_per_hour)
        self.faults = FaultInjector(config.faults, config.seed)
        self.stats = Stats()
        self._next_index = 0
        # Without a configured "now", date the seed from the start of the hour: the same seed then gives
        # the same orders (ids embed the purchase minute) for every start within that hour.
        base = config.now or self.clock.now().replace(minute=0, second=0)
        self.generate(config.orders, recent=False, now=base)

    def generate(
        self,
        count: int,
        *,
        status: str | None = None,
        delivery: str | None = None,
        recent: bool = True,
        now: datetime | None = None,
    ) -> list[Wire]:
        """Add ``count`` seeded orders; ``recent`` ones were placed minutes ago (new business arriving)."""
        created: list[Wire] = []
        now = now or self.clock.now()
        seller_id = self.config.seller_id
        while len(created) < count:
            index = self._next_index
            order = build_order(
                self.config.seed, index, seller_id=seller_id, now=now, status=status, delivery=delivery, recent=recent
            )
            self._next_index += 1
            if order["orderId"] in self.store:  # a clash is astronomically rare; skip rather than rename
                continue
            created.append(self.store.add(order))
            if recent:
                self.store.touch(order)  # it shows up now, so a cursor on updatedAt finds it
        return created

    def snapshot(self) -> dict[str, Any]:
        """The counters, plus what the orders themselves say (parcels per order, statuses)."""
        parcels: dict[str, int] = {}
        for order in self.store.all():
            numbers = {
                p.get("parcelNumber")
                for line in order["lines"]
                if isinstance(line, dict)
                for p in line.get("parcels") or []
                if isinstance(p, dict)
            }
            if numbers:
                parcels[order["orderId"]] = len(numbers)
        return {
            "tokens": {
                "issued": self.tokens.issued_total,
                "refused": self.tokens.refused_total,
                "expired_early": self.tokens.revoked_total,
            },
            "calls": dict(self.stats.calls),
            "responses": {ep: {str(code): n for code, n in c.items()} for ep, c in self.stats.responses.items()},
            "shipment_posts": dict(self.stats.shipment_posts),
            "shipments_applied": dict(self.stats.shipments_applied),
            "approval_posts": dict(self.stats.approval_posts),
            "parcels": parcels,
            "faults_fired": dict(self.faults.fired),
            "malformed_orders": dict(self.faults.malformed),
            "moved_while_paging": list(self.stats.moved_while_paging),
            "orders": {"total": len(self.store), "by_status": dict(Counter(o["status"] for o in self.store.all()))},
        }


STATE = web.AppKey("cdiscount_sandbox_state", SandboxState)
