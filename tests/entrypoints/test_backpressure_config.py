"""The back-pressure and recovery settings: their defaults, their bounds, and where they are wired."""

from __future__ import annotations

import pytest

from portside.adapters.memory import MemoryStorage
from portside.entrypoints.config import ConfigError, load_settings
from portside.entrypoints.container import build_scheduler, http_max_in_flight, relay_settings
from portside.testing.fake_channel import FakeChannelPlugin

from .helpers import make_app


def test_defaults_bound_every_wait() -> None:
    settings = load_settings({})
    assert settings.db_acquire_timeout_s == 5.0
    assert http_max_in_flight(settings) == 4 * settings.db_pool_max  # sized to the pool
    assert http_max_in_flight(load_settings({"PORTSIDE_DB_POOL_MAX": "3"})) == 12
    assert http_max_in_flight(load_settings({"PORTSIDE_HTTP_MAX_IN_FLIGHT": "7"})) == 7
    assert relay_settings(settings).lease_s == 120.0


def test_the_relay_lease_is_a_setting_and_covers_two_http_timeouts() -> None:
    settings = load_settings({"PORTSIDE_RELAY_LEASE_S": "3", "PORTSIDE_WEBHOOK_TIMEOUT_S": "1.5"})
    assert relay_settings(settings).lease_s == 3.0
    with pytest.raises(
        ConfigError, match=r"PORTSIDE_RELAY_LEASE_S: must be at least twice PORTSIDE_WEBHOOK_TIMEOUT_S \(20 s\)"
    ):
        load_settings({"PORTSIDE_RELAY_LEASE_S": "15"})


def test_the_sync_retry_reaches_the_scheduler() -> None:
    app = make_app(MemoryStorage(), FakeChannelPlugin())
    scheduler = build_scheduler(app, load_settings({"PORTSIDE_SYNC_RETRY_S": "12"}))
    assert scheduler.syncs.retry_s == 12.0
