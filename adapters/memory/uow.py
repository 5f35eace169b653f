"""In-memory unit of work: one at a time, all-or-nothing, like a serialisable transaction."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import TYPE_CHECKING, Self

from portside.core.ports import (
    AccountRepository,
    ActivityRepository,
    ApiKeyRepository,
    CarrierSettingsRepository,
    CatalogRepository,
    CursorRepository,
    IdempotencyRepository,
    OrderRepository,
    OutboxRepository,
    PickupPointCacheRepository,
    QuarantineRepository,
    ShipmentRepository,
    StoreRepository,
    SyncLeaseRepository,
    SyncReportRepository,
    WebhookRepository,
)

from .carrier_settings import MemoryCarrierSettings
from .repositories import (
    MemoryAccounts,
    MemoryActivity,
    MemoryApiKeys,
    MemoryCatalog,
    MemoryCursors,
    MemoryIdempotency,
    MemoryOrders,
    MemoryOutbox,
    MemoryPickupCache,
    MemoryQuarantine,
    MemoryShipments,
    MemoryStores,
    MemorySyncLeases,
    MemorySyncReports,
    MemoryWebhooks,
)
from .state import Tables


class MemoryStorage:
    """The shared database. Call it (``storage()``) for a new unit of work."""

    def __init__(self) -> None:
        self.tables = Tables()
        # One unit of work at a time: with the lock held, publishing a working copy on commit
        # can never overwrite another unit's writes (no lost updates, SKIP LOCKED for free).
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[object] | None = None

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)


class MemoryUnitOfWork:
    def __init__(self, storage: MemoryStorage) -> None:
        self._storage = storage
        self._working: Tables | None = None

    # Declared with the ports' types so this class is a UnitOfWork to mypy, like Postgres's.
    stores: StoreRepository
    orders: OrderRepository
    shipments: ShipmentRepository
    catalog: CatalogRepository
    cursors: CursorRepository
    outbox: OutboxRepository
    activity: ActivityRepository
    quarantine: QuarantineRepository
    sync_reports: SyncReportRepository
    sync_leases: SyncLeaseRepository
    pickup_cache: PickupPointCacheRepository
    accounts: AccountRepository
    api_keys: ApiKeyRepository
    idempotency: IdempotencyRepository
    webhooks: WebhookRepository
    carrier_settings: CarrierSettingsRepository

    def _bind(self, tables: Tables) -> None:
        self._working = tables
        self.stores = MemoryStores(tables)
        self.orders = MemoryOrders(tables)
        self.shipments = MemoryShipments(tables)
        self.catalog = MemoryCatalog(tables)
        self.cursors = MemoryCursors(tables)
        self.outbox = MemoryOutbox(tables)
        self.activity = MemoryActivity(tables)
        self.quarantine = MemoryQuarantine(tables)
        self.sync_reports = MemorySyncReports(tables)
        self.sync_leases = MemorySyncLeases(tables)
        self.pickup_cache = MemoryPickupCache(tables)
        self.accounts = MemoryAccounts(tables)
        self.api_keys = MemoryApiKeys(tables)
        self.idempotency = MemoryIdempotency(tables)
        self.webhooks = MemoryWebhooks(tables)
        self.carrier_settings = MemoryCarrierSettings(tables)

    async def __aenter__(self) -> Self:
        task = asyncio.current_task()
        if task is not None and self._storage._holder is task:
            # Postgres would hand a nested unit its own connection; here it would deadlock.
            raise RuntimeError("a unit of work is already open in this task; nested units are not supported")
        await self._storage._lock.acquire()
        self._storage._holder = task
        self._bind(self._storage.tables.snapshot())
        return self

    async def commit(self) -> None:
        if self._working is None:
            raise RuntimeError("unit of work is not open")
        self._storage.tables = self._working
        self._bind(self._working.snapshot())

    def relax_durability(self) -> None:
        pass  # memory is never durable

    async def rollback(self) -> None:
        if self._working is None:
            raise RuntimeError("unit of work is not open")
        self._bind(self._storage.tables.snapshot())

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._working = None
        self._storage._holder = None
        self._storage._lock.release()


if TYPE_CHECKING:
    from portside.core.ports import UnitOfWorkFactory

    # mypy proves here that the storage fills the core's port; nothing runs.
    def _fills_port(storage: MemoryStorage) -> UnitOfWorkFactory:
        return storage
