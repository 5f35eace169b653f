"""Contract: import bookkeeping (cursors, quarantine, reports) and store sync leases."""

from __future__ import annotations

import asyncio

import msgspec

from portside.core.model import QuarantinedPayload, SyncCursor, SyncReport
from portside.core.ports import UnitOfWorkFactory

from ._support import at, committed, new_id, read


class CursorContract:
    async def test_set_then_get_per_store(self, uow_factory: UnitOfWorkFactory) -> None:
        assert await read(uow_factory, lambda u: u.cursors.get("s1")) is None
        await committed(uow_factory, lambda u: u.cursors.set(SyncCursor(store_id="s1", updated_at=at(1))))
        await committed(uow_factory, lambda u: u.cursors.set(SyncCursor(store_id="s2", updated_at=at(7))))
        await committed(uow_factory, lambda u: u.cursors.set(SyncCursor(store_id="s1", updated_at=at(3))))
        assert await read(uow_factory, lambda u: u.cursors.get("s1")) == SyncCursor(store_id="s1", updated_at=at(3))
        assert await read(uow_factory, lambda u: u.cursors.get("s2")) == SyncCursor(store_id="s2", updated_at=at(7))


def _payload(store_id: str, minute: int) -> QuarantinedPayload:
    return QuarantinedPayload(
        id=new_id(),
        store_id=store_id,
        channel_order_id=f"CD-{minute}",
        raw=b'{"orderId": "CD", "bad": \xff}',
        error="lines[0].quantity: expected int",
        received_at=at(minute),
        sync_id="sync-1",
    )


class QuarantineContract:
    async def test_finds_a_stores_payloads_newest_first(self, uow_factory: UnitOfWorkFactory) -> None:
        old, new, other = _payload("s1", 1), _payload("s1", 5), _payload("s2", 3)
        async with uow_factory() as uow:
            for payload in (old, new, other):
                await uow.quarantine.add(payload)
            await uow.commit()
        assert await read(uow_factory, lambda u: u.quarantine.find("s1")) == [new, old]
        assert await read(uow_factory, lambda u: u.quarantine.find("s1", limit=1)) == [new]
        assert await read(uow_factory, lambda u: u.quarantine.find("s3")) == []


def _report(store_id: str, minute: int) -> SyncReport:
    return SyncReport(id=f"{store_id}-r{minute}", store_id=store_id, started_at=at(minute))


class SyncReportContract:
    async def test_save_upserts_and_find_lists_newest_first(self, uow_factory: UnitOfWorkFactory) -> None:
        running = _report("s1", 1)
        async with uow_factory() as uow:
            for report in (running, _report("s1", 2), _report("s2", 3)):
                await uow.sync_reports.save(report)
            await uow.commit()
        finished = msgspec.structs.replace(
            running,
            finished_at=at(4),
            fetched=12,
            new=10,
            unchanged=2,
            unmapped_statuses={"Weird": 1},
            outcome="completed",
        )
        await committed(uow_factory, lambda u: u.sync_reports.save(finished))
        assert await read(uow_factory, lambda u: u.sync_reports.find("s1")) == [_report("s1", 2), finished]
        assert await read(uow_factory, lambda u: u.sync_reports.find("s1", limit=1)) == [_report("s1", 2)]


class SyncLeaseContract:
    async def test_acquire_is_exclusive_until_the_lease_expires(self, uow_factory: UnitOfWorkFactory) -> None:
        async def acquire(owner: str, minute: float) -> bool:
            return await committed(
                uow_factory, lambda u: u.sync_leases.acquire("s1", owner=owner, now=at(minute), ttl_s=60)
            )

        assert await acquire("a", 0)
        assert not await acquire("b", 0.5)
        assert await acquire("a", 0.5)  # the holder may re-acquire (it extends the lease to 1.5)
        assert not await acquire("b", 1.2)
        assert await acquire("b", 2)  # expired: free for anyone

    async def test_renew_only_by_the_holder(self, uow_factory: UnitOfWorkFactory) -> None:
        async def renew(owner: str, minute: float) -> bool:
            return await committed(
                uow_factory, lambda u: u.sync_leases.renew("s1", owner=owner, now=at(minute), ttl_s=60)
            )

        assert not await renew("a", 0)  # nobody holds it yet
        await committed(uow_factory, lambda u: u.sync_leases.acquire("s1", owner="a", now=at(0), ttl_s=60))
        assert not await renew("b", 0.5)
        assert await renew("a", 0.9)  # now held until 1.9
        assert not await committed(uow_factory, lambda u: u.sync_leases.acquire("s1", owner="b", now=at(1.5), ttl_s=60))
        assert await committed(uow_factory, lambda u: u.sync_leases.acquire("s1", owner="b", now=at(3), ttl_s=60))
        assert not await renew("a", 3.1)  # lost to b

    async def test_release_frees_and_schedules(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.sync_leases.acquire("s1", owner="a", now=at(0), ttl_s=600))
        await committed(uow_factory, lambda u: u.sync_leases.release("s1", owner="b", next_run_at=at(1)))
        assert not await committed(uow_factory, lambda u: u.sync_leases.acquire("s1", owner="b", now=at(1), ttl_s=60))
        await committed(uow_factory, lambda u: u.sync_leases.release("s1", owner="a", next_run_at=at(15)))
        assert await self._due(uow_factory, "x", 14) == []
        assert await self._due(uow_factory, "x", 15) == ["s1"]
        # Released without a next run: the schedule stays as it was.
        await committed(uow_factory, lambda u: u.sync_leases.release("s1", owner="x"))
        assert await self._due(uow_factory, "y", 16) == ["s1"]

    async def test_claim_due_hands_out_due_free_stores_in_schedule_order(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            for store_id, minute in (("late", 4), ("early", 1), ("future", 60), ("held", 0)):
                await uow.sync_leases.schedule(store_id, at(minute))
            await uow.sync_leases.acquire("held", owner="other", now=at(5), ttl_s=600)
            await uow.sync_leases.acquire("never-scheduled", owner="other", now=at(0), ttl_s=1)
            await uow.commit()
        assert await self._due(uow_factory, "me", 10, limit=1) == ["early"]
        assert await self._due(uow_factory, "me", 10) == ["late"]
        assert await self._due(uow_factory, "you", 10) == []  # both leased to "me" now
        assert await self._due(uow_factory, "you", 20) == ["held", "early", "late"]  # every lease expired

    async def test_schedule_moves_the_next_run(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.sync_leases.schedule("s1", at(5)))
        await committed(uow_factory, lambda u: u.sync_leases.schedule("s1", at(30)))
        assert await self._due(uow_factory, "me", 10) == []
        assert await self._due(uow_factory, "me", 30) == ["s1"]

    async def test_concurrent_claimers_never_share_a_store(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            for n in range(12):
                await uow.sync_leases.schedule(f"s{n:02d}", at(0, seconds=n))
            await uow.commit()
        batches = await asyncio.gather(*(self._due(uow_factory, f"worker-{n}", 1, limit=5) for n in range(4)))
        claimed = [store_id for batch in batches for store_id in batch]
        assert len(claimed) == len(set(claimed)) == 12

    @staticmethod
    async def _due(uow_factory: UnitOfWorkFactory, owner: str, minute: float, limit: int = 10) -> list[str]:
        return await committed(
            uow_factory, lambda u: u.sync_leases.claim_due(owner=owner, now=at(minute), ttl_s=60, limit=limit)
        )
