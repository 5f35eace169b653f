"""Failed scheduler passes: a database out of reach is one warning per outage and one line when it
answers again (no traceback on every poll); anything else is logged with its traceback."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from portside.adapters.postgres.pool import is_connection_failure
from portside.core.errors import StorageUnavailable

log = logging.getLogger("portside.scheduler")


def is_storage_outage(exc: BaseException) -> bool:
    """The database is unreachable, restarting or saturated: the pass can only be tried again later."""
    return isinstance(exc, StorageUnavailable) or is_connection_failure(exc)


def reason(exc: BaseException) -> str:
    """One line naming the failure: for a StorageUnavailable, the connection error under it."""
    if isinstance(exc, StorageUnavailable) and exc.__cause__ is not None:
        exc = exc.__cause__
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class PassFailures:
    """How one loop reports its failed passes.

    An outage is said once, when it starts (and not again if another starts within ``quiet_s`` of
    that warning, so a flapping database cannot flood the log); its end is said once, with how long
    it lasted. Every other error keeps its traceback: it is a bug or something nobody expected.
    """

    def __init__(self, what: str, *, quiet_s: float = 60.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.what = what
        self.quiet_s = quiet_s
        self._monotonic = monotonic
        self._down_since: float | None = None
        self._warned_at: float | None = None
        self._warned = False  # about the outage in progress
        self._failures = 0

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def failed(self, exc: BaseException) -> None:
        if not is_storage_outage(exc):
            log.error("%s failed; retrying", self.what, exc_info=exc)
            return
        now = self._monotonic()
        self._failures += 1
        if self._down_since is not None:
            return
        self._down_since = now
        if self._warned_at is None or now - self._warned_at >= self.quiet_s:
            self._warned, self._warned_at = True, now
            log.warning(
                "%s: the database is unavailable (%s); retrying quietly until it answers", self.what, reason(exc)
            )

    def succeeded(self) -> None:
        if self._down_since is None:
            return
        if self._warned:
            log.warning(
                "%s: the database answers again after %.0f s (%d failed passes)",
                self.what,
                self._monotonic() - self._down_since,
                self._failures,
            )
        self._down_since, self._warned, self._failures = None, False, 0
