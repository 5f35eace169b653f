"""The shared client's transport failures in a marketplace's words: one mapping for every channel."""

from __future__ import annotations

from portside.adapters.http import HttpError, HttpOutcomeUnknown, HttpUnavailable, channel_error
from portside.core.errors import ChannelUnavailable, OutcomeUnknown


def redact(text: str) -> str:
    return text.replace("s3cret", "***")


def test_each_transport_failure_becomes_the_channel_error_that_says_whether_to_retry() -> None:
    unavailable = channel_error(
        HttpUnavailable("GET host/orders?key=s3cret: HTTP 429, rate limited", retry_after=30),
        what="GET /orders",
        marketplace="Mirakl",
        redact=redact,
    )
    assert isinstance(unavailable, ChannelUnavailable) and unavailable.retry_after == 30
    assert (
        str(unavailable)
        == "Mirakl is unavailable: GET host/orders?key=***: HTTP 429, rate limited; portside will retry."
    )

    unknown = channel_error(
        HttpOutcomeUnknown("HTTP 502"), what="POST /shipments", marketplace="Octopia", redact=redact
    )
    assert isinstance(unknown, OutcomeUnknown) and unknown.retryable
    assert "POST /shipments: no reliable answer from Octopia (HTTP 502)" in str(unknown)

    other = channel_error(HttpError("body too large"), what="GET /orders", marketplace="Octopia", redact=redact)
    assert type(other).__name__ == "ChannelError" and not other.retryable
    assert str(other) == "GET /orders: body too large"
