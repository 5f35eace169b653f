"""An account's own settings for a carrier's pickup point directory, used instead of the service's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from msgspec.structs import force_setattr

from ._time import require_utc
from .delivery import PickupCarrier
from .masking import masked_repr, masked_rich_repr


class CarrierAccountSettings(msgspec.Struct, frozen=True, kw_only=True):
    """What an account sent for one carrier (the carrier's settings type, as data). The service's own
    settings (environment) apply to every account that has none."""

    account_id: str
    carrier: PickupCarrier
    settings: dict[str, Any] = {}  # secrets inside (a private key, a password): encrypted at rest, never logged
    updated_at: datetime

    def __post_init__(self) -> None:
        force_setattr(self, "updated_at", require_utc(self.updated_at, "updated_at"))

    # The settings hold secrets: they never reach a log line through a repr.
    __secret_fields__ = frozenset({"settings"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr
