"""Sandbox fault knobs over real HTTP: outages become retryable directory errors, broken bodies never crash."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from portside.adapters.carriers.colissimo import ColissimoDirectory
from portside.adapters.carriers.directory_errors import CarrierBadResponse
from portside.adapters.carriers.mondial_relay import MondialRelayDirectory
from portside.adapters.carriers.sandbox_kit import Running
from portside.adapters.http import HttpClient
from portside.core.errors import DirectoryError, DirectoryUnavailable
from portside.core.ports import PickupPointDirectory, SearchArea

PARIS = SearchArea(postal_code="75011", city="Paris")


@pytest.fixture(params=["mondial_relay", "colissimo"])
def target(
    request: pytest.FixtureRequest,
    mr_directory: MondialRelayDirectory,
    colissimo_directory: ColissimoDirectory,
    mr_sandbox: Running,
    colissimo_sandbox: Running,
) -> tuple[PickupPointDirectory, Running]:
    if request.param == "mondial_relay":
        return mr_directory, mr_sandbox
    return colissimo_directory, colissimo_sandbox


async def set_faults(http: HttpClient, sandbox: Running, knobs: dict[str, Any]) -> dict[str, Any]:
    response = await http.request("POST", f"{sandbox.base_url}/_sandbox/faults", data=msgspec.json.encode(knobs))
    assert response.status == 200, response.body
    result: dict[str, Any] = msgspec.json.decode(response.body)
    return result


@pytest.mark.parametrize(
    "knobs",
    [
        {"rate_limit": {"count": 5, "retry_after_s": 0}},
        {"server_error": {"count": 5, "statuses": [500]}},
        {"server_error": {"count": 5, "statuses": [502, 503]}},
        {"slow": {"count": 5, "delay_s": 1.0}},  # above the 0.5 s client timeout
    ],
    ids=["429", "500", "502-503", "slow"],
)
async def test_outages_are_retryable_directory_unavailable(
    http: HttpClient, target: tuple[PickupPointDirectory, Running], knobs: dict[str, Any]
) -> None:
    directory, sandbox = target
    await set_faults(http, sandbox, knobs)
    with pytest.raises(DirectoryUnavailable) as caught:
        await directory.search(PARIS)
    assert caught.value.retryable
    assert caught.value.carrier == directory.carrier


async def test_a_single_blip_is_absorbed_by_the_clients_retry(
    http: HttpClient, target: tuple[PickupPointDirectory, Running]
) -> None:
    directory, sandbox = target
    await set_faults(http, sandbox, {"server_error": {"count": 1}})
    assert await directory.search(PARIS)


async def test_a_truncated_body_is_a_retryable_bad_response(
    http: HttpClient, target: tuple[PickupPointDirectory, Running]
) -> None:
    directory, sandbox = target
    await set_faults(http, sandbox, {"malformed": {"count": 1}})
    with pytest.raises(CarrierBadResponse) as caught:
        await directory.get("060567" if directory.carrier == "colissimo" else "005680", "FR")
    assert caught.value.retryable and caught.value.carrier == directory.carrier


async def test_a_hostile_body_is_refused_and_not_retried(
    http: HttpClient, target: tuple[PickupPointDirectory, Running]
) -> None:
    directory, sandbox = target
    await set_faults(http, sandbox, {"bomb": {"count": 1}})
    with pytest.raises(DirectoryError) as caught:
        await directory.search(PARIS)
    assert not caught.value.retryable and caught.value.carrier == directory.carrier


async def test_knobs_can_be_read_merged_and_cleared(
    http: HttpClient, target: tuple[PickupPointDirectory, Running]
) -> None:
    _, sandbox = target
    knobs = await set_faults(http, sandbox, {"rate_limit": {"probability": 1.0}})
    assert knobs["rate_limit"]["probability"] == 1.0
    knobs = await set_faults(http, sandbox, {"slow": {"count": 2, "delay_s": 0.01}})
    assert knobs["rate_limit"]["probability"] == 1.0 and knobs["slow"]["count"] == 2
    cleared = await http.request("DELETE", f"{sandbox.base_url}/_sandbox/faults")
    assert msgspec.json.decode(cleared.body)["rate_limit"]["probability"] == 0.0
    bad = await http.request("POST", f"{sandbox.base_url}/_sandbox/faults", data=b'{"rate_limit": {"probability": 2}}')
    assert bad.status == 422
    unknown = await http.request("POST", f"{sandbox.base_url}/_sandbox/faults", data=b'{"earthquake": {}}')
    assert unknown.status == 422


async def test_an_unreachable_directory_is_unavailable(
    http: HttpClient, mr_directory: MondialRelayDirectory, mr_sandbox: Running
) -> None:
    await mr_sandbox.close()  # nothing listens on the port any more
    with pytest.raises(DirectoryUnavailable, match="unreachable"):
        await mr_directory.get("005680", "FR")


async def test_http_refusals_name_the_carrier(http: HttpClient, colissimo_sandbox: Running) -> None:
    from portside.adapters.carriers.directory_errors import CarrierAuthFailed
    from portside.adapters.carriers.directory_http import post_lookup

    with pytest.raises(DirectoryError, match="HTTP 404") as missing:
        await post_lookup(
            http, "colissimo", f"{colissimo_sandbox.base_url}/nowhere", body=b"{}", headers={}, timeout_s=1
        )
    assert missing.value.carrier == "colissimo" and not missing.value.retryable
    assert not isinstance(missing.value, CarrierAuthFailed)
