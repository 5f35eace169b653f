"""Carrier directory settings: the service's, read from ``PORTSIDE_MONDIAL_RELAY_*`` / ``PORTSIDE_COLISSIMO_*``,
and an account's own, sent through the API and checked here against the carrier's settings type."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import msgspec

from portside.adapters.carriers import (
    ColissimoDirectory,
    ColissimoSettings,
    MondialRelayDirectory,
    MondialRelaySettings,
)
from portside.adapters.http import HttpClient
from portside.core.errors import ValidationFailed
from portside.core.model import PickupCarrier
from portside.core.ports import PickupPointDirectory
from portside.core.services.validation import convert_fields, string_leaves

from .config import ConfigError, Settings

# An account's directory shares the process with every other account's syncs: a timeout it chose
# must not hold a sync slot for minutes.
MAX_ACCOUNT_TIMEOUT_S = 30.0
MAX_SECRET_LENGTH = 256


@dataclass(frozen=True)
class CarrierKind:
    """A carrier portside has a directory for: its settings type, which fields are secret, how to build it."""

    carrier: PickupCarrier
    settings_type: type[Any]
    secret_fields: frozenset[str]
    directory: Callable[[Any, HttpClient], PickupPointDirectory]

    def decode(self, data: Mapping[str, Any]) -> Any:
        """An account's settings as the carrier's settings type, or ValidationFailed naming each bad
        field (``settings.<field>``) without ever quoting a value."""
        problems = _shape_problems(self, data)
        if problems:
            raise ValidationFailed(f"these are not {self.carrier.value} settings", problems)
        try:
            return convert_fields(dict(data), self.settings_type, what="settings", prefix="settings", secret=True)
        except ValidationFailed as exc:
            raise ValidationFailed(str(exc), _named_fields(self, exc.problems)) from None


def _shape_problems(kind: CarrierKind, data: Mapping[str, Any]) -> dict[str, str]:
    """What the settings type does not check: unknown fields, secrets' format, control characters,
    the URL's form, and the bounds an account (rather than the operator) may choose."""
    fields = {f.encode_name for f in msgspec.structs.fields(kind.settings_type)}
    problems: dict[str, str] = {}
    for key, value in data.items():
        where = f"settings.{key}"
        if key not in fields:
            problems[where] = f"unknown field; expected one of: {', '.join(sorted(fields))}"
        elif key in kind.secret_fields and value is not None and not _secret_shaped(value):
            problems[where] = f"must be 1 to {MAX_SECRET_LENGTH} printable characters"
        elif any(_has_control(leaf) for leaf in string_leaves(value)):
            problems[where] = "must not contain control characters"
        elif key == "url" and isinstance(value, str) and not _absolute_http_url(value):
            problems[where] = "must be an absolute http(s) URL without a user name or password"
        elif key == "timeout_s" and isinstance(value, int | float) and value > MAX_ACCOUNT_TIMEOUT_S:
            problems[where] = f"at most {MAX_ACCOUNT_TIMEOUT_S:g} seconds"
    return problems


def _secret_shaped(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_SECRET_LENGTH and not _has_control(value)


def _has_control(text: str) -> bool:
    # NUL cannot be stored, CR/LF would end a header line, and none belongs in a key or a URL.
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in text)


def _absolute_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check (``:x`` or ``:99999`` raise)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not (parts.username or parts.password)


def _named_fields(kind: CarrierKind, problems: dict[str, str]) -> dict[str, str]:
    """A rule across fields (``__post_init__``) is reported on ``settings``; its message starts with
    the field it is about (``private_key has characters outside ISO-8859-1``): report it there."""
    fields = {f.encode_name for f in msgspec.structs.fields(kind.settings_type)}
    named: dict[str, str] = {}
    for where, message in problems.items():
        first = message.split(" ", 1)[0]
        named[f"settings.{first}" if where == "settings" and first in fields else where] = message
    return named


CARRIER_KINDS: dict[PickupCarrier, CarrierKind] = {
    PickupCarrier.mondial_relay: CarrierKind(
        PickupCarrier.mondial_relay,
        MondialRelaySettings,
        frozenset({"private_key"}),
        MondialRelayDirectory,
    ),
    PickupCarrier.colissimo: CarrierKind(
        PickupCarrier.colissimo,
        ColissimoSettings,
        frozenset({"password", "api_key"}),
        ColissimoDirectory,
    ),
}


def build_directory(carrier: PickupCarrier, settings: Any, *, http: HttpClient) -> PickupPointDirectory:
    """The carrier's directory over ``settings`` (its settings type), uncached."""
    return CARRIER_KINDS[carrier].directory(settings, http)


def _decode(kind: type[Any], values: dict[str, Any], prefix: str) -> Any:
    try:
        return kind(**{k: v for k, v in values.items() if v is not None})
    except (TypeError, ValueError) as exc:
        # The carrier settings' messages name the field ("enseigne must be 8 characters…"), never its value.
        raise ConfigError(f"invalid configuration: {prefix}*: {exc}") from None


def mondial_relay_settings(settings: Settings) -> MondialRelaySettings | None:
    if not settings.mondial_relay_enseigne:
        return None
    values = {
        "enseigne": settings.mondial_relay_enseigne,
        "private_key": settings.mondial_relay_private_key,
        "url": settings.mondial_relay_url,
    }
    return _decode(MondialRelaySettings, values, "PORTSIDE_MONDIAL_RELAY_")  # type: ignore[no-any-return]


def colissimo_settings(settings: Settings) -> ColissimoSettings | None:
    if not (settings.colissimo_account or settings.colissimo_api_key):
        return None
    values = {
        "account": settings.colissimo_account,
        "password": settings.colissimo_password,
        "api_key": settings.colissimo_api_key,
        "url": settings.colissimo_url,
    }
    return _decode(ColissimoSettings, values, "PORTSIDE_COLISSIMO_")  # type: ignore[no-any-return]


def service_carrier_settings(settings: Settings) -> dict[PickupCarrier, Any]:
    """The service's settings of each carrier configured in the environment (the default of every account)."""
    found: dict[PickupCarrier, Any] = {}
    if (mondial_relay := mondial_relay_settings(settings)) is not None:
        found[PickupCarrier.mondial_relay] = mondial_relay
    if (colissimo := colissimo_settings(settings)) is not None:
        found[PickupCarrier.colissimo] = colissimo
    return found
