"""A large import from the Octopia sandbox with every fault knob on: 429 with Retry-After, 5xx, timeouts,
early token expiry, malformed orders, orders updated while paging.

Syncs are retried as the scheduler would; afterwards every valid order is stored exactly once with the
marketplace's latest state, every malformed one is quarantined and counted in the sync reports, and the
cursor sits on the newest ``updatedAt`` read. Reduced: 500 orders in pages of 20; soak: 5,000 in 100s.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portside.channels.cdiscount.sandbox import SandboxConfig, start_sandbox

from .support import differences, imported_orders, operator, reports, size, wire_time

pytestmark = pytest.mark.postgres

KNOBS = {
    # count=1: each fault fires at least once whatever the dice say; then at its probability.
    "rate_limit": {"count": 1, "probability": 0.05, "retry_after_s": 1},
    "server_error": {"count": 1, "probability": 0.05},
    "slow": {"count": 1, "probability": 0.02, "delay_s": 2.5},  # past the store's 1 s timeout
    "expire_tokens_early": {"count": 1, "probability": 0.05},
    "malformed_order": {"count": 1, "probability": 0.3},
    "update_while_paging": {"count": 1, "probability": 0.2},
}


async def _sync_until_completed(op, store_id: str, *, tries: int = 15) -> dict:  # type: ignore[no-untyped-def]
    """Sync as the scheduler does: a failed sync is recorded and run again later."""
    for _ in range(tries):
        try:
            report = await op.app.sync_store(store_id)
        except Exception:  # the failed report is in the database; the next run starts from the old cursor
            continue
        if report.outcome == "completed":
            return report
    raise AssertionError(f"no sync completed in {tries} tries: {await reports(op.pool, store_id)}")


async def test_every_valid_order_once_with_its_latest_state_every_malformed_one_quarantined(
    env: dict[str, str], logs: Path
) -> None:
    orders, page = size(500, 5000), size(20, 100)
    sandbox = await start_sandbox(SandboxConfig(seed=23, orders=orders, token_cap_per_hour=100_000))
    sandbox.state.faults.update(KNOBS)
    try:
        async with operator(env) as op:
            store = await op.connect(sandbox, "faults", page_size=page, timeout_s=1.0)
            await _sync_until_completed(op, store.id)
            fired = sandbox.state.faults.fired
            assert set(fired) >= set(KNOBS), fired

            # With the faults still on: nothing lost or duplicated; only orders the marketplace changed
            # while this very sync paged past them may be one state behind (the next sync's overlap).
            moved = set(sandbox.state.stats.moved_while_paging)
            found = await differences(op.pool, store.id, imported_orders(sandbox))
            assert not found.get("lost") and not found.get("created_twice"), found
            assert set(found.get("stale", {})) <= moved, found
            assert set(found.get("unexpected", [])) <= set(sandbox.state.faults.malformed), found

            # The marketplace calms down; the next scheduled sync converges on its exact state.
            sandbox.state.faults.update({name: {"count": 0, "probability": 0.0} for name in KNOBS})
            await _sync_until_completed(op, store.id, tries=3)
            found = await differences(op.pool, store.id, imported_orders(sandbox))
            malformed = sandbox.state.faults.malformed
            # An order stored healthy before the sandbox broke it keeps its last good state: expected.
            assert set(found.pop("unexpected", [])) <= set(malformed), found
            assert not found, found

            quarantined = {
                r[0]
                for r in await op.pool.fetch(
                    "SELECT channel_order_id FROM portside.quarantine WHERE store_id = $1", store.id
                )
            }
            assert malformed and set(malformed) <= quarantined, (malformed, quarantined)
            counted = sum(r.get("quarantined", 0) for r in await reports(op.pool, store.id))
            assert counted >= len(malformed)

            # The cursor: the newest updatedAt of every order the syncs could read (an order whose
            # updatedAt itself came malformed cannot move it).
            readable = [
                o["updatedAt"]
                for o in sandbox.state.store.all()
                if malformed.get(o["orderId"]) != "updated_at_as_number"
            ]
            cursor = await op.pool.fetchval(
                "SELECT updated_at FROM portside.sync_cursors WHERE store_id = $1", store.id
            )
            assert cursor == wire_time(max(readable))
    finally:
        await sandbox.close()
