"""What the running service reports as it works (syncs, outbox outcomes, SLA breaches), for metrics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from portside.core.model import OutboxStatus
from portside.core.ports import OutboxDepth
from portside.core.services import Outcome


class Observer(Protocol):
    def sync_finished(self, channel: str, outcome: str, seconds: float, *, new: int, updated: int) -> None: ...
    def outbox_settled(self, kind: str, outcome: str) -> None: ...
    def events_published(self, records: int, deliveries: int) -> None: ...
    def acceptance_overdue(self, overdue: int, newly_breached: int) -> None: ...
    def outbox_depth(self, rows: list[OutboxDepth]) -> None: ...
    def pickup_cache_purged(self, entries: int) -> None: ...


class NullObserver:
    """For hosts and tests that keep no metrics."""

    def sync_finished(self, channel: str, outcome: str, seconds: float, *, new: int, updated: int) -> None:
        pass

    def outbox_settled(self, kind: str, outcome: str) -> None:
        pass

    def events_published(self, records: int, deliveries: int) -> None:
        pass

    def acceptance_overdue(self, overdue: int, newly_breached: int) -> None:
        pass

    def outbox_depth(self, rows: list[OutboxDepth]) -> None:
        pass

    def pickup_cache_purged(self, entries: int) -> None:
        pass


def settled_reporter(observer: Observer) -> Callable[[Outcome], None]:
    """Tells ``observer`` of each outbox message the relay settled, by kind and outcome."""
    names = {OutboxStatus.delivered: "delivered", OutboxStatus.dead: "dead"}

    def report(outcome: Outcome) -> None:
        message = outcome.message
        # Deferred: never sent (its store's request budget was spent), not a failure.
        name = "deferred" if outcome.deferred else names.get(message.status, "failed")
        observer.outbox_settled(message.kind.value, name)

    return report
