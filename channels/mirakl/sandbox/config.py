"""Start-up settings of the Mirakl sandbox: which marketplace it plays, seed, key, shop and faults."""

from __future__ import annotations

from datetime import datetime

import msgspec

from .faults import MiraklFaultKnobs
from .operators import operator_names


class MiraklSandboxConfig(msgspec.Struct, frozen=True, kw_only=True):
    """What the sandbox starts with; runtime changes go through the ``/_sandbox`` admin endpoints."""

    profile: str = "leroy_merlin"  # the marketplace played: one of the shipped profiles
    seed: int = 1
    orders: int = 60
    api_key: str = "sandbox-mirakl-key"
    shop_id: str | None = "2001"  # a call naming another shop is refused; no shop_id means this one
    # Mirakl subtracts a delta from start_update_date "to ensure no orders are missed" (reference §5.1).
    window_widening_s: int = 300
    max_page: int = 100  # believed OR11 ceiling (§4)
    shipments_api: bool = True  # the operator's multi-shipment feature; off → ST01 and ST11 answer 404
    partial_acceptance: bool = True  # off → ORDER_PARTIAL_ACCEPTANCE_DISABLED (§7)
    # The sandbox clock starts here and then runs in real time; None means the real now at start.
    now: datetime | None = None
    faults: MiraklFaultKnobs = msgspec.field(default_factory=lambda: MiraklFaultKnobs())

    def __post_init__(self) -> None:
        if self.profile not in operator_names():
            raise ValueError(f"unknown profile {self.profile!r}; one of {', '.join(operator_names())}")
        if self.orders < 0:
            raise ValueError(f"orders must be >= 0, got {self.orders}")
        if self.now is not None and self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware (UTC)")
