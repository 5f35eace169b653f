"""When a failed store sync runs again: soon after a passing fault, at the usual time after a refusal.

- The database was out of reach or saturated: after ``first_s``, doubling with each failure in a
  row (half fixed, half random so stores retry apart), never later than the store's interval.
- The marketplace was unavailable (5xx, 429, timeouts): the same backoff, but never sooner than the
  channel's minimum poll interval (the channel's floor on how often it may be asked), and never
  sooner than the marketplace's Retry-After.
- Anything else (credentials refused, a request refused, a bug): nothing to gain from retrying
  sooner; the store's normal interval (the failed sync report says why, on the store too).
"""

from __future__ import annotations

import random

from portside.core.errors import ChannelError
from portside.core.model import SyncReport

from .outage import OutageTest, is_storage_outage


def failures_in_a_row(reports: list[SyncReport]) -> int:
    """Syncs that did not complete since the last one that did (``reports``: newest first). A report
    still ``running`` counts: in the failure path it is the failed sync's own, unrecorded."""
    count = 0
    for report in reports:
        if report.outcome == "completed":
            break
        count += 1
    return count


def retry_delay(
    error: BaseException,
    *,
    failures: int,
    first_s: float,
    interval_s: float,
    channel_minimum_s: float,
    rng: random.Random,
    is_outage: OutageTest = is_storage_outage,
) -> float | None:
    """Seconds until the next try after ``error``, the ``failures``-th in a row; None: the store's
    normal interval (a permanent failure)."""
    floor = 0.0
    if isinstance(error, ChannelError):
        if not error.retryable:
            return None
        floor = max(channel_minimum_s, error.retry_after or 0.0)
    elif not is_outage(error):
        return None
    ceiling = min(interval_s, first_s * 2.0 ** max(0, failures - 1))
    return max(floor, ceiling / 2 + rng.uniform(0, ceiling / 2))
