"""Rules for folding a channel's view of an order into what portside already holds."""

from __future__ import annotations

import msgspec

from ..model import SHIPPED_STATES, Order, OrderFlag, OrderStatus, StatusMapping

# Forward progress of a shipped order: a channel that still says "shipped" does not undo a
# "delivered" portside already recorded.
_SHIPPED_RANK = {OrderStatus.shipped: 1, OrderStatus.delivered: 2}


def resolve_status(order: Order, mapping: StatusMapping) -> Order:
    """Apply the store's mapping; an unmapped status is kept on hold and flagged, never dropped."""
    resolved = mapping.resolve(order.channel_status)
    if resolved is None:
        return msgspec.structs.replace(order.with_flags(add=(OrderFlag.unmapped_status,)), status=OrderStatus.on_hold)
    if order.status == resolved and OrderFlag.unmapped_status not in order.flags:
        return order
    return msgspec.structs.replace(order.with_flags(remove=(OrderFlag.unmapped_status,)), status=resolved)


# Flags portside sets itself (not derived from the channel's data or from enrichment), kept across
# imports for as long as the order stays in one of these statuses.
_LOCAL_FLAGS = {
    OrderFlag.acceptance_overdue: frozenset({OrderStatus.awaiting_acceptance}),
    OrderFlag.decision_pending: frozenset({OrderStatus.awaiting_acceptance}),
}


def reconcile(incoming: Order, stored: Order | None) -> Order:
    """The order to store, given the channel's mapped ``incoming`` and what is ``stored``.

    - a cancellation from the channel always wins, and a cancelled order stays cancelled;
    - a local ``shipped`` (or ``delivered``) is not undone by a channel that has not caught up;
    - the seller's internal notes survive every import.
    """
    if stored is None:
        return incoming
    status = incoming.status
    if stored.status == OrderStatus.cancelled:
        status = OrderStatus.cancelled
    elif status != OrderStatus.cancelled and stored.status in SHIPPED_STATES:
        if _SHIPPED_RANK.get(status, 0) < _SHIPPED_RANK[stored.status]:
            status = stored.status
    local = tuple(f for f, keep_in in _LOCAL_FLAGS.items() if f in stored.flags and status in keep_in)
    if status == incoming.status and incoming.internal_notes == stored.internal_notes and not local:
        return incoming
    merged = incoming.with_flags(add=local) if local else incoming
    return msgspec.structs.replace(merged, status=status, internal_notes=stored.internal_notes)


def is_stale(incoming: Order, stored: Order | None) -> bool:
    """An older view of the order than the one stored (a page read across the overlap, or a
    payload that arrived out of order): storing it would move the order back in time."""
    return stored is not None and incoming.updated_at < stored.updated_at
