"""Each account's directories: its own settings win, removing them falls back on the service's, new
settings build a new directory (bounded), answers are cached apart, and secrets never show."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from portside.adapters.carriers import ColissimoSettings, MondialRelaySettings
from portside.adapters.memory import MemoryStorage
from portside.core.errors import DirectoryError
from portside.core.model import CarrierAccountSettings, PickupCarrier, PickupPoint
from portside.core.ports import PickupPointDirectory
from portside.entrypoints.config import Settings
from portside.entrypoints.container import account_directories
from portside.entrypoints.directories import AccountDirectories, StaticDirectories, UnusableDirectory
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.fake_directory import FakeDirectory

from .helpers import make_app

MR = PickupCarrier.mondial_relay
SERVICE_KEY = "service-key-1f2e"
OWN_KEY = "own-key-9a8b7c"


class Builder:
    """Builds fake directories whose points are named after the Enseigne they were built with."""

    def __init__(self) -> None:
        self.built: list[Any] = []

    def __call__(self, carrier: PickupCarrier, settings: Any) -> PickupPointDirectory:
        self.built.append(settings)
        name = f"POINT OF {settings.enseigne.strip()}"
        return FakeDirectory(carrier, [PickupPoint(carrier=carrier, point_id="005680", name=name)])


@pytest.fixture
def builder() -> Builder:
    return Builder()


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


def provider(storage: MemoryStorage, clock: FixedClock, builder: Builder, **kw: Any) -> AccountDirectories:
    service = {MR: MondialRelaySettings(enseigne="BDTEST13", private_key=SERVICE_KEY)}
    return AccountDirectories(service=service, build=builder, uow=storage, clock=clock, **kw)


async def set_own(storage: MemoryStorage, clock: FixedClock, account_id: str, **settings: Any) -> None:
    values = {"enseigne": "OWNACC01", "private_key": OWN_KEY, **settings}
    item = CarrierAccountSettings(account_id=account_id, carrier=MR, settings=values, updated_at=clock.now())
    async with storage() as u:
        await u.carrier_settings.put(item)
        await u.commit()


async def remove_own(storage: MemoryStorage, account_id: str) -> None:
    async with storage() as u:
        await u.carrier_settings.delete(account_id, MR)
        await u.commit()


async def point_name(directories: AccountDirectories, account_id: str) -> str | None:
    point = await (await directories.for_account(account_id))[MR].get("5680", "FR")
    return None if point is None else point.name


async def test_an_accounts_own_settings_win_and_others_keep_the_services(
    storage: MemoryStorage, clock: FixedClock, builder: Builder
) -> None:
    directories = provider(storage, clock, builder)
    await set_own(storage, clock, "alice")
    assert await point_name(directories, "alice") == "POINT OF OWNACC01"
    assert await point_name(directories, "bob") == "POINT OF BDTEST13"
    assert set(await directories.for_account("bob")) == {MR}  # no Colissimo: neither the service nor Bob has one
    assert directories.service_carriers == frozenset({MR})


async def test_removing_them_falls_back_on_the_service(
    storage: MemoryStorage, clock: FixedClock, builder: Builder
) -> None:
    directories = provider(storage, clock, builder)
    await set_own(storage, clock, "alice")
    assert await point_name(directories, "alice") == "POINT OF OWNACC01"
    await remove_own(storage, "alice")
    assert await point_name(directories, "alice") == "POINT OF BDTEST13"


async def test_a_carrier_only_the_account_configured_is_its_alone(
    storage: MemoryStorage, clock: FixedClock, builder: Builder
) -> None:
    directories = AccountDirectories(service={}, build=builder, uow=storage, clock=clock)
    await set_own(storage, clock, "alice")
    assert set(await directories.for_account("alice")) == {MR}
    assert await directories.for_account("bob") == {}


async def test_the_same_settings_reuse_the_directory_and_new_ones_rebuild_it(
    storage: MemoryStorage, clock: FixedClock, builder: Builder
) -> None:
    directories = provider(storage, clock, builder)
    await set_own(storage, clock, "alice")
    first = (await directories.for_account("alice"))[MR]
    assert (await directories.for_account("alice"))[MR] is first
    await set_own(storage, clock, "alice", private_key="rotated-key-42")  # same Enseigne, new key
    second = (await directories.for_account("alice"))[MR]
    assert second is not first
    assert [s.private_key for s in builder.built] == [SERVICE_KEY, OWN_KEY, "rotated-key-42"]


async def test_account_directories_are_bounded_least_recently_used_first(
    storage: MemoryStorage, clock: FixedClock, builder: Builder
) -> None:
    directories = provider(storage, clock, builder, max_entries=2)
    for account in ("a", "b", "c"):
        await set_own(storage, clock, account)
    a = (await directories.for_account("a"))[MR]
    b = (await directories.for_account("b"))[MR]
    assert (await directories.for_account("a"))[MR] is a  # a is now the most recently used
    await directories.for_account("c")  # evicts b
    assert (await directories.for_account("a"))[MR] is a
    assert (await directories.for_account("b"))[MR] is not b
    assert len(builder.built) == 1 + 4  # the service's, then a, b, c and b again


async def test_answers_are_cached_apart_from_the_services(
    storage: MemoryStorage, clock: FixedClock, builder: Builder
) -> None:
    """An account's endpoint (a sandbox, a server it controls) never feeds what other accounts read."""
    directories = provider(storage, clock, builder)
    await set_own(storage, clock, "mallory", enseigne="EVILXX01")
    assert await point_name(directories, "mallory") == "POINT OF EVILXX01"
    assert await point_name(directories, "alice") == "POINT OF BDTEST13"
    async with storage() as u:
        keys = sorted({carrier for carrier, _, _ in u._working.pickup_cache})  # type: ignore[union-attr]
    assert keys[0] == "mondial_relay" and keys[1].startswith("mondial_relay@mallory:") and len(keys) == 2
    assert OWN_KEY not in keys[1]


async def test_stored_settings_that_no_longer_decode_make_an_unusable_directory(
    storage: MemoryStorage, clock: FixedClock, builder: Builder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    directories = provider(storage, clock, builder)
    await set_own(storage, clock, "alice", enseigne="nope!", private_key="secret-in-a-bad-row")
    found = (await directories.for_account("alice"))[MR]
    assert isinstance(found, UnusableDirectory)
    with pytest.raises(DirectoryError, match="PUT /v1/carriers/mondial_relay/settings"):
        await found.get("005680", "FR")
    assert "settings.enseigne" in caplog.text and "secret-in-a-bad-row" not in caplog.text


async def test_secrets_never_show_in_reprs_or_logs(
    storage: MemoryStorage, clock: FixedClock, builder: Builder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    directories = provider(storage, clock, builder)
    await set_own(storage, clock, "alice")
    async with storage() as u:
        (item,) = await u.carrier_settings.find("alice")
    await point_name(directories, "alice")
    for text in (repr(item), str(item), repr(directories), caplog.text):
        assert OWN_KEY not in text and SERVICE_KEY not in text, text
    assert "settings=***" in repr(item)


async def test_a_fixed_mapping_serves_every_account_alike(storage: MemoryStorage, builder: Builder) -> None:
    fixed = builder(MR, MondialRelaySettings(enseigne="BDTEST13", private_key="k"))
    static = StaticDirectories({MR: fixed})
    assert await static.for_account("a") == await static.for_account("b") == {MR: fixed}
    assert static.service_carriers == frozenset({MR}) and set(static.kinds) == {MR, PickupCarrier.colissimo}
    await static.verify(MR, object())  # nothing to prove against
    app = make_app(storage, FakeChannelPlugin())  # a plain mapping ({}) still builds a Portside
    assert isinstance(app.directories, StaticDirectories) and await app.directories.for_account("a") == {}


def test_the_container_builds_the_services_directories_from_the_environment(http_client: Any) -> None:
    settings = Settings(
        mondial_relay_enseigne="BDTEST13",
        mondial_relay_private_key="TestAPI1key",
        colissimo_api_key="an-api-key",
        colissimo_url="http://127.0.0.1:9/pointretrait",
    )
    directories = account_directories(settings, http_client, MemoryStorage(), FixedClock())
    assert directories.service_carriers == frozenset({MR, PickupCarrier.colissimo})
    bare = account_directories(Settings(), http_client, MemoryStorage(), FixedClock())
    assert bare.service_carriers == frozenset()
    assert bare.kinds[PickupCarrier.colissimo].settings_type is ColissimoSettings
