"""The Mirakl client with aioresponses: raw key, shop id, retries, both error shapes, writes once, no secrets."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from portside.channels.mirakl.problems import MiraklRejected
from portside.channels.mirakl.settings import MiraklCredentials
from portside.channels.registry import decode_config
from portside.core.errors import (
    ChannelAuthFailed,
    ChannelRejected,
    ChannelUnavailable,
    OutcomeUnknown,
    ValidationFailed,
)
from tests.support.aioresponses_shim import aioresponses

from .harness import API, KEY, make_store

ORDERS = re.compile(re.escape(API) + r"/orders(\?.*)?$")
SHIP = f"{API}/orders/X-1-A/ship"


def calls(mock: aioresponses, method: str, path: str) -> list[Any]:
    return [c for (m, u), cs in mock.requests.items() if m == method and u.path == "/api" + path for c in cs]


async def test_every_call_sends_the_raw_key_and_the_shop(connect, mock_http) -> None:
    mock_http.get(ORDERS, payload={"orders": [], "total_count": 0})
    await connect(make_store(shop_id="2001")).client.get("/orders", {"max": "1"})
    (call,) = calls(mock_http, "GET", "/orders")
    assert call.kwargs["headers"]["Authorization"] == KEY  # no "Bearer": reference §2
    assert call.kwargs["headers"]["Accept"] == "application/json"
    assert call.kwargs["params"] == {"max": "1", "shop_id": "2001"}


async def test_no_shop_id_means_the_keys_default_shop(connect, mock_http) -> None:
    mock_http.get(ORDERS, payload={"orders": []})
    await connect().client.get("/orders")
    assert "shop_id" not in calls(mock_http, "GET", "/orders")[0].kwargs["params"]


async def test_a_base_url_with_api_is_the_same_instance(connect, mock_http) -> None:
    mock_http.get(ORDERS, payload={"orders": []})
    await connect(make_store(base_url="https://mirakl.test/api/")).client.get("/orders")
    assert len(calls(mock_http, "GET", "/orders")) == 1


async def test_429_honours_retry_after(connect, mock_http, sleeps) -> None:
    mock_http.get(ORDERS, status=429, headers={"Retry-After": "7"}, payload={"status": 429, "message": "Too Many"})
    mock_http.get(ORDERS, payload={"orders": []})
    assert (await connect().client.get("/orders")).status == 200
    assert sleeps == [7.0]


async def test_a_long_retry_after_reaches_the_caller(connect, mock_http) -> None:
    mock_http.get(ORDERS, status=429, headers={"Retry-After": "900"})
    with pytest.raises(ChannelUnavailable) as caught:
        await connect().client.get("/orders")
    assert caught.value.retry_after == 900.0


async def test_5xx_is_retried_for_reads(connect, mock_http, sleeps) -> None:
    mock_http.get(ORDERS, status=503, body="<html>503</html>", content_type="text/html")
    mock_http.get(ORDERS, status=500, payload={"status": 500, "message": "oops"})
    mock_http.get(ORDERS, payload={"orders": []})
    assert (await connect().client.get("/orders")).status == 200
    assert len(sleeps) == 2


async def test_5xx_on_a_write_is_an_unknown_outcome_sent_once(connect, mock_http, sleeps) -> None:
    mock_http.put(SHIP, status=500, repeat=True)
    with pytest.raises(OutcomeUnknown, match="may have been applied"):
        await connect().client.put_empty("/orders/X-1-A/ship")
    assert len(calls(mock_http, "PUT", "/orders/X-1-A/ship")) == 1 and sleeps == []


async def test_a_timeout_on_a_post_is_an_unknown_outcome(connect, mock_http) -> None:
    mock_http.post(f"{API}/shipments", exception=TimeoutError(), repeat=True)
    with pytest.raises(OutcomeUnknown):
        await connect().client.post_json("/shipments", b"{}")
    assert len(calls(mock_http, "POST", "/shipments")) == 1


async def test_429_on_a_write_is_retried_since_mirakl_did_not_process_it(connect, mock_http, sleeps) -> None:
    mock_http.put(SHIP, status=429, headers={"Retry-After": "2"})
    mock_http.put(SHIP, status=204)
    await connect().client.put_empty("/orders/X-1-A/ship")
    assert sleeps == [2.0]


async def test_or24_sends_an_empty_body_with_content_length_zero(connect, mock_http) -> None:
    mock_http.put(SHIP, status=204)
    await connect().client.put_empty("/orders/X-1-A/ship")
    (call,) = calls(mock_http, "PUT", "/orders/X-1-A/ship")
    assert call.kwargs["data"] == b""
    assert call.kwargs["headers"]["Content-Length"] == "0"  # "must be present with value 0" (§2)
    assert "Content-Type" not in call.kwargs["headers"]


async def test_the_classic_error_shape_is_read_with_its_code(connect, mock_http) -> None:
    body = {"status": 400, "message": "ORDER_INVALID_STATE: Order is not in the expected state for this operation"}
    mock_http.put(f"{API}/orders/X-1-A/accept", status=400, payload=body)
    with pytest.raises(MiraklRejected) as caught:
        await connect().client.put_json("/orders/X-1-A/accept", b"{}")
    assert (caught.value.status, caught.value.code) == (400, "ORDER_INVALID_STATE")
    assert "not in the expected state" in str(caught.value)


async def test_the_newer_error_shape_is_read_too(connect, mock_http) -> None:
    body = {"errors": [{"code": "VALIDATION_ERROR", "message": "tracking is mandatory"}, {"message": "line unknown"}]}
    mock_http.post(f"{API}/shipments", status=400, payload=body)
    with pytest.raises(MiraklRejected) as caught:
        await connect().client.post_json("/shipments", b"{}")
    assert caught.value.code == "VALIDATION_ERROR"
    assert caught.value.detail == "tracking is mandatory; line unknown"


async def test_an_html_error_page_says_no_details(connect, mock_http) -> None:
    mock_http.put(SHIP, status=404, body="<html><h1>Not found</h1></html>", content_type="text/html")
    with pytest.raises(MiraklRejected, match="no details given"):
        await connect().client.put_empty("/orders/X-1-A/ship")


async def test_a_refused_key_says_where_to_generate_one(connect, mock_http) -> None:
    mock_http.get(ORDERS, status=401, payload={"status": 401, "message": "Unauthorized"})
    with pytest.raises(ChannelAuthFailed, match="User settings › API key"):
        await connect().client.get("/orders")


async def test_a_refused_shop_says_to_check_the_shop_id(connect, mock_http) -> None:
    mock_http.get(ORDERS, status=403, payload={"status": 403, "message": "Forbidden"})
    with pytest.raises(ChannelAuthFailed, match="shop 9 with this API key"):
        await connect(make_store(shop_id="9")).client.get("/orders")


@pytest.mark.parametrize("status", [401, 403])
async def test_a_refusal_that_is_not_from_mirakl_blames_the_url_not_the_key(connect, mock_http, status) -> None:
    """A proxy or another site at base_url answers with an HTML page: the shop id and key are not the suspects."""
    page = "<!DOCTYPE html><html><body>Access denied</body></html>"
    mock_http.get(ORDERS, status=status, body=page, content_type="text/html")
    with pytest.raises(ChannelRejected) as caught:
        await connect(make_store(shop_id="9")).client.get("/orders")
    assert not isinstance(caught.value, ChannelAuthFailed)
    assert "base_url may be wrong" in str(caught.value) and "shop id" not in str(caught.value)
    assert "base_url" in caught.value.field_errors


async def test_the_key_never_shows_in_errors_or_logs(connect, mock_http, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"status": 400, "message": f"bad header Authorization: {KEY}"}
    mock_http.get(ORDERS, status=400, payload=echo)
    mock_http.get(ORDERS, status=401, payload=echo)
    client = connect().client
    for _ in range(2):
        with pytest.raises(Exception) as caught:
            await client.get("/orders")
        assert KEY not in str(caught.value) and "***" in str(caught.value)
    assert KEY not in caplog.text
    assert KEY not in repr(MiraklCredentials(api_key=KEY))
    with pytest.raises(ValidationFailed) as invalid:
        decode_config(MiraklCredentials, {"api_key": 12345}, "Mirakl credentials")
    assert "12345" not in str(invalid.value)


async def test_a_body_mirakl_cannot_read_as_json_is_still_a_typed_error(connect, mock_http) -> None:
    mock_http.get(ORDERS, status=400, body=b"max must be less than 100", content_type="text/plain")
    with pytest.raises(MiraklRejected, match="max must be less than 100"):
        await connect().client.get("/orders")
