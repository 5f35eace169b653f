"""What the running service reports as it works (syncs, outbox outcomes, SLA breaches), for metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from portside.core.model import OutboxKind, OutboxMessage
from portside.core.ports import OutboxDepth, UnitOfWork
from portside.core.services import OutboxHandler, Outcome


class Observer(Protocol):
    def sync_finished(self, channel: str, outcome: str, seconds: float, *, new: int, updated: int) -> None: ...
    def outbox_settled(self, kind: str, outcome: str) -> None: ...
    def events_published(self, records: int, deliveries: int) -> None: ...
    def acceptance_overdue(self, overdue: int, newly_breached: int) -> None: ...
    def outbox_depth(self, rows: list[OutboxDepth]) -> None: ...


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


class ObservedHandler:
    """An outbox handler that reports each settled message (delivered, failed or dead) by kind."""

    def __init__(self, inner: OutboxHandler, observer: Observer) -> None:
        self.kind: OutboxKind = inner.kind
        self._inner = inner
        self._observer = observer

    @property
    def inner(self) -> OutboxHandler:
        return self._inner

    async def deliver(self, message: OutboxMessage) -> dict[str, Any]:
        return await self._inner.deliver(message)

    async def on_outcomes(self, u: UnitOfWork, outcomes: Sequence[Outcome]) -> None:
        await self._inner.on_outcomes(u, outcomes)
        for o in outcomes:
            self._observer.outbox_settled(
                self.kind.value, "delivered" if o.result is not None else "dead" if o.dead else "failed"
            )


def observed(handlers: Mapping[OutboxKind, OutboxHandler], observer: Observer) -> dict[OutboxKind, OutboxHandler]:
    return {kind: ObservedHandler(handler, observer) for kind, handler in handlers.items()}
