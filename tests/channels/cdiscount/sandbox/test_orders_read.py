"""Listing, counting and reading orders, and the carrier referential, from the Octopia sandbox."""

from __future__ import annotations

from collections import Counter

PROBLEM = "application/problem+json"
EARLY_STATUSES = {"Processing", "WaitingAcceptance", "Accepted"}


async def test_paging_until_a_short_page_returns_every_order_once_in_a_stable_order(api) -> None:
    pages = await api.all_pages(page_size=25)

    orders = [o for page in pages for o in page]
    assert [len(p) for p in pages] == [25, 25, 25, 25, 20]
    assert len({o["orderId"] for o in orders}) == len(orders) == 120
    keys = [(o["updatedAt"], o["orderId"]) for o in orders]
    assert keys == sorted(keys)
    assert await api.all_pages(page_size=25) == pages


async def test_items_per_page_counts_the_items_returned(api) -> None:
    reply = await api.api("GET", "/orders", params={"pageIndex": 2, "pageSize": 100})

    assert reply.body["itemsPerPage"] == len(reply.body["items"]) == 20


async def test_page_size_above_100_or_page_index_0_is_refused(api) -> None:
    too_big = await api.api("GET", "/orders", params={"pageSize": 101})
    zero = await api.api("GET", "/orders", params={"pageIndex": 0})
    not_a_number = await api.api("GET", "/orders", params={"pageSize": "ten"})

    assert too_big.status == 400
    assert too_big.content_type == PROBLEM
    assert "pageSize" in too_big.body["errors"]
    assert zero.status == 400
    assert "pageIndex" in zero.body["errors"]
    assert not_a_number.status == 400


async def test_updated_at_min_keeps_orders_updated_at_or_after_it(api) -> None:
    everything = [o for page in await api.all_pages(page_size=100) for o in page]
    cutoff = sorted(o["updatedAt"] for o in everything)[80]

    pages = await api.all_pages(page_size=100, updatedAtMin=cutoff)

    kept = [o for page in pages for o in page]
    assert kept
    assert {o["orderId"] for o in kept} == {o["orderId"] for o in everything if o["updatedAt"] >= cutoff}


async def test_created_at_window_and_a_bad_date_is_400(api) -> None:
    everything = [o for page in await api.all_pages(page_size=100) for o in page]
    low, high = sorted(o["createdAt"] for o in everything)[10], sorted(o["createdAt"] for o in everything)[30]

    window = await api.api("GET", "/orders", params={"createdAtMin": low, "createdAtMax": high, "pageSize": 100})
    bad = await api.api("GET", "/orders", params={"createdAtMin": "yesterday"})

    assert {o["orderId"] for o in window.body["items"]} == {
        o["orderId"] for o in everything if low <= o["createdAt"] <= high
    }
    assert bad.status == 400
    assert "createdAtMin" in bad.body["errors"]


async def test_status_filter_and_count_agree(api) -> None:
    everything = [o for page in await api.all_pages(page_size=100) for o in page]
    expected = Counter(o["status"] for o in everything)

    ready = await api.api("GET", "/orders", params={"status": "InPreparation", "pageSize": 100})
    count = await api.api("GET", "/orders/count", params={"status": "InPreparation"})
    total = await api.api("GET", "/orders/count")
    unknown = await api.api("GET", "/orders", params={"status": "Teleported"})

    assert {o["status"] for o in ready.body["items"]} == {"InPreparation"}
    assert len(ready.body["items"]) == expected["InPreparation"] == count.body
    assert count.content_type == "application/json"
    assert total.body == 120
    assert unknown.status == 400


async def test_sales_channel_and_reference_filters(api) -> None:
    one = (await api.api("GET", "/orders", params={"pageSize": 1})).body["items"][0]

    cdisfr = await api.api("GET", "/orders/count", params={"salesChannelId": "CDISFR"})
    other = await api.api("GET", "/orders/count", params={"salesChannelId": "CDISBE"})
    by_reference = await api.api("GET", "/orders", params={"reference": one["reference"]})

    assert cdisfr.body == 120
    assert other.body == 0
    assert [o["orderId"] for o in by_reference.body["items"]] == [one["orderId"]]


async def test_sort_by_created_at_descending(api) -> None:
    reply = await api.api("GET", "/orders", params={"sort": "createdAt", "desc": "true", "pageSize": 100})

    stamps = [o["createdAt"] for o in reply.body["items"]]
    assert stamps == sorted(stamps, reverse=True)


async def test_one_order_by_id_and_an_unknown_id_is_404(api) -> None:
    listed = (await api.api("GET", "/orders", params={"pageSize": 3})).body["items"][2]

    same = await api.api("GET", f"/orders/{listed['orderId']}")
    missing = await api.api("GET", "/orders/NOPE")

    assert same.body == listed
    assert missing.status == 404
    assert missing.content_type == PROBLEM


async def test_shipping_address_appears_only_from_in_preparation(api) -> None:
    everything = [o for page in await api.all_pages(page_size=100) for o in page]

    for order in everything:
        has_address = all("shippingAddress" in line for line in order["lines"])
        if order["status"] in EARLY_STATUSES | {"Refused", "Rejected"}:
            assert not any("shippingAddress" in line for line in order["lines"]), order["orderId"]
        elif order["status"] in ("InPreparation", "Shipped", "Delivered"):
            assert has_address, order["orderId"]


async def test_carriers_is_the_measured_referential_with_its_quirks(api) -> None:
    reply = await api.api("GET", "/carriers")

    carriers = reply.body
    assert isinstance(carriers, list)
    assert len(carriers) == 66
    labels_by_code = Counter(c["code"] for c in carriers)
    assert labels_by_code["pcc"] == 4
    assert labels_by_code["dhldp"] == 2
    assert {c["label"] for c in carriers if c["code"] == "pcc"} == {
        "La Poste",
        "Colissimo",
        "Chronopost",
        "Chronofresh",
    }
    assert [c["label"] for c in carriers if c["label"] != c["label"].strip()] == ["Mondial Relay "]
