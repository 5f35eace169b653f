"""Configuration hygiene: misspelt variables are named, secrets are masked in log text."""

from __future__ import annotations

from portside.entrypoints.config import unknown_variables
from portside.entrypoints.logs import mask_secrets


def test_misspelt_portside_variables_are_named_and_known_non_settings_are_not() -> None:
    environ = {
        "PORTSIDE_DATABSE_URL": "postgresql://x@db/x",  # the typo that would start the embedded database
        "PORTSIDE_PORT": "9090",
        "PORTSIDE_KEY": "ps_live_…",  # what the demo asks users to export
        "PORTSIDE_TEST_DATABASE_URL": "postgresql://t@db/t",
        "HOME": "/root",
    }
    assert unknown_variables(environ) == ["PORTSIDE_DATABSE_URL"]


def test_log_masking_hides_values_but_not_urls_ending_in_a_secret_word() -> None:
    assert mask_secrets("client_secret=abc123 password: 'hunter2'") == "client_secret=*** password: '***'"
    assert mask_secrets("Authorization: Bearer eyJhbGciOi.x.y") == "Authorization: Bearer ***"
    line = "POST auth.example/realms/maas/protocol/openid-connect/token: cannot connect"
    assert mask_secrets(line) == line
