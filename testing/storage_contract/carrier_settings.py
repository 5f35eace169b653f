"""Contract: an account's own carrier settings round-trip with their secrets, one per (account, carrier)."""

from __future__ import annotations

from typing import Any

from portside.core.model import CarrierAccountSettings, PickupCarrier
from portside.core.ports import UnitOfWorkFactory

from ._support import at, committed, read

SECRET = "pr1vate-key-do-not-leak"


def make_carrier_settings(
    account_id: str = "acct-1", carrier: PickupCarrier = PickupCarrier.mondial_relay, minute: float = 0, **settings: Any
) -> CarrierAccountSettings:
    values = settings or {"enseigne": "BDTEST13", "private_key": SECRET, "url": "http://127.0.0.1:9/mr", "nested": [1]}
    return CarrierAccountSettings(account_id=account_id, carrier=carrier, settings=values, updated_at=at(minute))


class CarrierSettingsContract:
    async def test_settings_round_trip_and_put_replaces(self, uow_factory: UnitOfWorkFactory) -> None:
        first = make_carrier_settings()
        await committed(uow_factory, lambda u: u.carrier_settings.put(first))
        assert await read(uow_factory, lambda u: u.carrier_settings.get("acct-1", "mondial_relay")) == first
        replaced = make_carrier_settings(minute=5, enseigne="BDTEST22", private_key="another-key")
        await committed(uow_factory, lambda u: u.carrier_settings.put(replaced))
        got = await read(uow_factory, lambda u: u.carrier_settings.get("acct-1", PickupCarrier.mondial_relay))
        assert got == replaced
        assert got is not None and got.settings == {"enseigne": "BDTEST22", "private_key": "another-key"}

    async def test_each_account_sees_only_its_own(self, uow_factory: UnitOfWorkFactory) -> None:
        mine = [
            make_carrier_settings("a", PickupCarrier.mondial_relay),
            make_carrier_settings("a", PickupCarrier.colissimo, account="123456", password="pw-123"),
        ]
        theirs = make_carrier_settings("b", PickupCarrier.mondial_relay, enseigne="BDTEST99", private_key="k")
        for item in (*mine, theirs):
            await committed(uow_factory, lambda u, item=item: u.carrier_settings.put(item))  # type: ignore[misc]
        assert await read(uow_factory, lambda u: u.carrier_settings.find("a")) == sorted(mine, key=lambda s: s.carrier)
        assert await read(uow_factory, lambda u: u.carrier_settings.find("b")) == [theirs]
        assert await read(uow_factory, lambda u: u.carrier_settings.find("nobody")) == []
        assert await read(uow_factory, lambda u: u.carrier_settings.get("b", "colissimo")) is None

    async def test_delete_says_whether_there_was_something(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.carrier_settings.put(make_carrier_settings("a")))
        await committed(uow_factory, lambda u: u.carrier_settings.put(make_carrier_settings("b")))
        assert await committed(uow_factory, lambda u: u.carrier_settings.delete("a", "mondial_relay")) is True
        assert await committed(uow_factory, lambda u: u.carrier_settings.delete("a", "mondial_relay")) is False
        assert await read(uow_factory, lambda u: u.carrier_settings.get("a", "mondial_relay")) is None
        assert await read(uow_factory, lambda u: u.carrier_settings.get("b", "mondial_relay")) is not None

    async def test_uncommitted_changes_are_dropped(self, uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as u:
            await u.carrier_settings.put(make_carrier_settings())
        assert await read(uow_factory, lambda u: u.carrier_settings.find("acct-1")) == []

    async def test_a_callers_dict_is_not_shared_with_storage(self, uow_factory: UnitOfWorkFactory) -> None:
        item = make_carrier_settings()
        await committed(uow_factory, lambda u: u.carrier_settings.put(item))
        item.settings["private_key"] = "changed after put"
        got = await read(uow_factory, lambda u: u.carrier_settings.get("acct-1", "mondial_relay"))
        assert got is not None and got.settings["private_key"] == SECRET
        got.settings["private_key"] = "changed after get"
        again = await read(uow_factory, lambda u: u.carrier_settings.get("acct-1", "mondial_relay"))
        assert again is not None and again.settings["private_key"] == SECRET
