"""A sync asked for now (API, command line): taken under the store's lease, and never sooner after the
store's last sync started than its marketplace allows (marketplaces rate-limit or ban integrations that
poll too often; the scheduler keeps to the same minimum for the runs it plans)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..errors import SyncAlreadyRunning, SyncTooSoon
from ..model import Store
from ..ports import ChannelCapabilities, Clock, UnitOfWorkFactory


def too_soon(
    store: Store, capabilities: ChannelCapabilities, *, last_started_at: datetime | None, now: datetime
) -> SyncTooSoon | None:
    """Why a sync of ``store`` may not start at ``now``, or None when it may."""
    if last_started_at is None:
        return None
    minimum = timedelta(seconds=capabilities.min_poll_interval_s)
    # A start in the future (another process's clock ahead of ours) waits one interval from now at most.
    wait = min(last_started_at + minimum - now, minimum)
    if wait <= timedelta(0):
        return None
    return SyncTooSoon(
        store.id,
        marketplace=capabilities.marketplace or store.channel,
        minimum_s=capabilities.min_poll_interval_s,
        last_started_at=last_started_at,
        allowed_at=now + wait,
        retry_after=wait.total_seconds(),
    )


async def claim_on_demand_sync(
    store: Store,
    capabilities: ChannelCapabilities,
    *,
    owner: str,
    uow: UnitOfWorkFactory,
    clock: Clock,
    lease_ttl_s: float,
) -> None:
    """Take the store's sync lease for ``owner``, who then runs the sync (``import_orders`` with the same
    owner). Raises SyncAlreadyRunning while another holder has the lease (a sync running keeps that
    answer), else SyncTooSoon if the store's last sync started less than the channel's
    ``min_poll_interval_s`` ago; refused, nothing is taken."""
    now = clock.now()
    async with uow() as u:
        if not await u.sync_leases.acquire(store.id, owner=owner, now=now, ttl_s=lease_ttl_s):
            raise SyncAlreadyRunning(store.id)
        latest = await u.sync_reports.find(store.id, limit=1)
        refusal = too_soon(store, capabilities, last_started_at=latest[0].started_at if latest else None, now=now)
        if refusal is not None:
            raise refusal  # not committed: the lease is not taken
        await u.commit()
