"""Contract: shipments, the catalog and the activity log round-trip and list in a stable order; a catalog
change fills the open orders stored before it."""

from __future__ import annotations

import msgspec
import pytest

from portside.core.errors import Conflict, NotFound
from portside.core.model import (
    AcceptancePolicy,
    ActivityKind,
    DecisionPayload,
    LineOption,
    NotificationState,
    NotificationStatus,
    OrderFlag,
    OrderStatus,
    Product,
    Shipment,
    Weight,
    order_id_for,
    payload_of,
)
from portside.core.ports import OrderRecord, UnitOfWork, UnitOfWorkFactory
from portside.core.services.acceptance import enqueue_decision
from portside.core.services.catalog import reenrich_open_orders
from portside.testing.clock import FixedClock
from portside.testing.orders import make_order

from ._support import at, committed, held_until_commit, make_activity, make_record, make_shipment, make_store, read

ORDER_1 = order_id_for("store-1", "CD-1")
ORDER_2 = order_id_for("store-1", "CD-2")


class ShipmentContract:
    async def test_round_trips(self, uow_factory: UnitOfWorkFactory) -> None:
        shipment = make_shipment(ORDER_1, "sh-1")
        await committed(uow_factory, lambda u: u.shipments.add(shipment))
        assert await read(uow_factory, lambda u: u.shipments.get("sh-1")) == shipment
        assert await read(uow_factory, lambda u: u.shipments.get("sh-x")) is None
        assert await read(uow_factory, lambda u: u.shipments.get("sh-1", for_update=True)) == shipment

    async def test_get_for_update_holds_the_relay_s_write_until_the_end(self, uow_factory: UnitOfWorkFactory) -> None:
        # An API retry sets a dead notification pending; the relay's delivered state must land after it.
        shipment = make_shipment(ORDER_1, "sh-1")
        await committed(uow_factory, lambda u: u.shipments.add(shipment))
        delivered = NotificationState(status=NotificationStatus.delivered, attempts=1, delivered_at=at(3))

        async def deliver() -> None:
            async with uow_factory() as other:
                await other.shipments.set_notifications({"sh-1": delivered})
                await other.commit()

        async def set_pending(u: UnitOfWork, locked: Shipment | None) -> None:
            assert locked is not None
            pending = NotificationState(status=NotificationStatus.pending)
            await u.shipments.update(msgspec.structs.replace(locked, notification=pending))

        locked = await held_until_commit(
            uow_factory, lambda u: u.shipments.get("sh-1", for_update=True), set_pending, deliver
        )
        assert locked == shipment
        stored = await read(uow_factory, lambda u: u.shipments.get("sh-1"))
        assert stored is not None and stored.notification == delivered

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

    async def test_find_pages_by_sku_per_account(self, uow_factory: UnitOfWorkFactory) -> None:
        skus = ["b", "A", "a-2", "a", "Z", "é"]
        await committed(uow_factory, lambda u: u.catalog.upsert_many("acct-1", [_product(s) for s in skus]))
        await committed(uow_factory, lambda u: u.catalog.upsert_many("acct-2", [_product("other")]))
        every = await read(uow_factory, lambda u: u.catalog.find("acct-1", limit=100))
        assert [p.sku for p in every] == sorted(skus)  # code point order
        assert every[0] == _product("A")
        seen: list[str] = []
        after: str | None = None
        while True:
            async with uow_factory() as u:
                page = await u.catalog.find("acct-1", after=after, limit=2)
            if not page:
                break
            seen += [p.sku for p in page]
            after = page[-1].sku
        assert seen == sorted(skus)
        assert await read(uow_factory, lambda u: u.catalog.find("acct-3")) == []

    async def test_delete_removes_one_product_of_one_account(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.catalog.upsert_many("acct-1", [_product("A"), _product("B")]))
        await committed(uow_factory, lambda u: u.catalog.upsert_many("acct-2", [_product("A")]))
        async with uow_factory() as u:
            assert await u.catalog.delete("acct-1", "A") is True
            assert await u.catalog.delete("acct-1", "A") is False
            assert await u.catalog.delete("acct-1", "C") is False
            await u.commit()
        assert await read(uow_factory, lambda u: u.catalog.get_many("acct-1", ["A", "B"])) == {"B": _product("B")}
        assert await read(uow_factory, lambda u: u.catalog.get_many("acct-2", ["A"])) == {"A": _product("A")}

    async def test_a_catalog_change_fills_the_accounts_open_orders(self, uow_factory: UnitOfWorkFactory) -> None:
        def stored(
            store_id: str, channel_id: str, *skus: str, status: OrderStatus = OrderStatus.awaiting_shipment
        ) -> OrderRecord:
            order = make_order(store_id, channel_id, lines=len(skus), skus=skus, core_status=status)
            order = msgspec.structs.replace(order, flags=(OrderFlag.unknown_sku,))
            return make_record(order, modified_at=at(0), content_hash=b"wire-" + channel_id.encode())

        records = [
            stored("s1", "OPEN", "MUG"),
            stored("s1", "HALF", "MUG", "CUP"),  # CUP stays unknown
            stored("s1", "SHIPPED", "MUG", status=OrderStatus.shipped),
            stored("s1", "OTHER-SKU", "PLATE"),
            stored("s2", "OTHER-ACCOUNT", "MUG"),
        ]
        async with uow_factory() as u:
            await u.stores.add(make_store("s1", account_id="acct-1"))
            await u.stores.add(make_store("s2", account_id="acct-2"))
            await u.orders.save_many(records)
            await u.catalog.upsert_many("acct-1", [_product("MUG", grams=450)])
            await u.commit()
        clock = FixedClock(at(5))
        assert await reenrich_open_orders("acct-1", ["MUG"], uow=uow_factory, clock=clock, page=1) == 2
        ids = {r.order.channel_order_id: r.order.id for r in records}
        after = await read(uow_factory, lambda u: u.orders.get_many(list(ids.values())))
        by_channel_id: dict[str, OrderRecord] = {r.order.channel_order_id: r for r in after.values()}
        filled = by_channel_id["OPEN"]
        assert filled.order.lines[0].weight == Weight(grams=450)
        assert filled.order.lines[0].stock_location == "A-01-3"
        assert filled.order.total_weight is not None and OrderFlag.unknown_sku not in filled.order.flags
        assert filled.modified_at == at(5) and filled.content_hash == b"wire-OPEN"  # still the marketplace's
        half = by_channel_id["HALF"].order
        assert half.lines[0].weight == Weight(grams=450) and half.lines[1].weight is None
        assert OrderFlag.unknown_sku in half.flags and half.total_weight is None
        for untouched in ("SHIPPED", "OTHER-SKU", "OTHER-ACCOUNT"):
            original = next(r for r in records if r.order.channel_order_id == untouched)
            assert by_channel_id[untouched] == original, untouched
        clock.at = at(9)  # nothing left to fill: nothing written again
        assert await reenrich_open_orders("acct-1", ["MUG"], uow=uow_factory, clock=clock) == 0
        assert await reenrich_open_orders("acct-1", [], uow=uow_factory, clock=clock) == 0

    async def test_an_order_already_decided_keeps_its_decision_and_the_rest_is_filled(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        # The seller refused REFUSED by hand; the marketplace has not synced it back, so it still awaits
        # acceptance. A product arriving now must neither accept it nor stop the other orders' fill.
        def waiting(channel_id: str, status: OrderStatus = OrderStatus.awaiting_acceptance) -> OrderRecord:
            order = make_order("s1", channel_id, skus=("MUG",), core_status=status)
            return make_record(msgspec.structs.replace(order, flags=(OrderFlag.unknown_sku,)), modified_at=at(0))

        refused, pending, ready = (
            waiting("REFUSED"),
            waiting("PENDING"),
            waiting("READY", OrderStatus.awaiting_shipment),
        )
        async with uow_factory() as u:
            await u.stores.add(
                make_store("s1", account_id="acct-1", acceptance_policy=AcceptancePolicy.auto_known_skus)
            )
            await u.orders.save_many([refused, pending, ready])
            await enqueue_decision(u, refused.order, accept=False, reason="out of stock", now=at(1), by="seller")
            await u.catalog.upsert_many("acct-1", [_product("MUG")])
            await u.commit()
        assert await reenrich_open_orders("acct-1", ["MUG"], uow=uow_factory, clock=FixedClock(at(5))) == 3
        ids = [refused.order.id, pending.order.id, ready.order.id]
        after = await read(uow_factory, lambda u: u.orders.get_many(ids))
        for record in after.values():  # every one filled, the refused one too
            assert OrderFlag.unknown_sku not in record.order.flags and record.modified_at == at(5)
        async with uow_factory() as u:
            decisions = {
                m.subject_id: payload_of(m, DecisionPayload) for i in ids for m in await u.outbox.find(subject_id=i)
            }
        assert decisions[refused.order.id].accept is False and decisions[refused.order.id].by == "seller"
        assert decisions[pending.order.id].accept is True and decisions[pending.order.id].by == "policy"
        assert set(decisions) == {refused.order.id, pending.order.id}
        accepted = await read(uow_factory, lambda u: u.activity.list_for_order(pending.order.id))
        assert [a.kind for a in accepted] == [ActivityKind.accepted]
        assert await read(uow_factory, lambda u: u.activity.list_for_order(refused.order.id)) == []


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
