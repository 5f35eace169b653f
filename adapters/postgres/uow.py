"""The Postgres unit of work: one pooled connection, one transaction at a time, repositories on top."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Self

import asyncpg

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
    UnitOfWorkFactory,
    WebhookRepository,
)

from .accounts import PostgresAccounts, PostgresApiKeys, PostgresIdempotency
from .activity import PostgresActivity
from .carrier_settings import PostgresCarrierSettings
from .cipher import Cipher
from .orders import PostgresOrders
from .outbox import PostgresOutbox
from .pickup import PostgresPickupCache
from .session import Session
from .shipments import PostgresCatalog, PostgresShipments
from .stores import PostgresStores
from .sync import PostgresCursors, PostgresQuarantine, PostgresSyncLeases, PostgresSyncReports
from .webhooks import PostgresWebhooks


class PostgresUnitOfWork:
    """``async with uow: ...; await uow.commit()``; leaving the block rolls back what was not committed.

    The transaction begins with the first query, and a new one with the first query after each
    ``commit``/``rollback``, so a unit of work may commit several times (e.g. once per page).
    """

    # Typed as the ports: the UnitOfWork protocol's attributes are settable, hence invariant.
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

    def __init__(self, pool: asyncpg.Pool, cipher: Cipher | None = None) -> None:
        self._pool = pool
        self._cipher = cipher
        self._conn: asyncpg.Connection | None = None
        self._session: Session | None = None

    async def __aenter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("this unit of work is already open; ask the factory for a new one")
        self._conn = await self._pool.acquire()
        session = self._session = Session(self._conn)
        self.stores = PostgresStores(session, self._cipher)
        self.orders = PostgresOrders(session)
        self.shipments = PostgresShipments(session)
        self.catalog = PostgresCatalog(session)
        self.cursors = PostgresCursors(session)
        self.outbox = PostgresOutbox(session)
        self.activity = PostgresActivity(session)
        self.quarantine = PostgresQuarantine(session)
        self.sync_reports = PostgresSyncReports(session)
        self.sync_leases = PostgresSyncLeases(session)
        self.pickup_cache = PostgresPickupCache(session)
        self.accounts = PostgresAccounts(session)
        self.api_keys = PostgresApiKeys(session)
        self.idempotency = PostgresIdempotency(session)
        self.webhooks = PostgresWebhooks(session, self._cipher)
        self.carrier_settings = PostgresCarrierSettings(session, self._cipher)
        return self

    def _open_session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work is not open: use it inside 'async with'")
        return self._session

    async def commit(self) -> None:
        await self._open_session().commit()

    async def rollback(self) -> None:
        await self._open_session().rollback()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, conn = self._session, self._conn
        self._session = self._conn = None
        try:
            if session is not None and session.in_transaction and conn is not None and not conn.is_closed():
                await session.rollback()
        finally:
            if conn is not None:
                await self._pool.release(conn)


class PostgresUnitOfWorkFactory:
    """Call it for a new unit of work on ``pool``; ``cipher`` seals store credentials at rest."""

    def __init__(self, pool: asyncpg.Pool, *, cipher: Cipher | None = None) -> None:
        self.pool = pool
        self._cipher = cipher

    def __call__(self) -> PostgresUnitOfWork:
        return PostgresUnitOfWork(self.pool, self._cipher)


if TYPE_CHECKING:
    # mypy proves here that the factory fills the core's port; nothing runs.
    def _fills_port(factory: PostgresUnitOfWorkFactory) -> UnitOfWorkFactory:
        return factory
