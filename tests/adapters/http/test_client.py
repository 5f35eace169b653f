"""The shared HTTP client: what it retries, what it refuses to repeat, and what it tells the caller."""

from __future__ import annotations

import asyncio
import logging
from unittest.mock import Mock

import aiohttp
import pytest

from portside.adapters.http import (
    HttpBusy,
    HttpClient,
    HttpOutcomeUnknown,
    HttpUnavailable,
    ResponseTooLarge,
    RetryPolicy,
    TokenBucket,
    where,
)
from portside.core.ports import BUDGET_WAIT
from tests.support.aioresponses_shim import aioresponses

URL = "https://api.example.test/v2/orders"


def _refused() -> aiohttp.ClientConnectorError:
    return aiohttp.ClientConnectorError(Mock(host="api.example.test", port=443, ssl=True), OSError(111, "refused"))


async def test_a_success_comes_back_with_lower_case_headers(client: HttpClient, mock_http: aioresponses) -> None:
    mock_http.get(URL, body=b'{"ok": true}', headers={"X-Request-Id": "abc"})
    response = await client.request("GET", URL)
    assert response.ok and response.status == 200
    assert response.body == b'{"ok": true}'
    assert response.headers["x-request-id"] == "abc"
    assert response.content_type == "application/json"


async def test_a_4xx_is_returned_not_raised_and_not_retried(
    client: HttpClient, mock_http: aioresponses, sleeps
) -> None:
    mock_http.get(URL, status=404, body=b"{}")
    response = await client.request("GET", URL)
    assert response.status == 404 and not response.ok
    assert sleeps == []


async def test_a_get_is_retried_after_5xx_with_backoff(client: HttpClient, mock_http: aioresponses, sleeps) -> None:
    mock_http.get(URL, status=502)
    mock_http.get(URL, status=500)
    mock_http.get(URL, status=200, body=b"[]")
    response = await client.request("GET", URL)
    assert response.status == 200
    assert len(sleeps) == 2
    policy = client.retry
    assert 0 <= sleeps[0] <= policy.base_delay_s and 0 <= sleeps[1] <= 2 * policy.base_delay_s


async def test_a_get_that_keeps_failing_is_unavailable_with_its_status(client: HttpClient, mock_http) -> None:
    mock_http.get(URL, status=500, repeat=True)
    with pytest.raises(HttpUnavailable) as caught:
        await client.request("GET", URL)
    assert caught.value.status == 500
    assert "after 3 tries" in str(caught.value)


async def test_a_post_answered_5xx_may_have_been_applied_and_is_not_repeated(client, mock_http, sleeps) -> None:
    mock_http.post(URL, status=500)
    mock_http.post(URL, status=201)  # would be used by a (wrong) second try
    with pytest.raises(HttpOutcomeUnknown) as caught:
        await client.request("POST", URL, data=b"[]")
    assert caught.value.status == 500
    assert sleeps == []
    assert len(mock_http.requests[("POST", aiohttp.client.URL(URL))]) == 1


async def test_a_post_declared_idempotent_is_retried(client: HttpClient, mock_http: aioresponses) -> None:
    mock_http.post(URL, status=503)
    mock_http.post(URL, status=200, body=b"{}")
    response = await client.request("POST", URL, data=b"x", idempotent=True)
    assert response.status == 200


async def test_a_get_declared_not_idempotent_is_not_retried(client: HttpClient, mock_http: aioresponses) -> None:
    mock_http.get(URL, status=500)
    with pytest.raises(HttpOutcomeUnknown):
        await client.request("GET", URL, idempotent=False)


async def test_429_waits_for_retry_after_even_for_a_post(client: HttpClient, mock_http, sleeps) -> None:
    # A 429 means the request was not processed, so repeating a POST is safe.
    mock_http.post(URL, status=429, headers={"Retry-After": "7"})
    mock_http.post(URL, status=201)
    response = await client.request("POST", URL, data=b"[]")
    assert response.status == 201
    assert sleeps == [7.0]


async def test_503_with_retry_after_counts_as_rate_limited(client: HttpClient, mock_http, sleeps) -> None:
    mock_http.post(URL, status=503, headers={"Retry-After": "3"})
    mock_http.post(URL, status=201)
    assert (await client.request("POST", URL, data=b"[]")).status == 201
    assert sleeps == [3.0]


async def test_429_without_retry_after_backs_off(client: HttpClient, mock_http, sleeps) -> None:
    mock_http.get(URL, status=429)
    mock_http.get(URL, status=200)
    assert (await client.request("GET", URL)).status == 200
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= client.retry.base_delay_s


async def test_a_retry_after_longer_than_the_policy_is_handed_to_the_caller(client, mock_http, sleeps) -> None:
    mock_http.get(URL, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(HttpUnavailable) as caught:
        await client.request("GET", URL)
    assert caught.value.retry_after == 3600.0 and caught.value.status == 429
    assert sleeps == []


async def test_rate_limited_to_the_end_reports_the_last_retry_after(client, mock_http) -> None:
    mock_http.get(URL, status=429, headers={"Retry-After": "2"}, repeat=True)
    with pytest.raises(HttpUnavailable) as caught:
        await client.request("GET", URL)
    assert caught.value.retry_after == 2.0


async def test_a_timeout_on_a_get_is_retried(client: HttpClient, mock_http: aioresponses, sleeps) -> None:
    mock_http.get(URL, exception=TimeoutError())
    mock_http.get(URL, status=200)
    assert (await client.request("GET", URL)).status == 200
    assert len(sleeps) == 1


async def test_a_get_timing_out_every_time_is_unavailable(client: HttpClient, mock_http) -> None:
    mock_http.get(URL, exception=TimeoutError(), repeat=True)
    with pytest.raises(HttpUnavailable, match="no answer within"):
        await client.request("GET", URL, timeout_s=2)


async def test_a_timeout_on_a_post_is_an_unknown_outcome(client: HttpClient, mock_http, sleeps) -> None:
    mock_http.post(URL, exception=TimeoutError())
    with pytest.raises(HttpOutcomeUnknown, match="may have been applied"):
        await client.request("POST", URL, data=b"[]")
    assert sleeps == []


async def test_a_dropped_connection_on_a_post_is_an_unknown_outcome(client: HttpClient, mock_http) -> None:
    mock_http.post(URL, exception=aiohttp.ServerDisconnectedError())
    with pytest.raises(HttpOutcomeUnknown):
        await client.request("POST", URL, data=b"[]")


async def test_a_connection_reset_on_a_post_is_an_unknown_outcome(client: HttpClient, mock_http) -> None:
    mock_http.post(URL, exception=aiohttp.ClientConnectionResetError("reset while writing"))
    with pytest.raises(HttpOutcomeUnknown):
        await client.request("POST", URL, data=b"[]")


async def test_a_refused_connection_is_retried_even_for_a_post(client: HttpClient, mock_http, sleeps) -> None:
    # Nothing reached the server, so nothing can have been applied.
    mock_http.post(URL, exception=_refused())
    mock_http.post(URL, status=201)
    assert (await client.request("POST", URL, data=b"[]")).status == 201
    assert len(sleeps) == 1


async def test_a_server_that_never_accepts_is_unavailable(client: HttpClient, mock_http) -> None:
    mock_http.get(URL, exception=_refused(), repeat=True)
    with pytest.raises(HttpUnavailable, match="cannot connect"):
        await client.request("GET", URL)


async def test_a_body_over_the_limit_is_refused(client: HttpClient, mock_http: aioresponses) -> None:
    mock_http.get(URL, body=b"x" * 2048)
    with pytest.raises(ResponseTooLarge):
        await client.request("GET", URL, max_body=1024)


async def test_a_declared_length_over_the_limit_is_refused_unread(client: HttpClient, mock_http) -> None:
    mock_http.get(URL, body=b"x" * 10, headers={"Content-Length": "5000"})
    with pytest.raises(ResponseTooLarge, match="5000"):
        await client.request("GET", URL, max_body=1024)


async def test_each_try_takes_a_token_from_the_limiter(client: HttpClient, mock_http: aioresponses) -> None:
    limiter = Mock(spec=TokenBucket)
    limiter.acquire = Mock(side_effect=lambda: asyncio.sleep(0))
    mock_http.get(URL, status=500)
    mock_http.get(URL, status=200)
    await client.request("GET", URL, limiter=limiter)
    assert limiter.acquire.call_count == 2


async def test_past_the_callers_patience_a_spent_budget_sends_nothing_and_says_when_it_is_back(
    client: HttpClient, mock_http: aioresponses
) -> None:
    limiter = TokenBucket(rate=0.5, burst=1)  # one call, then the next in 2 s
    mock_http.post(URL, status=201, repeat=True)
    BUDGET_WAIT.set(0.05)  # this test's own context: pytest-asyncio runs each test in a task of its own
    assert (await client.request("POST", URL, limiter=limiter)).status == 201
    BUDGET_WAIT.set(0.05)  # a new delivery (the write above ended this one's patience)
    with pytest.raises(HttpBusy) as busy:
        await client.request("POST", URL, limiter=limiter)
    assert busy.value.retry_after == pytest.approx(2.0, abs=0.2) and busy.value.interval == 2.0
    assert "request budget (0.5/s)" in str(busy.value)
    assert len(mock_http.requests[("POST", aiohttp.client.URL(URL))]) == 1  # the second was never sent
    BUDGET_WAIT.set(None)  # no patience set: the call waits its turn, as an import's do
    fast = TokenBucket(rate=50.0, burst=1)
    await client.request("POST", URL, limiter=fast)
    assert (await client.request("POST", URL, limiter=fast)).status == 201


async def test_once_a_write_is_sent_the_callers_later_calls_wait_their_turn(
    client: HttpClient, mock_http: aioresponses
) -> None:
    limiter = TokenBucket(rate=20.0, burst=2)
    mock_http.get(URL, status=200, repeat=True)
    mock_http.put(URL, status=204, repeat=True)
    BUDGET_WAIT.set(0.01)
    await client.request("GET", URL, limiter=limiter)  # reads leave the patience as it was
    assert BUDGET_WAIT.get() == 0.01
    await client.request("PUT", URL, limiter=limiter)  # the last of the burst: the write goes out
    assert BUDGET_WAIT.get() is None
    # The second step of that write needs a token 50 ms away, past the patience: it waits for it.
    assert (await client.request("PUT", URL, limiter=limiter)).status == 204
    assert len(mock_http.requests[("PUT", aiohttp.client.URL(URL))]) == 2


async def test_a_per_call_policy_overrides_the_client_one(client: HttpClient, mock_http, sleeps) -> None:
    mock_http.get(URL, status=500, repeat=True)
    with pytest.raises(HttpUnavailable, match="after 1 tries"):
        await client.request("GET", URL, retry=RetryPolicy(attempts=1))
    assert sleeps == []


async def test_messages_and_logs_never_carry_the_query_string(client, mock_http, caplog) -> None:
    secret_url = URL + "?token=s3cr3t-value"
    mock_http.get(secret_url, status=500, repeat=True)
    caplog.set_level(logging.DEBUG, logger="portside.http")
    with pytest.raises(HttpUnavailable) as caught:
        await client.request("GET", secret_url)
    assert "s3cr3t" not in str(caught.value)
    assert caplog.records and all("s3cr3t" not in r.getMessage() for r in caplog.records)


def test_where_keeps_host_and_path_only() -> None:
    assert where("https://api.example.test/v2/orders?key=1#x") == "api.example.test/v2/orders"


def test_where_drops_credentials_in_the_url() -> None:
    assert "pw" not in where("https://user:pw@api.example.test/v2/orders")
