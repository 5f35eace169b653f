"""Counters ``/_sandbox/stats`` reports, so a test can prove "notified exactly once"."""

from __future__ import annotations

from collections import Counter, defaultdict


class Stats:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()  # endpoint -> requests received
        self.responses: defaultdict[str, Counter[int]] = defaultdict(Counter)  # endpoint -> status -> count
        # Per order id: requests received (any outcome) and the ones that changed the order.
        self.received: defaultdict[str, Counter[str]] = defaultdict(Counter)  # endpoint -> order -> n
        self.applied: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.moved_while_paging: list[str] = []

    def record(self, endpoint: str, status: int) -> None:
        self.calls[endpoint] += 1
        self.responses[endpoint][status] += 1

    def received_call(self, endpoint: str, order_id: str) -> None:
        self.received[endpoint][order_id] += 1

    def applied_call(self, endpoint: str, order_id: str) -> None:
        self.applied[endpoint][order_id] += 1
