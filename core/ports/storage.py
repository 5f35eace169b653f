"""Storage ports: repositories grouped in a unit of work that commits or rolls back as one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

import msgspec

from ..model import (
    Account,
    ActivityRecord,
    ApiKey,
    CarrierAccountSettings,
    NotificationState,
    Order,
    OrderStatus,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    PickupPoint,
    Product,
    QuarantinedPayload,
    Shipment,
    Store,
    SyncCursor,
    SyncReport,
    WebhookSubscription,
)


class OrderRecord(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    order: Order
    # Hash of the order as the channel described it (before enrichment and local changes): an
    # import that computes the same hash has nothing new to write.
    content_hash: bytes
    modified_at: datetime  # when portside last changed the stored order (the API's "updated since")


class OrderQuery(msgspec.Struct, frozen=True, kw_only=True):
    store_ids: tuple[str, ...] | None = None  # None: every store
    statuses: tuple[OrderStatus, ...] | None = None
    modified_since: datetime | None = None
    pickup_carrier: str | None = None
    skus: tuple[str, ...] | None = None  # orders with at least one line of one of these SKUs
    # Keyset: orders strictly after this (modified_at, id) in that order.
    after: tuple[datetime, str] | None = None
    limit: int = 100


class CachedPoint(msgspec.Struct, frozen=True, kw_only=True):
    """A directory's answer about one point, kept until ``expires_at``; ``point`` None means the
    carrier said it does not know the point (also worth remembering, for less time)."""

    carrier: str
    point_id: str
    country: str
    point: PickupPoint | None
    fetched_at: datetime
    expires_at: datetime


class StoreRepository(Protocol):
    async def add(self, store: Store) -> None: ...
    async def get(self, store_id: str, *, for_update: bool = False) -> Store | None:
        """``for_update`` locks the row until the unit of work ends (read-modify-write)."""
        ...

    async def update(self, store: Store) -> None: ...
    async def find(self, *, account_id: str | None = None, active: bool | None = None) -> list[Store]: ...


class OrderRepository(Protocol):
    async def get(self, order_id: str, *, for_update: bool = False) -> OrderRecord | None:
        """``for_update`` locks the row until the unit of work ends (read-modify-write)."""
        ...

    async def get_many(self, order_ids: list[str]) -> dict[str, OrderRecord]:
        """The stored ones of ``order_ids``, by id (one read for a batch of work)."""
        ...

    async def get_by_channel_ids(
        self, store_id: str, channel_order_ids: list[str], *, for_update: bool = False
    ) -> dict[str, OrderRecord]:
        """The store's stored orders of ``channel_order_ids``, by channel id. A store's order has the id
        ``order_id_for(store_id, channel_order_id)`` (the import refuses any other): an adapter may look
        them up by that id (Postgres does, by primary key). ``for_update`` locks the rows, in id order."""
        ...

    async def get_hashes(self, store_id: str, channel_order_ids: list[str]) -> dict[str, bytes]:
        """Content hash of each stored order (found as ``get_by_channel_ids`` finds it): lets an import
        skip unchanged orders without reading them."""
        ...

    async def save_many(self, records: list[OrderRecord]) -> None:
        """Insert or replace each record by order id."""
        ...

    async def insert_many(self, records: list[OrderRecord]) -> None:
        """Insert records of orders not stored yet (an import's new orders, under its sync lease): a
        bulk path. Raises Conflict, changing nothing, if one is stored already."""
        ...

    async def find(self, query: OrderQuery) -> list[OrderRecord]: ...
    async def list_flagged(self, store_id: str, flag: str, limit: int) -> list[OrderRecord]: ...
    async def count(self, store_id: str | None = None) -> int: ...


class ShipmentRepository(Protocol):
    async def add(self, shipment: Shipment) -> None: ...
    async def get(self, shipment_id: str, *, for_update: bool = False) -> Shipment | None:
        """``for_update`` locks the row until the unit of work ends (read-modify-write)."""
        ...

    async def get_many(self, shipment_ids: list[str]) -> dict[str, Shipment]:
        """The stored ones of ``shipment_ids``, by id (one read for a batch of work)."""
        ...

    async def update(self, shipment: Shipment) -> None: ...
    async def set_notifications(self, states: Mapping[str, NotificationState]) -> dict[str, Shipment]:
        """Replace each shipment's notification state (by shipment id) without reading it first, in one
        statement; the shipments as now stored, by id (an id with no shipment is left out)."""
        ...

    async def list_for_order(self, order_id: str) -> list[Shipment]: ...


class CatalogRepository(Protocol):
    async def upsert_many(self, account_id: str, products: list[Product]) -> None: ...
    async def get_many(self, account_id: str, skus: list[str]) -> dict[str, Product]: ...
    async def find(self, account_id: str, *, after: str | None = None, limit: int = 100) -> list[Product]:
        """The account's products by SKU (code point order), those after ``after`` only."""
        ...

    async def delete(self, account_id: str, sku: str) -> bool:
        """Remove one product; False if the account had none with this SKU."""
        ...


class CursorRepository(Protocol):
    async def get(self, store_id: str) -> SyncCursor | None: ...
    async def set(self, cursor: SyncCursor) -> None: ...


class OutboxDepth(msgspec.Struct, frozen=True, kw_only=True):
    """The outbox of one kind right now: what waits, what is held, what gave up."""

    kind: str
    due: int = 0  # pending and available now: the relay is behind if this stays high
    scheduled: int = 0  # pending, waiting for a retry's backoff
    in_flight: int = 0
    dead: int = 0
    oldest_due_age_s: float = 0.0  # how long the oldest due message has been waiting


class OutboxRepository(Protocol):
    async def add(self, message: OutboxMessage) -> None: ...
    async def get(self, message_id: str) -> OutboxMessage | None: ...
    async def claim(
        self,
        *,
        owner: str,
        now: datetime,
        lease_s: float,
        limit: int,
        kinds: tuple[OutboxKind, ...] | None = None,
    ) -> list[OutboxMessage]:
        """Lease up to ``limit`` due messages no other relay holds (pending and available, or
        in flight with an expired lease), marking them in flight for ``owner``.

        A message taken back from an expired lease comes back with ``outcome_unknown`` set: its
        holder died mid-attempt, so the channel may or may not have received it."""
        ...

    async def renew(self, message_ids: list[str], *, owner: str, until: datetime) -> set[str]:
        """Extend to ``until`` the leases ``owner`` still holds on these messages (in flight, its name
        on them); the ids renewed. A message another relay has claimed since is left alone."""
        ...

    async def save(self, message: OutboxMessage) -> None: ...
    async def save_many(self, messages: list[OutboxMessage], *, held_by: str | None = None) -> set[str]:
        """``save`` for each message, in one statement (a relay settles a group of messages at once); the
        ids saved. ``held_by``: only the messages still in flight under that relay's lease are saved (one
        another relay has claimed since is its to settle), the others left as they are."""
        ...

    async def depth(self, *, now: datetime) -> list[OutboxDepth]:
        """Per kind, by kind name: due, scheduled, in flight and dead counts, and the oldest due's age."""
        ...

    async def find(
        self,
        *,
        status: OutboxStatus | None = None,
        store_id: str | None = None,
        subject_id: str | None = None,
        limit: int = 100,
    ) -> list[OutboxMessage]: ...


class ActivityRepository(Protocol):
    async def add_many(self, records: list[ActivityRecord]) -> None: ...
    async def list_for_order(self, order_id: str) -> list[ActivityRecord]: ...
    async def claim_unpublished(self, *, limit: int) -> list[ActivityRecord]:
        """Records not yet published as events, oldest first, locked (``SKIP LOCKED``) until the unit
        of work ends: the activity log doubles as the event outbox, with no second write per change."""
        ...

    async def mark_published(self, record_ids: list[str]) -> None: ...


class QuarantineRepository(Protocol):
    async def add(self, payload: QuarantinedPayload) -> None:
        """Keep it, unless a payload with this id is kept already (the same bytes, read again)."""
        ...

    async def find(self, store_id: str, limit: int = 100) -> list[QuarantinedPayload]: ...


class SyncReportRepository(Protocol):
    async def save(self, report: SyncReport) -> None:
        """Insert or replace the report by id."""
        ...

    async def find(self, store_id: str, limit: int = 20) -> list[SyncReport]: ...


class SyncLeaseRepository(Protocol):
    """Who may sync which store now. A lease expires on its own if its holder dies."""

    async def acquire(self, store_id: str, *, owner: str, now: datetime, ttl_s: float) -> bool: ...
    async def renew(self, store_id: str, *, owner: str, now: datetime, ttl_s: float) -> bool: ...
    async def release(self, store_id: str, *, owner: str, next_run_at: datetime | None = None) -> None: ...
    async def claim_due(self, *, owner: str, now: datetime, ttl_s: float, limit: int) -> list[str]:
        """Lease up to ``limit`` stores whose next run is due and that nobody holds."""
        ...

    async def schedule(self, store_id: str, next_run_at: datetime) -> None: ...


class PickupPointCacheRepository(Protocol):
    async def get(self, carrier: str, point_id: str, country: str, *, now: datetime) -> CachedPoint | None:
        """The cached answer if it has not expired at ``now``."""
        ...

    async def put(self, entry: CachedPoint) -> None: ...
    async def purge_expired(self, now: datetime, *, limit: int) -> int:
        """Delete at most ``limit`` (at least 1) entries expired at ``now`` (those ``get`` no longer
        answers), the longest expired first; return how many. Bounded so that one call holds its locks
        briefly: a caller purging a backlog calls again while a full batch went."""
        ...


class AccountRepository(Protocol):
    async def add(self, account: Account) -> None: ...
    async def get(self, account_id: str) -> Account | None: ...


class ApiKeyRepository(Protocol):
    async def add(self, key: ApiKey) -> None: ...
    async def find_by_hash(self, key_hash: str) -> ApiKey | None:
        """The key with this hash, revoked or not (the caller checks ``active``)."""
        ...

    async def revoke(self, key_id: str, *, at: datetime) -> None: ...
    async def list_for_account(self, account_id: str) -> list[ApiKey]: ...


class IdempotentResponse(msgspec.Struct, frozen=True, kw_only=True):
    """The first answer to a request sent with an ``Idempotency-Key``, replayed for retries.
    ``status`` 0 marks a claim: the first request is still running."""

    account_id: str
    key: str
    request_hash: str  # a retry with the same key but another body is refused, not replayed
    status: int
    body: bytes
    created_at: datetime

    @property
    def pending(self) -> bool:
        return self.status == 0


class IdempotencyRepository(Protocol):
    async def get(self, account_id: str, key: str) -> IdempotentResponse | None: ...
    async def reserve(
        self, account_id: str, key: str, request_hash: str, *, now: datetime, stale_before: datetime
    ) -> IdempotentResponse | None:
        """Claim (account, key) for one request, across processes. None: this call holds the claim
        (do the work, then ``complete`` or ``release``). Otherwise the record already there: an
        answer to replay, or another request's claim (a claim made before ``stale_before`` belonged
        to a request that died, and is taken over instead)."""
        ...

    async def complete(self, response: IdempotentResponse) -> None:
        """Record the answer of the request holding the claim."""
        ...

    async def release(self, account_id: str, key: str) -> None:
        """Drop an unanswered claim (the request failed and changed nothing): a retry may run."""
        ...


class WebhookRepository(Protocol):
    async def add(self, subscription: WebhookSubscription) -> None: ...
    async def get(self, subscription_id: str) -> WebhookSubscription | None: ...
    async def update(self, subscription: WebhookSubscription) -> None: ...
    async def find(self, account_id: str, *, active: bool | None = None) -> list[WebhookSubscription]: ...


class CarrierSettingsRepository(Protocol):
    """Accounts' own carrier settings, one per (account, carrier); their secrets are sealed at rest."""

    async def get(self, account_id: str, carrier: str) -> CarrierAccountSettings | None: ...
    async def put(self, settings: CarrierAccountSettings) -> None:
        """Insert or replace the account's settings for that carrier."""
        ...

    async def delete(self, account_id: str, carrier: str) -> bool:
        """Remove them; False when the account had none for that carrier."""
        ...

    async def find(self, account_id: str) -> list[CarrierAccountSettings]:
        """Every carrier's settings of the account, by carrier name."""
        ...


class UnitOfWork(Protocol):
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

    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
    def relax_durability(self) -> None:
        """This unit's commits may be lost by a crash that follows them (never half of one, and never
        one without those before it), because what it writes is redone on its own if lost (an import
        page: re-read from the cursor; a relay settlement: the lapsed claim makes it checked and
        settled again). The storage may then skip waiting for each commit to reach the disk."""
        ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Roll back whatever was not committed."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
