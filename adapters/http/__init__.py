"""The shared HTTP client: one session per process, retry with backoff and jitter, Retry-After, token bucket."""

from .channel_errors import channel_error
from .client import DEFAULT_MAX_BODY, HttpClient, HttpResponse, create_session, where
from .errors import HttpBusy, HttpError, HttpOutcomeUnknown, HttpUnavailable, ResponseTooLarge
from .ratelimit import TokenBucket
from .retry import RetryPolicy, parse_retry_after
from .wire import decoder, iso_z, parse_time, union_decoder

__all__ = [
    "DEFAULT_MAX_BODY",
    "HttpBusy",
    "HttpClient",
    "HttpError",
    "HttpOutcomeUnknown",
    "HttpResponse",
    "HttpUnavailable",
    "ResponseTooLarge",
    "RetryPolicy",
    "TokenBucket",
    "channel_error",
    "create_session",
    "decoder",
    "iso_z",
    "parse_retry_after",
    "parse_time",
    "union_decoder",
    "where",
]
