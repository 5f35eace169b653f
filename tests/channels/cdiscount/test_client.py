"""The Octopia client with aioresponses: tokens, headers, retries, errors, and secrets kept out of sight."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import pytest
from yarl import URL

from portside.channels.cdiscount.problems import OctopiaRejected
from portside.core.errors import ChannelAuthFailed, ChannelError, ChannelUnavailable, OutcomeUnknown
from tests.support.aioresponses_shim import CallbackResult, aioresponses

from .conftest import API, AUTH_URL, SECRET, SELLER_ID, make_store

ORDERS = f"{API}/orders"
SHIPMENTS = f"{API}/orders/X1/shipments"
PROBLEM = "application/problem+json"


def give_token(mock: aioresponses, token: str = "tok-1", expires_in: int = 7200, **kw: Any) -> None:
    mock.post(AUTH_URL, payload={"access_token": token, "expires_in": expires_in, "token_type": "Bearer"}, **kw)


def calls(mock: aioresponses, method: str, url: str) -> list[Any]:
    return [c for (m, u), cs in mock.requests.items() if m == method and str(u).split("?")[0] == url for c in cs]


async def test_every_call_carries_the_bearer_token_and_the_seller_id(connect, mock_http) -> None:
    give_token(mock_http)
    mock_http.get(f"{API}/carriers", payload=[])
    await connect().client.get("/carriers")
    (call,) = calls(mock_http, "GET", f"{API}/carriers")
    assert call.kwargs["headers"]["Authorization"] == "Bearer tok-1"
    assert call.kwargs["headers"]["SellerId"] == SELLER_ID
    (token_call,) = calls(mock_http, "POST", AUTH_URL)
    assert token_call.kwargs["data"] == {
        "grant_type": "client_credentials",
        "client_id": "portside-test",
        "client_secret": SECRET,
    }


async def test_one_token_serves_many_calls(connect, mock_http) -> None:
    give_token(mock_http)
    mock_http.get(f"{API}/carriers", payload=[], repeat=True)
    client = connect().client
    for _ in range(5):
        await client.get("/carriers")
    assert len(calls(mock_http, "POST", AUTH_URL)) == 1


async def test_the_token_is_shared_by_every_bundle_of_the_store(connect, mock_http) -> None:
    give_token(mock_http)
    mock_http.get(f"{API}/carriers", payload=[], repeat=True)
    await connect().client.get("/carriers")
    await connect().client.get("/carriers")  # a second build, as after a settings reload
    assert len(calls(mock_http, "POST", AUTH_URL)) == 1


async def test_another_store_gets_its_own_token(connect, mock_http) -> None:
    give_token(mock_http, "tok-a")
    give_token(mock_http, "tok-b")
    mock_http.get(f"{API}/carriers", payload=[], repeat=True)
    await connect(make_store("store-a")).client.get("/carriers")
    await connect(make_store("store-b")).client.get("/carriers")
    tokens = [c.kwargs["headers"]["Authorization"] for c in calls(mock_http, "GET", f"{API}/carriers")]
    assert tokens == ["Bearer tok-a", "Bearer tok-b"]


async def test_a_token_is_renewed_shortly_before_it_expires(connect, mock_http, clock) -> None:
    give_token(mock_http, "tok-1", expires_in=7200)
    give_token(mock_http, "tok-2", expires_in=7200)
    mock_http.get(f"{API}/carriers", payload=[], repeat=True)
    client = connect().client
    await client.get("/carriers")
    clock.advance(seconds=7200 - 121)  # still outside the 120 s refresh margin
    await client.get("/carriers")
    clock.advance(seconds=2)
    await client.get("/carriers")
    tokens = [c.kwargs["headers"]["Authorization"] for c in calls(mock_http, "GET", f"{API}/carriers")]
    assert tokens == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


async def test_concurrent_callers_wait_for_one_token_request(connect, mock_http) -> None:
    async def slow_token(url: URL, **kwargs: Any) -> CallbackResult:
        await asyncio.sleep(0.05)
        return CallbackResult(payload={"access_token": "tok-1", "expires_in": 7200})

    mock_http.post(AUTH_URL, callback=slow_token, repeat=True)
    mock_http.get(f"{API}/carriers", payload=[], repeat=True)
    client = connect().client
    await asyncio.gather(*(client.get("/carriers") for _ in range(20)))
    assert len(calls(mock_http, "POST", AUTH_URL)) == 1
    assert len(calls(mock_http, "GET", f"{API}/carriers")) == 20


async def test_concurrent_401s_trigger_one_refresh(connect, mock_http) -> None:
    give_token(mock_http, "tok-old")
    give_token(mock_http, "tok-new")

    def by_token(url: URL, **kwargs: Any) -> CallbackResult:
        if kwargs["headers"]["Authorization"] == "Bearer tok-old":
            return CallbackResult(status=401, payload={"title": "Unauthorized"}, content_type=PROBLEM)
        return CallbackResult(payload=[])

    mock_http.get(f"{API}/carriers", callback=by_token, repeat=True)
    client = connect().client
    await asyncio.gather(*(client.get("/carriers") for _ in range(10)))
    assert len(calls(mock_http, "POST", AUTH_URL)) == 2


async def test_a_401_refreshes_the_token_once_and_retries_once(connect, mock_http) -> None:
    give_token(mock_http, "tok-1")
    give_token(mock_http, "tok-2")
    mock_http.get(ORDERS, status=401, payload={"title": "The access token has expired."}, content_type=PROBLEM)
    mock_http.get(ORDERS, payload={"items": []})
    response = await connect().client.get("/orders")
    assert response.status == 200
    auth = [c.kwargs["headers"]["Authorization"] for c in calls(mock_http, "GET", ORDERS)]
    assert auth == ["Bearer tok-1", "Bearer tok-2"]


async def test_a_second_401_is_an_authentication_failure_not_a_loop(connect, mock_http) -> None:
    give_token(mock_http, "tok-1")
    give_token(mock_http, "tok-2")
    mock_http.get(ORDERS, status=401, repeat=True)
    with pytest.raises(ChannelAuthFailed, match="client id/secret"):
        await connect().client.get("/orders")
    assert len(calls(mock_http, "GET", ORDERS)) == 2
    assert len(calls(mock_http, "POST", AUTH_URL)) == 2


async def test_a_post_refused_with_401_is_sent_once_more_with_a_new_token(connect, mock_http) -> None:
    # A 401 means Octopia did not process it, so resending cannot ship the order twice.
    give_token(mock_http, "tok-1")
    give_token(mock_http, "tok-2")
    mock_http.post(SHIPMENTS, status=401)
    mock_http.post(SHIPMENTS, status=201)
    await connect().client.post_json("/orders/X1/shipments", b"[]")
    assert len(calls(mock_http, "POST", SHIPMENTS)) == 2


async def test_429_honours_retry_after(connect, mock_http, sleeps) -> None:
    give_token(mock_http)
    mock_http.get(ORDERS, status=429, headers={"Retry-After": "4"}, payload={"title": "Too Many Requests"})
    mock_http.get(ORDERS, payload={"items": []})
    await connect().client.get("/orders")
    assert sleeps == [4.0]


async def test_a_long_retry_after_reaches_the_caller(connect, mock_http) -> None:
    give_token(mock_http)
    mock_http.get(ORDERS, status=429, headers={"Retry-After": "900"})
    with pytest.raises(ChannelUnavailable) as caught:
        await connect().client.get("/orders")
    assert caught.value.retry_after == 900.0 and caught.value.retryable


async def test_5xx_is_retried_for_a_get(connect, mock_http, sleeps) -> None:
    give_token(mock_http)
    mock_http.get(ORDERS, status=503, body="<html>503</html>", content_type="text/html")
    mock_http.get(ORDERS, status=500, payload={"title": "Internal error"}, content_type=PROBLEM)
    mock_http.get(ORDERS, payload={"items": []})
    assert (await connect().client.get("/orders")).status == 200
    assert len(sleeps) == 2


async def test_5xx_exhausted_on_a_get_is_unavailable(connect, mock_http) -> None:
    give_token(mock_http)
    mock_http.get(ORDERS, status=502, repeat=True)
    with pytest.raises(ChannelUnavailable, match="portside will retry"):
        await connect().client.get("/orders")


async def test_5xx_on_a_post_is_an_unknown_outcome_and_not_repeated(connect, mock_http, sleeps) -> None:
    give_token(mock_http)
    mock_http.post(SHIPMENTS, status=500, repeat=True)
    with pytest.raises(OutcomeUnknown, match="may have been applied"):
        await connect().client.post_json("/orders/X1/shipments", b"[]")
    assert len(calls(mock_http, "POST", SHIPMENTS)) == 1 and sleeps == []


async def test_a_timeout_is_retried_for_a_get_and_ambiguous_for_a_post(connect, mock_http) -> None:
    give_token(mock_http)
    mock_http.get(ORDERS, exception=TimeoutError())
    mock_http.get(ORDERS, payload={"items": []})
    mock_http.post(SHIPMENTS, exception=TimeoutError(), repeat=True)
    client = connect().client
    assert (await client.get("/orders")).status == 200
    with pytest.raises(OutcomeUnknown):
        await client.post_json("/orders/X1/shipments", b"[]")
    assert len(calls(mock_http, "POST", SHIPMENTS)) == 1


async def test_a_transport_error_the_shared_client_lets_through_is_still_typed(connect, mock_http) -> None:
    give_token(mock_http)
    mock_http.get(ORDERS, exception=aiohttp.ClientConnectionResetError("reset"))
    mock_http.post(SHIPMENTS, exception=aiohttp.ClientConnectionResetError("reset"))
    client = connect().client
    with pytest.raises(ChannelUnavailable):
        await client.get("/orders")
    with pytest.raises(OutcomeUnknown):
        await client.post_json("/orders/X1/shipments", b"[]")


async def test_problem_json_becomes_a_typed_rejection_with_field_errors(connect, mock_http) -> None:
    give_token(mock_http)
    problem = {
        "type": "about:blank",
        "title": "Validation Failed",
        "status": 400,
        "detail": "carrierName: Unknown carrier 'Pigeon'",
        "errors": {"carrierName": ["Unknown carrier 'Pigeon': use a label from GET /carriers."]},
    }
    mock_http.post(SHIPMENTS, status=400, payload=problem, content_type=PROBLEM)
    with pytest.raises(OctopiaRejected) as caught:
        await connect().client.post_json("/orders/X1/shipments", b"[]")
    error = caught.value
    assert error.status == 400 and error.title == "Validation Failed"
    assert error.detail == "carrierName: Unknown carrier 'Pigeon'"
    assert error.field_errors == {"carrierName": ["Unknown carrier 'Pigeon': use a label from GET /carriers."]}
    assert not error.retryable


@pytest.mark.parametrize(
    "errors",
    [
        {"pageSize": "must be between 1 and 100"},
        [{"field": "pageSize", "message": "must be between 1 and 100"}],
        [{"propertyName": "pageSize", "detail": "must be between 1 and 100"}],
    ],
)
async def test_field_errors_are_read_in_every_shape_clients_meet(connect, mock_http, errors: Any) -> None:
    give_token(mock_http)
    mock_http.get(ORDERS, status=400, payload={"title": "Bad Request", "errors": errors}, content_type=PROBLEM)
    with pytest.raises(OctopiaRejected) as caught:
        await connect().client.get("/orders")
    assert caught.value.field_errors == {"pageSize": ["must be between 1 and 100"]}


async def test_an_error_that_is_not_json_still_says_what_happened(connect, mock_http) -> None:
    give_token(mock_http)
    mock_http.get(f"{API}/orders/NOPE", status=404, body="Not Found", content_type="text/plain")
    with pytest.raises(OctopiaRejected, match=r"GET /orders/NOPE \(HTTP 404\)") as caught:
        await connect().client.get("/orders/NOPE")
    assert caught.value.status == 404


async def test_403_names_the_seller_id_as_the_thing_to_check(connect, mock_http) -> None:
    give_token(mock_http)
    mock_http.get(ORDERS, status=403, payload={"detail": "not allowed to act for seller 123456"}, content_type=PROBLEM)
    with pytest.raises(ChannelAuthFailed, match="check the seller id"):
        await connect().client.get("/orders")


async def test_wrong_client_credentials_say_what_to_do(connect, mock_http) -> None:
    mock_http.post(
        AUTH_URL,
        status=401,
        payload={"error": "invalid_client", "error_description": "Invalid client or Invalid client credentials"},
        content_type=PROBLEM,
    )
    with pytest.raises(ChannelAuthFailed) as caught:
        await connect().client.get("/orders")
    message = str(caught.value)
    assert "Octopia rejected the client id/secret" in message and "API Credentials Management" in message
    assert SECRET not in message


async def test_a_token_endpoint_answering_html_is_retryable(connect, mock_http) -> None:
    mock_http.post(AUTH_URL, body="<html>Checking your browser…</html>", content_type="text/html")
    with pytest.raises(ChannelUnavailable, match="not a token"):
        await connect().client.get("/orders")


async def test_a_token_endpoint_down_is_unavailable(connect, mock_http) -> None:
    mock_http.post(AUTH_URL, status=503, repeat=True)
    with pytest.raises(ChannelUnavailable, match="token endpoint"):
        await connect().client.get("/orders")


async def test_the_token_quota_reached_is_handed_back_with_its_wait(connect, mock_http) -> None:
    mock_http.post(AUTH_URL, status=429, headers={"Retry-After": "1800"}, payload={"error": "too_many_requests"})
    with pytest.raises(ChannelUnavailable) as caught:
        await connect().client.get("/orders")
    assert caught.value.retry_after == 1800.0


async def test_secrets_never_reach_exceptions_or_logs(connect, mock_http, caplog) -> None:
    """Octopia (or a proxy) echoing the secret or the token back must not put them in a message."""
    caplog.set_level(logging.DEBUG)
    mock_http.post(
        AUTH_URL, status=401, payload={"error": "invalid_client", "error_description": f"bad secret {SECRET}"}
    )
    with pytest.raises(ChannelError) as first:
        await connect().client.get("/orders")
    give_token(mock_http, "tok-visible-nowhere")
    echo = {"title": "Bad Request", "detail": "token tok-visible-nowhere refused", "errors": {"x": [SECRET]}}
    mock_http.get(ORDERS, status=400, payload=echo, content_type=PROBLEM)
    mock_http.get(f"{API}/carriers", status=500, repeat=True)
    mock_http.post(SHIPMENTS, status=500)
    client = connect().client
    raised: list[BaseException] = [first.value]
    for call in (client.get("/orders"), client.get("/carriers"), client.post_json("/orders/X1/shipments", b"[]")):
        with pytest.raises(ChannelError) as caught:
            await call
        raised.append(caught.value)
    texts = [str(e) for e in raised] + [repr(e) for e in raised]
    texts += [str(getattr(e, "field_errors", "")) for e in raised]
    texts += [r.getMessage() for r in caplog.records]
    assert texts
    for text in texts:
        assert SECRET not in text and "tok-visible-nowhere" not in text


def test_credentials_never_show_their_secret() -> None:
    from portside.channels.cdiscount import CdiscountCredentials

    credentials = CdiscountCredentials(client_id="id", client_secret=SECRET, seller_id="1")
    assert SECRET not in repr(credentials) and SECRET not in str(credentials)


@pytest.mark.parametrize("status", [404, 405, 410])
async def test_a_token_endpoint_that_is_not_there_is_a_setting_to_fix_not_an_outage(
    connect, mock_http, status: int
) -> None:
    mock_http.post(AUTH_URL, status=status, body="<html>Not Found</html>", content_type="text/html")
    with pytest.raises(ChannelError) as caught:
        await connect().client.get("/orders")
    assert not caught.value.retryable and not isinstance(caught.value, ChannelAuthFailed)
    assert f"HTTP {status}" in str(caught.value) and "auth_url" in str(caught.value)
    assert "auth_url" in caught.value.field_errors  # type: ignore[attr-defined]
    assert len(calls(mock_http, "POST", AUTH_URL)) == 1  # not retried


async def test_a_token_endpoint_refusing_with_403_is_retried_later_naming_the_setting(connect, mock_http) -> None:
    # A firewall or proxy blocking for a while must not turn every notification of the spell dead.
    mock_http.post(AUTH_URL, status=403, body="<html>Forbidden</html>", content_type="text/html")
    with pytest.raises(ChannelError) as caught:
        await connect().client.get("/orders")
    assert caught.value.retryable and caught.value.retry_after == 300
    assert "HTTP 403" in str(caught.value) and "auth_url" in str(caught.value)
    assert len(calls(mock_http, "POST", AUTH_URL)) == 1
