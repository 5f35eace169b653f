"""Stores over the API: connect (credentials proven first), change, deactivate, status mapping, syncs."""

from __future__ import annotations

import asyncio

from portside.core.model import SyncReport
from portside.entrypoints.application import Portside
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.orders import make_order

from .support import FAKE_SECRET, Tenant, connect_store, import_orders


async def stored_stores(portside: Portside) -> list[str]:
    async with portside.uow() as u:
        return [s.id for s in await u.stores.find()]


async def test_connect_a_store_with_good_credentials(alice: Tenant, portside: Portside, clock: FixedClock) -> None:
    store = await connect_store(alice, sync_interval_s=600, acceptance_policy="auto_known_skus")
    assert store["channel"] == "fake" and store["active"] is True
    assert store["sync_interval_s"] == 600 and store["acceptance_policy"] == "auto_known_skus"
    assert "credentials" not in store
    async with portside.uow() as u:
        saved = await u.stores.get(store["id"])
        due = await u.sync_leases.claim_due(owner="t", now=clock.now(), ttl_s=60, limit=10)
    assert saved is not None and saved.credentials == {"secret": FAKE_SECRET} and saved.account_id == alice.account_id
    assert due == [store["id"]]  # its first sync is due now

    listed = await alice.api.get("/v1/stores")
    assert [s["id"] for s in listed.json["items"]] == [store["id"]]
    one = await alice.api.get(f"/v1/stores/{store['id']}")
    assert one.json == store


async def test_bad_credentials_are_refused_with_the_channel_reason(alice: Tenant, portside: Portside) -> None:
    body = {"channel": "fake", "name": "Boutique", "credentials": {"secret": "wrong-secret-123"}}
    problem = (await alice.api.post("/v1/stores", json=body)).problem(422)
    assert "rejected the client secret" in problem["errors"]["credentials"]
    assert "wrong-secret-123" not in problem["detail"]
    assert await stored_stores(portside) == []


async def test_unknown_channel_lists_the_installed_ones(alice: Tenant, portside: Portside) -> None:
    body = {"channel": "amazon", "name": "Boutique", "credentials": {}}
    problem = (await alice.api.post("/v1/stores", json=body)).problem(422)
    assert problem["errors"] == {"channel": "one of: fake"}
    assert await stored_stores(portside) == []


async def test_credentials_of_the_wrong_shape_name_the_fields_never_the_values(
    alice: Tenant, portside: Portside
) -> None:
    body = {"channel": "fake", "name": "B", "credentials": {"secret": 12345, "extra": "s3cr3t-value"}}
    problem = (await alice.api.post("/v1/stores", json=body)).problem(422)
    assert "credentials.secret" in problem["errors"]
    assert "12345" not in str(problem) and "s3cr3t-value" not in str(problem)
    missing = (await alice.api.post("/v1/stores", json={**body, "credentials": {}})).problem(422)
    assert missing["errors"] == {"credentials.secret": "required"}
    settings = (
        await alice.api.post(
            "/v1/stores", json={**body, "credentials": {"secret": "x"}, "settings": {"page_size": "big"}}
        )
    ).problem(422)
    assert "settings.page_size" in settings["errors"]
    assert await stored_stores(portside) == []


async def test_patch_changes_fields_and_checks_new_credentials_first(alice: Tenant, portside: Portside) -> None:
    store = await connect_store(alice)
    url = f"/v1/stores/{store['id']}"
    renamed = await alice.api.patch(url, json={"name": "Renamed", "settings": {"page_size": 5}, "sync_interval_s": 120})
    assert renamed.status == 200
    assert renamed.json["name"] == "Renamed" and renamed.json["settings"] == {"page_size": 5}
    refused = (await alice.api.patch(url, json={"credentials": {"secret": "nope-nope"}})).problem(422)
    assert "credentials" in refused["errors"]
    async with portside.uow() as u:
        saved = await u.stores.get(store["id"])
    assert saved is not None and saved.credentials == {"secret": FAKE_SECRET} and saved.name == "Renamed"
    bad = (await alice.api.patch(url, json={"sync_interval_s": 5, "colour": "red"})).problem(422)
    assert set(bad["errors"]) == {"sync_interval_s", "colour"}


async def test_delete_deactivates_and_keeps_history_and_reactivation_resyncs(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin, clock: FixedClock
) -> None:
    store = await connect_store(alice)
    await import_orders(portside, plugin, store["id"], [make_order(store["id"], "A1")])
    gone = await alice.api.delete(f"/v1/stores/{store['id']}")
    assert gone.status == 200 and gone.json["active"] is False
    assert len((await alice.api.get("/v1/orders")).json["items"]) == 1  # history kept
    (await alice.api.post(f"/v1/stores/{store['id']}/sync")).problem(409)
    async with portside.uow() as u:
        await u.sync_leases.claim_due(owner="t", now=clock.now(), ttl_s=1, limit=10)  # drain the first run
        await u.sync_leases.release(store["id"], owner="t")
        await u.commit()
    back = await alice.api.patch(f"/v1/stores/{store['id']}", json={"active": True})
    assert back.json["active"] is True
    clock.advance(seconds=2)
    async with portside.uow() as u:
        assert await u.sync_leases.claim_due(owner="t2", now=clock.now(), ttl_s=1, limit=10) == [store["id"]]


async def test_status_mapping_read_and_replaced_remaps_stored_orders(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    store = await connect_store(alice)
    await import_orders(portside, plugin, store["id"], [make_order(store["id"], "A1", status="Pending")])
    url = f"/v1/stores/{store['id']}/status-mapping"
    mapping = (await alice.api.get(url)).json
    assert mapping["effective"]["Pending"] == "awaiting_payment" and mapping["overrides"] == {}
    changed = await alice.api.put(url, json={"overrides": {"Pending": "on_hold"}})
    assert changed.json["orders_changed"] == 1 and changed.json["effective"]["Pending"] == "on_hold"
    order = (await alice.api.get("/v1/orders")).json["items"][0]
    assert order["status"] == "on_hold"
    bad = (await alice.api.put(url, json={"overrides": {"Pending": "teleported"}})).problem(422)
    assert "awaiting_shipment" in bad["errors"]["overrides.Pending"]  # the channel status whose value is wrong
    typo = (await alice.api.put(url, json={"overrides": {"Pendng": "on_hold"}})).problem(422)
    assert "Pendng" in typo["detail"] and "Pending" in typo["errors"]["overrides.Pendng"]  # the known ones
    assert (await alice.api.get(url)).json["overrides"] == {"Pending": "on_hold"}  # nothing changed
    # A status the channel does not list is accepted once an order carries it (the marketplace added it).
    await import_orders(portside, plugin, store["id"], [make_order(store["id"], "A2", status="Brand-new")])
    added = await alice.api.put(url, json={"overrides": {"Brand-new": "awaiting_shipment"}})
    assert added.json["effective"]["Brand-new"] == "awaiting_shipment"


async def test_sync_runs_in_the_background_and_reports(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin
) -> None:
    store = await connect_store(alice)
    plugin.market(store["id"]).put(make_order(store["id"], "A1"), make_order(store["id"], "A2"))
    plugin.market(store["id"]).malformed["BROKEN"] = make_order(store["id"], "A1").updated_at
    started = await alice.api.post(f"/v1/stores/{store['id']}/sync")
    assert started.status == 202 and started.json["status"] == "started"
    for _ in range(100):
        reports = (await alice.api.get(f"/v1/stores/{store['id']}/syncs")).json["items"]
        if reports and reports[0]["outcome"] != "running":
            break
        await asyncio.sleep(0.01)
    assert reports[0]["outcome"] == "completed" and reports[0]["new"] == 2 and reports[0]["quarantined"] == 1
    quarantine = (await alice.api.get(f"/v1/stores/{store['id']}/quarantine")).json["items"]
    assert quarantine[0]["channel_order_id"] == "BROKEN" and quarantine[0]["raw"]


async def test_a_second_sync_while_one_runs_is_a_conflict(alice: Tenant, portside: Portside, clock: FixedClock) -> None:
    store = await connect_store(alice)
    async with portside.uow() as u:
        assert await u.sync_leases.acquire(store["id"], owner="scheduler", now=clock.now(), ttl_s=600)
        await u.commit()
    problem = (await alice.api.post(f"/v1/stores/{store['id']}/sync")).problem(409)
    assert "already running" in problem["detail"]


async def finished_syncs(alice: Tenant, store_id: str) -> list[dict[str, object]]:
    """The store's sync reports once none is running (the background task ends within a few loop turns)."""
    for _ in range(200):
        reports: list[dict[str, object]] = (await alice.api.get(f"/v1/stores/{store_id}/syncs")).json["items"]
        if all(r["outcome"] != "running" for r in reports):
            return reports
        await asyncio.sleep(0.01)
    raise AssertionError(f"a sync of store {store_id} never finished: {reports}")


async def test_a_sync_sooner_than_the_channel_allows_is_refused_with_when_it_may_run(
    alice: Tenant, portside: Portside, plugin: FakeChannelPlugin, clock: FixedClock
) -> None:
    store = await connect_store(alice)
    url = f"/v1/stores/{store['id']}/sync"
    minimum = plugin.capabilities.min_poll_interval_s
    assert minimum == 60
    assert (await alice.api.post(url)).status == 202
    assert len(await finished_syncs(alice, store["id"])) == 1

    clock.advance(seconds=20)  # 20 s after the last sync started: 40 s to wait
    refused = await alice.api.post(url)
    problem = refused.problem(429)
    assert refused.headers["Retry-After"] == "40"
    assert problem["type"] == "urn:portside:problem:sync-too-soon"
    assert "at most one every 60 s" in problem["detail"] and "rate-limit" in problem["detail"]
    assert "2026-11-02T09:01:00Z" in problem["detail"] and "in 40 s" in problem["detail"]  # when it may run
    assert len(await finished_syncs(alice, store["id"])) == 1  # nothing started

    clock.advance(seconds=39)
    assert (await alice.api.post(url)).headers["Retry-After"] == "1"
    clock.advance(seconds=1)  # the minimum after the last start: allowed (the refusals took no lease)
    started = await alice.api.post(url)
    assert started.status == 202, started.body
    reports = await finished_syncs(alice, store["id"])
    assert [r["outcome"] for r in reports] == ["completed", "completed"]
    assert reports[0]["started_at"] == "2026-11-02T09:01:00Z"


async def test_a_sync_still_running_is_a_conflict_not_a_wait(
    alice: Tenant, portside: Portside, clock: FixedClock
) -> None:
    store = await connect_store(alice)
    async with portside.uow() as u:  # another process started a sync of the store a second ago
        running = SyncReport(id="elsewhere", store_id=store["id"], started_at=clock.now())
        await u.sync_reports.save(running)
        assert await u.sync_leases.acquire(store["id"], owner="scheduler", now=clock.now(), ttl_s=600)
        await u.commit()
    clock.advance(seconds=1)
    problem = (await alice.api.post(f"/v1/stores/{store['id']}/sync")).problem(409)
    assert "already running" in problem["detail"]
