"""Carrier settings decode from configuration, refuse nonsense, and never reveal their secrets."""

from __future__ import annotations

import logging

import msgspec
import pytest

from portside.adapters.carriers.colissimo import PRODUCTION_URL as COLISSIMO_URL
from portside.adapters.carriers.colissimo import ColissimoSettings
from portside.adapters.carriers.mondial_relay import PRODUCTION_URL as MONDIAL_RELAY_URL
from portside.adapters.carriers.mondial_relay import MondialRelayDirectory, MondialRelaySettings
from portside.adapters.http import HttpClient
from portside.core.errors import DirectoryError


def test_mondial_relay_settings_decode_with_production_defaults() -> None:
    settings = msgspec.convert({"enseigne": "bdtest13", "private_key": "TestAPI1key"}, MondialRelaySettings)
    assert settings.url == MONDIAL_RELAY_URL == "https://api.mondialrelay.com/Web_Services.asmx"
    assert settings.enseigne == "BDTEST13" and settings.default_action == "24R"
    assert settings.max_weight_for("24R", is_locker=False) == 30_000
    assert settings.max_weight_for("24R", is_locker=True) == 20_000
    assert settings.max_weight_for("XYZ", is_locker=False) is None
    assert msgspec.convert({"enseigne": "BDTEST", "private_key": "k"}, MondialRelaySettings).enseigne == "BDTEST  "


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"enseigne": "BD-TEST!"}, "enseigne"),
        ({"private_key": " "}, "private_key"),
        ({"private_key": "clé€"}, "ISO-8859-1"),
        ({"url": "ftp://x"}, "url"),
        ({"default_action": "HOM"}, "default_action"),
        ({"search_radius_km": 0}, "search_radius_km"),
        ({"timeout_s": 0}, "timeout_s"),
    ],
)
def test_mondial_relay_settings_refuse_nonsense(fields: dict[str, object], fragment: str) -> None:
    raw = {"enseigne": "BDTEST13", "private_key": "TopSecret", **fields}
    with pytest.raises(msgspec.ValidationError, match=fragment) as caught:
        msgspec.convert(raw, MondialRelaySettings)
    assert "TopSecret" not in str(caught.value)


def test_colissimo_settings_need_credentials() -> None:
    assert msgspec.convert({"api_key": "k"}, ColissimoSettings).url == COLISSIMO_URL
    assert msgspec.convert({"account": "123456", "password": "p"}, ColissimoSettings).networks_for("FR") == (
        "R01",
        "R03",
    )
    with pytest.raises(msgspec.ValidationError, match="account number and password, or an API key"):
        msgspec.convert({"account": "123456"}, ColissimoSettings)
    with pytest.raises(msgspec.ValidationError, match="filter_relay"):
        msgspec.convert({"api_key": "k", "filter_relay": "yes"}, ColissimoSettings)


def test_secrets_never_appear_in_repr_str_or_rich_repr() -> None:
    mr = MondialRelaySettings(enseigne="BDTEST13", private_key="TopSecret1")
    col = ColissimoSettings(account="123456", password="TopSecret2")
    key = ColissimoSettings(api_key="TopSecret3")
    for settings, secret in ((mr, "TopSecret1"), (col, "TopSecret2"), (key, "TopSecret3")):
        for text in (repr(settings), str(settings), f"{settings}", repr(list(settings.__rich_repr__()))):
            assert secret not in text


async def test_the_private_key_stays_out_of_logs_and_errors(http: HttpClient, caplog: pytest.LogCaptureFixture) -> None:
    settings = MondialRelaySettings(
        url="http://127.0.0.1:9/Web_Services.asmx", enseigne="BDTEST13", private_key="TopSecret"
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DirectoryError) as caught:
        await MondialRelayDirectory(settings, http).get("005680", "FR")
    assert "TopSecret" not in str(caught.value) and "TopSecret" not in caplog.text
