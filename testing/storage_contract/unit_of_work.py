"""Contract: a unit of work commits or discards as one; stores round-trip, credentials included."""

from __future__ import annotations

import msgspec
import pytest

from portside.core.errors import Conflict, NotFound
from portside.core.model import AcceptancePolicy, OrderStatus, Store
from portside.core.ports import UnitOfWork, UnitOfWorkFactory

from ._support import at, committed, held_until_commit, make_store, read


class UnitOfWorkContract:
    async def test_commit_persists(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.stores.add(make_store("s1")))
        assert await read(uow_factory, lambda u: u.stores.get("s1")) == make_store("s1")

    async def test_leaving_without_commit_discards(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await uow.stores.add(make_store("s1"))
        assert await read(uow_factory, lambda u: u.stores.get("s1")) is None

    async def test_an_exception_discards(self, uow_factory: UnitOfWorkFactory) -> None:
        with pytest.raises(RuntimeError, match="boom"):
            async with uow_factory() as uow:
                await uow.stores.add(make_store("s1"))
                raise RuntimeError("boom")
        assert await read(uow_factory, lambda u: u.stores.get("s1")) is None

    async def test_rollback_discards_and_the_unit_goes_on(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await uow.stores.add(make_store("s1"))
            await uow.rollback()
            assert await uow.stores.get("s1") is None
            await uow.stores.add(make_store("s2"))
            await uow.commit()
        stored = await read(uow_factory, lambda u: u.stores.find())
        assert [s.id for s in stored] == ["s2"]

    async def test_commits_several_times_and_discards_only_the_rest(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await uow.stores.add(make_store("s1"))
            await uow.commit()
            await uow.stores.add(make_store("s2"))
            await uow.commit()
            await uow.stores.add(make_store("s3"))
        stored = await read(uow_factory, lambda u: u.stores.find())
        assert [s.id for s in stored] == ["s1", "s2"]

    async def test_a_relaxed_unit_still_commits_and_rolls_back_as_a_whole(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            uow.relax_durability()
            await uow.stores.add(make_store("s1"))
            await uow.commit()
            await uow.stores.add(make_store("s2"))
            await uow.rollback()
            await uow.stores.add(make_store("s3"))
            await uow.commit()
        stored = await read(uow_factory, lambda u: u.stores.find())
        assert [s.id for s in stored] == ["s1", "s3"]


class StoreContract:
    async def test_round_trips_every_field(self, uow_factory: UnitOfWorkFactory) -> None:
        store = make_store(
            "s1",
            status_overrides={"Shipped": OrderStatus.shipped},
            acceptance_policy=AcceptancePolicy.auto_known_skus,
            sync_interval_s=300,
            active=False,
        )
        await committed(uow_factory, lambda u: u.stores.add(store))
        got = await read(uow_factory, lambda u: u.stores.get("s1"))
        assert got == store
        assert got is not None and got.credentials == store.credentials
        assert got.created_at.utcoffset() is not None

    async def test_store_without_credentials(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.stores.add(make_store("s1", credentials={})))
        got = await read(uow_factory, lambda u: u.stores.get("s1"))
        assert got is not None and got.credentials == {}

    async def test_get_unknown_is_none(self, uow_factory: UnitOfWorkFactory) -> None:
        assert await read(uow_factory, lambda u: u.stores.get("nope")) is None
        assert await read(uow_factory, lambda u: u.stores.get("nope", for_update=True)) is None

    async def test_get_for_update_holds_another_writer_until_the_end(self, uow_factory: UnitOfWorkFactory) -> None:
        store = make_store("s1")
        await committed(uow_factory, lambda u: u.stores.add(store))

        async def rename() -> None:
            async with uow_factory() as other:
                current = await other.stores.get("s1", for_update=True)
                assert current is not None and current.active is False  # the first writer's change, committed
                await other.stores.update(msgspec.structs.replace(current, name="Renamed"))
                await other.commit()

        async def deactivate(u: UnitOfWork, locked: Store | None) -> None:
            assert locked is not None
            await u.stores.update(msgspec.structs.replace(locked, active=False))

        locked = await held_until_commit(uow_factory, lambda u: u.stores.get("s1", for_update=True), deactivate, rename)
        assert locked == store
        got = await read(uow_factory, lambda u: u.stores.get("s1"))
        assert got is not None and (got.name, got.active) == ("Renamed", False)  # neither change lost

    async def test_add_twice_is_a_conflict(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.stores.add(make_store("s1")))
        with pytest.raises(Conflict):
            await committed(uow_factory, lambda u: u.stores.add(make_store("s1", name="Other")))
        got = await read(uow_factory, lambda u: u.stores.get("s1"))
        assert got is not None and got.name == "Boutique s1"

    async def test_one_seller_key_per_account_and_channel(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.stores.add(make_store("s1", seller_key="k1")))
        with pytest.raises(Conflict):
            await committed(uow_factory, lambda u: u.stores.add(make_store("s2", seller_key="k1")))
        # Another account, another channel, another key or no key at all: all allowed.
        for store in (
            make_store("s3", seller_key="k1", account_id="acct-2"),
            make_store("s4", seller_key="k1", channel="other"),
            make_store("s5", seller_key="k2"),
            make_store("s6"),
            make_store("s7"),
        ):
            async with uow_factory() as u:
                await u.stores.add(store)
                await u.commit()
        stored = await read(uow_factory, lambda u: u.stores.find())
        assert sorted(s.id for s in stored) == ["s1", "s3", "s4", "s5", "s6", "s7"]
        assert next(s for s in stored if s.id == "s1").seller_key == "k1"

    async def test_update_to_a_taken_seller_key_is_a_conflict(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.stores.add(make_store("s1", seller_key="k1")))
        await committed(uow_factory, lambda u: u.stores.add(make_store("s2", seller_key="k2")))
        with pytest.raises(Conflict):
            await committed(uow_factory, lambda u: u.stores.update(make_store("s2", seller_key="k1")))
        got = await read(uow_factory, lambda u: u.stores.get("s2"))
        assert got is not None and got.seller_key == "k2"
        await committed(uow_factory, lambda u: u.stores.update(make_store("s1", seller_key="k1", name="Renamed")))

    async def test_update_replaces(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.stores.add(make_store("s1")))
        changed = msgspec.structs.replace(
            make_store("s1"), name="Renamed", credentials={"client_secret": "rotated"}, active=False
        )
        await committed(uow_factory, lambda u: u.stores.update(changed))
        assert await read(uow_factory, lambda u: u.stores.get("s1")) == changed

    async def test_update_unknown_is_not_found(self, uow_factory: UnitOfWorkFactory) -> None:
        with pytest.raises(NotFound):
            await committed(uow_factory, lambda u: u.stores.update(make_store("ghost")))

    async def test_find_filters_by_account_and_active_in_creation_order(self, uow_factory: UnitOfWorkFactory) -> None:
        stores = [
            make_store("s3", account_id="a1", created_at=at(1)),
            make_store("s1", account_id="a1", created_at=at(2)),
            make_store("s2", account_id="a2", created_at=at(0)),
            make_store("s4", account_id="a1", created_at=at(3), active=False),
        ]
        async with uow_factory() as uow:
            for store in stores:
                await uow.stores.add(store)
            await uow.commit()

        async def ids(account_id: str | None = None, active: bool | None = None) -> list[str]:
            found = await read(uow_factory, lambda u: u.stores.find(account_id=account_id, active=active))
            return [s.id for s in found]

        assert await ids() == ["s2", "s3", "s1", "s4"]
        assert await ids(account_id="a1") == ["s3", "s1", "s4"]
        assert await ids(account_id="a1", active=True) == ["s3", "s1"]
        assert await ids(active=False) == ["s4"]
        assert await ids(account_id="nobody") == []
