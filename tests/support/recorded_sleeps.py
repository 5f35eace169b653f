"""A stand-in for ``asyncio.sleep`` that records each delay and returns at once.

Hand it to ``HttpClient(sleep=…)``: tests then see the backoff and ``Retry-After`` delays the client
chose without waiting for them (sandbox faults are counted, not timed).
"""

from __future__ import annotations


class RecordedSleeps(list[float]):
    async def __call__(self, delay: float) -> None:
        self.append(delay)
