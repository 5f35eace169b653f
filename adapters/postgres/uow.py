"""The Postgres unit of work: one pooled connection, one transaction at a time, repositories on top."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Self

import asyncpg

from portside.core.errors import StorageBusy, StorageUnavailable
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
from .pool import is_connection_failure
from .session import Session
from .shipments import PostgresCatalog, PostgresShipments
from .stores import PostgresStores
from .sync import PostgresCursors, PostgresQuarantine, PostgresSyncLeases, PostgresSyncReports
from .webhooks import PostgresWebhooks


class PostgresUnitOfWork:
    """``async with uow: ...; await uow.commit()``; leaving the block rolls back what was not committed.

    The transaction begins with the first query, and a new one with the first query after each
    ``commit``/``rollback``, so a unit of work may commit several times (e.g. once per page).

    Entering waits at most ``acquire_timeout_s`` for a pooled connection (None: without limit), then
    raises StorageBusy; a database out of reach raises StorageUnavailable. Either way nothing was done.
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

    def __init__(
        self, pool: asyncpg.Pool, cipher: Cipher | None = None, *, acquire_timeout_s: float | None = None
    ) -> None:
        self._pool = pool
        self._cipher = cipher
        self._acquire_timeout_s = acquire_timeout_s
        self._conn: asyncpg.Connection | None = None
        self._session: Session | None = None

    async def __aenter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("this unit of work is already open; ask the factory for a new one")
        self._conn = await self._acquire()
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

    async def _acquire(self) -> asyncpg.Connection:
        # Without a bound, a saturated pool holds every caller (an API request, a scheduler pass)
        # for as long as the slowest transaction: a typed, retryable refusal lets them back off.
        timeout = self._acquire_timeout_s
        try:
            return await self._pool.acquire(timeout=timeout)
        except TimeoutError:  # before OSError: a TimeoutError is one
            waited = "in time" if timeout is None else f"within {timeout:g} s"
            raise StorageBusy(f"no database connection came free {waited}; retry in a moment") from None
        except Exception as exc:
            if not is_connection_failure(exc):
                raise
            # The reason stays in the chain for the logs; the message may reach API clients.
            raise StorageUnavailable(
                f"the database cannot be reached ({type(exc).__name__}); retry in a moment"
            ) from exc

    def _open_session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work is not open: use it inside 'async with'")
        return self._session

    async def commit(self) -> None:
        await self._open_session().commit()

    def relax_durability(self) -> None:
        self._open_session().relaxed = True

    async def rollback(self) -> None:
        await self._open_session().rollback()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, conn = self._session, self._conn
        self._session = self._conn = None
        try:
            if session is not None and conn is not None and not _lost(conn) and session.in_transaction:
                await session.rollback()
        finally:
            if conn is not None:
                await self._pool.release(conn)  # a lost one the pool has already taken back: a no-op


def _lost(conn: asyncpg.Connection) -> bool:
    """Whether the connection is gone: closed, or (pooled) closed and taken back by the pool, whose proxy
    then refuses every call."""
    if getattr(conn, "_con", True) is None:  # asyncpg's PoolConnectionProxy, detached
        return True
    return bool(conn.is_closed())


class PostgresUnitOfWorkFactory:
    """Call it for a new unit of work on ``pool``; ``cipher`` seals store credentials at rest;
    ``acquire_timeout_s`` bounds the wait for a pooled connection (None: no bound)."""

    def __init__(
        self, pool: asyncpg.Pool, *, cipher: Cipher | None = None, acquire_timeout_s: float | None = None
    ) -> None:
        self.pool = pool
        self._cipher = cipher
        self.acquire_timeout_s = acquire_timeout_s

    def __call__(self) -> PostgresUnitOfWork:
        return PostgresUnitOfWork(self.pool, self._cipher, acquire_timeout_s=self.acquire_timeout_s)


if TYPE_CHECKING:
    # mypy proves here that the factory fills the core's port; nothing runs.
    def _fills_port(factory: PostgresUnitOfWorkFactory) -> UnitOfWorkFactory:
        return factory
