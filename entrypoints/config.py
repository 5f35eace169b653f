"""Configuration: environment variables decoded into one validated Struct at start-up."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

import msgspec

from portside.core.errors import PortsideError

PREFIX = "PORTSIDE_"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Every setting, with the embedded defaults; each is read from ``PORTSIDE_<NAME>``."""

    database_url: str | None = None  # unset: start the embedded Postgres in data_dir
    data_dir: str = ".portside"
    secret_key: str | None = None  # Fernet key for credentials at rest; unset: a key file in data_dir
    host: str = "127.0.0.1"
    port: int = 8080
    log_level: str = "INFO"
    worker_id: str | None = None  # defaults to host:pid
    db_pool_min: int = 2
    db_pool_max: int = 10
    db_acquire_timeout_s: float = 5.0  # then StorageBusy: the API answers 503, the scheduler tries later
    http_max_in_flight: int | None = None  # unset: 4 x db_pool_max; beyond it the API answers 429
    sync_overlap_s: int = 3600
    sync_look_back_days: int = 30
    sync_lease_s: int = 600
    sync_concurrency: int = 4
    sync_retry_s: float = 30.0  # first retry after a transient failure, doubling up to the store's interval
    relay_batch: int = 50
    relay_concurrency: int = 10
    relay_max_attempts: int = 8
    relay_lease_s: float = 120.0  # a dead relay's messages come back after this (see __post_init__)
    relay_poll_s: float = 1.0
    relay_backoff_s: float = 10.0  # first retry after 5-10 s, doubling up to relay_max_backoff_s
    relay_max_backoff_s: float = 3600.0
    sync_poll_s: float = 5.0
    events_poll_s: float = 1.0
    housekeeping_s: float = 30.0
    acceptance_sla_hours: float = 24.0
    shutdown_grace_s: float = 30.0
    webhook_timeout_s: float = 10.0
    mondial_relay_url: str | None = None
    mondial_relay_enseigne: str | None = None
    mondial_relay_private_key: str | None = None
    colissimo_url: str | None = None
    colissimo_account: str | None = None
    colissimo_password: str | None = None
    colissimo_api_key: str | None = None

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ValueError("port: must be between 1 and 65535")
        if self.db_pool_min < 1 or self.db_pool_max < self.db_pool_min:
            raise ValueError("db_pool_max: must be at least db_pool_min (and both at least 1)")
        if self.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("log_level: must be DEBUG, INFO, WARNING or ERROR")
        for name in (
            "relay_poll_s",
            "relay_backoff_s",
            "sync_poll_s",
            "events_poll_s",
            "housekeeping_s",
            "acceptance_sla_hours",
            "db_acquire_timeout_s",
            "sync_retry_s",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name}: must be positive")
        if self.http_max_in_flight is not None and self.http_max_in_flight < 1:
            raise ValueError("http_max_in_flight: must be at least 1")
        # A relay lease that lapses while its holder is still waiting for the marketplace hands the
        # message to another relay, whose lookup may not see the first send yet: a duplicate. One
        # delivery can be a lookup then a send, each up to one HTTP timeout, so the lease must cover
        # two. The webhook timeout is the one this process knows; marketplace timeouts are per store
        # (30 s by default: the default lease of 120 s covers two with room to spare).
        if self.relay_lease_s < 2 * self.webhook_timeout_s:
            raise ValueError(
                f"relay_lease_s: must be at least twice PORTSIDE_WEBHOOK_TIMEOUT_S ({2 * self.webhook_timeout_s:g} s)"
            )
        # A half-configured carrier would silently leave its pickup points unchecked: say so at start.
        if bool(self.mondial_relay_enseigne) != bool(self.mondial_relay_private_key):
            missing = "mondial_relay_private_key" if self.mondial_relay_enseigne else "mondial_relay_enseigne"
            raise ValueError(f"{missing}: set both PORTSIDE_MONDIAL_RELAY_ENSEIGNE and _PRIVATE_KEY, or neither")
        if not self.colissimo_api_key and bool(self.colissimo_account) != bool(self.colissimo_password):
            missing = "colissimo_password" if self.colissimo_account else "colissimo_account"
            raise ValueError(f"{missing}: set both PORTSIDE_COLISSIMO_ACCOUNT and _PASSWORD (or an API key)")

    def __repr__(self) -> str:
        return "Settings(<redacted>)"  # secrets live in here


SECRET_SETTINGS = frozenset(
    {"database_url", "secret_key", "mondial_relay_private_key", "colissimo_password", "colissimo_api_key"}
)


class ConfigError(PortsideError):
    """A setting is invalid; the message names the environment variable."""


def env_name(field: str) -> str:
    return PREFIX + field.upper()


# PORTSIDE_* names that are not settings of the service: the API key the demo asks users to export,
# and the test suite's own switches.
NOT_SETTINGS = frozenset({"PORTSIDE_KEY", "PORTSIDE_TEST_DATABASE_URL", "PORTSIDE_SOAK"})


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """``PORTSIDE_*`` variables that name no setting: most likely misspelt (a typo in
    ``PORTSIDE_DATABASE_URL`` would otherwise silently start the embedded database)."""
    environ = os.environ if environ is None else environ
    fields = {f.name for f in msgspec.structs.fields(Settings)}
    return sorted(
        k for k in environ if k.startswith(PREFIX) and k not in NOT_SETTINGS and k[len(PREFIX) :].lower() not in fields
    )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every ``PORTSIDE_*`` variable; an empty one counts as unset."""
    environ = os.environ if environ is None else environ
    fields = {f.name for f in msgspec.structs.fields(Settings)}
    raw = {name: environ[env_name(name)] for name in fields if environ.get(env_name(name), "") != ""}
    unknown = unknown_variables(environ)
    try:
        return msgspec.convert(raw, Settings, strict=False)
    except (msgspec.ValidationError, ValueError) as exc:
        raise ConfigError(_explain(str(exc), unknown)) from None


def _explain(message: str, unknown: list[str]) -> str:
    # msgspec says "… - at `$.port`"; __post_init__ errors start with "<field>: …". Either way,
    # name the variable the operator has to fix, never its value (it may be a secret).
    path = re.search(r"at `\$\.(\w+)`", message)
    field = path.group(1) if path else message.split(":", 1)[0].strip()
    detail = message.split(" - at ")[0] if path else message.split(":", 1)[-1].strip()
    hint = f" (unknown variables, possibly misspelt: {', '.join(unknown)})" if unknown else ""
    return f"invalid configuration: {env_name(field)}: {detail}{hint}"
