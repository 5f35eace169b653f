"""Tenant isolation: another account's resource is reported exactly like one that does not exist."""

from __future__ import annotations

import uuid

from ..errors import NotFound
from ..model import Shipment, Store, WebhookSubscription
from ..ports import OrderRecord, UnitOfWork


def is_order_id(value: str) -> bool:
    # Order ids are UUIDs by construction (``order_id_for``); anything else cannot name one, and
    # storage that types the column would otherwise fail on it instead of finding nothing.
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


async def owned_store(u: UnitOfWork, account_id: str, store_id: str, *, for_update: bool = False) -> Store:
    store = await u.stores.get(store_id, for_update=for_update)
    if store is None or store.account_id != account_id:
        raise NotFound("store", store_id)
    return store


async def owned_order(u: UnitOfWork, account_id: str, order_id: str, *, for_update: bool = False) -> OrderRecord:
    record = await u.orders.get(order_id, for_update=for_update) if is_order_id(order_id) else None
    if record is None:
        raise NotFound("order", order_id)
    store = await u.stores.get(record.order.store_id)
    if store is None or store.account_id != account_id:
        raise NotFound("order", order_id)
    return record


async def owned_shipment(u: UnitOfWork, account_id: str, shipment_id: str, *, for_update: bool = False) -> Shipment:
    shipment = await u.shipments.get(shipment_id, for_update=for_update)
    store = await u.stores.get(shipment.store_id) if shipment is not None else None
    if shipment is None or store is None or store.account_id != account_id:
        raise NotFound("shipment", shipment_id)
    return shipment


async def owned_webhook(u: UnitOfWork, account_id: str, subscription_id: str) -> WebhookSubscription:
    hook = await u.webhooks.get(subscription_id)
    if hook is None or hook.account_id != account_id:
        raise NotFound("webhook", subscription_id)
    return hook


async def account_store_ids(u: UnitOfWork, account_id: str) -> tuple[str, ...]:
    """Every store of the account, inactive ones too: their orders stay readable (history kept)."""
    return tuple(store.id for store in await u.stores.find(account_id=account_id))
