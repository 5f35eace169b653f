"""Builders and helpers shared by the storage contract tests."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from portside.core.model import (
    ActivityKind,
    ActivityRecord,
    Money,
    NotificationState,
    NotificationStatus,
    Order,
    OutboxKind,
    OutboxMessage,
    Shipment,
    ShipmentLine,
    Store,
)
from portside.core.ports import OrderRecord, UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def at(minutes: float = 0, *, seconds: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def new_id() -> str:
    return str(uuid.uuid4())


async def committed(uow_factory: UnitOfWorkFactory, action: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run ``action`` in a fresh unit of work and commit it."""
    async with uow_factory() as uow:
        result = await action(uow)
        await uow.commit()
    return result


async def read(uow_factory: UnitOfWorkFactory, action: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run ``action`` in a fresh unit of work that commits nothing."""
    async with uow_factory() as uow:
        return await action(uow)


async def held_until_commit(
    uow_factory: UnitOfWorkFactory,
    lock: Callable[[UnitOfWork], Awaitable[T]],
    write: Callable[[UnitOfWork, T], Awaitable[None]],
    other_writer: Callable[[], Coroutine[Any, Any, None]],
) -> T:
    """``lock`` a row in one unit of work and start ``other_writer`` (a unit of its own): it must wait
    until this unit has made its ``write`` and committed, and then end. What ``lock`` read is returned."""
    async with uow_factory() as u:
        locked = await lock(u)
        writer = asyncio.create_task(other_writer())
        await asyncio.sleep(0.2)
        assert not writer.done()  # waiting for this unit's lock
        await write(u, locked)
        await u.commit()
    await asyncio.wait_for(writer, 5)
    return locked


def make_store(store_id: str = "store-1", **changes: Any) -> Store:
    fields: dict[str, Any] = {
        "id": store_id,
        "account_id": "acct-1",
        "channel": "fake",
        "name": f"Boutique {store_id}",
        "credentials": {"client_id": "seller-42", "client_secret": "s3cr3t-value", "nested": {"scopes": ["a", "b"]}},
        "settings": {"page_size": 50, "region": "FR"},
        "created_at": T0,
    }
    fields.update(changes)
    return Store(**fields)


def make_record(order: Order, *, modified_at: datetime = T0, content_hash: bytes = b"\x00hash") -> OrderRecord:
    return OrderRecord(order=order, content_hash=content_hash, modified_at=modified_at)


def make_shipment(order_id: str, shipment_id: str | None = None, *, created_at: datetime = T0) -> Shipment:
    return Shipment(
        id=shipment_id or new_id(),
        order_id=order_id,
        store_id="store-1",
        carrier="colissimo",
        service="DOM",
        tracking_number="6A12345678901",
        tracking_url="https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
        carrier_fee=Money(amount=Decimal("4.95"), currency="EUR"),
        notes_to_buyer="Merci !",
        shipped_at=created_at,
        created_at=created_at,
        lines=(ShipmentLine(channel_line_id="1", quantity=2),),
        notification=NotificationState(status=NotificationStatus.pending),
    )


def make_message(
    message_id: str | None = None,
    *,
    kind: OutboxKind = OutboxKind.ship_notification,
    available_at: datetime = T0,
    store_id: str | None = "store-1",
    **changes: Any,
) -> OutboxMessage:
    return OutboxMessage(
        id=message_id or new_id(),
        kind=kind,
        store_id=store_id,
        subject_id=changes.pop("subject_id", new_id()),
        payload=changes.pop("payload", {"shipment_id": "sh-1", "lines": [1, 2]}),
        available_at=available_at,
        created_at=changes.pop("created_at", available_at),
        **changes,
    )


def make_activity(order_id: str, at_: datetime, *, kind: ActivityKind = ActivityKind.updated) -> ActivityRecord:
    return ActivityRecord(
        id=new_id(), order_id=order_id, store_id="store-1", kind=kind, at=at_, detail={"from": "a", "to": ["b"]}
    )
