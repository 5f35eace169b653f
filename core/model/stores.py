"""A store: one seller account on one channel, with its credentials and choices."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec
from msgspec.structs import force_setattr

from ._time import require_utc
from .masking import masked_repr, masked_rich_repr
from .statuses import OrderStatus


class AcceptancePolicy(StrEnum):
    manual = "manual"
    auto_known_skus = "auto_known_skus"  # accept when every SKU is in the catalog


class Store(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    account_id: str
    channel: str
    name: str
    credentials: dict[str, Any] = {}  # secret: encrypted at rest, never logged or returned
    settings: dict[str, Any] = {}  # the channel's settings type, as data
    status_overrides: dict[str, OrderStatus] = {}
    acceptance_policy: AcceptancePolicy = AcceptancePolicy.manual
    sync_interval_s: int = 900
    active: bool = True
    created_at: datetime
    # Which marketplace seller the store pulls orders of, as a digest of the channel's identity string
    # (``ChannelConfig.store_identity``): one account cannot connect the same seller twice. None when
    # the channel cannot tell, or for a pair connected before the rule (see ``update_store``).
    seller_key: str | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "created_at", require_utc(self.created_at, "created_at"))
        if self.sync_interval_s < 60:
            raise ValueError(f"sync interval must be at least 60 s, got {self.sync_interval_s}")

    # Credentials never reach a log line, a rich/pytest rendering or a debugger through a repr.
    __secret_fields__ = frozenset({"credentials"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr
