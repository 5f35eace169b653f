"""Client-side token bucket: stay under a partner's rate limit instead of discovering it by 429s."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class TokenBucket:
    """``rate`` requests per second on average, bursts up to ``burst``. Safe for many waiters."""

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._stamp = clock()
        self._lock = asyncio.Lock()
        self._waiting = 0  # callers inside ``acquire``

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self) -> None:
        # The lock makes waiters queue in arrival order, so nobody starves under load.
        self._waiting += 1
        try:
            async with self._lock:
                self._refill()
                if self._tokens < 1:
                    await self._sleep((1 - self._tokens) / self.rate)
                    self._refill()
                self._tokens -= 1
        finally:
            self._waiting -= 1

    def wait_estimate(self) -> float:
        """Seconds until a newcomer's turn: the budget the callers already waiting will take, and its own."""
        self._refill()
        return max(0.0, (self._waiting + 1 - self._tokens) / self.rate)
