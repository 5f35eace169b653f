"""Access tokens: opaque random strings with a lifetime, and Octopia's hourly cap on issuing them."""

from __future__ import annotations

import secrets
from collections import deque

from .clock import SandboxClock

_HOUR_S = 3600.0


class TokenRegistry:
    def __init__(self, clock: SandboxClock, *, ttl_s: int, cap_per_hour: int) -> None:
        self._clock = clock
        self.ttl_s = ttl_s
        self.cap_per_hour = cap_per_hour
        self._expiry: dict[str, float] = {}  # token -> monotonic deadline
        self._issued_at: deque[float] = deque()  # issue times within the last hour, for the cap
        self.issued_total = 0
        self.refused_total = 0
        self.revoked_total = 0

    def issue(self) -> str | float:
        """A new token, or the seconds to wait when the hourly cap is reached."""
        now = self._clock.monotonic()
        while self._issued_at and now - self._issued_at[0] >= _HOUR_S:
            self._issued_at.popleft()
        if len(self._issued_at) >= self.cap_per_hour:
            self.refused_total += 1
            return max(1.0, _HOUR_S - (now - self._issued_at[0]))
        token = secrets.token_urlsafe(32)
        self._issued_at.append(now)
        self._expiry[token] = now + self.ttl_s
        self.issued_total += 1
        return token

    def problem_with(self, token: str) -> str | None:
        """Why ``token`` cannot be used (unknown, expired), or None when it is valid."""
        deadline = self._expiry.get(token)
        if deadline is None:
            return "The access token is not valid."
        if self._clock.monotonic() >= deadline:
            return "The access token has expired."
        return None

    def expire(self, token: str) -> None:
        """End a token's life now (the early-expiry fault): it stays known, so clients read "expired"."""
        if token in self._expiry:
            self._expiry[token] = self._clock.monotonic()
            self.revoked_total += 1
