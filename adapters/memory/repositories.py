"""In-memory repositories: the storage ports over plain dicts, with the Postgres adapter's semantics."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import msgspec

from portside.core.errors import Conflict, NotFound
from portside.core.model import (
    Account,
    ActivityRecord,
    ApiKey,
    NotificationState,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Product,
    QuarantinedPayload,
    Shipment,
    Store,
    SyncCursor,
    SyncReport,
    WebhookSubscription,
)
from portside.core.ports import CachedPoint, IdempotentResponse, OrderQuery, OrderRecord, OutboxDepth

from .state import SyncLeaseRow, Tables


class _Repo:
    def __init__(self, tables: Tables) -> None:
        self._t = tables


class MemoryStores(_Repo):
    def _seller_taken(self, store: Store) -> bool:
        # The Postgres unique index stores_seller_key: one key per account and channel.
        return store.seller_key is not None and any(
            s.id != store.id
            and s.account_id == store.account_id
            and s.channel == store.channel
            and s.seller_key == store.seller_key
            for s in self._t.stores.values()
        )

    async def add(self, store: Store) -> None:
        if store.id in self._t.stores or self._seller_taken(store):
            raise Conflict(
                f"store {store.id} already exists, or another store of account {store.account_id} already "
                f"connects the same {store.channel} seller"
            )
        self._t.stores[store.id] = store

    # ``for_update`` needs no lock here: a memory unit of work already runs alone.
    async def get(self, store_id: str, *, for_update: bool = False) -> Store | None:
        return self._t.stores.get(store_id)

    async def update(self, store: Store) -> None:
        if store.id not in self._t.stores:
            raise NotFound("store", store.id)
        if self._seller_taken(store):
            raise Conflict(
                f"another store of account {store.account_id} already connects the same {store.channel} seller"
            )
        self._t.stores[store.id] = store

    async def find(self, *, account_id: str | None = None, active: bool | None = None) -> list[Store]:
        return sorted(
            (
                s
                for s in self._t.stores.values()
                if (account_id is None or s.account_id == account_id) and (active is None or s.active == active)
            ),
            key=lambda s: (s.created_at, s.id),
        )


class MemoryOrders(_Repo):
    # ``for_update`` needs no lock here: a memory unit of work already runs alone.
    async def get(self, order_id: str, *, for_update: bool = False) -> OrderRecord | None:
        return self._t.orders.get(order_id)

    async def get_many(self, order_ids: list[str]) -> dict[str, OrderRecord]:
        return {i: self._t.orders[i] for i in order_ids if i in self._t.orders}

    async def get_by_channel_ids(
        self, store_id: str, channel_order_ids: list[str], *, for_update: bool = False
    ) -> dict[str, OrderRecord]:
        found: dict[str, OrderRecord] = {}
        for channel_id in channel_order_ids:
            order_id = self._t.order_keys.get((store_id, channel_id))
            if order_id is not None:
                found[channel_id] = self._t.orders[order_id]
        return found

    async def get_hashes(self, store_id: str, channel_order_ids: list[str]) -> dict[str, bytes]:
        found = await self.get_by_channel_ids(store_id, channel_order_ids)
        return {channel_id: record.content_hash for channel_id, record in found.items()}

    async def save_many(self, records: list[OrderRecord]) -> None:
        for record in records:
            order = record.order
            key = (order.store_id, order.channel_order_id)
            existing = self._t.order_keys.get(key)
            if existing is not None and existing != order.id:
                raise ValueError(f"order {order.channel_order_id} of store {order.store_id} already has id {existing}")
            self._t.orders[order.id] = record
            self._t.order_keys[key] = order.id

    async def insert_many(self, records: list[OrderRecord]) -> None:
        for record in records:
            order = record.order
            if order.id in self._t.orders or (order.store_id, order.channel_order_id) in self._t.order_keys:
                raise Conflict(f"order {order.channel_order_id} of store {order.store_id} is stored already")
        await self.save_many(records)

    async def find(self, query: OrderQuery) -> list[OrderRecord]:
        def keep(record: OrderRecord) -> bool:
            order = record.order
            if query.store_ids is not None and order.store_id not in query.store_ids:
                return False
            if query.statuses is not None and order.status not in query.statuses:
                return False
            if query.modified_since is not None and record.modified_at < query.modified_since:
                return False
            if query.pickup_carrier is not None and (
                order.pickup_point is None or order.pickup_point.carrier != query.pickup_carrier
            ):
                return False
            if query.skus is not None and not any(line.sku in query.skus for line in order.lines):
                return False
            return query.after is None or (record.modified_at, order.id) > query.after

        matching = sorted(filter(keep, self._t.orders.values()), key=lambda r: (r.modified_at, r.order.id))
        return matching[: query.limit]

    async def list_flagged(self, store_id: str, flag: str, limit: int) -> list[OrderRecord]:
        flagged = [r for r in self._t.orders.values() if r.order.store_id == store_id and flag in r.order.flags]
        return sorted(flagged, key=lambda r: (r.modified_at, r.order.id))[:limit]

    async def count(self, store_id: str | None = None) -> int:
        if store_id is None:
            return len(self._t.orders)
        return sum(1 for r in self._t.orders.values() if r.order.store_id == store_id)


class MemoryShipments(_Repo):
    async def add(self, shipment: Shipment) -> None:
        if shipment.id in self._t.shipments:
            raise Conflict(f"shipment {shipment.id} already exists")
        self._t.shipments[shipment.id] = shipment

    # ``for_update`` needs no lock here: a memory unit of work already runs alone.
    async def get(self, shipment_id: str, *, for_update: bool = False) -> Shipment | None:
        return self._t.shipments.get(shipment_id)

    async def get_many(self, shipment_ids: list[str]) -> dict[str, Shipment]:
        return {i: self._t.shipments[i] for i in shipment_ids if i in self._t.shipments}

    async def update(self, shipment: Shipment) -> None:
        if shipment.id not in self._t.shipments:
            raise NotFound("shipment", shipment.id)
        self._t.shipments[shipment.id] = shipment

    async def set_notifications(self, states: Mapping[str, NotificationState]) -> dict[str, Shipment]:
        written: dict[str, Shipment] = {}
        for shipment_id, state in states.items():
            shipment = self._t.shipments.get(shipment_id)
            if shipment is not None:
                written[shipment_id] = self._t.shipments[shipment_id] = msgspec.structs.replace(
                    shipment, notification=state
                )
        return written

    async def list_for_order(self, order_id: str) -> list[Shipment]:
        found = [s for s in self._t.shipments.values() if s.order_id == order_id]
        return sorted(found, key=lambda s: (s.created_at, s.id))


class MemoryCatalog(_Repo):
    async def upsert_many(self, account_id: str, products: list[Product]) -> None:
        for product in products:
            self._t.catalog[(account_id, product.sku)] = product

    async def get_many(self, account_id: str, skus: list[str]) -> dict[str, Product]:
        found = (self._t.catalog.get((account_id, sku)) for sku in skus)
        return {p.sku: p for p in found if p is not None}

    async def find(self, account_id: str, *, after: str | None = None, limit: int = 100) -> list[Product]:
        skus = sorted(sku for acct, sku in self._t.catalog if acct == account_id and (after is None or sku > after))
        return [self._t.catalog[(account_id, sku)] for sku in skus[:limit]]

    async def delete(self, account_id: str, sku: str) -> bool:
        return self._t.catalog.pop((account_id, sku), None) is not None


class MemoryCursors(_Repo):
    async def get(self, store_id: str) -> SyncCursor | None:
        return self._t.cursors.get(store_id)

    async def set(self, cursor: SyncCursor) -> None:
        self._t.cursors[cursor.store_id] = cursor


class MemoryOutbox(_Repo):
    async def add(self, message: OutboxMessage) -> None:
        if message.id in self._t.outbox:
            raise Conflict(f"outbox message {message.id} already exists")
        self._t.outbox[message.id] = message

    async def get(self, message_id: str) -> OutboxMessage | None:
        return self._t.outbox.get(message_id)

    async def claim(
        self,
        *,
        owner: str,
        now: datetime,
        lease_s: float,
        limit: int,
        kinds: tuple[OutboxKind, ...] | None = None,
    ) -> list[OutboxMessage]:
        def due(m: OutboxMessage) -> bool:
            if kinds is not None and m.kind not in kinds:
                return False
            if m.status == OutboxStatus.pending:
                return m.available_at <= now
            return m.status == OutboxStatus.in_flight and m.lease_until is not None and m.lease_until < now

        chosen = sorted(filter(due, self._t.outbox.values()), key=lambda m: (m.available_at, m.id))[:limit]
        until = now + timedelta(seconds=lease_s)
        claimed = [
            msgspec.structs.replace(
                m,
                status=OutboxStatus.in_flight,
                lease_owner=owner,
                lease_until=until,
                outcome_unknown=m.outcome_unknown or m.status == OutboxStatus.in_flight,
            )
            for m in chosen
        ]
        for message in claimed:
            self._t.outbox[message.id] = message
        return claimed

    async def renew(self, message_ids: list[str], *, owner: str, until: datetime) -> set[str]:
        renewed: set[str] = set()
        for message_id in message_ids:
            m = self._t.outbox.get(message_id)
            if m is not None and m.status == OutboxStatus.in_flight and m.lease_owner == owner:
                self._t.outbox[message_id] = msgspec.structs.replace(m, lease_until=until)
                renewed.add(message_id)
        return renewed

    async def depth(self, *, now: datetime) -> list[OutboxDepth]:
        tally: dict[str, dict[str, Any]] = {}
        for m in self._t.outbox.values():
            if m.status == OutboxStatus.delivered:
                continue
            row = tally.setdefault(m.kind, {"due": 0, "scheduled": 0, "in_flight": 0, "dead": 0, "oldest": None})
            if m.status == OutboxStatus.dead:
                row["dead"] += 1
            elif m.status == OutboxStatus.in_flight:
                row["in_flight"] += 1
            elif m.available_at <= now:
                row["due"] += 1
                row["oldest"] = m.available_at if row["oldest"] is None else min(row["oldest"], m.available_at)
            else:
                row["scheduled"] += 1
        return [
            OutboxDepth(
                kind=kind,
                due=row["due"],
                scheduled=row["scheduled"],
                in_flight=row["in_flight"],
                dead=row["dead"],
                oldest_due_age_s=(now - row["oldest"]).total_seconds() if row["oldest"] else 0.0,
            )
            for kind, row in sorted(tally.items())
        ]

    async def save(self, message: OutboxMessage) -> None:
        if message.id not in self._t.outbox:
            raise NotFound("outbox message", message.id)
        self._t.outbox[message.id] = message

    async def save_many(self, messages: list[OutboxMessage], *, held_by: str | None = None) -> set[str]:
        if held_by is not None:
            messages = [m for m in messages if _held(self._t.outbox.get(m.id), held_by)]
        for message in messages:
            if message.id not in self._t.outbox:
                raise NotFound("outbox message", message.id)  # before any write, as one statement would
        for message in messages:
            self._t.outbox[message.id] = message
        return {m.id for m in messages}

    async def find(
        self,
        *,
        status: OutboxStatus | None = None,
        store_id: str | None = None,
        subject_id: str | None = None,
        limit: int = 100,
    ) -> list[OutboxMessage]:
        found = [
            m
            for m in self._t.outbox.values()
            if (status is None or m.status == status)
            and (store_id is None or m.store_id == store_id)
            and (subject_id is None or m.subject_id == subject_id)
        ]
        return sorted(found, key=lambda m: (m.created_at, m.id))[:limit]


class MemoryActivity(_Repo):
    async def add_many(self, records: list[ActivityRecord]) -> None:
        self._t.activity.extend(records)

    async def claim_unpublished(self, *, limit: int) -> list[ActivityRecord]:
        pending = [r for r in self._t.activity if r.id not in self._t.published]
        return sorted(pending, key=lambda r: r.at)[:limit]

    async def mark_published(self, record_ids: list[str]) -> None:
        self._t.published.update(record_ids)

    async def list_for_order(self, order_id: str) -> list[ActivityRecord]:
        # Stable sort: records written at the same instant keep the order they were written in.
        return sorted((r for r in self._t.activity if r.order_id == order_id), key=lambda r: r.at)


class MemoryQuarantine(_Repo):
    async def add(self, payload: QuarantinedPayload) -> None:
        if all(kept.id != payload.id for kept in self._t.quarantine):
            self._t.quarantine.append(payload)

    async def find(self, store_id: str, limit: int = 100) -> list[QuarantinedPayload]:
        found = [p for p in self._t.quarantine if p.store_id == store_id]
        return sorted(found, key=lambda p: (p.received_at, p.id), reverse=True)[:limit]


class MemorySyncReports(_Repo):
    async def save(self, report: SyncReport) -> None:
        self._t.sync_reports[report.id] = report

    async def find(self, store_id: str, limit: int = 20) -> list[SyncReport]:
        found = [r for r in self._t.sync_reports.values() if r.store_id == store_id]
        return sorted(found, key=lambda r: (r.started_at, r.id), reverse=True)[:limit]


class MemorySyncLeases(_Repo):
    def _row(self, store_id: str) -> SyncLeaseRow:
        return self._t.sync_leases.setdefault(store_id, SyncLeaseRow(store_id=store_id))

    async def acquire(self, store_id: str, *, owner: str, now: datetime, ttl_s: float) -> bool:
        row = self._row(store_id)
        if row.lease_owner not in (None, owner) and row.lease_until is not None and row.lease_until >= now:
            return False
        row.lease_owner, row.lease_until = owner, now + timedelta(seconds=ttl_s)
        return True

    async def renew(self, store_id: str, *, owner: str, now: datetime, ttl_s: float) -> bool:
        row = self._t.sync_leases.get(store_id)
        if row is None or row.lease_owner != owner:
            return False
        row.lease_until = now + timedelta(seconds=ttl_s)
        return True

    async def release(self, store_id: str, *, owner: str, next_run_at: datetime | None = None) -> None:
        row = self._t.sync_leases.get(store_id)
        if row is None or row.lease_owner != owner:
            return
        row.lease_owner, row.lease_until = None, None
        if next_run_at is not None:
            row.next_run_at = next_run_at

    async def claim_due(self, *, owner: str, now: datetime, ttl_s: float, limit: int) -> list[str]:
        due = sorted(
            (
                row
                for row in self._t.sync_leases.values()
                if row.next_run_at is not None
                and row.next_run_at <= now
                and (row.lease_owner is None or row.lease_until is None or row.lease_until < now)
            ),
            key=lambda row: (row.next_run_at or now, row.store_id),
        )[:limit]
        for row in due:
            row.lease_owner, row.lease_until = owner, now + timedelta(seconds=ttl_s)
        return [row.store_id for row in due]

    async def schedule(self, store_id: str, next_run_at: datetime) -> None:
        self._row(store_id).next_run_at = next_run_at


class MemoryPickupCache(_Repo):
    async def get(self, carrier: str, point_id: str, country: str, *, now: datetime) -> CachedPoint | None:
        entry = self._t.pickup_cache.get((carrier, point_id, country))
        return entry if entry is not None and entry.expires_at > now else None

    async def put(self, entry: CachedPoint) -> None:
        self._t.pickup_cache[(entry.carrier, entry.point_id, entry.country)] = entry

    async def purge_expired(self, now: datetime, *, limit: int) -> int:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        expired = sorted(
            (key for key, entry in self._t.pickup_cache.items() if entry.expires_at <= now),
            key=lambda key: (self._t.pickup_cache[key].expires_at, key),
        )[:limit]
        for key in expired:
            del self._t.pickup_cache[key]
        return len(expired)


class MemoryAccounts(_Repo):
    async def add(self, account: Account) -> None:
        if account.id in self._t.accounts:
            raise Conflict(f"account {account.id} already exists")
        self._t.accounts[account.id] = account

    async def get(self, account_id: str) -> Account | None:
        return self._t.accounts.get(account_id)


class MemoryApiKeys(_Repo):
    async def add(self, key: ApiKey) -> None:
        if key.id in self._t.api_keys or any(k.key_hash == key.key_hash for k in self._t.api_keys.values()):
            raise Conflict(f"api key {key.id} already exists")
        self._t.api_keys[key.id] = key

    async def find_by_hash(self, key_hash: str) -> ApiKey | None:
        return next((k for k in self._t.api_keys.values() if k.key_hash == key_hash), None)

    async def revoke(self, key_id: str, *, at: datetime) -> None:
        key = self._t.api_keys.get(key_id)
        if key is None:
            raise NotFound("api key", key_id)
        if key.revoked_at is None:
            self._t.api_keys[key_id] = msgspec.structs.replace(key, revoked_at=at)

    async def list_for_account(self, account_id: str) -> list[ApiKey]:
        keys = [k for k in self._t.api_keys.values() if k.account_id == account_id]
        return sorted(keys, key=lambda k: (k.created_at, k.id))


class MemoryIdempotency(_Repo):
    async def get(self, account_id: str, key: str) -> IdempotentResponse | None:
        return self._t.idempotency.get((account_id, key))

    async def reserve(
        self, account_id: str, key: str, request_hash: str, *, now: datetime, stale_before: datetime
    ) -> IdempotentResponse | None:
        existing = self._t.idempotency.get((account_id, key))
        if existing is not None and not (existing.pending and existing.created_at < stale_before):
            return existing
        self._t.idempotency[(account_id, key)] = IdempotentResponse(
            account_id=account_id, key=key, request_hash=request_hash, status=0, body=b"", created_at=now
        )
        return None

    async def complete(self, response: IdempotentResponse) -> None:
        self._t.idempotency[(response.account_id, response.key)] = response

    async def release(self, account_id: str, key: str) -> None:
        existing = self._t.idempotency.get((account_id, key))
        if existing is not None and existing.pending:
            del self._t.idempotency[(account_id, key)]


class MemoryWebhooks(_Repo):
    async def add(self, subscription: WebhookSubscription) -> None:
        if subscription.id in self._t.webhooks:
            raise Conflict(f"webhook {subscription.id} already exists")
        self._t.webhooks[subscription.id] = subscription

    async def get(self, subscription_id: str) -> WebhookSubscription | None:
        return self._t.webhooks.get(subscription_id)

    async def update(self, subscription: WebhookSubscription) -> None:
        if subscription.id not in self._t.webhooks:
            raise NotFound("webhook", subscription.id)
        self._t.webhooks[subscription.id] = subscription

    async def find(self, account_id: str, *, active: bool | None = None) -> list[WebhookSubscription]:
        found = [
            w
            for w in self._t.webhooks.values()
            if w.account_id == account_id and (active is None or w.active == active)
        ]
        return sorted(found, key=lambda w: (w.created_at, w.id))


def _held(stored: OutboxMessage | None, owner: str) -> bool:
    return stored is not None and stored.status == OutboxStatus.in_flight and stored.lease_owner == owner
