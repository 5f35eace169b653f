"""The platform's order statuses, and the per-store mapping from a channel's raw statuses."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class OrderStatus(StrEnum):
    awaiting_acceptance = "awaiting_acceptance"
    awaiting_payment = "awaiting_payment"
    awaiting_shipment = "awaiting_shipment"
    on_hold = "on_hold"
    shipped = "shipped"
    delivered = "delivered"
    cancelled = "cancelled"


# Statuses a channel page must not take an order back from: once the seller shipped it locally,
# the channel only catches up; once cancelled, a stale page cannot revive it.
SHIPPED_STATES = frozenset({OrderStatus.shipped, OrderStatus.delivered})


class StatusMapping(msgspec.Struct, frozen=True, kw_only=True):
    """Channel status → platform status: the channel's defaults with the store's overrides on top.

    ``resolve`` is total: a status nobody mapped yields ``None`` and the import keeps the order
    ``on_hold`` with the ``unmapped_status`` flag instead of dropping it.
    """

    defaults: dict[str, OrderStatus]
    overrides: dict[str, OrderStatus] = {}

    def resolve(self, channel_status: str) -> OrderStatus | None:
        found = self.overrides.get(channel_status)
        if found is None:
            found = self.defaults.get(channel_status)
        return found

    def effective(self) -> dict[str, OrderStatus]:
        return {**self.defaults, **self.overrides}
