"""Per-store capabilities, end to end on real Postgres: two Mirakl stores of one account differ because their
marketplaces do. Decathlon accepts orders itself, so the API refuses an accept or a refusal with a 409 that
says so (and nothing reaches the marketplace), while a Leroy Merlin order is accepted through the outbox and
its hidden addresses arrive with the next sync. A store whose profile asks for a slower poll than its
sync interval is scheduled on the profile's minimum."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import msgspec
import pytest

from portside.entrypoints.sandboxes import start_sandbox

from .service import Service, mirakl_store, service

SLOW_POLL_S = 600  # e.g. an "External Partner" integration, allowed one OR11 every 10-15 min


@pytest.fixture
async def running_service(pg_dsn: str) -> AsyncIterator[Service]:
    async with service(pg_dsn, orders=40) as svc:
        yield svc


@pytest.fixture
async def decathlon() -> AsyncIterator[Any]:
    running = await start_sandbox("mirakl", host="127.0.0.1", port=0, orders=20, profile="decathlon")
    yield running
    await running.close()


async def a_minute_passes(svc: Service, store_id: str) -> None:
    """The store's syncs moved a minute back, as if they had run a minute earlier (the service's clock is real)."""
    async with svc.app.uow() as u:
        for report in await u.sync_reports.find(store_id):
            earlier = {"started_at": report.started_at - timedelta(seconds=60)}
            if report.finished_at is not None:
                earlier["finished_at"] = report.finished_at - timedelta(seconds=60)
            await u.sync_reports.save(msgspec.structs.replace(report, **earlier))
        await u.commit()


async def test_capabilities_come_from_each_stores_marketplace(running_service: Service, decathlon: Any) -> None:
    svc = running_service
    overrides = {"profile_overrides": {"min_poll_interval_s": SLOW_POLL_S}}
    auto = await svc.connect(mirakl_store(decathlon, "Decathlon e2e", sync_interval_s=60, settings=overrides))
    manual = await svc.connect(mirakl_store(svc.boxes.mirakl, "Leroy Merlin e2e"))

    # Decathlon accepts for the seller: accept and refuse are refused with the reason, and never sent.
    order = (await svc.orders(f"store_id={auto['id']}"))[0]
    for decision in ("accept", "refuse"):
        problem = await svc.api.call("POST", f"/v1/orders/{order['id']}/{decision}", expect=409)
        assert "automatic acceptance" in problem["detail"] and "Decathlon e2e" in problem["detail"]
    assert "orders.accept" not in (await svc.sandbox_stats(decathlon))["calls"]

    # Leroy Merlin waits for the seller: the acceptance reaches Mirakl once (OR21), and the addresses
    # Mirakl hides until then are read by the next sync.
    waiting = await svc.orders(f"store_id={manual['id']}&status=awaiting_acceptance")
    order = next(o for o in waiting if o["shipping_address"] is None)
    await svc.api.call("POST", f"/v1/orders/{order['id']}/accept", expect=202)

    async def accepted() -> bool:
        stats = await svc.sandbox_stats(svc.boxes.mirakl)
        return bool(stats["applied"].get("orders.accept", {}).get(order["channel_order_id"]) == 1)

    await svc.wait_for(accepted)
    # Mirakl allows one OR11 a minute: a sync asked for right after the first one is refused, nothing started.
    sync = f"/v1/stores/{manual['id']}/sync"
    problem = await svc.api.call("POST", sync, expect=429)
    assert problem["type"] == "urn:portside:problem:sync-too-soon" and "Leroy Merlin" in problem["detail"]
    await a_minute_passes(svc, manual["id"])
    await svc.api.call("POST", sync, expect=202)

    async def revealed() -> Any:
        found = await svc.api.call("GET", f"/v1/orders/{order['id']}", expect=200)
        return found["shipping_address"] is not None and found

    found = await svc.wait_for(revealed)
    assert found["status"] == "awaiting_shipment" and found["shipping_address"]["city"]
    stats = await svc.sandbox_stats(svc.boxes.mirakl)
    assert stats["received"]["orders.accept"] == {order["channel_order_id"]: 1}

    # The scheduler polls each store no sooner than its own marketplace allows.
    bundle = svc.app.channels.bundle_for(await svc.app.store(auto["id"]))
    assert bundle.capabilities.min_poll_interval_s == SLOW_POLL_S and not bundle.capabilities.acceptance
    for store, gap in ((auto, SLOW_POLL_S), (manual, manual["sync_interval_s"])):
        reports = (await svc.api.call("GET", f"/v1/stores/{store['id']}/syncs", expect=200))["items"]
        finished = datetime.fromisoformat(reports[0]["finished_at"].replace("Z", "+00:00"))
        assert await svc.next_run_at(store["id"]) - finished >= timedelta(seconds=gap - 1), store["name"]
