"""Failed scheduler passes: a database out of reach is one warning per outage and one line when it
answers again (no traceback on every poll); anything else is logged with its traceback."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from portside.core.errors import StorageUnavailable

log = logging.getLogger("portside.scheduler")

# Whether an error says the database is out of reach (rather than that something is wrong).
OutageTest = Callable[[BaseException], bool]


def is_storage_outage(exc: BaseException) -> bool:
    """The database is unreachable, restarting or saturated, in the core's words: the pass can only be
    tried again later."""
    return isinstance(exc, StorageUnavailable)


def storage_outages(connection_failure: OutageTest | None = None) -> OutageTest:
    """``is_storage_outage``, or the storage adapter's own ``connection_failure`` (a raw driver error:
    a connection lost mid-transaction is not translated by the unit of work). The composition root
    gives the adapter's predicate; the scheduler imports no adapter."""
    if connection_failure is None:
        return is_storage_outage
    found = connection_failure

    def outage(exc: BaseException) -> bool:
        return is_storage_outage(exc) or found(exc)

    return outage


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

    def __init__(
        self,
        what: str,
        *,
        quiet_s: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
        is_outage: OutageTest = is_storage_outage,
    ) -> None:
        self.what = what
        self.quiet_s = quiet_s
        self._is_outage = is_outage
        self._monotonic = monotonic
        self._down_since: float | None = None
        self._warned_at: float | None = None
        self._warned = False  # about the outage in progress
        self._failures = 0

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def failed(self, exc: BaseException) -> None:
        if not self._is_outage(exc):
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
