"""Three ``portside worker`` processes against one Postgres and many stores on the Octopia sandbox.

Each store is synced on schedule (two rounds), by one worker at a time (its sync reports never overlap),
every order is imported once, the outbox is drained with one parcel per shipped order, the work is
spread over the three workers, and no deadlock or lease error shows in their logs.
Reduced: 24 stores; soak: 200.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portside.channels.cdiscount.sandbox import SandboxConfig, start_sandbox
from portside.core.services import ShipmentRequest

from .support import differences, fleet, imported_orders, operator, reports, shippable, size, wait_for, wire_time

pytestmark = pytest.mark.postgres

WORKERS = 3


def _overlaps(runs: list[dict]) -> list[tuple]:  # type: ignore[type-arg]
    """Pairs of sync runs of one store whose spans overlap (two holders at once)."""
    spans = sorted((wire_time(r["started_at"]), wire_time(r["finished_at"])) for r in runs)
    return [(a, b) for a, b in itertools.pairwise(spans) if b[0] < a[1]]


async def test_three_workers_share_many_stores_one_at_a_time(env: dict[str, str], logs: Path) -> None:
    stores_n = size(24, 200)
    sandbox = await start_sandbox(SandboxConfig(seed=31, orders=size(60, 120), token_cap_per_hour=100_000))
    try:
        async with operator(env) as op, fleet(env, logs) as procs:
            stores = [await op.connect(sandbox, f"shop {i}", own_account=True) for i in range(stores_n)]
            for i in range(WORKERS):
                await procs.start("worker", name=f"w{i}", env={"PORTSIDE_WORKER_ID": f"w{i}"})

            async def completed_rounds(n: int) -> bool:
                for store in stores:
                    done = [r for r in await reports(op.pool, store.id) if r.get("outcome") == "completed"]
                    if len(done) < n:
                        return False
                return True

            await wait_for(lambda: completed_rounds(1), timeout=180, what="every store's first sync")

            # Each store ships a different order of the marketplace (it holds them all).
            to_ship = shippable(sandbox)[:stores_n]
            assert to_ship
            for n, (store, wire) in enumerate(zip(stores, to_ship, strict=False)):
                order_id = await op.pool.fetchval(
                    "SELECT id::text FROM portside.orders WHERE store_id = $1 AND channel_order_id = $2",
                    store.id,
                    wire["orderId"],
                )
                await op.app.confirm_shipment(
                    order_id, ShipmentRequest(carrier="colissimo", tracking_number=f"8S{n:09d}")
                )

            async def drained() -> bool:
                return not await op.count("SELECT count(*) FROM portside.outbox WHERE status <> 'delivered'")

            await wait_for(drained, timeout=120, what="a drained outbox")
            # The marketplace changes, and every store comes due again: the second round must bring it in
            # (the shipments just notified included).
            for order in [o for o in sandbox.state.store.all() if o["status"] == "WaitingAcceptance"][:5]:
                sandbox.state.store.set_status(order, "Cancelled")
            async with op.app.uow() as u:
                for store in stores:
                    await u.sync_leases.schedule(store.id, datetime.now(UTC))
                await u.commit()
            await wait_for(lambda: completed_rounds(2), timeout=180, what="every store's second sync")
            await wait_for(drained, timeout=60, what="a drained outbox after the second round")

            expected = imported_orders(sandbox)
            for store in stores:
                runs = [r for r in await reports(op.pool, store.id) if r.get("finished_at")]
                assert not _overlaps(runs), (store.id, runs)
                assert not await differences(op.pool, store.id, expected), store.id
            assert await op.count("SELECT count(*) FROM portside.outbox WHERE kind = 'ship_notification'") == len(
                to_ship
            )
            parcels = sandbox.state.snapshot()["parcels"]
            assert all(parcels.get(w["orderId"]) == 1 for w in to_ship), parcels

            for proc in procs.procs:
                assert proc.alive(), proc.output()
                await proc.stop()
            output = procs.output()
            for bad in ("deadlock", "Traceback", "SyncLeaseLost", "could not claim", "ERROR", "failed"):
                assert bad not in output, f"{bad!r} in the workers' logs:\n{output[-6000:]}"
            per_worker = {p.name: len(re.findall(r"synced store \S+:", p.output())) for p in procs.procs}
            assert all(per_worker.values()), per_worker  # the work really was shared
            assert sum(per_worker.values()) >= 2 * stores_n
    finally:
        await sandbox.close()
