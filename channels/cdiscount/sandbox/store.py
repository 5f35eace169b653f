"""The sandbox's orders in memory, complete (hidden fields included), keyed by ``orderId``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .clock import SandboxClock, iso, parse_iso
from .lines import open_total

Wire = dict[str, Any]
# Order-level timestamps are rewritten to Octopia's one spelling on the way in, so that plain string
# comparison orders them (the list filters and sorts rely on it).
TIMESTAMP_FIELDS = ("purchasedAt", "createdAt", "updatedAt", "shippedAtMax")


class OrderRejected(ValueError):
    """An order handed to the store lacks what every Octopia order has."""


class OrderStore:
    def __init__(self, clock: SandboxClock) -> None:
        self._clock = clock
        self._orders: dict[str, Wire] = {}

    def __len__(self) -> int:
        return len(self._orders)

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._orders

    def add(self, order: Wire) -> Wire:
        order_id = order.get("orderId")
        if not isinstance(order_id, str) or not order_id:
            raise OrderRejected("orderId must be a non-empty string")
        if order_id in self._orders:
            raise OrderRejected(f"order {order_id} already exists")
        if not isinstance(order.get("lines"), list) or not isinstance(order.get("status"), str):
            raise OrderRejected("an order needs a status and a list of lines")
        now = iso(self._clock.now())
        for field in TIMESTAMP_FIELDS:
            value = order.get(field)
            if value is None and field != "shippedAtMax":
                order[field] = now
            elif isinstance(value, str):
                try:
                    order[field] = iso(parse_iso(value))
                except ValueError as exc:
                    raise OrderRejected(f"{field} is not an ISO-8601 timestamp: {value!r}") from exc
        self._orders[order_id] = order
        return order

    def get(self, order_id: str) -> Wire | None:
        return self._orders.get(order_id)

    def all(self) -> list[Wire]:
        return list(self._orders.values())

    def touch(self, order: Wire) -> None:
        """Record a change: ``updatedAt`` moves to now, and always forward so a cursor sees the change."""
        previous = parse_iso(order["updatedAt"])
        order["updatedAt"] = iso(max(self._clock.now(), previous + timedelta(seconds=1)))

    def set_status(self, order: Wire, status: str, *, lines_too: bool = True) -> None:
        """New order status; lines follow it, except lines already cancelled."""
        order["status"] = status
        if lines_too:
            for line in order["lines"]:
                if line.get("status") != "Cancelled":
                    line["status"] = status
            order["totalPrice"] = open_total(order["lines"])  # a refused or cancelled order's lines close
        self.touch(order)
