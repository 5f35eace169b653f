"""The stores a relay pass found out of request budget, and when each of their messages comes back."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..errors import ChannelBusy
from ..model import OutboxKind, OutboxMessage


class _Pause:
    """A store out of budget for one kind of message: until when, and what each call takes from it."""

    __slots__ = ("interval", "turns", "until")

    def __init__(self, until: datetime, interval: float) -> None:
        self.until, self.interval = until, interval
        self.turns = 0  # turns handed out after ``until``, one interval apart

    def next_turn(self) -> datetime:
        self.turns += 1
        return self.until + timedelta(seconds=self.interval * self.turns)


class StorePauses:
    """One relay pass's pauses. A delivery that finds its store's budget spent (``ChannelBusy``) starts
    a pause: the store's other messages of that kind are put off for the rest of the pass without
    taking a slot or calling anything, each one interval after the one before, so that its backlog
    comes back as fast as the store may send it and no faster. A pause is per kind: the kinds of a
    store go to different places (a webhook to its subscriber, not to the marketplace)."""

    def __init__(self) -> None:
        self._pauses: dict[tuple[OutboxKind, str], _Pause] = {}

    def holds(self, message: OutboxMessage, now: datetime) -> bool:
        """Whether ``message`` is to be put off now rather than delivered."""
        return self._running(message, now) is not None

    def busy(self, message: OutboxMessage, busy: ChannelBusy, now: datetime) -> datetime:
        """When ``message``, found busy, comes back: when the budget is (a new pause), or the running
        pause's next turn (a delivery that was already waiting when it began), so the spread goes on."""
        pause = self._running(message, now)
        if pause is not None:
            return pause.next_turn()
        until = now + timedelta(seconds=max(busy.retry_after if busy.retry_after is not None else 1.0, 0.0))
        if message.store_id is not None:
            self._pauses[(message.kind, message.store_id)] = _Pause(until, busy.interval or 1.0)
        return until

    def next_turn(self, message: OutboxMessage, now: datetime) -> datetime:
        """When ``message``, put off, comes back: the running pause's next turn (``now`` if none runs)."""
        pause = self._running(message, now)
        return now if pause is None else pause.next_turn()

    def _running(self, message: OutboxMessage, now: datetime) -> _Pause | None:
        if message.store_id is None:
            return None
        pause = self._pauses.get((message.kind, message.store_id))
        return pause if pause is not None and now < pause.until else None
