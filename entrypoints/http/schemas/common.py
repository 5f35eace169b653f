"""JSON pieces every resource shares: money, times, addresses, problems, health."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import msgspec

UtcTime = Annotated[datetime, msgspec.Meta(tz=True, description="ISO 8601 with a UTC offset")]
Currency = Annotated[str, msgspec.Meta(pattern="^[A-Za-z]{3}$", description="ISO 4217 code")]


class MoneyJson(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    amount: Annotated[Decimal, msgspec.Meta(description='a decimal string, e.g. "12.34"')]
    currency: Currency


class AddressJson(msgspec.Struct, frozen=True, kw_only=True):
    name: str | None
    company: str | None
    line1: str | None
    line2: str | None
    line3: str | None
    postal_code: str | None
    city: str | None
    region: str | None
    country: str | None  # ISO 3166-1 alpha-2
    phone: str | None
    email: str | None


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An error, as RFC 7807 ``application/problem+json``."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: dict[str, str] | None = None  # each bad field and what to do about it
    error_id: str | None = None  # for a 500: quote it to find the log line


class Health(msgspec.Struct, frozen=True, kw_only=True):
    status: str
