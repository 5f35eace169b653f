"""Shipments and the catalog in Postgres: whole documents keyed by what the use cases look them up by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from portside.core.model import NotificationState, Product, Shipment

from .session import Repository

_SHIPMENT = msgspec.json.Decoder(Shipment)
_PRODUCT = msgspec.json.Decoder(Product)


def _shipment_params(shipment: Shipment) -> tuple[Any, ...]:
    return (
        shipment.id,
        shipment.order_id,
        shipment.store_id,
        shipment.notification.status.value,
        shipment.created_at,
        shipment,
    )


class PostgresShipments(Repository):
    async def add(self, shipment: Shipment) -> None:
        await self._insert_new("shipment_add", "shipment", shipment.id, *_shipment_params(shipment))

    async def get(self, shipment_id: str, *, for_update: bool = False) -> Shipment | None:
        doc = await self._fetchval("shipment_get_for_update" if for_update else "shipment_get", shipment_id)
        return None if doc is None else _SHIPMENT.decode(doc)

    async def get_many(self, shipment_ids: list[str]) -> dict[str, Shipment]:
        shipments = (_SHIPMENT.decode(row[0]) for row in await self._fetch("shipment_get_many", shipment_ids))
        return {shipment.id: shipment for shipment in shipments}

    async def update(self, shipment: Shipment) -> None:
        await self._update_existing("shipment_update", "shipment", shipment.id, *_shipment_params(shipment))

    async def set_notifications(self, states: Mapping[str, NotificationState]) -> dict[str, Shipment]:
        if not states:
            return {}
        ids = sorted(states)  # the join decides the locking order; the relay's settler copes with a deadlock
        rows = await self._fetch(
            "shipment_set_notifications", ids, [states[i].status.value for i in ids], [states[i] for i in ids]
        )
        shipments = (_SHIPMENT.decode(row[0]) for row in rows)
        return {shipment.id: shipment for shipment in shipments}

    async def list_for_order(self, order_id: str) -> list[Shipment]:
        return [_SHIPMENT.decode(row[0]) for row in await self._fetch("shipment_list_for_order", order_id)]


class PostgresCatalog(Repository):
    async def upsert_many(self, account_id: str, products: list[Product]) -> None:
        if not products:
            return
        # Postgres refuses to update one row twice in a statement: the last product for a sku wins.
        latest = {product.sku: product for product in products}
        await self._execute("product_upsert_many", account_id, list(latest), list(latest.values()))

    async def get_many(self, account_id: str, skus: list[str]) -> dict[str, Product]:
        products = (_PRODUCT.decode(row[0]) for row in await self._fetch("product_get_many", account_id, skus))
        return {product.sku: product for product in products}

    async def find(self, account_id: str, *, after: str | None = None, limit: int = 100) -> list[Product]:
        return [_PRODUCT.decode(row[0]) for row in await self._fetch("product_find", account_id, after, limit)]

    async def delete(self, account_id: str, sku: str) -> bool:
        return await self._fetchval("product_delete", account_id, sku) is not None
