"""import_orders: the sync algorithm of design §4, on in-memory storage and a fake marketplace."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec
import pytest

from portside.adapters.memory import MemoryStorage
from portside.core.errors import ChannelUnavailable, SyncAlreadyRunning, SyncLeaseLost
from portside.core.model import OrderFlag, OrderStatus, Product, Store, SyncCursor, Weight
from portside.core.ports import OrderPage, OrderQuery
from portside.core.services import ImportSettings, import_orders, set_status_mapping
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FAKE_STATUSES, FakeChannel
from portside.testing.orders import generate_orders, make_order


async def sync(store: Store, channel: FakeChannel, storage: MemoryStorage, clock: FixedClock, **kw: object):
    return await import_orders(
        store,
        source=channel,
        uow=storage,
        clock=clock,
        status_defaults=FAKE_STATUSES,
        owner=str(kw.pop("owner", "worker-1")),
        **kw,  # type: ignore[arg-type]
    )


async def stored(storage: MemoryStorage, store: Store):
    async with storage() as u:
        return await u.orders.find(OrderQuery(store_ids=(store.id,), limit=10_000))


async def test_first_sync_imports_every_order_within_the_look_back(store, channel, market, storage, clock) -> None:
    recent = generate_orders(store.id, 25, start=clock.now() - timedelta(days=3))
    too_old = make_order(store.id, "OLD", updated_at=clock.now() - timedelta(days=45))
    market.put(*recent, too_old)

    report = await sync(store, channel, storage, clock)

    assert report.outcome == "completed"
    assert (report.fetched, report.new, report.updated, report.unchanged) == (25, 25, 0, 0)
    assert report.pages == 3  # 10 + 10 + 5
    assert {r.order.channel_order_id for r in await stored(storage, store)} == {o.channel_order_id for o in recent}
    async with storage() as u:
        cursor = await u.cursors.get(store.id)
    assert cursor is not None and cursor.updated_at == max(o.updated_at for o in recent)


async def test_unchanged_orders_are_not_rewritten(store, channel, market, storage, clock) -> None:
    market.put(*generate_orders(store.id, 12, start=clock.now() - timedelta(minutes=30)))
    await sync(store, channel, storage, clock)
    before = {r.order.id: r.modified_at for r in await stored(storage, store)}
    clock.advance(minutes=15)

    report = await sync(store, channel, storage, clock)

    assert (report.new, report.updated, report.unchanged) == (0, 0, 12)
    assert {r.order.id: r.modified_at for r in await stored(storage, store)} == before


async def test_an_order_seen_again_across_the_overlap_is_stored_once(store, channel, market, storage, clock) -> None:
    order = make_order(store.id, "A1", updated_at=clock.now() - timedelta(minutes=10))
    market.put(order)
    await sync(store, channel, storage, clock)
    market.update("A1", channel_status="Shipped", updated_at=clock.now() - timedelta(minutes=5))
    clock.advance(minutes=1)

    report = await sync(store, channel, storage, clock)

    assert report.updated == 1
    records = await stored(storage, store)
    assert len(records) == 1 and records[0].order.status == OrderStatus.shipped
    async with storage() as u:
        kinds = [a.kind for a in await u.activity.list_for_order(order.id)]
    assert kinds == ["created", "status_changed"]


async def test_a_crash_between_pages_loses_nothing_and_the_rerun_imports_each_order_once(
    store, channel, market, storage, clock
) -> None:
    orders = generate_orders(store.id, 35, start=clock.now() - timedelta(days=1))
    market.put(*orders)
    market.faults.fail_pages = {3}

    with pytest.raises(ChannelUnavailable):
        await sync(store, channel, storage, clock)
    async with storage() as u:
        assert await u.cursors.get(store.id) is None  # not advanced by a failed sync
        failed = (await u.sync_reports.find(store.id))[0]
    assert failed.outcome == "failed" and "page 3" in (failed.error or "")
    assert len(await stored(storage, store)) == 20  # the two committed pages are kept

    clock.advance(minutes=1)
    report = await sync(store, channel, storage, clock)

    assert (report.new, report.unchanged) == (15, 20)
    records = await stored(storage, store)
    assert sorted(r.order.channel_order_id for r in records) == sorted(o.channel_order_id for o in orders)


async def test_cancellation_from_the_channel_wins_and_stays(store, channel, market, storage, clock) -> None:
    market.put(make_order(store.id, "C1", updated_at=clock.now() - timedelta(minutes=20)))
    await sync(store, channel, storage, clock)
    market.update("C1", channel_status="Cancelled", updated_at=clock.now() - timedelta(minutes=10))
    await sync(store, channel, storage, clock)
    # A late, stale view of the order (e.g. a replica behind) must not revive it.
    market.update("C1", channel_status="ReadyToShip", updated_at=clock.now() - timedelta(minutes=15))
    clock.advance(minutes=1)
    await sync(store, channel, storage, clock)
    # Even a newer payload in a live status does not revive a cancellation.
    market.update("C1", channel_status="ReadyToShip", updated_at=clock.now())
    clock.advance(minutes=1)
    await sync(store, channel, storage, clock)

    (record,) = await stored(storage, store)
    assert record.order.status == OrderStatus.cancelled
    async with storage() as u:
        kinds = [a.kind for a in await u.activity.list_for_order(record.order.id)]
    assert kinds.count("cancelled") == 1


async def test_a_local_shipped_is_not_undone_by_a_channel_that_has_not_caught_up(
    store, channel, market, storage, clock
) -> None:
    market.put(make_order(store.id, "S1", updated_at=clock.now() - timedelta(minutes=20)))
    await sync(store, channel, storage, clock)
    (record,) = await stored(storage, store)
    async with storage() as u:
        shipped = msgspec.structs.replace(record.order, status=OrderStatus.shipped)
        await u.orders.save_many([msgspec.structs.replace(record, order=shipped)])
        await u.commit()
    market.update("S1", customer_notes="please knock", updated_at=clock.now() - timedelta(minutes=2))
    clock.advance(minutes=1)

    await sync(store, channel, storage, clock)

    (record,) = await stored(storage, store)
    assert record.order.status == OrderStatus.shipped
    assert record.order.customer_notes == "please knock"


async def test_unknown_channel_status_is_kept_on_hold_and_reported(store, channel, market, storage, clock) -> None:
    market.put(make_order(store.id, "U1", status="BlockedForReview", updated_at=clock.now() - timedelta(hours=1)))

    report = await sync(store, channel, storage, clock)

    (record,) = await stored(storage, store)
    assert record.order.status == OrderStatus.on_hold
    assert OrderFlag.unmapped_status in record.order.flags
    assert report.unmapped_statuses == {"BlockedForReview": 1}


async def test_store_overrides_beat_channel_defaults(storage, channel, market, clock, store) -> None:
    store = msgspec.structs.replace(store, status_overrides={"ReadyToShip": OrderStatus.on_hold})
    async with storage() as u:
        await u.stores.update(store)
        await u.commit()
    market.put(make_order(store.id, "O1", updated_at=clock.now() - timedelta(hours=1)))
    await sync(store, channel, storage, clock)
    (record,) = await stored(storage, store)
    assert record.order.status == OrderStatus.on_hold
    assert OrderFlag.unmapped_status not in record.order.flags


async def test_malformed_payloads_are_quarantined_and_the_rest_go_on(store, channel, market, storage, clock) -> None:
    market.put(*generate_orders(store.id, 5, start=clock.now() - timedelta(hours=2)))
    market.malformed["BAD1"] = clock.now() - timedelta(hours=1)
    market.no_seller_lines["FBC1"] = clock.now() - timedelta(minutes=50)

    report = await sync(store, channel, storage, clock)

    assert (report.new, report.quarantined, report.skipped, report.fetched) == (5, 1, 1, 7)
    async with storage() as u:
        (bad,) = await u.quarantine.find(store.id)
        cursor = await u.cursors.get(store.id)
    assert bad.channel_order_id == "BAD1" and b"BAD1" in bad.raw and "lines" in bad.error
    # The cursor covers the quarantined payload too: it was received, and is kept for inspection.
    assert cursor is not None and cursor.updated_at == clock.now() - timedelta(minutes=50)

    clock.advance(minutes=15)  # the overlap reads the same bad payload again: it is kept once
    again = await sync(store, channel, storage, clock)
    async with storage() as u:
        kept = await u.quarantine.find(store.id)
    assert again.quarantined == 1 and [k.id for k in kept] == [bad.id]


async def test_catalog_fills_what_the_channel_left_out(store, channel, market, storage, clock) -> None:
    order = make_order(store.id, "K1", lines=2, skus=("MUG", "LAMP"), updated_at=clock.now() - timedelta(hours=1))
    market.put(order)
    async with storage() as u:
        await u.catalog.upsert_many(
            store.account_id,
            [
                Product(
                    sku="MUG", weight=Weight(grams=350), image_url="https://img.example/mug.jpg", stock_location="A-1"
                ),
                Product(sku="LAMP", weight=Weight(grams=1200)),
            ],
        )
        await u.commit()

    await sync(store, channel, storage, clock)

    (record,) = await stored(storage, store)
    mug, lamp = record.order.lines
    assert mug.weight == Weight(grams=350) and mug.image_url.endswith("mug.jpg") and mug.stock_location == "A-1"
    assert lamp.weight == Weight(grams=1200)
    assert mug.options == order.lines[0].options  # the channel's options are kept
    assert record.order.total_weight == Weight(grams=350 * mug.quantity + 1200 * lamp.quantity)
    assert OrderFlag.unknown_sku not in record.order.flags


async def test_two_concurrent_syncs_of_one_store_never_both_run(store, market, storage, clock) -> None:
    market.put(*generate_orders(store.id, 30, start=clock.now() - timedelta(hours=1)))
    started = asyncio.Event()
    release = asyncio.Event()

    class SlowChannel(FakeChannel):
        async def pages(self, updated_since, *, known=None):  # type: ignore[override]
            async for page in super().pages(updated_since, known=known):
                started.set()
                await release.wait()
                yield page

    first = asyncio.create_task(sync(store, SlowChannel(market, page_size=10), storage, clock, owner="a"))
    await started.wait()
    with pytest.raises(SyncAlreadyRunning):
        await sync(store, FakeChannel(market), storage, clock, owner="b")
    release.set()
    report = await first
    assert report.new == 30
    # Once released, the next sync may run.
    clock.advance(minutes=1)
    assert (await sync(store, FakeChannel(market), storage, clock, owner="b")).unchanged == 30


async def test_a_dead_workers_lease_lapses(store, market, storage, clock) -> None:
    async with storage() as u:
        assert await u.sync_leases.acquire(store.id, owner="dead", now=clock.now(), ttl_s=600)
        await u.commit()
    with pytest.raises(SyncAlreadyRunning):
        await sync(store, FakeChannel(market), storage, clock)
    clock.advance(seconds=601)
    assert (await sync(store, FakeChannel(market), storage, clock)).outcome == "completed"


async def test_an_order_updated_while_paging_is_stored_with_its_latest_state(store, market, storage, clock) -> None:
    orders = generate_orders(store.id, 30, start=clock.now() - timedelta(hours=1))
    market.put(*orders)
    moved = orders[2].channel_order_id

    class UpdatingChannel(FakeChannel):
        async def pages(self, updated_since, *, known=None):  # type: ignore[override]
            number = 0
            async for page in super().pages(updated_since, known=known):
                number += 1
                if number == 1:  # the buyer cancels between our page 1 and page 2
                    market.update(moved, channel_status="Cancelled", updated_at=clock.now() - timedelta(seconds=1))
                yield page

    first = await sync(store, UpdatingChannel(market, page_size=10), storage, clock)
    # Offset paging shifted every later order one place left: the one at the page boundary was
    # not on any page this time. The moved order's new updatedAt is within the cursor, so the
    # overlap of the next sync re-reads the boundary order.
    assert first.new == 29
    clock.advance(minutes=15)
    second = await sync(store, FakeChannel(market, page_size=10), storage, clock)

    records = {r.order.channel_order_id: r.order for r in await stored(storage, store)}
    assert len(records) == 30 and second.new == 1
    assert records[moved].status == OrderStatus.cancelled


async def test_internal_notes_survive_imports(store, channel, market, storage, clock) -> None:
    market.put(make_order(store.id, "N1", updated_at=clock.now() - timedelta(minutes=30)))
    await sync(store, channel, storage, clock)
    (record,) = await stored(storage, store)
    async with storage() as u:
        noted = msgspec.structs.replace(record.order, internal_notes="fragile: double box")
        await u.orders.save_many([msgspec.structs.replace(record, order=noted)])
        await u.commit()
    market.update("N1", channel_status="Delivered", updated_at=clock.now() - timedelta(minutes=1))
    await sync(store, channel, storage, clock)
    (record,) = await stored(storage, store)
    assert record.order.internal_notes == "fragile: double box"
    assert record.order.status == OrderStatus.delivered


async def test_progress_is_reported_per_page(store, channel, market, storage, clock) -> None:
    market.put(*generate_orders(store.id, 21, start=clock.now() - timedelta(hours=1)))
    seen = []
    await sync(store, channel, storage, clock, progress=seen.append, settings=ImportSettings(batch_orders=1))
    assert [(p.pages, p.fetched) for p in seen] == [(1, 10), (2, 20), (3, 21)]


async def test_pages_are_written_in_batches_and_counted_as_pages(store, channel, market, storage, clock) -> None:
    market.put(*generate_orders(store.id, 45, start=clock.now() - timedelta(hours=1)))  # pages of 10
    seen = []
    settings = ImportSettings(batch_orders=20)
    report = await sync(store, channel, storage, clock, progress=seen.append, settings=settings)
    assert [(p.pages, p.fetched, p.new) for p in seen] == [(2, 20, 20), (4, 40, 40), (5, 45, 45)]
    assert (report.pages, report.new) == (5, 45)
    async with storage() as u:
        assert await u.orders.count(store.id) == 45


async def test_sync_settings_control_overlap_and_look_back(store, channel, market, storage, clock) -> None:
    market.put(make_order(store.id, "L1", updated_at=clock.now() - timedelta(days=6)))
    settings = ImportSettings(look_back=timedelta(days=5))
    assert (await sync(store, channel, storage, clock, settings=settings)).new == 0
    async with storage() as u:
        cursor = await u.cursors.get(store.id)
    assert cursor is None  # nothing seen, nothing to remember


async def test_a_sync_that_lost_its_lease_stops_without_moving_the_cursor(store, market, storage, clock) -> None:
    market.put(*generate_orders(store.id, 30, start=clock.now() - timedelta(hours=1)))

    async def stored_count() -> int:
        async with storage() as u:
            return await u.orders.count(store.id)

    class StalledChannel(FakeChannel):
        async def pages(self, updated_since, *, known=None):  # type: ignore[override]
            number = 0
            async for page in super().pages(updated_since, known=known):
                number += 1
                if number == 2:  # this worker stalls past its lease and another takes the store
                    while not await stored_count():  # once page 1, written in the background, is in
                        await asyncio.sleep(0)
                    clock.advance(seconds=601)
                    async with storage() as u:
                        assert await u.sync_leases.acquire(store.id, owner="other", now=clock.now(), ttl_s=600)
                        await u.commit()
                yield page

    with pytest.raises(SyncLeaseLost):
        # Each page its own write, so that page 1 is written while page 2 stalls.
        await sync(store, StalledChannel(market, page_size=10), storage, clock, settings=ImportSettings(batch_orders=1))
    async with storage() as u:
        assert await u.cursors.get(store.id) is None
        assert await u.orders.count(store.id) == 10  # page 1 only; page 2 was not written


async def test_an_acceptance_overdue_flag_survives_imports_while_the_order_waits(
    store, channel, market, storage, clock
) -> None:
    waiting = make_order(
        store.id,
        "W1",
        status="WaitingAcceptance",
        core_status=OrderStatus.awaiting_acceptance,
        updated_at=clock.now() - timedelta(hours=1),
    )
    market.put(waiting)
    await sync(store, channel, storage, clock)
    (record,) = await stored(storage, store)
    async with storage() as u:
        flagged = record.order.with_flags(add=(OrderFlag.acceptance_overdue,))
        await u.orders.save_many([msgspec.structs.replace(record, order=flagged)])
        await u.commit()
    market.update("W1", customer_notes="call me", updated_at=clock.now() - timedelta(minutes=5))
    clock.advance(minutes=1)
    await sync(store, channel, storage, clock)
    (record,) = await stored(storage, store)
    assert OrderFlag.acceptance_overdue in record.order.flags
    market.update("W1", channel_status="ReadyToShip", updated_at=clock.now())
    clock.advance(minutes=1)
    await sync(store, channel, storage, clock)
    (record,) = await stored(storage, store)
    assert OrderFlag.acceptance_overdue not in record.order.flags  # accepted: no longer overdue


class FingerprintingChannel(FakeChannel):
    """A channel that fingerprints orders before mapping them, as a real one does with wire bytes."""

    mapped = 0
    version = b""  # part of every print: a new one (a new mapping version) changes them all

    async def pages(self, updated_since, *, known=None):  # type: ignore[override]
        import hashlib

        async for page in super().pages(updated_since):
            prints = {
                o.channel_order_id: self.version
                + hashlib.sha256(o.channel_status.encode() + o.updated_at.isoformat().encode()).digest()
                for o in page.orders
            }
            same = await known.unchanged(prints) if known is not None else set()
            fresh = [o for o in page.orders if o.channel_order_id not in same]
            self.mapped += len(fresh)
            yield msgspec.structs.replace(
                page,
                orders=fresh,
                unchanged=sorted(same),
                fingerprints={o.channel_order_id: prints[o.channel_order_id] for o in fresh},
            )


async def test_orders_a_channel_fingerprints_as_unchanged_are_not_even_mapped(store, market, storage, clock) -> None:
    market.put(*generate_orders(store.id, 25, start=clock.now() - timedelta(hours=1)))
    channel = FingerprintingChannel(market, page_size=10)
    first = await sync(store, channel, storage, clock)
    assert (first.new, channel.mapped) == (25, 25)

    changed = next(iter(market.orders))
    market.update(changed, channel_status="Shipped", updated_at=clock.now())
    clock.advance(minutes=15)
    async with storage() as u:
        await u.cursors.set(SyncCursor(store_id=store.id, updated_at=clock.now() - timedelta(days=2)))
        await u.commit()
    second = await sync(store, channel, storage, clock)

    assert (second.fetched, second.unchanged, second.updated, channel.mapped) == (25, 24, 1, 26)
    async with storage() as u:
        record = (await u.orders.get_by_channel_ids(store.id, [changed]))[changed]
    assert record.order.status == OrderStatus.shipped


class ReprintingChannel(FingerprintingChannel):
    """The same orders, fingerprinted another way (a new mapping version, another hash)."""

    version = b"v2"


async def test_a_new_fingerprint_for_the_same_order_is_kept_quietly(store, market, storage, clock) -> None:
    market.put(*generate_orders(store.id, 5, start=clock.now() - timedelta(hours=1)))
    await sync(store, FingerprintingChannel(market, page_size=10), storage, clock)
    before = {r.order.channel_order_id: r for r in await stored(storage, store)}
    async with storage() as u:
        logged = len(await u.activity.list_for_order(next(iter(before.values())).order.id))
        await u.cursors.set(SyncCursor(store_id=store.id, updated_at=clock.now() - timedelta(days=2)))
        await u.commit()
    clock.advance(minutes=15)

    again = await sync(store, ReprintingChannel(market, page_size=10), storage, clock)

    assert (again.fetched, again.updated, again.unchanged) == (5, 0, 5)  # no phantom update
    after = {r.order.channel_order_id: r for r in await stored(storage, store)}
    for cid, record in after.items():
        assert record.order == before[cid].order and record.modified_at == before[cid].modified_at
        assert record.content_hash == b"v2" + before[cid].content_hash  # the new print, kept
    async with storage() as u:
        assert len(await u.activity.list_for_order(next(iter(before.values())).order.id)) == logged
    third = await sync(store, ReprintingChannel(market, page_size=10), storage, clock)
    assert (third.unchanged, third.updated) == (5, 0)


async def test_an_order_mapped_with_an_id_its_store_does_not_derive_fails_the_sync(
    store, channel, market, storage, clock
) -> None:
    # Storage finds a store's orders by the id derived from their channel ids: this one would be
    # taken for a new order at every sync.
    good, bad = generate_orders(store.id, 2, start=clock.now() - timedelta(hours=1))
    market.put(good, msgspec.structs.replace(bad, id="6f1c1b8e-0000-4000-8000-000000000000"))

    with pytest.raises(ValueError, match=rf"mapped order {bad.channel_order_id} with id 6f1c1b8e.*order_id_for"):
        await sync(store, channel, storage, clock)

    async with storage() as u:
        assert await u.orders.count(store.id) == 0  # the batch holding it: nothing stored
        assert await u.cursors.get(store.id) is None
        (report,) = await u.sync_reports.find(store.id)
    assert report.outcome == "failed" and "order_id_for" in (report.error or "")


async def test_a_mapping_changed_during_a_sync_is_the_one_the_rest_of_the_sync_writes(
    store, market, storage, clock
) -> None:
    market.put(*generate_orders(store.id, 20, start=clock.now() - timedelta(hours=1)))  # ReadyToShip

    class RemappedAfterPage1(FakeChannel):
        async def pages(self, updated_since, *, known=None):  # type: ignore[override]
            number = 0
            async for page in super().pages(updated_since, known=known):
                number += 1
                if number == 2:  # page 1 is stored; the seller maps ReadyToShip to on_hold
                    while not await stored_count(storage, store):
                        await asyncio.sleep(0)
                    await set_status_mapping(
                        store.id, {"ReadyToShip": OrderStatus.on_hold}, uow=storage, clock=clock, defaults=FAKE_STATUSES
                    )
                yield page

    settings = ImportSettings(batch_orders=1)  # page 2 prepared under the old mapping, written after the change
    assert (await sync(store, RemappedAfterPage1(market, page_size=10), storage, clock, settings=settings)).new == 20
    async with storage() as u:
        statuses = {r.order.status for r in await u.orders.find(OrderQuery(store_ids=(store.id,), limit=50))}
    assert statuses == {OrderStatus.on_hold}


async def stored_count(storage: MemoryStorage, store: Store) -> int:
    async with storage() as u:
        return await u.orders.count(store.id)


async def test_an_order_seen_twice_in_one_batch_is_written_once_and_the_counts_add_up(
    store, market, storage, clock
) -> None:
    first = make_order(store.id, "A", updated_at=clock.now() - timedelta(hours=2))
    later = make_order(store.id, "A", status="Shipped", core_status=OrderStatus.shipped, updated_at=clock.now())
    other = make_order(store.id, "B", updated_at=clock.now() - timedelta(hours=1))

    class UpdatedWhilePaging(FakeChannel):
        async def pages(self, updated_since, *, known=None):  # type: ignore[override]
            yield OrderPage(orders=[first, other], max_updated_at=other.updated_at)
            yield OrderPage(orders=[later], max_updated_at=later.updated_at)

    report = await sync(store, UpdatedWhilePaging(market), storage, clock)

    assert (report.pages, report.fetched, report.new, report.updated, report.unchanged) == (2, 3, 2, 0, 1)
    async with storage() as u:
        stored = await u.orders.get(later.id)
    assert stored.order.status == OrderStatus.shipped  # the latest view
