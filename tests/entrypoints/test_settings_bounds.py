"""Every numeric setting is bounded: a value that would hang, stall or corrupt the service is refused at
start-up with the variable named and the bound in words, never the value."""

from __future__ import annotations

import typing

import msgspec
import pytest

from portside.entrypoints.config import ConfigError, Settings, env_name, load_settings


def _numeric_fields() -> list[str]:
    hints = typing.get_type_hints(Settings, include_extras=True)
    numeric = []
    for field in msgspec.structs.fields(Settings):
        kinds = {a for a in typing.get_args(hints[field.name]) if a is not type(None)} or {hints[field.name]}
        bases = {typing.get_args(k)[0] if typing.get_origin(k) is typing.Annotated else k for k in kinds}
        if bases & {int, float}:
            numeric.append(field.name)
    return numeric


NUMERIC = _numeric_fields()


def test_the_walk_finds_the_numeric_settings() -> None:
    assert {"relay_concurrency", "sync_lease_s", "webhook_timeout_s", "http_max_in_flight", "port"} <= set(NUMERIC)
    assert "database_url" not in NUMERIC and len(NUMERIC) >= 23


@pytest.mark.parametrize("field", NUMERIC)
def test_every_numeric_setting_refuses_a_negative_value_and_a_huge_one(field: str) -> None:
    for value in ("-1", "1e15"):
        with pytest.raises(ConfigError, match=f"{env_name(field)}: must be") as caught:
            load_settings({env_name(field): value})
        assert value not in str(caught.value)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PORTSIDE_RELAY_CONCURRENCY", "0", "PORTSIDE_RELAY_CONCURRENCY: must be a whole number, at least 1"),
        ("PORTSIDE_SYNC_CONCURRENCY", "0", "PORTSIDE_SYNC_CONCURRENCY: must be a whole number, at least 1"),
        ("PORTSIDE_RELAY_BATCH", "0", "PORTSIDE_RELAY_BATCH: must be a whole number, at least 1"),
        ("PORTSIDE_RELAY_MAX_ATTEMPTS", "0", "PORTSIDE_RELAY_MAX_ATTEMPTS: must be a whole number, at least 1"),
        ("PORTSIDE_SYNC_LEASE_S", "0", "PORTSIDE_SYNC_LEASE_S: must be a whole number, at least 1"),
        ("PORTSIDE_SYNC_OVERLAP_S", "-60", "PORTSIDE_SYNC_OVERLAP_S: must be a whole number, at least 0"),
        ("PORTSIDE_SYNC_LOOK_BACK_DAYS", "0", "PORTSIDE_SYNC_LOOK_BACK_DAYS: must be a whole number, at least 1"),
        ("PORTSIDE_WEBHOOK_TIMEOUT_S", "0", "PORTSIDE_WEBHOOK_TIMEOUT_S: must be a number, more than 0"),
        ("PORTSIDE_SHUTDOWN_GRACE_S", "-1", "PORTSIDE_SHUTDOWN_GRACE_S: must be a number, at least 0"),
        ("PORTSIDE_PORT", "65536", "PORTSIDE_PORT: must be a whole number, at most 65535"),
        ("PORTSIDE_RELAY_BACKOFF_S", "1e9", "PORTSIDE_RELAY_BACKOFF_S: must be a number, at most 2592000"),
        ("PORTSIDE_RELAY_BATCH", "many", "PORTSIDE_RELAY_BATCH: must be a whole number"),
    ],
)
def test_the_message_names_the_variable_and_the_bound(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({variable: value})
    assert str(caught.value) == f"invalid configuration: {message}"


def test_the_lower_bounds_that_still_make_sense_are_accepted() -> None:
    settings = load_settings({"PORTSIDE_SYNC_OVERLAP_S": "0", "PORTSIDE_SHUTDOWN_GRACE_S": "0", "PORTSIDE_PORT": "1"})
    assert (settings.sync_overlap_s, settings.shutdown_grace_s, settings.port) == (0, 0.0, 1)
    with pytest.raises(ConfigError, match="PORTSIDE_DB_POOL_MAX: must be at least PORTSIDE_DB_POOL_MIN"):
        load_settings({"PORTSIDE_DB_POOL_MIN": "5", "PORTSIDE_DB_POOL_MAX": "3"})
