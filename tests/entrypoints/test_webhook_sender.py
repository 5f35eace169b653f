"""The webhook sender: one try per relay attempt, 2xx delivered, 410 gone, anything else retried later."""

from __future__ import annotations

import time

import pytest

from portside.adapters.http import HttpClient
from portside.adapters.webhooks import SubscriberGone, WebhookSender, verify
from portside.core.errors import ChannelUnavailable

from .conftest import Receiver

BODY = b'{"id":"e1"}'


async def send(sender: WebhookSender, receiver: Receiver) -> int:
    return await sender.send(
        receiver.url, "s3cret", BODY, event_id="e1", event_type="order.created", timestamp=int(time.time())
    )


async def test_delivery_is_signed_and_named(http_client: HttpClient, receiver: Receiver) -> None:
    assert await send(WebhookSender(http_client), receiver) == 200
    ((headers, body),) = receiver.requests
    assert body == BODY
    assert headers["Portside-Event-Id"] == "e1"
    assert headers["Portside-Event-Type"] == "order.created"
    assert headers["Content-Type"] == "application/json"
    assert verify("s3cret", body, headers["Portside-Signature"], now=time.time())


async def test_410_means_gone(http_client: HttpClient, receiver: Receiver) -> None:
    receiver.statuses = [410]
    with pytest.raises(SubscriberGone):
        await send(WebhookSender(http_client), receiver)


@pytest.mark.parametrize("status", [400, 404, 429, 500, 503])
async def test_other_failures_are_retryable_after_one_try(
    http_client: HttpClient, receiver: Receiver, status: int
) -> None:
    receiver.statuses = [status]
    with pytest.raises(ChannelUnavailable) as caught:
        await send(WebhookSender(http_client), receiver)
    assert caught.value.retryable
    assert len(receiver.requests) == 1  # the relay's backoff spaces retries, not the client


async def test_timeout_is_retryable_and_names_no_query(http_client: HttpClient, receiver: Receiver) -> None:
    receiver.delay_s = 1.0
    sender = WebhookSender(http_client, timeout_s=0.2)
    with pytest.raises(ChannelUnavailable) as caught:
        await sender.send(receiver.url + "?token=abc", "s", BODY, event_id="e", event_type="t", timestamp=0)
    assert "token" not in str(caught.value)
