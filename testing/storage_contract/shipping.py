"""Contract: shipments, the catalog and the activity log round-trip and list in a stable order."""

from __future__ import annotations

import msgspec
import pytest

from portside.core.errors import Conflict, NotFound
from portside.core.model import (
    ActivityKind,
    LineOption,
    NotificationState,
    NotificationStatus,
    Product,
    Weight,
    order_id_for,
)
from portside.core.ports import UnitOfWorkFactory

from ._support import at, committed, make_activity, make_shipment, read

ORDER_1 = order_id_for("store-1", "CD-1")
ORDER_2 = order_id_for("store-1", "CD-2")


class ShipmentContract:
    async def test_round_trips(self, uow_factory: UnitOfWorkFactory) -> None:
        shipment = make_shipment(ORDER_1, "sh-1")
        await committed(uow_factory, lambda u: u.shipments.add(shipment))
        assert await read(uow_factory, lambda u: u.shipments.get("sh-1")) == shipment
        assert await read(uow_factory, lambda u: u.shipments.get("sh-x")) is None

    async def test_get_many_finds_the_stored_ones(self, uow_factory: UnitOfWorkFactory) -> None:
        first, second = make_shipment(ORDER_1, "sh-1"), make_shipment(ORDER_2, "sh-2")
        await committed(uow_factory, lambda u: u.shipments.add(first))
        await committed(uow_factory, lambda u: u.shipments.add(second))
        found = await read(uow_factory, lambda u: u.shipments.get_many(["sh-2", "sh-x", "sh-1"]))
        assert found == {"sh-1": first, "sh-2": second}
        assert await read(uow_factory, lambda u: u.shipments.get_many([])) == {}

    async def test_set_notifications_replace_the_states_without_a_read(self, uow_factory: UnitOfWorkFactory) -> None:
        first, second = make_shipment(ORDER_1, "sh-1"), make_shipment(ORDER_2, "sh-2")
        await committed(uow_factory, lambda u: u.shipments.add(first))
        await committed(uow_factory, lambda u: u.shipments.add(second))
        delivered = NotificationState(
            status=NotificationStatus.delivered, attempts=2, delivered_at=at(3), sent={"tracking_number": "6A1"}
        )
        failed = NotificationState(status=NotificationStatus.failed, attempts=1, last_error="HTTP 503")
        states = {"sh-2": failed, "ghost": delivered, "sh-1": delivered}
        expected = {
            "sh-1": msgspec.structs.replace(first, notification=delivered),
            "sh-2": msgspec.structs.replace(second, notification=failed),
        }
        assert await committed(uow_factory, lambda u: u.shipments.set_notifications(states)) == expected
        assert await read(uow_factory, lambda u: u.shipments.get_many(["sh-1", "sh-2"])) == expected
        assert await read(uow_factory, lambda u: u.shipments.list_for_order(ORDER_1)) == [expected["sh-1"]]
        assert await committed(uow_factory, lambda u: u.shipments.set_notifications({})) == {}

    async def test_add_twice_is_a_conflict(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.shipments.add(make_shipment(ORDER_1, "sh-1")))
        with pytest.raises(Conflict):
            await committed(uow_factory, lambda u: u.shipments.add(make_shipment(ORDER_1, "sh-1")))

    async def test_update_replaces_the_notification_state(self, uow_factory: UnitOfWorkFactory) -> None:
        shipment = make_shipment(ORDER_1, "sh-1")
        await committed(uow_factory, lambda u: u.shipments.add(shipment))
        delivered = msgspec.structs.replace(
            shipment,
            notification=NotificationState(
                status=NotificationStatus.delivered, attempts=2, delivered_at=at(3), sent={"carrier": "Colissimo"}
            ),
        )
        await committed(uow_factory, lambda u: u.shipments.update(delivered))
        assert await read(uow_factory, lambda u: u.shipments.get("sh-1")) == delivered

    async def test_update_unknown_is_not_found(self, uow_factory: UnitOfWorkFactory) -> None:
        with pytest.raises(NotFound):
            await committed(uow_factory, lambda u: u.shipments.update(make_shipment(ORDER_1, "ghost")))

    async def test_list_for_order_in_creation_order(self, uow_factory: UnitOfWorkFactory) -> None:
        later, earlier = (
            make_shipment(ORDER_1, "sh-b", created_at=at(2)),
            make_shipment(ORDER_1, "sh-a", created_at=at(1)),
        )
        other = make_shipment(ORDER_2, "sh-c")
        async with uow_factory() as uow:
            for shipment in (later, earlier, other):
                await uow.shipments.add(shipment)
            await uow.commit()
        assert await read(uow_factory, lambda u: u.shipments.list_for_order(ORDER_1)) == [earlier, later]
        assert await read(uow_factory, lambda u: u.shipments.list_for_order(order_id_for("s", "none"))) == []


def _product(sku: str, grams: int = 250) -> Product:
    return Product(
        sku=sku,
        weight=Weight(grams=grams),
        image_url=f"https://img.example.com/{sku}.jpg",
        options=(LineOption(name="taille", value="M"),),
        stock_location="A-01-3",
        title=f"Produit {sku}",
    )


class CatalogContract:
    async def test_upsert_then_get_many_per_account(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.catalog.upsert_many("acct-1", [_product("A"), _product("B")]))
        await committed(uow_factory, lambda u: u.catalog.upsert_many("acct-2", [_product("A", grams=9)]))
        found = await read(uow_factory, lambda u: u.catalog.get_many("acct-1", ["A", "B", "C"]))
        assert found == {"A": _product("A"), "B": _product("B")}
        assert await read(uow_factory, lambda u: u.catalog.get_many("acct-2", ["A", "B"])) == {"A": _product("A", 9)}
        assert await read(uow_factory, lambda u: u.catalog.get_many("acct-1", [])) == {}

    async def test_upsert_replaces_and_the_last_duplicate_wins(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.catalog.upsert_many("acct-1", [_product("A")]))
        await committed(uow_factory, lambda u: u.catalog.upsert_many("acct-1", [_product("A", 1), _product("A", 2)]))
        assert await read(uow_factory, lambda u: u.catalog.get_many("acct-1", ["A"])) == {"A": _product("A", 2)}
        await committed(uow_factory, lambda u: u.catalog.upsert_many("acct-1", []))


class ActivityContract:
    async def test_lists_an_orders_records_by_time(self, uow_factory: UnitOfWorkFactory) -> None:
        late = make_activity(ORDER_1, at(5), kind=ActivityKind.status_changed)
        early = make_activity(ORDER_1, at(1), kind=ActivityKind.created)
        middle = make_activity(ORDER_1, at(3))
        other = make_activity(ORDER_2, at(2))
        await committed(uow_factory, lambda u: u.activity.add_many([late, early, other]))
        await committed(uow_factory, lambda u: u.activity.add_many([middle]))
        await committed(uow_factory, lambda u: u.activity.add_many([]))
        assert await read(uow_factory, lambda u: u.activity.list_for_order(ORDER_1)) == [early, middle, late]
        assert await read(uow_factory, lambda u: u.activity.list_for_order(ORDER_2)) == [other]
