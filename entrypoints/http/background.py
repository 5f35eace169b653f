"""On-demand syncs started by the API and run in this process, under the store's sync lease."""

from __future__ import annotations

import asyncio
import logging

from portside.core.errors import SyncAlreadyRunning

from ..application import Portside

log = logging.getLogger("portside.http")


class BackgroundSyncs:
    """The default SyncLauncher: takes the store's lease before answering (so a second request while
    a sync runs, here or in any process, is refused at once, as is one sooner after the last sync's start
    than the store's marketplace allows), then syncs in a task under that lease."""

    def __init__(self, app: Portside, *, grace_s: float = 30.0) -> None:
        self._app = app
        self._grace_s = grace_s
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    async def start(self, store_id: str) -> None:
        if self._closed:
            raise SyncAlreadyRunning(store_id)  # shutting down: the scheduler will sync it
        app = self._app
        _, owner = await app.claim_sync_now(store_id)
        task = asyncio.create_task(self._run(store_id, owner), name=f"api-sync:{store_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, store_id: str, owner: str) -> None:
        app = self._app
        try:
            # The import takes the lease again as the same owner, and releases it when it ends.
            report = await app.sync_store(store_id, owner=owner)
            log.info("on-demand sync of store %s: %d fetched, %d new", store_id, report.fetched, report.new)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the import recorded a failed report; say it in the log too
            log.warning("on-demand sync of store %s failed: %s", store_id, exc)
        finally:
            # Released already unless the sync failed before the import took over (a no-op then).
            async with app.uow() as u:
                await u.sync_leases.release(store_id, owner=owner)
                await u.commit()

    async def close(self) -> None:
        self._closed = True
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=self._grace_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
