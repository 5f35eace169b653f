"""Configuration: environment variables decoded into one validated Struct at start-up."""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from typing import Annotated
from urllib.parse import urlsplit

import msgspec

from portside.core.errors import PortsideError
from portside.core.model.masking import masked_repr, masked_rich_repr

PREFIX = "PORTSIDE_"


# Bounds of every numeric setting, checked when the environment is read: a zero concurrency would
# hang the relay, a zero lease let two workers sync one store, a negative overlap skip orders, and a
# duration beyond any datetime would crash the first sync. Durations are capped at 30 days.
MAX_SECONDS = 30 * 24 * 3600.0
Count = Annotated[int, msgspec.Meta(ge=1, le=100_000)]  # concurrency, batch sizes, pools, attempts
Seconds = Annotated[float, msgspec.Meta(gt=0, le=MAX_SECONDS)]  # polls, timeouts, leases, backoffs


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Every setting, with the embedded defaults; each is read from ``PORTSIDE_<NAME>``."""

    database_url: str | None = None  # unset: start the embedded Postgres in data_dir
    data_dir: str = ".portside"
    secret_key: str | None = None  # Fernet key for credentials at rest; unset: a key file in data_dir
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8080
    log_level: str = "INFO"
    worker_id: str | None = None  # defaults to host:pid
    db_pool_min: Count = 2
    db_pool_max: Count = 10
    db_acquire_timeout_s: Seconds = 5.0  # then StorageBusy: the API answers 503, the scheduler tries later
    http_max_in_flight: Count | None = None  # unset: 4 x db_pool_max; beyond it the API answers 429
    sync_overlap_s: Annotated[int, msgspec.Meta(ge=0, le=int(MAX_SECONDS))] = 3600  # 0: no re-reading
    sync_look_back_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 30
    sync_lease_s: Annotated[int, msgspec.Meta(ge=1, le=int(MAX_SECONDS))] = 600
    sync_concurrency: Count = 4
    sync_batch_orders: Annotated[int, msgspec.Meta(ge=1, le=5000)] = 300  # a channel's pages joined per write
    sync_retry_s: Seconds = 30.0  # first retry after a transient failure, doubling up to the store's interval
    relay_batch: Count = 50
    relay_concurrency: Count = 10
    relay_max_attempts: Count = 8
    relay_lease_s: Seconds = 120.0  # a dead relay's messages come back after this (see __post_init__)
    relay_poll_s: Seconds = 1.0
    relay_backoff_s: Seconds = 10.0  # first retry after 5-10 s, doubling up to relay_max_backoff_s
    relay_max_backoff_s: Seconds = 3600.0
    relay_budget_wait_s: Seconds = 1.0  # a delivery waits this long for its store's rate budget, then is deferred
    sync_poll_s: Seconds = 5.0
    events_poll_s: Seconds = 1.0
    housekeeping_s: Seconds = 30.0
    acceptance_sla_hours: Annotated[float, msgspec.Meta(gt=0, le=MAX_SECONDS / 3600)] = 24.0
    shutdown_grace_s: Annotated[float, msgspec.Meta(ge=0, le=MAX_SECONDS)] = 30.0  # 0: cancel syncs at once
    webhook_timeout_s: Seconds = 10.0
    # URLs tenants choose (webhooks, their carrier endpoint, their stores' marketplace URLs) may name
    # loopback, private, link-local or reserved addresses: only where every tenant is trusted.
    allow_private_urls: bool = False
    mondial_relay_url: str | None = None
    mondial_relay_enseigne: str | None = None
    mondial_relay_private_key: str | None = None
    colissimo_url: str | None = None
    colissimo_account: str | None = None
    colissimo_password: str | None = None
    colissimo_api_key: str | None = None

    def __post_init__(self) -> None:
        # Single values are bounded by their types (checked by load_settings); these are the rules
        # across values and the ones a type cannot say.
        if self.db_pool_max < self.db_pool_min:
            raise ValueError("db_pool_max: must be at least PORTSIDE_DB_POOL_MIN")
        if self.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("log_level: must be DEBUG, INFO, WARNING or ERROR")
        # A relay lease that lapses while its holder is still waiting for the marketplace hands the
        # message to another relay, whose lookup may not see the first send yet: a duplicate. One
        # delivery can be a lookup then a send, each up to one HTTP timeout, so the lease must cover
        # two. The webhook timeout is the one this process knows; marketplace timeouts are per store
        # (30 s by default: the default lease of 120 s covers two with room to spare).
        if self.relay_lease_s < 2 * self.webhook_timeout_s:
            raise ValueError(
                f"relay_lease_s: must be at least twice PORTSIDE_WEBHOOK_TIMEOUT_S ({2 * self.webhook_timeout_s:g} s)"
            )
        # Checked here, not when first used, so every command (migrate included) refuses them alike.
        if self.database_url is not None and urlsplit(self.database_url).scheme not in ("postgresql", "postgres"):
            raise ValueError("database_url: must be a postgresql:// URL (postgresql://user:password@host:5432/db)")
        if self.secret_key is not None:
            _check_secret_keys(self.secret_key)
        # A half-configured carrier would silently leave its pickup points unchecked: say so at start.
        if bool(self.mondial_relay_enseigne) != bool(self.mondial_relay_private_key):
            missing = "mondial_relay_private_key" if self.mondial_relay_enseigne else "mondial_relay_enseigne"
            raise ValueError(f"{missing}: set both PORTSIDE_MONDIAL_RELAY_ENSEIGNE and _PRIVATE_KEY, or neither")
        if not self.colissimo_api_key and bool(self.colissimo_account) != bool(self.colissimo_password):
            missing = "colissimo_password" if self.colissimo_account else "colissimo_account"
            raise ValueError(f"{missing}: set both PORTSIDE_COLISSIMO_ACCOUNT and _PASSWORD (or an API key)")

    # Secrets live in here (the DSN's password among them): never in a repr, str or rich rendering.
    __secret_fields__ = frozenset(
        {"database_url", "secret_key", "mondial_relay_private_key", "colissimo_password", "colissimo_api_key"}
    )
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


GENERATE_KEY = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"


def _check_secret_keys(value: str) -> None:
    """Each comma-separated Fernet key is 32 bytes in url-safe base64; the error names its position, never it."""
    keys = [k.strip() for k in value.split(",") if k.strip()]
    if not keys:
        raise ValueError(f"secret_key: holds no key; make one with {GENERATE_KEY}")
    for number, key in enumerate(keys, start=1):
        try:
            valid = len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
        except (binascii.Error, UnicodeEncodeError, ValueError):
            valid = False
        if not valid:
            which = f"key {number} of {len(keys)}" if len(keys) > 1 else "the key"
            raise ValueError(
                f"secret_key: {which} is not a Fernet key (32 bytes in url-safe base64, 44 characters); "
                f"make one with {GENERATE_KEY}"
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
    detail = _in_words(message.split(" - at ")[0]) if path else message.split(":", 1)[-1].strip()
    hint = f" (unknown variables, possibly misspelt: {', '.join(unknown)})" if unknown else ""
    return f"invalid configuration: {env_name(field)}: {detail}{hint}"


_BOUND = re.compile(r"Expected `(int|float)` (>=|>|<=|<) (\S+)$")
_BOUND_WORDS = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}
_KIND = re.compile(r"Expected `(int|float|bool)`, got")
_KIND_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false"}


def _in_words(detail: str) -> str:
    """msgspec's ``Expected `int` >= 1`` as an operator reads it: ``must be a whole number, at least 1``."""
    if kind := _KIND.match(detail):
        return f"must be {_KIND_WORDS[kind.group(1)]}"
    bound = _BOUND.match(detail)
    if bound is None:
        return detail
    kind_name, op, limit = bound.groups()
    value = float(limit)
    shown = f"{int(value)}" if value.is_integer() else f"{value:g}"
    return f"must be {_KIND_WORDS[kind_name]}, {_BOUND_WORDS[op]} {shown}"
