"""Configuration errors name the variable to fix; store configuration parses from JSON, files or pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from portside.channels.cdiscount.settings import CdiscountCredentials, CdiscountSettings
from portside.core.errors import ValidationFailed
from portside.core.ports import OutboxDepth
from portside.entrypoints.admin import parse_config
from portside.entrypoints.config import ConfigError, load_settings
from portside.entrypoints.metrics import Metrics
from portside.entrypoints.service_carriers import colissimo_settings, mondial_relay_settings


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"PORTSIDE_MONDIAL_RELAY_ENSEIGNE": "BDTEST13"}, "PORTSIDE_MONDIAL_RELAY_PRIVATE_KEY"),
        ({"PORTSIDE_COLISSIMO_PASSWORD": "x"}, "PORTSIDE_COLISSIMO_ACCOUNT"),
        ({"PORTSIDE_EVENTS_POLL_S": "0"}, "PORTSIDE_EVENTS_POLL_S"),
        ({"PORTSIDE_ACCEPTANCE_SLA_HOURS": "soon"}, "PORTSIDE_ACCEPTANCE_SLA_HOURS"),
        ({"PORTSIDE_DB_ACQUIRE_TIMEOUT_S": "0"}, "PORTSIDE_DB_ACQUIRE_TIMEOUT_S"),
        ({"PORTSIDE_HTTP_MAX_IN_FLIGHT": "0"}, "PORTSIDE_HTTP_MAX_IN_FLIGHT"),
        ({"PORTSIDE_SYNC_RETRY_S": "-1"}, "PORTSIDE_SYNC_RETRY_S"),
        ({"PORTSIDE_RELAY_LEASE_S": "15"}, "PORTSIDE_RELAY_LEASE_S"),  # under twice the webhook timeout
    ],
)
def test_bad_configuration_names_the_variable(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_settings(environ)


def test_carrier_settings_from_the_environment_and_their_errors() -> None:
    settings = load_settings(
        {
            "PORTSIDE_MONDIAL_RELAY_ENSEIGNE": "BDTEST13",
            "PORTSIDE_MONDIAL_RELAY_PRIVATE_KEY": "TestAPI1key",
            "PORTSIDE_COLISSIMO_API_KEY": "k",
        }
    )
    mondial_relay = mondial_relay_settings(settings)
    assert mondial_relay is not None and mondial_relay.enseigne == "BDTEST13"
    assert colissimo_settings(settings) is not None
    assert colissimo_settings(load_settings({})) is None
    bad = load_settings({"PORTSIDE_MONDIAL_RELAY_ENSEIGNE": "x!", "PORTSIDE_MONDIAL_RELAY_PRIVATE_KEY": "secret-value"})
    with pytest.raises(ConfigError, match="PORTSIDE_MONDIAL_RELAY_") as caught:
        mondial_relay_settings(bad)
    assert "secret-value" not in str(caught.value)


def test_store_configuration_as_json_file_or_typed_pairs(tmp_path: Path) -> None:
    assert parse_config(['{"client_id": "a"}'], CdiscountCredentials, "credentials") == {"client_id": "a"}
    path = tmp_path / "creds.json"
    path.write_text('{"client_secret": "s"}')
    assert parse_config([f"@{path}"], CdiscountCredentials, "credentials") == {"client_secret": "s"}
    pairs = parse_config(["page_size=50", "sales_channel_id=CDISFR", "timeout_s=5"], CdiscountSettings, "settings")
    assert pairs == {"page_size": 50, "sales_channel_id": "CDISFR", "timeout_s": 5.0}
    assert parse_config(["seller_id=123456"], CdiscountCredentials, "credentials") == {"seller_id": "123456"}
    with pytest.raises(ValidationFailed):
        parse_config(["nonsense"], CdiscountSettings, "settings")
    with pytest.raises(ValidationFailed):
        parse_config(["[1]"], CdiscountSettings, "settings")


def test_outbox_gauges_report_every_kind_and_fall_back_to_zero() -> None:
    metrics = Metrics()
    metrics.outbox_depth([OutboxDepth(kind="webhook", due=3, dead=1, oldest_due_age_s=12.5)])
    text = metrics.render()
    assert 'portside_outbox_messages{kind="webhook",state="due"} 3.0' in text
    assert 'portside_outbox_oldest_due_age_seconds{kind="webhook"} 12.5' in text
    metrics.outbox_depth([])
    text = metrics.render()
    assert 'portside_outbox_messages{kind="webhook",state="due"} 0.0' in text
    assert 'portside_outbox_messages{kind="ship_notification",state="dead"} 0.0' in text
