"""Transport failures, split by the one question callers care about: could the request have been applied?"""

from __future__ import annotations


class HttpError(Exception):
    """Base of the shared client's errors. Messages name host and path, never headers or bodies."""


class HttpUnavailable(HttpError):
    """The server did not take the request (refused connection, 429, 503, or retries exhausted on a
    read): sending it again later is safe."""

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


class HttpBusy(HttpUnavailable):
    """The request was never sent: its rate limiter's budget would not be there within the caller's
    patience (``core.ports.BUDGET_WAIT``). ``retry_after``: when it should be; ``interval``: what
    one call takes from the budget (1 / rate)."""

    def __init__(self, message: str, *, retry_after: float, interval: float) -> None:
        super().__init__(message, retry_after=retry_after)
        self.interval = interval


class HttpOutcomeUnknown(HttpError):
    """A non-idempotent request was sent but no reliable answer came back (timeout, dropped
    connection, 5xx): the server may have applied it. Check before sending again."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ResponseTooLarge(HttpError):
    """The body exceeded the client's limit: refused unread rather than held in memory."""
