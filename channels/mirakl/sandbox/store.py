"""The sandbox's orders in memory, complete (hidden addresses included), keyed by ``order_id``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .clock import SandboxClock, iso, parse_iso

Wire = dict[str, Any]
# Rewritten to one spelling on the way in, so plain string comparison orders them (filters and sorts).
TIMESTAMPS = ("created_date", "last_updated_date", "shipping_deadline")


class OrderRejected(ValueError):
    """An order handed to the store lacks what every Mirakl order has."""


class OrderStore:
    def __init__(self, clock: SandboxClock) -> None:
        self._clock = clock
        self._orders: dict[str, Wire] = {}

    def __len__(self) -> int:
        return len(self._orders)

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._orders

    def add(self, order: Wire) -> Wire:
        order_id = order.get("order_id")
        if not isinstance(order_id, str) or not order_id.strip():
            raise OrderRejected("order_id must be a non-empty string")
        if order_id in self._orders:
            raise OrderRejected(f"order {order_id} already exists")
        if not isinstance(order.get("order_lines"), list) or not isinstance(order.get("order_state"), str):
            raise OrderRejected("an order needs an order_state and a list of order_lines")
        now = iso(self._clock.now())
        for field in TIMESTAMPS:
            value = order.get(field)
            if value is None and field != "shipping_deadline":
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
        """Record a change: ``last_updated_date`` moves to now, and always forward so a cursor sees it."""
        previous = parse_iso(order["last_updated_date"])
        order["last_updated_date"] = iso(max(self._clock.now(), previous + timedelta(seconds=1)))

    def set_state(self, order: Wire, state: str) -> None:
        """A new order state; lines follow it, except lines already refused or cancelled."""
        order["order_state"] = state
        for line in order["order_lines"]:
            if isinstance(line, dict) and line.get("order_line_state") not in ("REFUSED", "CANCELED"):
                line["order_line_state"] = state
        self.touch(order)
