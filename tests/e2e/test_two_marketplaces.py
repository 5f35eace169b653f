"""End to end on real Postgres, two marketplaces under one account: a Cdiscount store (Octopia sandbox) and a
Leroy Merlin store (Mirakl sandbox) connected through the same API, their orders listed together and apart,
a relay order of each completed from its carrier's directory, one order shipped on each and each
marketplace told exactly once (Mirakl through ST01, and through OR23 + OR24 when ST01 is off), and the
Mirakl store never scheduled sooner than its channel allows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from .service import Service, cdiscount_store, mirakl_store, service


@pytest.fixture
async def running_service(pg_dsn: str) -> AsyncIterator[Service]:
    async with service(pg_dsn, orders=80) as svc:
        yield svc


def from_directory(orders: list[dict[str, Any]], carrier: str) -> list[dict[str, Any]]:
    """Relay orders of ``carrier`` whose point the carrier's directory completed."""
    return [
        o
        for o in orders
        if o["pickup_point"] and o["pickup_point"]["carrier"] == carrier and o["pickup_point"]["source"] == "directory"
    ]


def shippable(orders: list[dict[str, Any]], *, relay: str | None) -> dict[str, Any]:
    """An order awaiting shipment: a relay order of that carrier, or a home delivery when ``relay`` is None."""
    return next(
        o
        for o in orders
        if o["status"] == "awaiting_shipment"
        and ((o["pickup_point"] or {}).get("carrier") == relay if relay else o["pickup_point"] is None)
    )


def per_order(stats: dict[str, Any], endpoint: str, order_id: str) -> int:
    """Calls the Mirakl sandbox received on ``endpoint`` for one order."""
    return int(stats["received"].get(endpoint, {}).get(order_id, 0))


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_one_account_two_marketplaces(running_service: Service) -> None:
    svc = running_service
    mirakl = svc.boxes.mirakl
    cdiscount, leroy_merlin = await asyncio.gather(
        svc.connect(cdiscount_store(svc.boxes)), svc.connect(mirakl_store(mirakl, "Leroy Merlin e2e"))
    )
    assert (cdiscount["channel"], leroy_merlin["channel"]) == ("cdiscount", "mirakl")

    # One listing for both stores, and each store's orders alone through the same filter.
    everything = await svc.orders("")
    apart = {s["id"]: await svc.orders(f"store_id={s['id']}") for s in (cdiscount, leroy_merlin)}
    assert {o["channel"] for o in everything} == {"cdiscount", "mirakl"}
    assert sorted(o["id"] for o in everything) == sorted(o["id"] for items in apart.values() for o in items)
    for store in (cdiscount, leroy_merlin):
        assert apart[store["id"]] and {(o["store_id"], o["channel"]) for o in apart[store["id"]]} == {
            (store["id"], store["channel"])
        }

    # Relay orders of both marketplaces, completed from their carriers' directories, with label hints.
    lm_relays = from_directory(apart[leroy_merlin["id"]], "colissimo")
    assert lm_relays, "no Leroy Merlin relay order completed from Colissimo's directory"
    for order in lm_relays:  # Colissimo points named by Mirakl's shipping_pudo_id
        assert order["delivery"]["code"] == "RELAY_DELIVERY__STD" and order["delivery"]["kind"] == "pickup"
        assert order["label_hints"]["pickupLocationId"] == order["pickup_point"]["point_id"]
        assert order["label_hints"]["commercialName"] and order["pickup_point"]["opening_hours"]
    for carrier, id_hint in (("mondial_relay", "LIV_Rel"), ("colissimo", "pickupLocationId")):
        relays = from_directory(apart[cdiscount["id"]], carrier)
        assert relays, f"no Cdiscount {carrier} order completed from its directory"
        assert all(o["label_hints"][id_hint] == o["pickup_point"]["point_id"] for o in relays)
    # Ids, not whole orders: the scheduler runs meanwhile and may flag an order (acceptance SLA).
    filtered = await svc.orders(f"store_id={leroy_merlin['id']}&pickup_carrier=colissimo")
    assert sorted(o["id"] for o in filtered) == sorted(
        o["id"] for o in apart[leroy_merlin["id"]] if (o["pickup_point"] or {}).get("carrier") == "colissimo"
    )

    # One order shipped on each marketplace by the same call; the relay tells each marketplace once.
    cd_order = shippable(apart[cdiscount["id"]], relay="mondial_relay")
    lm_order = shippable(lm_relays, relay="colissimo")
    cd_shipment = await svc.ship(cd_order, "MR00000000017", carrier="mondial_relay")
    lm_shipment = await svc.ship(lm_order, "6A00000000031")
    cd_sent = (await svc.notification(cd_shipment["id"], "delivered"))["notification"]["sent"]
    lm_sent = (await svc.notification(lm_shipment["id"], "delivered"))["notification"]["sent"]
    assert cd_sent["parcelNumber"] == "MR00000000017"
    assert lm_sent == {"via": "ST01", "carrier_code": "COLISSIMO", "tracking_number": "6A00000000031"}
    octopia = await svc.sandbox_stats()
    assert octopia["parcels"][cd_order["channel_order_id"]] == 1
    assert octopia["shipment_posts"][cd_order["channel_order_id"]] == 1
    stats = await svc.sandbox_stats(mirakl)
    lm_id = lm_order["channel_order_id"]
    assert per_order(stats, "shipments.create", lm_id) == 1 and stats["applied"]["shipments.create"][lm_id] == 1
    assert per_order(stats, "orders.tracking", lm_id) == per_order(stats, "orders.ship", lm_id) == 0
    assert stats["tracking"][lm_id] == "6A00000000031"
    for order in (cd_order, lm_order):
        assert (await svc.api.call("GET", f"/v1/orders/{order['id']}", expect=200))["status"] == "shipped"

    # With the operator's Shipments API off, Mirakl is told by tracking (OR23) then ship (OR24), once each.
    await svc.sandbox_admin(mirakl, "shipments-api", {"enabled": False})
    fallback = shippable([o for o in apart[leroy_merlin["id"]] if o["id"] != lm_order["id"]], relay=None)
    shipment = await svc.ship(fallback, "6A00000000048")
    sent = (await svc.notification(shipment["id"], "delivered"))["notification"]["sent"]
    assert sent == {"via": "OR23+OR24", "carrier_code": "COLISSIMO", "tracking_number": "6A00000000048"}
    stats = await svc.sandbox_stats(mirakl)
    fb_id = fallback["channel_order_id"]
    assert per_order(stats, "orders.tracking", fb_id) == per_order(stats, "orders.ship", fb_id) == 1
    assert stats["applied"]["orders.ship"][fb_id] == 1 and stats["tracking"][fb_id] == "6A00000000048"
    assert stats["calls"]["shipments.create"] == 2  # the first shipment, and the 404 that chose the fallback

    # A carrier Leroy Merlin does not list goes by name, with the tracking page it requires for one.
    taken = {lm_order["id"], fallback["id"]}
    other = shippable([o for o in apart[leroy_merlin["id"]] if o["id"] not in taken], relay=None)
    dupont = {"carrier": "Transports Dupont", "tracking_number": "TD123"}
    url = f"/v1/orders/{other['id']}/shipments"
    refused = await svc.api.call("POST", url, dupont, expect=422)
    assert "Leroy Merlin" in refused["errors"]["tracking_url"]
    page = "https://dupont.example/suivi?colis=TD123"
    by_name = await svc.api.call("POST", url, {**dupont, "tracking_url": page}, expect=202)
    sent = (await svc.notification(by_name["id"], "delivered"))["notification"]["sent"]
    assert sent == {
        "via": "OR23+OR24",
        "carrier_name": "Transports Dupont",
        "carrier_url": page,
        "tracking_number": "TD123",
    }

    # The Mirakl store's next sync is no sooner than its channel allows (once a minute), and on its interval.
    (report,) = (await svc.api.call("GET", f"/v1/stores/{leroy_merlin['id']}/syncs", expect=200))["items"]
    minimum = svc.app.channels.bundle_for(await svc.app.store(leroy_merlin["id"])).capabilities.min_poll_interval_s
    assert minimum == 60
    next_run = await svc.next_run_at(leroy_merlin["id"])
    assert next_run - parse_time(report["started_at"]) >= timedelta(seconds=minimum)
    assert next_run - parse_time(report["finished_at"]) >= timedelta(seconds=leroy_merlin["sync_interval_s"] - 1)
