"""POST one signed webhook delivery and say what became of it, in the relay's terms."""

from __future__ import annotations

from portside.adapters.http import HttpClient, HttpError, HttpUnavailable, RetryPolicy, where
from portside.core.errors import ChannelRejected, ChannelUnavailable

from .signing import EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, sign

# One try per relay attempt: the relay's backoff (minutes to an hour) spaces retries, where the
# client's own (sub-second) would hold a relay slot through a subscriber's whole outage.
_ONE_TRY = RetryPolicy(attempts=1)
_MAX_ANSWER = 64 * 1024  # the answer is not read; a receiver has no reason to send more


class SubscriberGone(ChannelRejected):
    """The receiver answered 410 Gone: it wants no more deliveries on this URL."""


class WebhookSender:
    def __init__(self, http: HttpClient, *, timeout_s: float = 10.0, user_agent: str = "portside-webhooks") -> None:
        self._http = http
        self._timeout_s = timeout_s
        self._user_agent = user_agent

    async def send(self, url: str, secret: str, body: bytes, *, event_id: str, event_type: str, timestamp: int) -> int:
        """Deliver ``body``; return the 2xx status. Raises SubscriberGone on 410 and
        ChannelUnavailable (retryable) on any other answer, timeout or network failure. Repeating a
        delivery is always safe: receivers dedupe on the event id (at-least-once)."""
        headers = {
            "Content-Type": "application/json",
            "User-Agent": self._user_agent,
            SIGNATURE_HEADER: sign(secret, body, timestamp),
            EVENT_ID_HEADER: event_id,
            EVENT_TYPE_HEADER: event_type,
        }
        target = where(url)  # never the query string: a receiver may put a token there
        try:
            response = await self._http.request(
                "POST",
                url,
                headers=headers,
                data=body,
                idempotent=False,
                timeout_s=self._timeout_s,
                max_body=_MAX_ANSWER,
                retry=_ONE_TRY,
            )
        except HttpUnavailable as exc:
            raise ChannelUnavailable(f"webhook to {target}: {_reason(exc)}", retry_after=exc.retry_after) from None
        except HttpError as exc:
            raise ChannelUnavailable(f"webhook to {target}: {_reason(exc)}") from None
        if response.ok:
            return response.status
        if response.status == 410:
            raise SubscriberGone(f"webhook to {target}: HTTP 410 Gone; the subscription is deactivated")
        raise ChannelUnavailable(f"webhook to {target}: HTTP {response.status}")


def _reason(exc: HttpError) -> str:
    # The client's messages start with "POST host/path: "; the caller names the target already.
    return str(exc).split(": ", 1)[-1]
