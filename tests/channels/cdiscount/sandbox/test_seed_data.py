"""The seeded orders: deterministic per seed, realistic, and covering every case a sync must handle."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from portside.adapters.carriers.seed_points import point_by_id, seed_points
from portside.channels.cdiscount.sandbox import PICKUP_CARRIER_BY_MODE, PICKUP_MODES

# Written out here rather than imported: the test is the spec (reference cdiscount-api §4.4).
STATUSES = set(
    "Processing WaitingAcceptance Accepted InPreparation Shipped Delivered Cancelled Refused Rejected".split()
)


def orders_of(sandbox) -> list[dict[str, Any]]:
    return sandbox.state.store.all()


def ean13_ok(gtin: str) -> bool:
    digits = [int(d) for d in gtin]
    return (
        len(digits) == 13
        and sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12])) % 10 == (10 - digits[12]) % 10
    )


async def test_the_same_seed_serves_the_same_orders_and_another_seed_others(start_another, api_for) -> None:
    async def served(seed: int, count: int) -> list[dict[str, Any]]:
        client = api_for(await start_another(seed=seed, orders=count))
        return [order for page in await client.all_pages(page_size=100, sort="createdAt") for order in page]

    first, again, other, longer = await served(3, 60), await served(3, 60), await served(4, 60), await served(3, 90)

    assert len(first) == 60
    assert first == again
    assert {o["orderId"] for o in first}.isdisjoint({o["orderId"] for o in other})
    longer_by_id = {o["orderId"]: o for o in longer}
    assert all(longer_by_id[o["orderId"]] == o for o in first), "a longer run of the same seed includes the shorter"


@pytest.mark.parametrize("sandbox_config", [{"orders": 400}], indirect=True)
async def test_the_seed_covers_every_status_mode_and_line_kind(sandbox) -> None:
    orders = orders_of(sandbox)
    lines = [line for order in orders for line in order["lines"]]
    modes = Counter(line["delivery"]["mode"] for line in lines)

    assert {o["status"] for o in orders} == STATUSES
    assert {"TrackedHomeDelivery", "NotTrackedHomeDelivery", "ExpressHomeDelivery", "SignedHomeDelivery"} <= set(modes)
    assert {"FixedDateHomeDelivery", "SpecificRoomHomeDelivery", "WithSetupHomeDelivery"} & set(modes)
    assert set(PICKUP_CARRIER_BY_MODE) <= set(modes), "every pickup label and legacy code REL/SO1/RCO"
    assert {len(o["lines"]) for o in orders} == {1, 2, 3, 4}
    assert {line["offer"]["supplyMode"] for line in lines} == {"Seller", "Fulfillment", "Xdock"}
    assert any(all(ln["offer"]["supplyMode"] != "Seller" for ln in o["lines"]) for o in orders)
    live = {"InPreparation", "Shipped", "Delivered", "Accepted"}
    assert any(o["status"] in live and any(ln["status"] == "Cancelled" for ln in o["lines"]) for o in orders)
    assert any(ln["offerPrice"]["unitSalesPrice"] > ln["sellingPrice"]["unitSalesPrice"] for ln in lines)
    assert any(ln.get("productAttributes") for ln in lines)
    assert any(o["serviceFees"] for o in orders)
    assert all(ean13_ok(ln["offer"]["productGtin"]) for ln in lines if ln["offer"]["productGtin"])
    shipped = [o for o in orders if o["status"] in ("Shipped", "Delivered")]
    assert all(
        any(ln["parcels"] for ln in o["lines"])
        for o in shipped
        if any(ln["offer"]["supplyMode"] == "Seller" and ln["status"] != "Cancelled" for ln in o["lines"])
    )


@pytest.mark.parametrize("sandbox_config", [{"orders": 400}], indirect=True)
async def test_buyers_look_french_with_accents_varied_phones_and_masked_emails(sandbox) -> None:
    orders = [o for o in orders_of(sandbox) if o["billingAddress"]]
    addresses = [o["billingAddress"] for o in orders]
    phones = [a["phone"] for a in addresses]

    assert any(re.search(r"[éèêëàâçîïôûùüÿœæÉ]", a["firstName"] + a["lastName"]) for a in addresses)
    assert any(re.search(r"[éèâç]", a["city"]) for a in addresses)
    assert None in phones
    assert any(p and re.fullmatch(r"0[67]\d{8}", p) for p in phones)
    assert any(p and re.fullmatch(r"0[1-5]\d{8}", p) for p in phones)
    assert any(p and p.startswith("+33") for p in phones)
    assert all(a["email"] is None or a["email"].endswith("@clemarche.com") for a in addresses)
    assert all(re.fullmatch(r"\d{5}", a["postalCode"]) for a in addresses)


@pytest.mark.parametrize("sandbox_config", [{"orders": 400}], indirect=True)
async def test_dates_spread_over_the_last_month_before_now(sandbox) -> None:
    now = sandbox.state.config.now
    orders = orders_of(sandbox)
    purchased = sorted(o["purchasedAt"] for o in orders)

    assert purchased[0] >= (now - timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert purchased[-1] <= now.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert all(o["purchasedAt"] <= o["createdAt"] <= o["updatedAt"] for o in orders)
    assert all(o["lines"][0]["delivery"]["shippedAtMax"] == o["shippedAtMax"] for o in orders)


@pytest.mark.parametrize("sandbox_config", [{"orders": 400}], indirect=True)
async def test_pickup_orders_name_seed_points_including_unlisted_and_closed_ones(sandbox) -> None:
    pickups: dict[str, list[dict[str, Any]]] = {"mondial_relay": [], "colissimo": [], "relais_colis": []}
    for order in orders_of(sandbox):
        carrier = PICKUP_CARRIER_BY_MODE.get(order["lines"][0]["delivery"]["mode"])
        if carrier:
            pickups[carrier].append(order["lines"][0]["shippingAddress"])

    assert all(pickups.values())
    for carrier in ("mondial_relay", "colissimo"):
        points = [point_by_id(carrier, a["pickupId"]) for a in pickups[carrier]]
        assert None not in points, f"every {carrier} pickupId is a seed point"
        for address, point in zip(pickups[carrier], points, strict=True):
            assert address["pickupName"] == point.name
            assert (address["addressLine1"], address["postalCode"], address["city"]) == (
                point.street,
                point.postal_code,
                point.city,
            )
        assert any(not p.listed for p in points), f"some {carrier} orders name a point the directory dropped"
        assert any(p.closures for p in points)
    short_ids = [a["pickupId"] for a in pickups["mondial_relay"] if len(a["pickupId"]) < 6]
    assert short_ids, "Mondial Relay ids sometimes arrive without their leading zeros"
    assert all(not a["firstName"].isupper() for a in pickups["mondial_relay"]), "the recipient is the buyer"


def test_pickup_modes_table_has_a_label_and_a_legacy_code_per_carrier() -> None:
    assert {legacy for _, legacy in PICKUP_MODES.values()} == {"REL", "SO1", "RCO"}
    assert {PICKUP_CARRIER_BY_MODE[code] for code in ("REL", "SO1", "RCO")} == set(PICKUP_MODES)


def test_seed_points_are_realistic_and_stable() -> None:
    for carrier in ("mondial_relay", "colissimo"):
        points = seed_points(carrier)
        assert 38 <= len(points) <= 45
        assert len({p.point_id for p in points}) == len(points)
        assert all(re.fullmatch(r"\d{6}", p.point_id) for p in points)
        assert 2 <= sum(not p.listed for p in points) <= 3
        assert any(p.is_locker for p in points)
        assert any(start.year == 2026 and end.year == 2027 for p in points for start, end in p.closures)
        assert any(7 not in p.hours for p in points) and any(1 not in p.hours for p in points)
        for point in points:
            assert set(point.hours) <= set(range(1, 8))
            assert all(
                re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{4}", b) and a < b
                for slots in point.hours.values()
                for a, b in slots
            )
            assert 41 < point.latitude < 52 and -5 < point.longitude < 8.5
    assert {p.point_type for p in seed_points("mondial_relay")} == {"REL", "LOC"}
    assert {"A2P", "BPR", "PCS"} <= {p.point_type for p in seed_points("colissimo")}
    assert seed_points() == seed_points("mondial_relay") + seed_points("colissimo")
    assert point_by_id("mondial_relay", "5680") == point_by_id("mondial_relay", "005680") is not None
    assert point_by_id("colissimo", "005680") is None
    with pytest.raises(ValueError, match="unknown carrier"):
        seed_points("ups")
