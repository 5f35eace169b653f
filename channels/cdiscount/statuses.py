"""Octopia order and line statuses, and their default mapping to the platform's statuses."""

from __future__ import annotations

from types import MappingProxyType

from portside.core.model import OrderStatus

# Every order status Octopia documents (reference §4.4).
OCTOPIA_STATUSES: tuple[str, ...] = (
    "Processing",
    "WaitingAcceptance",
    "Refused",
    "Accepted",
    "InPreparation",
    "Shipped",
    "Delivered",
    "Cancelled",
    "Rejected",
)

DEFAULT_STATUS_MAPPING = MappingProxyType(
    {
        "Processing": OrderStatus.awaiting_payment,  # still under marketplace review
        "WaitingAcceptance": OrderStatus.awaiting_acceptance,
        "Accepted": OrderStatus.awaiting_payment,  # "awaiting final marketplace controls"
        "InPreparation": OrderStatus.awaiting_shipment,  # the only status a seller may ship from (§4.7)
        "Shipped": OrderStatus.shipped,
        "Delivered": OrderStatus.delivered,
        "Cancelled": OrderStatus.cancelled,
        "Refused": OrderStatus.cancelled,
        "Rejected": OrderStatus.cancelled,
    }
)

# The status Octopia requires before ``POST /orders/{id}/shipments`` (§4.7).
SHIPPABLE_ORDER_STATUS = "InPreparation"
WAITING_ACCEPTANCE = "WaitingAcceptance"
# Statuses an order passes through before it can ship: a shipment sent now should be retried later.
NOT_YET_SHIPPABLE = frozenset({"Processing", "WaitingAcceptance", "Accepted"})
SHIPPED_STATUSES = frozenset({"Shipped", "Delivered"})
ACCEPTED_STATUSES = frozenset({"Accepted", "InPreparation", "Shipped", "Delivered"})
ENDED_STATUSES = frozenset({"Refused", "Cancelled", "Rejected"})

# Line statuses never offered for shipment; ``CancelRequest`` is spelled as one client reads it (§4.3, U).
# Compared case-insensitively.
NON_SHIPPABLE_LINE_STATUSES = frozenset({"cancelled", "cancelrequest", "refused", "rejected"})

# Only ``Seller`` lines are shipped by the seller; ``Fulfillment`` and ``Xdock`` are Octopia's (§4.3).
SELLER_SUPPLY_MODE = "Seller"


def is_seller_mode(supply_mode: str | None) -> bool:
    """Whether the seller ships a line with this ``offer.supplyMode``; an absent one is the seller's, as
    on every order before Octopia's fulfilment existed. Matched loosely (case, spaces)."""
    return supply_mode is None or supply_mode == SELLER_SUPPLY_MODE or supply_mode.strip().casefold() == "seller"


def status_for(channel_status: str) -> OrderStatus | None:
    """The default platform status of an Octopia order status; None when Octopia sent an unknown one."""
    return DEFAULT_STATUS_MAPPING.get(channel_status)
