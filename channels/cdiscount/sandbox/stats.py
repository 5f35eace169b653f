"""Counters the admin ``/_sandbox/stats`` endpoint reports, so tests can prove "notified exactly once"."""

from __future__ import annotations

from collections import Counter, defaultdict


class Stats:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()  # endpoint -> requests received
        self.responses: defaultdict[str, Counter[int]] = defaultdict(Counter)  # endpoint -> status -> count
        self.shipment_posts: Counter[str] = Counter()  # orderId -> POST /shipments received (any outcome)
        self.shipments_applied: Counter[str] = Counter()  # orderId -> shipments that changed the order
        self.approval_posts: Counter[str] = Counter()
        self.moved_while_paging: list[str] = []  # orders the update_while_paging fault bumped, in order

    def record(self, endpoint: str, status: int) -> None:
        self.calls[endpoint] += 1
        self.responses[endpoint][status] += 1
