"""What the relay's settled outcomes become in the metrics: a deferral is not a failure."""

from __future__ import annotations

from datetime import UTC, datetime

from portside.core.model import OutboxKind, OutboxMessage, OutboxStatus
from portside.core.services import Outcome
from portside.entrypoints.observer import settled_reporter

NOW = datetime(2026, 11, 27, 6, tzinfo=UTC)


class Told:
    def __init__(self) -> None:
        self.settled: list[tuple[str, str]] = []

    def outbox_settled(self, kind: str, outcome: str) -> None:
        self.settled.append((kind, outcome))


def outcome(status: OutboxStatus, *, result: dict[str, str] | None = None, deferred: bool = False) -> Outcome:
    message = OutboxMessage(
        id="m1", kind=OutboxKind.ship_notification, store_id="s1", subject_id="sh1", status=status,
        available_at=NOW, created_at=NOW,
    )  # fmt: skip
    return Outcome(
        message=message, result=result, error=None if result else "x", dead=False, now=NOW, deferred=deferred
    )


def test_each_settled_outcome_is_counted_by_what_happened() -> None:
    told = Told()
    report = settled_reporter(told)  # type: ignore[arg-type]
    report(outcome(OutboxStatus.delivered, result={"ok": "yes"}))
    report(outcome(OutboxStatus.pending))
    report(outcome(OutboxStatus.pending, deferred=True))
    report(outcome(OutboxStatus.dead))
    kind = OutboxKind.ship_notification.value
    assert told.settled == [(kind, "delivered"), (kind, "failed"), (kind, "deferred"), (kind, "dead")]
