"""``kill -9`` of worker processes mid-import and mid-relay, at random points, repeated; then a restart.

Nothing is lost or duplicated, every shipment reaches the marketplace exactly once (the sandbox counts
parcels and applied shipments per order), and a dead worker's leases come back only once they lapse.
The seed of the random kill points is in every failure message.
"""

from __future__ import annotations

import asyncio
import os
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portside.channels.cdiscount.sandbox import SandboxConfig, start_sandbox
from portside.core.services import ShipmentRequest

from .support import (
    RELAY_LEASE_S,
    SOAK,
    differences,
    fleet,
    imported_orders,
    lease_of,
    operator,
    reports,
    shippable,
    size,
    wait_for,
)

SEED = int(os.environ.get("RELIABILITY_SEED") or random.randrange(1 << 30))  # replay: RELIABILITY_SEED=…


async def test_kill_9_mid_import_loses_and_duplicates_nothing(env: dict[str, str], logs: Path) -> None:
    rng = random.Random(SEED)
    kills = size(3, 10)
    # Pages of 50 answering 80 ms late: a sync lasts seconds, long enough to be cut at a random page.
    sandbox = await start_sandbox(SandboxConfig(seed=SEED % 1000, orders=size(1500, 6000), token_cap_per_hour=100_000))
    sandbox.state.faults.update({"slow": {"probability": 1.0, "delay_s": 0.08, "only": ["orders.list"]}})
    try:
        async with operator(env) as op, fleet(env, logs) as procs:
            store = await op.connect(sandbox, "crash-import", page_size=50)
            dead_leases: list[tuple[datetime, datetime]] = []  # (killed at, the dead worker's lease end)
            for round_ in range(kills):
                # Due now, whether or not the last kill landed after its sync had finished.
                async with op.app.uow() as u:
                    await u.sync_leases.schedule(store.id, datetime.now(UTC))
                    await u.commit()
                worker = await procs.start("worker", name=f"w{round_}", env={"PORTSIDE_WORKER_ID": f"w{round_}"})

                async def holds_lease(name: str = f"w{round_}") -> bool:
                    lease = await lease_of(op.pool, store.id)
                    return bool(lease and lease["lease_owner"] and lease["lease_owner"].startswith(name + ":"))

                await wait_for(
                    holds_lease,
                    timeout=60,
                    what=f"worker w{round_} to start syncing (seed {SEED})",
                    diagnose=lambda: _diagnose(op, store.id, procs),
                )
                await asyncio.sleep(rng.uniform(0.1, 1.5))
                await worker.kill9()
                killed_at = datetime.now(UTC)
                dead = await lease_of(op.pool, store.id)
                # The marketplace moves on meanwhile: the restart must bring the latest state.
                _change_some_orders(sandbox, rng, 5)
                if dead["lease_owner"] and dead["lease_owner"].startswith(f"w{round_}:"):
                    dead_leases.append((killed_at, dead["lease_until"]))

            async with op.app.uow() as u:
                await u.sync_leases.schedule(store.id, datetime.now(UTC))
                await u.commit()
            final = await procs.start("worker", name="final", env={"PORTSIDE_WORKER_ID": "final"})
            expected = imported_orders(sandbox)

            async def converged() -> bool:
                done = [r for r in await reports(op.pool, store.id) if r.get("outcome") == "completed"]
                return bool(done) and not await differences(op.pool, store.id, expected)

            await wait_for(
                converged,
                timeout=120,
                what=f"the restarted worker to catch up (seed {SEED})",
                diagnose=lambda: _diagnose(op, store.id, procs, expected),
            )
            assert final.alive(), final.output()
            assert not await differences(op.pool, store.id, imported_orders(sandbox)), SEED
            cursor = await op.pool.fetchval(
                "SELECT updated_at FROM portside.sync_cursors WHERE store_id = $1", store.id
            )
            newest = max(o["updatedAt"] for o in sandbox.state.store.all())
            assert cursor == datetime.fromisoformat(newest.replace("Z", "+00:00")), SEED
            # Killed syncs left reports that never finished (proof the kills landed mid-import); the next
            # sync of the store closed each as interrupted, saying when and why: none stays running.
            all_reports = await reports(op.pool, store.id)
            interrupted = [r for r in all_reports if r.get("outcome") == "interrupted"]
            assert interrupted, f"no kill landed mid-sync (seed {SEED})"
            assert all(r.get("finished_at") and "stopped before it ended" in r["error"] for r in interrupted), SEED
            assert not [r for r in all_reports if r.get("outcome") == "running"], SEED
            # Nobody took a dead worker's lease before it lapsed.
            assert dead_leases, SEED
            for killed_at, lease_end in dead_leases:
                later = [_at(r["started_at"]) for r in all_reports if _at(r["started_at"]) > killed_at]
                assert all(started >= lease_end for started in later), (killed_at, lease_end, later, SEED)
            await final.stop()
            _assert_clean_logs(procs.output())
    finally:
        await sandbox.close()


async def test_kill_9_mid_relay_notifies_each_shipment_exactly_once(env: dict[str, str], logs: Path) -> None:
    rng = random.Random(SEED + 1)
    kills = size(4, 12)
    sandbox = await start_sandbox(
        SandboxConfig(seed=SEED % 1000 + 1, orders=size(400, 1500), token_cap_per_hour=100_000)
    )
    try:
        async with operator(env) as op, fleet(env, logs) as procs:
            store = await op.connect(sandbox, "crash-relay")
            report = await op.app.sync_store(store.id)
            assert report.outcome == "completed", report.error
            to_ship = shippable(sandbox)[: size(60, 250)]
            assert len(to_ship) >= size(40, 150), len(to_ship)
            ids = {
                r["channel_order_id"]: r["id"]
                for r in await op.pool.fetch(
                    "SELECT id::text, channel_order_id FROM portside.orders WHERE store_id = $1", store.id
                )
            }
            for n, wire in enumerate(to_ship):
                request = ShipmentRequest(carrier="colissimo", tracking_number=f"6A{SEED % 10**5:05d}{n:06d}")
                await op.app.confirm_shipment(ids[wire["orderId"]], request)
            # Calls answer late, and one shipment in eight is applied but answered with a timeout: the
            # relay cannot know whether it landed, and must look before sending again.
            sandbox.state.faults.update(
                {
                    "slow": {"probability": 1.0, "delay_s": 0.08, "only": ["shipments", "orders.get"]},
                    "shipment_timeout_after_apply": {"probability": 0.125, "stall_s": 0.0, "status": 504},
                }
            )

            async def delivered() -> int:
                return await op.count(
                    "SELECT count(*) FROM portside.outbox WHERE store_id = $1 AND kind = 'ship_notification' "
                    "AND status = 'delivered'",
                    store.id,
                )

            for round_ in range(kills):
                workers = [await procs.start("worker", name=f"r{round_}-{i}") for i in range(2)]
                before = await delivered()
                await wait_for(
                    lambda before=before: _more_than(delivered, before),
                    timeout=60,
                    what=f"relay round {round_} to deliver something (seed {SEED})",
                )
                await asyncio.sleep(rng.uniform(0.0, 0.6))
                for worker in workers:
                    await worker.kill9()  # mid-relay: messages leased, some POSTed, some not yet settled
                if await delivered() == len(to_ship):
                    break
            sandbox.state.faults.update({"shipment_timeout_after_apply": {"probability": 0.0}})
            await procs.start("worker", name="final")

            await wait_for(
                lambda: _equals(delivered, len(to_ship)),
                timeout=60 + 4 * RELAY_LEASE_S,
                what=f"every notification to be delivered after the restart (seed {SEED})",
            )
            stats = sandbox.state.snapshot()
            shipped = [w["orderId"] for w in to_ship]
            assert {o: stats["parcels"].get(o, 0) for o in shipped} == dict.fromkeys(shipped, 1), SEED
            assert {o: stats["shipments_applied"].get(o, 0) for o in shipped} == dict.fromkeys(shipped, 1), SEED
            states = await op.pool.fetch(
                "SELECT notification_status, count(*) FROM portside.shipments WHERE store_id = $1 GROUP BY 1",
                store.id,
            )
            assert {r[0]: r[1] for r in states} == {"delivered": len(to_ship)}, SEED
            if SOAK:
                assert stats["faults_fired"].get("shipment_timeout_after_apply", 0) > 0, "no ambiguous outcome"
            _assert_clean_logs(procs.output())
    finally:
        await sandbox.close()


async def test_a_dead_relays_message_comes_back_as_unknown_outcome(pg_uow_factory) -> None:  # type: ignore[no-untyped-def]
    """The storage side of exactly-once (OutboxRepository.claim): a message taken back from a lapsed
    lease may have reached the channel, so it must come back ``outcome_unknown`` for the next relay to
    look before sending. A channel whose notify does not read back first (any but Cdiscount) relies on it."""
    from datetime import timedelta

    from portside.core.model import OutboxKind, OutboxMessage, OutboxStatus

    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    message = OutboxMessage(
        id="m1",
        kind=OutboxKind.ship_notification,
        store_id="s1",
        subject_id="shipment-1",
        payload={},
        status=OutboxStatus.pending,
        attempts=0,
        available_at=now,
        created_at=now,
    )
    async with pg_uow_factory() as u:
        await u.outbox.add(message)
        await u.commit()
    async with pg_uow_factory() as u:
        first = await u.outbox.claim(owner="relay-a", now=now, lease_s=60, limit=10)
        await u.commit()
    assert [m.outcome_unknown for m in first] == [False]
    # relay-a dies holding the lease; relay-b comes after it lapsed.
    async with pg_uow_factory() as u:
        again = await u.outbox.claim(owner="relay-b", now=now + timedelta(seconds=61), lease_s=60, limit=10)
        await u.commit()
    assert [(m.id, m.attempts, m.outcome_unknown) for m in again] == [("m1", 0, True)]
    async with pg_uow_factory() as u:
        assert (await u.outbox.get("m1")).outcome_unknown is True


# helpers -------------------------------------------------------------------------------------------------


async def _diagnose(op, store_id: str, procs, expected=None) -> str:  # type: ignore[no-untyped-def]
    """What a failed wait shows: the store's lease, its sync runs, how many orders it holds (and how they
    differ from the marketplace's, when given), the logs."""
    runs = [(r.get("outcome"), r.get("started_at"), r.get("error")) for r in await reports(op.pool, store_id)]
    held = len((await differences(op.pool, store_id, {})).get("unexpected", []))
    lease = await lease_of(op.pool, store_id)
    differ = ""
    if expected is not None:
        found = await differences(op.pool, store_id, expected)
        differ = "\n".join(
            f"{kind}: {len(v)}, e.g. {list(v.items())[:3] if isinstance(v, dict) else v[:3]}"
            for kind, v in found.items()
        )
    return f"lease: {lease}\nruns: {runs}\norders held: {held}\n{differ}\n{procs.output()[-6000:]}"


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def _more_than(count, floor: int) -> bool:  # type: ignore[no-untyped-def]
    return await count() > floor


async def _equals(count, target: int) -> bool:  # type: ignore[no-untyped-def]
    return await count() == target


def _change_some_orders(sandbox, rng: random.Random, count: int) -> None:  # type: ignore[no-untyped-def]
    """Buyers cancel, controls pass: status changes that bump ``updatedAt``."""
    state = sandbox.state
    candidates = [o for o in state.store.all() if o["status"] in ("WaitingAcceptance", "Accepted", "Processing")]
    for order in rng.sample(candidates, min(count, len(candidates))):
        state.store.set_status(order, rng.choice(("Cancelled", "InPreparation")))


def _assert_clean_logs(output: str) -> None:
    for bad in ("deadlock", "Traceback", "SyncLeaseLost", "lease lost", "CRITICAL"):
        assert bad not in output, f"{bad!r} in the workers' logs:\n{output[-6000:]}"


pytestmark = pytest.mark.postgres
