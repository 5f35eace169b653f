"""What a pickup point search needs, carrier by carrier, and what to do when no directory is configured."""

from __future__ import annotations

import pytest

from portside.adapters.memory import MemoryStorage
from portside.channels.registry import ChannelRegistry
from portside.core.model import PickupCarrier
from portside.core.services import ImportSettings, RelaySettings
from portside.entrypoints.application import Portside
from portside.entrypoints.channel_provider import StoreChannels
from portside.testing.clock import FixedClock
from portside.testing.fake_channel import FakeChannelPlugin
from portside.testing.fake_directory import FakeDirectory

from .conftest import relay_points
from .support import Answer, Tenant

CONFIGURED = {
    "test_each_carrier_says_what_its_search_needs": (PickupCarrier.colissimo, PickupCarrier.mondial_relay),
    "test_no_directory_at_all_says_how_to_configure_one": (),
}


@pytest.fixture
def portside(
    request: pytest.FixtureRequest, storage: MemoryStorage, clock: FixedClock, plugin: FakeChannelPlugin
) -> Portside:
    carriers = CONFIGURED[request.node.name]
    return Portside(
        uow=storage,
        clock=clock,
        channels=StoreChannels(registry=ChannelRegistry([plugin]), uow=storage, deps=None),  # type: ignore[arg-type]
        directories={c: FakeDirectory(c, relay_points()) for c in carriers},
        worker_id="http-tests",
        import_settings=ImportSettings(),
        relay_settings=RelaySettings(),
    )


async def test_each_carrier_says_what_its_search_needs(alice: Tenant) -> None:
    async def search(**params: str) -> Answer:
        return await alice.api.get("/v1/pickup-points", params={"carrier": "colissimo", **params})

    for alone in ({"postal_code": "75011"}, {"city": "Paris"}, {"lat": "48.857", "lon": "2.371"}):
        problem = (await search(**alone)).problem(422)
        assert "Colissimo searches need a postal_code and a city" in problem["detail"], alone
        assert set(problem["errors"]) == {"postal_code", "city"} - set(alone)
    assert (await search(postal_code="75011", city="Paris")).status == 200
    # Mondial Relay searches from any one of them.
    for alone in ({"postal_code": "75011"}, {"city": "Paris"}, {"lat": "48.857", "lon": "2.371"}):
        answer = await alice.api.get("/v1/pickup-points", params={"carrier": "mondial_relay", **alone})
        assert answer.status == 200, (alone, answer.body)
    nowhere = (await alice.api.get("/v1/pickup-points", params={"carrier": "mondial_relay"})).problem(422)
    assert "postal_code" in nowhere["detail"] and "lat and lon" in nowhere["detail"]


async def test_no_directory_at_all_says_how_to_configure_one(alice: Tenant) -> None:
    problem = (await alice.api.get("/v1/pickup-points", params={"carrier": "colissimo", "city": "Paris"})).problem(422)
    assert "no pickup point directory is configured" in problem["detail"]
    assert "PUT /v1/carriers/colissimo/settings" in problem["detail"] and "docs/operations.md" in problem["detail"]
    assert problem["errors"]["carrier"] != "one of: "
