"""The shared client's transport failures as the core's channel errors, in a marketplace's words."""

from __future__ import annotations

from collections.abc import Callable

from portside.core.errors import ChannelBusy, ChannelError, ChannelUnavailable, OutcomeUnknown

from .errors import HttpBusy, HttpError, HttpOutcomeUnknown, HttpUnavailable


def channel_error(exc: HttpError, *, what: str, marketplace: str, redact: Callable[[str], str]) -> ChannelError:
    """What a marketplace client raises for ``exc``, the shared client's error on ``what`` (``"GET
    /orders"``): never taken (retry later, after its Retry-After), perhaps applied (check before
    sending again), or refused. The message passes through ``redact``: it may quote a URL or token."""
    said = redact(str(exc))
    if isinstance(exc, HttpBusy):
        return ChannelBusy(
            f"{what}: not sent to {marketplace} yet: {said}.", retry_after=exc.retry_after, interval=exc.interval
        )
    if isinstance(exc, HttpUnavailable):
        return ChannelUnavailable(
            f"{marketplace} is unavailable: {said}; portside will retry.", retry_after=exc.retry_after
        )
    if isinstance(exc, HttpOutcomeUnknown):
        return OutcomeUnknown(f"{what}: no reliable answer from {marketplace} ({said}); it may have been applied.")
    return ChannelError(f"{what}: {said}")
