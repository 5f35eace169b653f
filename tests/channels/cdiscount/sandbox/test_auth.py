"""Token endpoint and the Bearer + SellerId checks of the Octopia sandbox, over real HTTP."""

from __future__ import annotations

import base64

import pytest

PROBLEM = "application/problem+json"


async def test_client_credentials_give_a_bearer_token_for_two_hours(api) -> None:
    reply = await api.fetch_token()

    assert reply.status == 200
    assert reply.body["token_type"] == "Bearer"
    assert reply.body["expires_in"] == 7200
    assert "refresh_expires_in" in reply.body
    assert len(reply.body["access_token"]) >= 32
    orders = await api.api("GET", "/orders", token=reply.body["access_token"], params={"pageSize": 1})
    assert orders.status == 200


async def test_tokens_are_opaque_and_distinct_and_counted(api) -> None:
    first, second = await api.fetch_token(), await api.fetch_token()

    assert first.body["access_token"] != second.body["access_token"]
    stats = await api.admin("GET", "/stats")
    assert stats.body["tokens"]["issued"] == 2


async def test_wrong_secret_is_a_401_problem_that_never_echoes_the_secret(api) -> None:
    reply = await api.fetch_token(client_secret="not-the-secret")

    assert reply.status == 401
    assert reply.content_type == PROBLEM
    assert reply.body["status"] == 401
    assert reply.body["error"] == "invalid_client"
    assert "not-the-secret" not in str(reply.body)


async def test_unknown_grant_type_is_refused(api) -> None:
    reply = await api.call("POST", api.sandbox.auth_url, data={"grant_type": "password", "client_id": "x"})

    assert reply.status == 400
    assert reply.body["error"] == "unsupported_grant_type"


async def test_http_basic_client_authentication_is_accepted(api) -> None:
    config = api.sandbox.state.config
    basic = base64.b64encode(f"{config.client_id}:{config.client_secret}".encode()).decode()

    reply = await api.call(
        "POST",
        api.sandbox.auth_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )

    assert reply.status == 200


@pytest.mark.parametrize("sandbox_config", [{"token_cap_per_hour": 2}], indirect=True)
async def test_token_quota_per_hour_answers_429_with_retry_after(api) -> None:
    assert (await api.fetch_token()).status == 200
    assert (await api.fetch_token()).status == 200

    third = await api.fetch_token()

    assert third.status == 429
    assert third.content_type == PROBLEM
    assert 3000 < int(third.headers["Retry-After"]) <= 3601
    assert (await api.admin("GET", "/stats")).body["tokens"] == {"issued": 2, "refused": 1, "expired_early": 0}


@pytest.mark.parametrize("sandbox_config", [{"token_ttl_s": 0}], indirect=True)
async def test_an_expired_token_is_a_401_saying_so(api) -> None:
    reply = await api.api("GET", "/orders/count")

    assert reply.status == 401
    assert "expired" in reply.body["detail"]
    assert 'error="invalid_token"' in reply.headers["WWW-Authenticate"]


async def test_missing_or_unknown_bearer_token_is_401(api) -> None:
    anonymous = await api.call("GET", api.sandbox.api_base_url + "/orders", headers={"SellerId": api.seller_id})
    forged = await api.api("GET", "/orders", token="forged-token")

    assert anonymous.status == 401
    assert anonymous.content_type == PROBLEM
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert forged.status == 401
    assert "not valid" in forged.body["detail"]


async def test_missing_seller_id_is_400_and_another_seller_is_403(api) -> None:
    token = await api.token()
    url = api.sandbox.api_base_url + "/orders"

    missing = await api.call("GET", url, headers={"Authorization": f"Bearer {token}"})
    other = await api.api("GET", "/orders", seller_id="98979")

    assert missing.status == 400
    assert "SellerId" in missing.body["errors"]
    assert other.status == 403
    assert "98979" in other.body["detail"]


async def test_unknown_api_path_is_a_404_problem(api) -> None:
    reply = await api.api("GET", "/does-not-exist")

    assert reply.status == 404
    assert reply.content_type == PROBLEM
