"""Start-up settings of the Octopia sandbox: credentials, seed, token rules, clock anchor, faults."""

from __future__ import annotations

from datetime import datetime

import msgspec

from .faults import FaultKnobs


class SandboxConfig(msgspec.Struct, frozen=True, kw_only=True):
    """What the sandbox is started with; runtime changes go through the ``/_sandbox`` admin endpoints."""

    seed: int = 1
    orders: int = 200
    client_id: str = "sandbox-client"
    client_secret: str = "sandbox-secret"  # noqa: S105 - a public sandbox default, not a secret
    seller_id: str = "123456"
    token_ttl_s: int = 7200  # Octopia: "Your token is available for 2h"
    token_cap_per_hour: int = 500  # Octopia's token quota (reference cdiscount-api §4.1)
    page_size_max: int = 100
    page_size_default: int = 50  # undocumented upstream; clients should always send pageSize
    # The sandbox clock starts here and then runs in real time; None means the real now at start.
    now: datetime | None = None
    faults: FaultKnobs = msgspec.field(default_factory=lambda: FaultKnobs())

    def __post_init__(self) -> None:
        if self.orders < 0:
            raise ValueError(f"orders must be >= 0, got {self.orders}")
        if not 1 <= self.page_size_default <= self.page_size_max:
            raise ValueError(f"need 1 <= page_size_default <= page_size_max, got {self.page_size_default}")
        if self.now is not None and self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware (UTC)")
