"""Write behind: pages are written in the background while the caller prepares the next ones."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Coroutine, Set
from typing import Any


class WriteBehind:
    """Writes run in the background, at most ``depth`` at once, while the caller prepares the next.

    Writing waits on the database and preparing is Python work: overlapped, the two use both of a
    machine's cores instead of taking turns, and two writes in flight hide each other's round trips.
    Two writes run at once only when they touch nothing in common (``keys``): a write that shares a key
    with one in flight, or says it may touch anything (``keys=None``), waits for it, so that whatever
    two writes have in common is written in the order submitted. A write's error surfaces at a later
    ``submit`` or ``drain``, before any write submitted after the failure is started."""

    def __init__(self, depth: int = 2) -> None:
        self._depth = depth
        self._in_flight: deque[tuple[asyncio.Task[None], Set[str] | None]] = deque()
        self._raised: BaseException | None = None

    def _must_wait(self, keys: Set[str] | None) -> bool:
        if not self._in_flight:
            return False
        if len(self._in_flight) >= self._depth or keys is None:
            return True
        return any(other is None or not keys.isdisjoint(other) for _, other in self._in_flight)

    async def _wait_oldest(self) -> None:
        task, _ = self._in_flight[0]
        try:
            await asyncio.shield(task)  # a cancelled caller leaves the write to ``stop``
        except BaseException as exc:
            if task.done():
                self._in_flight.popleft()
                if not task.cancelled():
                    self._raised = exc
            raise
        self._in_flight.popleft()

    async def submit(self, write: Coroutine[Any, Any, None], keys: Set[str] | None = None) -> None:
        """Start ``write`` once it may run beside the writes in flight (raising the first error of
        one of those it waited for)."""
        try:
            while self._must_wait(keys):
                await self._wait_oldest()
        except BaseException:
            write.close()  # never started: no "coroutine was never awaited" warning
            raise
        self._in_flight.append((asyncio.ensure_future(write), keys))

    async def drain(self) -> None:
        """Wait for every write in flight, oldest first; raise the first error."""
        while self._in_flight:
            await self._wait_oldest()

    async def stop(self, cause: BaseException) -> BaseException:
        """End the writes in flight because the caller failed with ``cause``, and return the error to
        report. Anything but an ordinary error (a cancellation) cancels them; an error lets them finish,
        so every page before the failure is written, as if they had been written one by one. When
        ``cause`` came from somewhere else than a write, a write still in flight started before it:
        that write's failure is the earlier one, and the one returned."""
        tasks = [task for task, _ in self._in_flight]
        self._in_flight.clear()
        if not tasks:
            return cause
        if not isinstance(cause, Exception):
            for task in tasks:
                task.cancel()
        try:
            await asyncio.wait(tasks)
        except BaseException:
            for task in tasks:
                task.cancel()  # cancelled while waiting: no write may outlive its caller
            raise
        if cause is self._raised:
            return cause
        for task in tasks:
            if not task.cancelled() and (failure := task.exception()) is not None:
                return failure
        return cause
