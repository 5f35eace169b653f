"""Orders in Postgres: a page saved in one round trip, documents decoded straight into ``Order``."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg
import msgspec

from portside.core.errors import Conflict
from portside.core.model import Order, StoreOrderIds
from portside.core.ports import OrderQuery, OrderRecord

from .pool import SCHEMA
from .session import Repository

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Order)
_FLAG_SEPARATOR = "\x1f"
_ORDER_COLUMNS = (
    "id",
    "store_id",
    "channel_order_id",
    "status",
    "channel_status",
    "updated_at",
    "modified_at",
    "pickup_carrier",
    "flags",
    "content_hash",
    "doc",
)


def _derived_ids(store_id: str, channel_order_ids: list[str]) -> list[str]:
    """The primary keys of a store's orders by channel id: a key found is a row of the store with one
    of the channel ids (orders.sql, ``order_get_many_for_update``, says why orders are looked up so)."""
    ids = StoreOrderIds(store_id)
    return [ids(channel_order_id) for channel_order_id in channel_order_ids]


def _records(rows: Iterable[asyncpg.Record]) -> list[OrderRecord]:
    decode = _DECODER.decode
    return [OrderRecord(order=decode(doc), content_hash=h, modified_at=m) for doc, h, m in rows]


class PostgresOrders(Repository):
    async def get(self, order_id: str, *, for_update: bool = False) -> OrderRecord | None:
        row = await self._fetchrow("order_get_for_update" if for_update else "order_get", order_id)
        return None if row is None else _records([row])[0]

    async def get_many(self, order_ids: list[str]) -> dict[str, OrderRecord]:
        return {record.order.id: record for record in _records(await self._fetch("order_get_many", order_ids))}

    async def get_by_channel_ids(
        self, store_id: str, channel_order_ids: list[str], *, for_update: bool = False
    ) -> dict[str, OrderRecord]:
        name = "order_get_many_for_update" if for_update else "order_get_many"
        rows = await self._fetch(name, _derived_ids(store_id, channel_order_ids))
        return {record.order.channel_order_id: record for record in _records(rows)}

    async def get_hashes(self, store_id: str, channel_order_ids: list[str]) -> dict[str, bytes]:
        rows = await self._fetch("order_hashes_by_ids", _derived_ids(store_id, channel_order_ids))
        return {channel_id: content_hash for channel_id, content_hash in rows}

    async def save_many(self, records: list[OrderRecord]) -> None:
        if not records:
            return
        # Postgres refuses to upsert one row twice in a statement: the last record for an id wins.
        if len({r.order.id for r in records}) != len(records):
            records = list({r.order.id: r for r in records}.values())
        orders = [r.order for r in records]
        encode = _ENCODER.encode
        await self._execute(
            "order_save_many",
            [o.id for o in orders],
            [o.store_id for o in orders],
            [o.channel_order_id for o in orders],
            [o.status.value for o in orders],
            [o.channel_status for o in orders],
            [o.updated_at for o in orders],
            [r.modified_at for r in records],
            [None if o.pickup_point is None else o.pickup_point.carrier.value for o in orders],
            [_FLAG_SEPARATOR.join(o.flags) for o in orders],
            [r.content_hash for r in records],
            [encode(o).decode() for o in orders],
        )

    async def insert_many(self, records: list[OrderRecord]) -> None:
        if not records:
            return
        # COPY, not INSERT … ON CONFLICT: the bulk path Postgres has, about twice as fast per row for an
        # import's new orders. The documents go through the pool's json codec (msgspec).
        rows = [
            (
                r.order.id,
                r.order.store_id,
                r.order.channel_order_id,
                r.order.status.value,
                r.order.channel_status,
                r.order.updated_at,
                r.modified_at,
                None if r.order.pickup_point is None else r.order.pickup_point.carrier.value,
                list(r.order.flags),
                r.content_hash,
                r.order,
            )
            for r in records
        ]
        try:
            async with self._session.savepoint() as conn:  # a refused COPY leaves the unit of work usable
                await conn.copy_records_to_table("orders", records=rows, columns=_ORDER_COLUMNS, schema_name=SCHEMA)
        except asyncpg.UniqueViolationError:
            raise Conflict("an order being inserted as new is stored already (is another sync running?)") from None

    async def find(self, query: OrderQuery) -> list[OrderRecord]:
        after_at, after_id = query.after if query.after is not None else (None, None)
        rows = await self._fetch(
            "order_find",
            None if query.store_ids is None else list(query.store_ids),
            None if query.statuses is None else [s.value for s in query.statuses],
            query.modified_since,
            query.pickup_carrier,
            after_at,
            after_id,
            query.limit,
            None if query.skus is None else list(query.skus),
        )
        return _records(rows)

    async def list_flagged(self, store_id: str, flag: str, limit: int) -> list[OrderRecord]:
        return _records(await self._fetch("order_list_flagged", store_id, flag, limit))

    async def count(self, store_id: str | None = None) -> int:
        return int(await self._fetchval("order_count", store_id))
