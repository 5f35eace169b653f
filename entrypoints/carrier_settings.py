"""An account's own carrier settings, sent through the API and checked here against the carrier's settings type."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import msgspec

from portside.core.errors import ValidationFailed
from portside.core.model import PickupCarrier
from portside.core.services.validation import convert_fields, string_leaves

# An account's directory shares the process with every other account's syncs: a timeout it chose
# must not hold a sync slot for minutes.
MAX_ACCOUNT_TIMEOUT_S = 30.0
MAX_SECRET_LENGTH = 256


@dataclass(frozen=True)
class CarrierKind:
    """A carrier portside has a directory for: its settings type and which of its fields are secret.
    Which directory adapter those settings build is the composition root's choice (``container.py``)."""

    carrier: PickupCarrier
    settings_type: type[Any]
    secret_fields: frozenset[str]

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
