"""Accounts (tenants) and their API keys. Everything a platform sees belongs to one account."""

from __future__ import annotations

from datetime import datetime

import msgspec
from msgspec.structs import force_setattr

from ._time import optional_utc, require_utc


class Account(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    created_at: datetime

    def __post_init__(self) -> None:
        force_setattr(self, "created_at", require_utc(self.created_at, "created_at"))
        if not self.name.strip():
            raise ValueError("account name cannot be empty")


class ApiKey(msgspec.Struct, frozen=True, kw_only=True):
    """An API key as stored: only its SHA-256 is kept; ``prefix`` lets a person tell keys apart."""

    id: str
    account_id: str
    prefix: str
    key_hash: str  # hex sha256 of the whole key
    created_at: datetime
    revoked_at: datetime | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "created_at", require_utc(self.created_at, "created_at"))
        force_setattr(self, "revoked_at", optional_utc(self.revoked_at, "revoked_at"))

    @property
    def active(self) -> bool:
        return self.revoked_at is None
