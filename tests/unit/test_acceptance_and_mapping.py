"""Accept/refuse through the outbox, the auto-accept policy, and changing a store's status mapping."""

from __future__ import annotations

import contextlib
import random
from datetime import timedelta

import msgspec
import pytest

from portside.core.errors import Conflict
from portside.core.model import AcceptancePolicy, OrderStatus, OutboxKind, OutboxStatus, Product, Store
from portside.core.ports import OrderQuery, OrderRecord
from portside.core.services import (
    AcceptanceHandler,
    decide_order,
    dispatch_outbox,
    import_orders,
    set_status_mapping,
)
from portside.core.services.stores import StoreChanges, update_store
from portside.testing.fake_channel import FAKE_STATUSES, FakeChannelPlugin
from portside.testing.orders import make_order


class OneChannel:
    def __init__(self, channel) -> None:
        self.channel = channel

    async def for_store(self, store_id: str):
        return self.channel.bundle()


async def relay(storage, clock, channel):
    handlers = {OutboxKind.acceptance: AcceptanceHandler(uow=storage, channels=OneChannel(channel))}
    return await dispatch_outbox(uow=storage, handlers=handlers, clock=clock, owner="r", rng=random.Random(1))


async def put(storage, clock, *orders):
    async with storage() as u:
        await u.orders.save_many([OrderRecord(order=o, content_hash=b"h", modified_at=clock.now()) for o in orders])
        await u.commit()


async def test_accepting_queues_one_decision_that_reaches_the_channel_once(
    storage, clock, channel, market, store
) -> None:
    order = make_order(store.id, "W1", status="WaitingAcceptance", core_status=OrderStatus.awaiting_acceptance)
    market.put(order)
    await put(storage, clock, order)

    first = await decide_order(order.id, accept=True, uow=storage, clock=clock, acceptance_supported=True)
    second = await decide_order(order.id, accept=True, uow=storage, clock=clock, acceptance_supported=True)
    with pytest.raises(Conflict, match="already accepted"):
        await decide_order(order.id, accept=False, uow=storage, clock=clock, acceptance_supported=True)

    assert first.id == second.id
    async with storage() as u:
        assert "decision_pending" in (await u.orders.get(order.id)).order.flags  # visible until the next sync
    market.faults.decide_lost_answer = 1
    assert (await relay(storage, clock, channel)).retrying == 1
    clock.advance(hours=1)
    assert (await relay(storage, clock, channel)).delivered == 1
    assert market.decisions == {"W1": True}
    async with storage() as u:
        kinds = [a.kind for a in await u.activity.list_for_order(order.id)]
    assert kinds == ["accepted", "notification_failed", "notification_delivered"]


async def test_only_orders_awaiting_acceptance_can_be_decided(storage, clock, store) -> None:
    order = make_order(store.id, "R1")
    await put(storage, clock, order)
    with pytest.raises(Conflict, match="not awaiting acceptance"):
        await decide_order(order.id, accept=False, uow=storage, clock=clock, acceptance_supported=True)
    with pytest.raises(Conflict, match="does not let sellers"):
        await decide_order(order.id, accept=False, uow=storage, clock=clock, acceptance_supported=False)


async def test_auto_accept_policy_accepts_orders_whose_skus_are_all_known(
    storage, clock, channel, market, store
) -> None:
    store = msgspec.structs.replace(store, acceptance_policy=AcceptancePolicy.auto_known_skus)
    waiting = {"status": "WaitingAcceptance", "core_status": OrderStatus.awaiting_acceptance}
    known = make_order(store.id, "K1", skus=("MUG",), updated_at=clock.now() - timedelta(hours=1), **waiting)
    unknown = make_order(store.id, "K2", skus=("GHOST",), updated_at=clock.now() - timedelta(hours=1), **waiting)
    market.put(known, unknown)
    async with storage() as u:
        await u.catalog.upsert_many(store.account_id, [Product(sku="MUG")])
        await u.commit()

    await import_orders(store, source=channel, uow=storage, clock=clock, status_defaults=FAKE_STATUSES, owner="w")
    await relay(storage, clock, channel)

    assert market.decisions == {"K1": True}
    async with storage() as u:
        (message,) = await u.outbox.find()
    assert message.status == OutboxStatus.delivered and message.payload["by"] == "policy"


async def test_a_new_status_mapping_is_applied_to_stored_orders(storage, clock, store) -> None:
    orders = [
        make_order(store.id, f"M{i}", status="Pending", core_status=OrderStatus.awaiting_payment) for i in range(3)
    ]
    shipped = make_order(store.id, "M9", status="Pending", core_status=OrderStatus.shipped)
    await put(storage, clock, *orders, shipped)

    mapping, changed = await set_status_mapping(
        store.id, {"Pending": OrderStatus.awaiting_shipment}, uow=storage, clock=clock, defaults=FAKE_STATUSES
    )

    assert changed == 3 and mapping.resolve("Pending") == OrderStatus.awaiting_shipment
    async with storage() as u:
        statuses = {r.order.channel_order_id: r.order.status for r in await u.orders.find(OrderQuery(limit=10))}
        assert (await u.stores.get(store.id)).status_overrides == {"Pending": OrderStatus.awaiting_shipment}
    assert statuses == {
        "M0": "awaiting_shipment",
        "M1": "awaiting_shipment",
        "M2": "awaiting_shipment",
        "M9": "shipped",
    }


class ChangedAfterFirstRead:
    """The storage, where someone else commits ``change`` to the store as the second unit of work opens:
    after the mapping change read the store, while it scans the orders (PATCH /v1/stores meanwhile)."""

    def __init__(self, storage, change) -> None:
        self.storage, self.change, self.calls = storage, change, 0

    def __call__(self):
        self.calls += 1
        return self._changing() if self.calls == 2 else self.storage()

    @contextlib.asynccontextmanager
    async def _changing(self):
        async with self.storage() as other:
            store = await other.stores.get("store-1", for_update=True)
            await other.stores.update(self.change(store))
            await other.commit()
        async with self.storage() as u:
            yield u


async def test_a_store_change_committed_while_the_mapping_is_checked_survives(storage, clock, store) -> None:
    # An order carries a status the channel does not list: the new mapping's check scans the orders.
    await put(storage, clock, make_order(store.id, "M1", status="Mystery", core_status=OrderStatus.on_hold))
    deactivated = ChangedAfterFirstRead(
        storage, lambda s: msgspec.structs.replace(s, active=False, name="Old shop", credentials={"secret": "new"})
    )

    await set_status_mapping(
        store.id, {"Mystery": OrderStatus.awaiting_shipment}, uow=deactivated, clock=clock, defaults=FAKE_STATUSES
    )

    assert deactivated.calls > 2
    async with storage() as u:
        saved = await u.stores.get(store.id)
    assert saved.status_overrides == {"Mystery": OrderStatus.awaiting_shipment}
    assert (saved.active, saved.name, saved.credentials) == (False, "Old shop", {"secret": "new"})


async def test_a_status_mapping_saved_while_a_store_change_is_verified_survives(storage, clock, store) -> None:
    async def verify_while_the_mapping_changes(changed: Store) -> None:
        # PATCH /v1/stores asks the marketplace about new credentials; PUT status-mapping lands meanwhile.
        await set_status_mapping(
            store.id, {"Pending": OrderStatus.awaiting_shipment}, uow=storage, clock=clock, defaults=FAKE_STATUSES
        )

    changes = StoreChanges(credentials={"secret": "rotated"})
    updated = await _patch(storage, clock, store, changes, verify_while_the_mapping_changes)

    async with storage() as u:
        saved = await u.stores.get(store.id)
    assert saved == updated
    assert saved.credentials == {"secret": "rotated"}
    assert saved.status_overrides == {"Pending": OrderStatus.awaiting_shipment}


async def _patch(storage, clock, store, changes: StoreChanges, verify) -> Store:
    """PATCH /v1/stores/{id} with ``changes``; ``verify`` stands for the marketplace's check."""
    channels = {"fake": FakeChannelPlugin()}
    return await update_store(
        store.account_id, store.id, changes, channels=channels, verify=verify, uow=storage, clock=clock
    )


async def _patch_while_verifying(storage, clock, store, changes: StoreChanges, meanwhile: StoreChanges) -> Store:
    """PATCH ``changes``, while a second PATCH (``meanwhile``) lands as the marketplace is asked."""

    async def verify(changed: Store) -> None:
        await _patch(storage, clock, store, meanwhile, lambda s: _nothing())

    return await _patch(storage, clock, store, changes, verify)


async def _nothing() -> None:
    return None


async def test_a_store_deactivated_while_new_credentials_are_verified_stays_deactivated(storage, clock, store) -> None:
    updated = await _patch_while_verifying(
        storage,
        clock,
        store,
        StoreChanges(name="Renamed", credentials={"secret": "rotated"}),
        StoreChanges(active=False),
    )

    async with storage() as u:
        saved = await u.stores.get(store.id)
    assert saved == updated
    assert (saved.active, saved.name, saved.credentials) == (False, "Renamed", {"secret": "rotated"})


async def test_credentials_nobody_verified_are_refused_when_another_request_changed_them(storage, clock, store) -> None:
    # This request rotates the secret and proves it with the old client id; another one changes the
    # client id meanwhile: the two together were never proven, and are not saved.
    async with storage() as u:
        await u.stores.update(msgspec.structs.replace(store, credentials={"client_id": "a", "secret": "old"}))
        await u.commit()
    with pytest.raises(Conflict, match="changed by another request"):
        await _patch_while_verifying(
            storage,
            clock,
            store,
            StoreChanges(credentials={"secret": "rotated"}),
            StoreChanges(credentials={"client_id": "b"}),
        )

    async with storage() as u:
        saved = await u.stores.get(store.id)
    assert saved.credentials == {"client_id": "b", "secret": "old"} and saved.active
