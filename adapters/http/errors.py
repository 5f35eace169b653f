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


class HttpOutcomeUnknown(HttpError):
    """A non-idempotent request was sent but no reliable answer came back (timeout, dropped
    connection, 5xx): the server may have applied it. Check before sending again."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ResponseTooLarge(HttpError):
    """The body exceeded the client's limit: refused unread rather than held in memory."""
