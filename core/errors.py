"""Errors the core raises or expects from its ports; each message says what to do next."""

from __future__ import annotations

import math
from datetime import datetime


class PortsideError(Exception):
    """Base of every error portside raises on purpose."""


class ValidationFailed(PortsideError):
    """A request breaks a rule; ``problems`` maps each field to what is wrong with it."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}


class NotFound(PortsideError):
    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = ident


class Conflict(PortsideError):
    """The request is valid but the resource's state does not allow it now."""


class MappingError(PortsideError):
    """A channel payload could not be turned into an order; the import quarantines it."""


class SyncAlreadyRunning(PortsideError):
    def __init__(self, store_id: str) -> None:
        super().__init__(f"a sync of store {store_id} is already running; its report will appear when it ends")
        self.store_id = store_id


class SyncTooSoon(PortsideError):
    """A sync asked for sooner after the store's last one started than its marketplace allows: nothing
    was started. ``retry_after``: seconds until it may start (at ``allowed_at``)."""

    def __init__(
        self,
        store_id: str,
        *,
        marketplace: str,
        minimum_s: int,
        last_started_at: datetime,
        allowed_at: datetime,
        retry_after: float,
    ) -> None:
        wait = max(1, math.ceil(retry_after))
        super().__init__(
            f"store {store_id} started a sync at {last_started_at:%Y-%m-%dT%H:%M:%SZ}, and {marketplace} allows "
            f"at most one every {minimum_s} s (marketplaces rate-limit or block integrations that poll more "
            f"often); the next may start at {allowed_at:%Y-%m-%dT%H:%M:%SZ}, in {wait} s"
        )
        self.store_id = store_id
        self.marketplace = marketplace
        self.minimum_s = minimum_s
        self.last_started_at = last_started_at
        self.allowed_at = allowed_at
        self.retry_after = retry_after


class SyncLeaseLost(PortsideError):
    def __init__(self, store_id: str) -> None:
        super().__init__(
            f"the sync of store {store_id} lost its lease (it ran longer than the lease, or another worker "
            "took over); it stopped without moving the cursor and the next sync resumes from there"
        )
        self.store_id = store_id


class ChannelError(PortsideError):
    """A channel call failed. Subclasses say whether trying again can help."""

    retryable = False
    outcome_unknown = False

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ChannelUnavailable(ChannelError):
    """Rate-limited, down or unreachable before the request was accepted: safe to send again."""

    retryable = True


class ChannelBusy(ChannelUnavailable):
    """The store's own request budget with the channel (the rate it may call at) is spent for longer
    than the caller would wait (``core.ports.BUDGET_WAIT``): nothing was sent. ``retry_after``: when the budget
    should be there again; ``interval``: the time one more call takes from it (1 / rate), when known.
    Not a failure: the relay defers the message without counting an attempt."""

    def __init__(self, message: str, *, retry_after: float | None = None, interval: float | None = None) -> None:
        super().__init__(message, retry_after=retry_after)
        self.interval = interval


class OutcomeUnknown(ChannelError):
    """The request may have been applied (timeout or 5xx after sending): check before resending."""

    retryable = True
    outcome_unknown = True


class ChannelRejected(ChannelError):
    """The channel refused the request; sending it again will not help until something changes."""

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.field_errors = field_errors or {}


class ChannelAuthFailed(ChannelRejected):
    """The channel refused the store's credentials: the seller must fix them."""


class MalformedMessage(ChannelError):
    """An outbox message whose payload is not what its kind carries (a bug, or a row edited by hand):
    sending it again cannot help, so the relay marks it dead at once and says why."""


class DirectoryError(PortsideError):
    """A carrier's pickup point directory failed or answered something unexpected."""

    def __init__(self, carrier: str, message: str, *, code: str | None = None, retryable: bool = False) -> None:
        super().__init__(f"{carrier}: {message}")
        self.carrier = carrier
        self.code = code
        self.retryable = retryable


class DirectoryRequestRejected(DirectoryError):
    """The carrier refused the request's own parameters (postcode, city, weight…): the caller must
    correct it; neither the carrier nor portside failed."""


class DirectoryUnavailable(DirectoryError):
    def __init__(self, carrier: str, message: str) -> None:
        super().__init__(carrier, message, retryable=True)


class StorageUnavailable(PortsideError):
    """The database cannot be reached right now; nothing was done, and trying again later is safe."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StorageBusy(StorageUnavailable):
    """Every database connection stayed in use for the whole wait: the service is saturated."""
