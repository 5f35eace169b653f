"""People and places on an order: the customer and postal addresses."""

from __future__ import annotations

import msgspec
from msgspec.structs import force_setattr


class Address(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    name: str | None = None
    company: str | None = None
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    postal_code: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    phone: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        if self.country is not None:
            country = self.country.strip().upper()
            if len(country) != 2 or not country.isalpha():
                raise ValueError(f"country must be an ISO 3166-1 alpha-2 code, got {self.country!r}")
            force_setattr(self, "country", country)


class Customer(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
