"""Pickup points over the API, from a fake carrier directory: search, look up, not found, directory down."""

from __future__ import annotations

from portside.testing.fake_directory import FakeDirectory

from .support import Tenant


async def test_search_near_coordinates_nearest_first(alice: Tenant) -> None:
    answer = await alice.api.get(
        "/v1/pickup-points", params={"carrier": "mondial_relay", "lat": "48.857", "lon": "2.371", "limit": "2"}
    )
    assert answer.status == 200, answer.body
    assert [p["point_id"] for p in answer.json["items"]] == ["005680", "012345"]
    by_postcode = await alice.api.get("/v1/pickup-points", params={"carrier": "mondial_relay", "postal_code": "69003"})
    assert [p["point_id"] for p in by_postcode.json["items"]] == ["077777"]


async def test_search_needs_a_place_and_a_known_carrier(alice: Tenant) -> None:
    nowhere = (await alice.api.get("/v1/pickup-points", params={"carrier": "mondial_relay"})).problem(422)
    assert "postal_code" in nowhere["errors"]
    half = (await alice.api.get("/v1/pickup-points", params={"carrier": "mondial_relay", "lat": "48.8"})).problem(422)
    assert "lon" in half["errors"]
    unknown = (await alice.api.get("/v1/pickup-points", params={"carrier": "pigeon", "city": "Paris"})).problem(422)
    assert "mondial_relay" in unknown["errors"]["carrier"]
    unconfigured = (await alice.api.get("/v1/pickup-points", params={"carrier": "colissimo", "city": "Paris"})).problem(
        422
    )
    assert unconfigured["errors"]["carrier"] == "one of: mondial_relay"
    assert "PUT /v1/carriers/colissimo/settings" in unconfigured["detail"]


async def test_look_a_point_up(alice: Tenant) -> None:
    point = await alice.api.get("/v1/pickup-points/mondial_relay/5680")  # normalised to 005680
    assert point.status == 200 and point.json["point_id"] == "005680" and point.json["name"] == "RELAIS 005680"
    (await alice.api.get("/v1/pickup-points/mondial_relay/999999")).problem(404)
    (await alice.api.get("/v1/pickup-points/pigeon/1")).problem(422)


async def test_directory_down_is_a_503_saying_to_retry(alice: Tenant, directory: FakeDirectory) -> None:
    directory.down = True
    down = await alice.api.get("/v1/pickup-points/mondial_relay/005680")
    problem = down.problem(503)
    assert "retry" in problem["detail"] and down.headers["Retry-After"] == "60"
    search = await alice.api.get("/v1/pickup-points", params={"carrier": "mondial_relay", "city": "Paris"})
    search.problem(503)


async def test_a_search_the_carrier_refuses_as_asked_is_the_callers_422(
    alice: Tenant, directory: FakeDirectory, monkeypatch
) -> None:
    from portside.core.errors import DirectoryRequestRejected

    async def refuse(area, *, weight=None, limit=10):  # type: ignore[no-untyped-def]
        raise DirectoryRequestRejected("mondial_relay", "STAT 9: city unknown or not unique: give a postcode")

    monkeypatch.setattr(directory, "search", refuse)
    refused = (
        await alice.api.get("/v1/pickup-points", params={"carrier": "mondial_relay", "city": "Nowhere"})
    ).problem(422)
    assert "give a postcode" in refused["detail"] and "correct the parameters" in refused["detail"]
