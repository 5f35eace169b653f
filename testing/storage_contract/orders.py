"""Contract: orders upsert by id, are found by channel id, and page by (modified_at, id) with filters."""

from __future__ import annotations

from datetime import datetime

import msgspec
import pytest

from portside.core.errors import Conflict
from portside.core.model import OrderFlag, OrderStatus, PickupCarrier, order_id_for
from portside.core.ports import OrderQuery, OrderRecord, UnitOfWork, UnitOfWorkFactory
from portside.testing.orders import make_order

from ._support import at, committed, make_record, read


async def _save(uow_factory: UnitOfWorkFactory, *records: OrderRecord) -> None:
    await committed(uow_factory, lambda u: u.orders.save_many(list(records)))


def _ids(records: list[OrderRecord]) -> list[str]:
    return [r.order.channel_order_id for r in records]


async def _find(uow_factory: UnitOfWorkFactory, **query: object) -> list[str]:
    q = msgspec.convert(query, OrderQuery)
    return _ids(await read(uow_factory, lambda u: u.orders.find(q)))


class OrderContract:
    async def test_insert_many_stores_new_orders_and_refuses_stored_ones(self, uow_factory: UnitOfWorkFactory) -> None:
        rich = msgspec.structs.replace(
            make_order("s1", "NEW-1", lines=2, pickup=PickupCarrier.colissimo), flags=(OrderFlag.unknown_sku.value,)
        )
        records = [make_record(rich, modified_at=at(1)), make_record(make_order("s1", "NEW-2"), modified_at=at(2))]
        await committed(uow_factory, lambda u: u.orders.insert_many(records))
        await committed(uow_factory, lambda u: u.orders.insert_many([]))
        assert await read(uow_factory, lambda u: u.orders.get(rich.id)) == records[0]
        assert await read(uow_factory, lambda u: u.orders.get_hashes("s1", ["NEW-1", "NEW-2"])) == {
            "NEW-1": records[0].content_hash,
            "NEW-2": records[1].content_hash,
        }
        assert await read(uow_factory, lambda u: u.orders.list_flagged("s1", OrderFlag.unknown_sku.value, 10)) == [
            records[0]
        ]
        again = [make_record(make_order("s1", "NEW-3")), make_record(rich, modified_at=at(9))]
        with pytest.raises(Conflict):
            await committed(uow_factory, lambda u: u.orders.insert_many(again))
        assert await read(uow_factory, lambda u: u.orders.get_hashes("s1", ["NEW-3"])) == {}  # nothing of it kept

    async def test_round_trips_a_rich_order(self, uow_factory: UnitOfWorkFactory) -> None:
        order = msgspec.structs.replace(
            make_order("s1", "CD-1", lines=3, pickup=PickupCarrier.mondial_relay),
            flags=(OrderFlag.unknown_sku.value, OrderFlag.pickup_point_unverified.value),
            label_hints={"ModeLiv": "24R", "LIV_Rel": "012345"},
            gift=True,
            internal_notes="fragile",
        )
        record = make_record(order, modified_at=at(5), content_hash=bytes(range(32)))
        await _save(uow_factory, record)
        got = await read(uow_factory, lambda u: u.orders.get(order.id))
        assert got == record
        assert got is not None and got.modified_at.utcoffset() is not None

    async def test_get_many_finds_the_stored_ones(self, uow_factory: UnitOfWorkFactory) -> None:
        first, second = make_record(make_order("s1", "CD-1")), make_record(make_order("s2", "CD-2"), modified_at=at(3))
        await _save(uow_factory, first, second)
        ids = [second.order.id, order_id_for("s1", "nope"), first.order.id]
        found = await read(uow_factory, lambda u: u.orders.get_many(ids))
        assert found == {first.order.id: first, second.order.id: second}
        assert await read(uow_factory, lambda u: u.orders.get_many([])) == {}

    async def test_get_unknown_is_none(self, uow_factory: UnitOfWorkFactory) -> None:
        assert await read(uow_factory, lambda u: u.orders.get(order_id_for("s1", "nope"))) is None

    async def test_save_many_upserts_by_id(self, uow_factory: UnitOfWorkFactory) -> None:
        first = make_order("s1", "CD-1")
        await _save(uow_factory, make_record(first), make_record(make_order("s1", "CD-2")))
        shipped = msgspec.structs.replace(first, status=OrderStatus.shipped, channel_status="Shipped")
        changed = make_record(shipped, modified_at=at(10), content_hash=b"new")
        await _save(uow_factory, changed)
        assert await read(uow_factory, lambda u: u.orders.get(first.id)) == changed
        assert await read(uow_factory, lambda u: u.orders.count()) == 2

    async def test_save_many_keeps_the_last_of_one_order_saved_twice(self, uow_factory: UnitOfWorkFactory) -> None:
        order = make_order("s1", "CD-1")
        last = make_record(order, modified_at=at(2), content_hash=b"second")
        await _save(uow_factory, make_record(order, modified_at=at(1), content_hash=b"first"), last)
        assert await read(uow_factory, lambda u: u.orders.get(order.id)) == last

    async def test_save_many_of_nothing_is_a_no_op(self, uow_factory: UnitOfWorkFactory) -> None:
        await _save(uow_factory)
        assert await read(uow_factory, lambda u: u.orders.count()) == 0

    async def test_get_by_channel_ids_in_one_store(self, uow_factory: UnitOfWorkFactory) -> None:
        a, b = make_order("s1", "CD-1"), make_order("s1", "CD-2")
        elsewhere = make_order("s2", "CD-1")
        await _save(uow_factory, make_record(a), make_record(b), make_record(elsewhere))
        found = await read(uow_factory, lambda u: u.orders.get_by_channel_ids("s1", ["CD-1", "CD-3", "CD-2"]))
        assert sorted(found) == ["CD-1", "CD-2"]
        assert found["CD-1"].order == a and found["CD-2"].order == b
        assert await read(uow_factory, lambda u: u.orders.get_by_channel_ids("s1", [])) == {}
        locked = await read(uow_factory, lambda u: u.orders.get_by_channel_ids("s1", ["CD-2"], for_update=True))
        assert locked == {"CD-2": found["CD-2"]}
        assert await read(uow_factory, lambda u: u.orders.get(a.id, for_update=True)) == found["CD-1"]

    async def test_get_hashes_in_one_store(self, uow_factory: UnitOfWorkFactory) -> None:
        await _save(
            uow_factory,
            make_record(make_order("s1", "CD-1"), content_hash=b"one"),
            make_record(make_order("s1", "CD-2"), content_hash=b"two"),
            make_record(make_order("s2", "CD-3"), content_hash=b"three"),
        )
        hashes = await read(uow_factory, lambda u: u.orders.get_hashes("s1", ["CD-1", "CD-2", "CD-3"]))
        assert hashes == {"CD-1": b"one", "CD-2": b"two"}

    async def test_find_orders_by_modified_at_then_id(self, uow_factory: UnitOfWorkFactory) -> None:
        orders = [make_order("s1", f"CD-{i}") for i in range(6)]
        # Three share one modified_at: the id decides their order.
        times = [at(3), at(1), at(2), at(2), at(2), at(0)]
        await _save(uow_factory, *(make_record(o, modified_at=t) for o, t in zip(orders, times, strict=True)))
        expected = [
            o.channel_order_id for o, _ in sorted(zip(orders, times, strict=True), key=lambda p: (p[1], p[0].id))
        ]
        assert await _find(uow_factory) == expected

    async def test_keyset_pages_see_every_order_once(self, uow_factory: UnitOfWorkFactory) -> None:
        orders = [make_order("s1", f"CD-{i:02d}") for i in range(11)]
        await _save(uow_factory, *(make_record(o, modified_at=at(i // 3)) for i, o in enumerate(orders)))

        async def page_after(after: tuple[datetime, str] | None) -> list[OrderRecord]:
            return await read(uow_factory, lambda u: u.orders.find(OrderQuery(after=after, limit=4)))

        seen: list[str] = []
        after: tuple[datetime, str] | None = None
        while True:
            page = await page_after(after)
            assert len(page) <= 4
            if not page:
                break
            seen += _ids(page)
            after = (page[-1].modified_at, page[-1].order.id)
        assert sorted(seen) == sorted(o.channel_order_id for o in orders)
        assert len(seen) == len(set(seen))

    async def test_find_filters(self, uow_factory: UnitOfWorkFactory) -> None:
        shipped = OrderStatus.shipped
        records = [
            make_record(make_order("s1", "A"), modified_at=at(0)),
            make_record(make_order("s1", "B", core_status=shipped), modified_at=at(1)),
            make_record(make_order("s2", "C", pickup=PickupCarrier.colissimo), modified_at=at(2)),
            make_record(make_order("s3", "D", pickup=PickupCarrier.mondial_relay), modified_at=at(3)),
        ]
        await _save(uow_factory, *records)
        assert await _find(uow_factory, store_ids=["s1", "s3"]) == ["A", "B", "D"]
        assert await _find(uow_factory, store_ids=[]) == []
        assert await _find(uow_factory, statuses=["shipped"]) == ["B"]
        assert await _find(uow_factory, statuses=["shipped", "awaiting_shipment"]) == ["A", "B", "C", "D"]
        assert await _find(uow_factory, modified_since=at(1)) == ["B", "C", "D"]  # inclusive
        assert await _find(uow_factory, pickup_carrier="mondial_relay") == ["D"]
        assert await _find(uow_factory, store_ids=["s1"], statuses=["awaiting_shipment"]) == ["A"]
        assert await _find(uow_factory, limit=2) == ["A", "B"]

    async def test_find_by_line_skus(self, uow_factory: UnitOfWorkFactory) -> None:
        await _save(
            uow_factory,
            make_record(make_order("s1", "A", lines=2, skus=("MUG", "CUP")), modified_at=at(0)),
            make_record(make_order("s1", "B", skus=("PLATE",)), modified_at=at(1)),
            make_record(make_order("s2", "C", skus=("CUP",)), modified_at=at(2)),
            make_record(make_order("s2", "D", skus=("MUG-2",)), modified_at=at(3)),
            make_record(make_order("s2", "E", skus=('Tasse "Été" 25cl',)), modified_at=at(4)),
        )
        assert await _find(uow_factory, skus=["CUP"]) == ["A", "C"]
        assert await _find(uow_factory, skus=['Tasse "Été" 25cl']) == ["E"]
        assert await _find(uow_factory, skus=["MUG", "PLATE"]) == ["A", "B"]  # exact SKUs, not prefixes
        assert await _find(uow_factory, skus=["CUP"], store_ids=["s2"]) == ["C"]
        assert await _find(uow_factory, skus=["NONE"]) == []
        assert await _find(uow_factory, skus=[]) == []
        assert await _find(uow_factory, skus=["CUP"], statuses=["shipped"]) == []
        assert await _find(uow_factory, skus=["cup", "Mug", " CUP"]) == []  # exact, case and spaces included
        assert await _find(uow_factory, skus=["PLATE", "PLATE", ""]) == ["B"]
        # A bulk import's worth of SKUs, the matching ones last: each line is looked up, not compared
        # with every SKU, and the answer is the same.
        many = [f"SKU-{i:05d}" for i in range(20_000)]
        assert await _find(uow_factory, skus=[*many, "MUG-2", "CUP"]) == ["A", "C", "D"]

    async def test_list_flagged(self, uow_factory: UnitOfWorkFactory) -> None:
        unmapped = OrderFlag.unmapped_status.value

        def flagged(store_id: str, channel_id: str, *flags: str, minute: int = 0) -> OrderRecord:
            return make_record(
                msgspec.structs.replace(make_order(store_id, channel_id), flags=flags), modified_at=at(minute)
            )

        await _save(
            uow_factory,
            flagged("s1", "A", unmapped, minute=2),
            flagged("s1", "B", OrderFlag.unknown_sku.value, unmapped, minute=1),
            flagged("s1", "C", OrderFlag.unknown_sku.value),
            flagged("s1", "D"),
            flagged("s2", "E", unmapped),
        )

        async def listed(u: UnitOfWork, limit: int) -> list[str]:
            return _ids(await u.orders.list_flagged("s1", unmapped, limit))

        assert await read(uow_factory, lambda u: listed(u, 10)) == ["B", "A"]
        assert await read(uow_factory, lambda u: listed(u, 1)) == ["B"]

    async def test_count_all_or_per_store(self, uow_factory: UnitOfWorkFactory) -> None:
        await _save(uow_factory, *(make_record(make_order(s, f"CD-{i}")) for i, s in enumerate(["s1", "s1", "s2"])))
        assert await read(uow_factory, lambda u: u.orders.count()) == 3
        assert await read(uow_factory, lambda u: u.orders.count("s1")) == 2
        assert await read(uow_factory, lambda u: u.orders.count("s9")) == 0
