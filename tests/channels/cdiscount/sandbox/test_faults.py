"""Every fault knob of the Octopia sandbox, observed from the client side over real HTTP."""

from __future__ import annotations

import asyncio

import aiohttp
import msgspec
import pytest

PROBLEM = "application/problem+json"
PARCEL = [{"parcelNumber": "6A12345678901", "carrierName": "Colissimo"}]


async def set_faults(api, **knobs: object) -> None:
    reply = await api.admin("POST", "/faults", json=knobs)
    assert reply.status == 200, reply


async def test_rate_limit_answers_429_with_retry_after_for_the_next_calls_only(api) -> None:
    await api.token()
    await set_faults(api, rate_limit={"count": 2, "retry_after_s": 7})

    limited = [await api.api("GET", "/orders/count") for _ in range(2)]
    after = await api.api("GET", "/orders/count")

    assert [r.status for r in limited] == [429, 429]
    assert limited[0].headers["Retry-After"] == "7"
    assert limited[0].content_type == PROBLEM
    assert after.status == 200
    assert (await api.admin("GET", "/stats")).body["faults_fired"]["rate_limit"] == 2


async def test_faults_spare_the_token_endpoint_unless_it_is_named(api) -> None:
    await set_faults(api, rate_limit={"count": 1})
    assert (await api.fetch_token()).status == 200

    await set_faults(api, rate_limit={"count": 1, "only": ["token"]})
    limited = await api.fetch_token()
    api_call = await api.api("GET", "/orders/count")

    assert limited.status == 429
    assert api_call.status == 200


async def test_server_errors_are_500_problem_or_gateway_html(api) -> None:
    await api.token()
    await set_faults(api, server_error={"count": 1, "statuses": [500]})
    internal = await api.api("GET", "/orders", params={"pageSize": 5})
    await set_faults(api, server_error={"count": 1, "statuses": [502]})
    gateway = await api.api("GET", "/carriers")

    assert internal.status == 500
    assert internal.content_type == PROBLEM
    assert gateway.status == 502
    assert gateway.content_type == "text/html"


async def test_slow_answers_outlast_a_short_client_timeout(api) -> None:
    token = await api.token()
    await set_faults(api, slow={"count": 1, "delay_s": 1.0})
    headers = {"Authorization": f"Bearer {token}", "SellerId": api.seller_id}

    with pytest.raises(asyncio.TimeoutError):
        await api.http.get(
            api.sandbox.api_base_url + "/orders/count", headers=headers, timeout=aiohttp.ClientTimeout(total=0.2)
        )

    assert (await api.api("GET", "/orders/count")).status == 200


async def test_tokens_expire_early_and_a_new_token_works(api) -> None:
    old = await api.token()
    await set_faults(api, expire_tokens_early={"count": 1})

    first = await api.api("GET", "/orders/count")
    still = await api.api("GET", "/orders/count")
    fresh = (await api.fetch_token()).body["access_token"]
    renewed = await api.api("GET", "/orders/count", token=fresh)

    assert first.status == 401
    assert "expired" in first.body["detail"]
    assert still.status == 401, "an expired token stays expired"
    assert renewed.status == 200
    assert fresh != old


async def test_a_malformed_order_is_the_same_order_broken_the_same_way_on_retry(api) -> None:
    await api.token()
    await set_faults(api, malformed_order={"count": 1})
    params = {"pageIndex": 1, "pageSize": 20}

    first = await api.api("GET", "/orders", params=params)
    retry = await api.api("GET", "/orders", params=params)

    malformed = (await api.admin("GET", "/stats")).body["malformed_orders"]
    assert len(malformed) == 1
    ((order_id, how),) = malformed.items()
    broken = [o for o in first.body["items"] if o["orderId"] == order_id]
    assert broken == [o for o in retry.body["items"] if o["orderId"] == order_id]
    order = broken[0]
    wrong_type = {
        "quantity_as_text": lambda o: o["lines"][0]["quantity"] == "two",
        "lines_as_object": lambda o: o["lines"] == {},
        "price_as_text": lambda o: isinstance(o["totalPrice"]["sellingPrice"], str),
        "updated_at_as_number": lambda o: isinstance(o["updatedAt"], int),
    }[how]
    assert wrong_type(order)
    assert wrong_type((await api.api("GET", f"/orders/{order_id}")).body)
    healthy = [o for o in first.body["items"] if o["orderId"] != order_id]
    assert all(isinstance(o["lines"], list) and isinstance(o["lines"][0]["quantity"], int) for o in healthy)


async def test_update_while_paging_moves_a_read_order_to_a_later_page(api) -> None:
    await api.token()
    page_one = (await api.api("GET", "/orders", params={"pageIndex": 1, "pageSize": 30})).body["items"]
    await set_faults(api, update_while_paging={"count": 1})

    rest = await api.all_pages(page_size=30)
    # all_pages re-reads page 1 (the fault waits for pageIndex > 1), so stitch page 1 as first read.
    naive = page_one + [o for page in rest[1:] for o in page]

    moved = (await api.admin("GET", "/stats")).body["moved_while_paging"]
    assert len(moved) == 1
    assert moved[0] in {o["orderId"] for o in page_one}
    last = naive[-1]
    assert last["orderId"] == moved[0]
    assert last["updatedAt"] > next(o["updatedAt"] for o in page_one if o["orderId"] == moved[0])
    # The classic offset-paging hole: one order slid onto the page already read and was never seen.
    seen = {o["orderId"] for o in naive}
    assert len(seen) == 119
    assert (await api.api("GET", "/orders/count")).body == 120


async def test_shipment_applied_then_500_leaves_the_order_shipped(api) -> None:
    reply = await api.api("GET", "/orders", params={"status": "InPreparation", "pageSize": 100})
    order = next(o for o in reply.body["items"] if all(ln["offer"]["supplyMode"] == "Seller" for ln in o["lines"]))
    await set_faults(api, shipment_timeout_after_apply={"count": 1, "status": 504})

    ambiguous = await api.api("POST", f"/orders/{order['orderId']}/shipments", json=PARCEL)
    read_back = (await api.api("GET", f"/orders/{order['orderId']}")).body
    resent = await api.api("POST", f"/orders/{order['orderId']}/shipments", json=PARCEL)

    assert ambiguous.status == 504
    assert read_back["status"] == "Shipped"
    assert read_back["lines"][0]["parcels"][0]["parcelNumber"] == "6A12345678901"
    assert resent.status == 409
    assert (await api.admin("GET", "/stats")).body["shipments_applied"] == {order["orderId"]: 1}


async def test_probabilities_replay_the_same_way_for_the_same_seed(start_another, http) -> None:
    async def statuses(seed: int) -> list[int]:
        sandbox = await start_another(seed=seed, orders=5)
        sandbox.state.faults.update({"server_error": {"probability": 0.5, "statuses": [503]}})
        url = sandbox.api_base_url + "/carriers"  # the fault answers before auth is checked
        results = []
        for _ in range(30):
            async with http.get(url) as response:
                results.append(response.status)
        return results

    first, second = await statuses(11), await statuses(11)

    assert first == second
    assert 5 < first.count(503) < 25


async def test_unknown_knobs_are_refused_and_delete_switches_everything_off(api) -> None:
    typo = await api.admin("POST", "/faults", json={"rate_limits": {"count": 1}})
    bad = await api.admin("POST", "/faults", json={"slow": {"probability": 2}})
    await set_faults(api, rate_limit={"probability": 1.0})
    reset = await api.admin("DELETE", "/faults")

    assert typo.status == 400
    assert bad.status == 400
    assert reset.body == msgspec.to_builtins(reset.body) and reset.body["rate_limit"]["probability"] == 0.0
    assert (await api.api("GET", "/orders/count")).status == 200
