"""An account's own carrier settings: checked against the carrier's settings type (every bad field named,
no value quoted), proven with the carrier before saving, shown masked, removed back to the service's."""

from __future__ import annotations

from typing import Any

import pytest

from portside.adapters.carriers import CarrierAuthFailed, MondialRelaySettings
from portside.adapters.memory import MemoryStorage
from portside.core.errors import DirectoryUnavailable, NotFound, ValidationFailed
from portside.core.model import PickupCarrier
from portside.core.services.carrier_settings import (
    SettingsSource,
    carrier_statuses,
    delete_carrier_settings,
    get_carrier_settings,
    masked,
    put_carrier_settings,
)
from portside.entrypoints.carrier_kinds import CARRIER_KINDS
from portside.testing.clock import FixedClock

MR = PickupCarrier.mondial_relay
KEY = "my-private-key-77"
GOOD = {"enseigne": "BDTEST22", "private_key": KEY, "url": "https://mr.example/Web_Services.asmx"}


def problems(carrier: PickupCarrier, data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        CARRIER_KINDS[carrier].decode(data)
    text = f"{caught.value} {caught.value.problems}"
    for value in data.values():
        if isinstance(value, str) and len(value) >= 4:
            assert value not in text, value  # never echoed: it may be a secret
    return caught.value.problems


def test_good_settings_decode_into_the_carriers_type() -> None:
    decoded = CARRIER_KINDS[MR].decode(GOOD)
    assert isinstance(decoded, MondialRelaySettings) and decoded.enseigne == "BDTEST22"
    colissimo = CARRIER_KINDS[PickupCarrier.colissimo].decode({"api_key": "k-123", "timeout_s": 5})
    assert colissimo.api_key == "k-123"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**GOOD, "bogus": 1}, "settings.bogus"),
        ({**GOOD, "enseigne": "no way!"}, "settings.enseigne"),
        ({"enseigne": "BDTEST22"}, "settings.private_key"),  # required
        ({**GOOD, "private_key": "clé-€uro"}, "settings.private_key"),  # outside ISO-8859-1 (the Security hash)
        ({**GOOD, "private_key": "line\nbreak"}, "settings.private_key"),
        ({**GOOD, "private_key": "k" * 257}, "settings.private_key"),
        ({**GOOD, "private_key": 12345678}, "settings.private_key"),
        ({**GOOD, "url": "ftp://mr.example/x"}, "settings.url"),
        ({**GOOD, "url": "https://user:pass@mr.example/x"}, "settings.url"),
        ({**GOOD, "url": "https://mr.example:99999/x"}, "settings.url"),
        ({**GOOD, "url": "https://mr.example/\x00"}, "settings.url"),
        ({**GOOD, "timeout_s": 600}, "settings.timeout_s"),
        ({**GOOD, "default_action": "XYZ"}, "settings.default_action"),
        ({**GOOD, "search_radius_km": "far"}, "settings.search_radius_km"),
    ],
)
def test_each_bad_field_is_named_without_its_value(data: dict[str, Any], field: str) -> None:
    assert field in problems(MR, data)


def test_a_rule_across_fields_is_reported_on_the_settings() -> None:
    found = problems(PickupCarrier.colissimo, {"account": "123456"})  # no password, no API key
    assert found == {"settings": "give an account number and password, or an API key"}


def test_secrets_are_masked_when_shown() -> None:
    assert masked(GOOD, CARRIER_KINDS[MR]) == {**GOOD, "private_key": "***"}
    colissimo = masked({"account": "123456", "password": "pw", "api_key": "k"}, CARRIER_KINDS[PickupCarrier.colissimo])
    assert colissimo == {"account": "123456", "password": "***", "api_key": "***"}


class Verifier:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.seen: list[Any] = []

    async def __call__(self, carrier: PickupCarrier, settings: Any) -> None:
        self.seen.append(settings)
        if self.error is not None:
            raise self.error


async def put(storage: MemoryStorage, data: dict[str, Any], verify: Verifier | None, carrier: str = "mondial_relay"):  # type: ignore[no-untyped-def]
    return await put_carrier_settings(
        "acct", carrier, data, configs=CARRIER_KINDS, verify=verify, uow=storage, clock=FixedClock()
    )


async def test_put_verifies_then_saves_what_was_sent() -> None:
    storage, verify = MemoryStorage(), Verifier()
    saved = await put(storage, GOOD, verify)
    assert saved.settings == GOOD and [s.enseigne for s in verify.seen] == ["BDTEST22"]
    assert await get_carrier_settings("acct", "mondial_relay", configs=CARRIER_KINDS, uow=storage) == saved
    with pytest.raises(NotFound, match="settings of your own for mondial_relay not found"):
        await get_carrier_settings("other", "mondial_relay", configs=CARRIER_KINDS, uow=storage)


async def test_a_carrier_refusal_is_a_validation_error_with_its_reason_and_nothing_is_saved() -> None:
    storage = MemoryStorage()
    refusal = CarrierAuthFailed("mondial_relay", f"STAT 97: bad Security key (sent with {KEY})", code="97")
    with pytest.raises(ValidationFailed) as caught:
        await put(storage, GOOD, Verifier(refusal))
    assert "STAT 97" in caught.value.problems["settings"] and KEY not in str(caught.value.problems)
    assert KEY not in str(caught.value)
    down = DirectoryUnavailable("mondial_relay", "cannot connect")
    with pytest.raises(DirectoryUnavailable):  # the carrier is down: retry (or send verify: false)
        await put(storage, GOOD, Verifier(down))
    with pytest.raises(NotFound):
        await get_carrier_settings("acct", "mondial_relay", configs=CARRIER_KINDS, uow=storage)


async def test_unknown_carriers_are_not_found() -> None:
    storage = MemoryStorage()
    for carrier in ("pigeon", "relais_colis"):
        with pytest.raises(NotFound, match="colissimo, mondial_relay"):
            await put(storage, GOOD, None, carrier=carrier)
        with pytest.raises(NotFound):
            await delete_carrier_settings("acct", carrier, configs=CARRIER_KINDS, uow=storage)


async def test_statuses_say_whose_settings_apply_and_delete_goes_back_to_the_service() -> None:
    storage = MemoryStorage()
    await put(storage, GOOD, None)

    async def sources() -> dict[str, SettingsSource]:
        found = await carrier_statuses("acct", configs=CARRIER_KINDS, service={MR}, uow=storage)
        return {s.carrier.value: s.source for s in found}

    assert await sources() == {"colissimo": SettingsSource.none, "mondial_relay": SettingsSource.account}
    await delete_carrier_settings("acct", "mondial_relay", configs=CARRIER_KINDS, uow=storage)
    assert await sources() == {"colissimo": SettingsSource.none, "mondial_relay": SettingsSource.service}
    with pytest.raises(NotFound):
        await delete_carrier_settings("acct", "mondial_relay", configs=CARRIER_KINDS, uow=storage)
