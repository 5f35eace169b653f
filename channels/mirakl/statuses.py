"""Mirakl order and line states (reference §6) and their default mapping to the platform's statuses."""

from __future__ import annotations

from types import MappingProxyType

from portside.core.model import OrderStatus

# Every current order state (§0.7). The deprecated WAITING_REFUND and WAITING_REFUND_PAYMENT are
# left unmapped on purpose: an order showing one is kept on hold and named in the sync report.
ORDER_STATES: tuple[str, ...] = (
    "STAGING",
    "WAITING_ACCEPTANCE",
    "WAITING_DEBIT",
    "WAITING_DEBIT_PAYMENT",
    "SHIPPING",
    "SHIPPED",
    "TO_COLLECT",
    "RECEIVED",
    "CLOSED",
    "REFUSED",
    "CANCELED",
)

DEFAULT_STATUS_MAPPING = MappingProxyType(
    {
        "STAGING": OrderStatus.awaiting_payment,  # the operator's fraud check
        "WAITING_ACCEPTANCE": OrderStatus.awaiting_acceptance,
        "WAITING_DEBIT": OrderStatus.awaiting_payment,
        "WAITING_DEBIT_PAYMENT": OrderStatus.awaiting_payment,
        "SHIPPING": OrderStatus.awaiting_shipment,  # the only state OR24 accepts (§9)
        "SHIPPED": OrderStatus.shipped,
        "TO_COLLECT": OrderStatus.shipped,  # waiting at the pickup point
        "RECEIVED": OrderStatus.delivered,
        "CLOSED": OrderStatus.delivered,
        "REFUSED": OrderStatus.cancelled,
        "CANCELED": OrderStatus.cancelled,
    }
)

WAITING_ACCEPTANCE = "WAITING_ACCEPTANCE"
SHIPPING = "SHIPPING"
# Before these, the seller cannot ship yet: a notification is retried later, not refused.
NOT_YET_SHIPPABLE = frozenset({"STAGING", "WAITING_ACCEPTANCE", "WAITING_DEBIT", "WAITING_DEBIT_PAYMENT"})
SHIPPED_STATES = frozenset({"SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"})
ENDED_STATES = frozenset({"REFUSED", "CANCELED"})
# Past acceptance: the decision was "accept" (payment and shipping follow it).
ACCEPTED_STATES = frozenset({"WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING"}) | SHIPPED_STATES

# Line states no parcel is sent for; compared upper-case (§5.5, deprecated refund states included).
NON_SHIPPABLE_LINE_STATES = frozenset({"REFUSED", "CANCELED", "REFUNDED", "WAITING_REFUND", "WAITING_REFUND_PAYMENT"})


def status_for(order_state: str) -> OrderStatus | None:
    """The default platform status of a Mirakl order state; None for a state Mirakl added since."""
    return DEFAULT_STATUS_MAPPING.get(order_state)
