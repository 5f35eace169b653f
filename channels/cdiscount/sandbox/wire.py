"""What a client sees of a stored order: the fields Octopia hides removed, injected breakage applied."""

from __future__ import annotations

import copy
from typing import Any

Wire = dict[str, Any]

# Octopia gives the delivery address only once the order is ready to ship (reference §4.3); orders
# that never got there (refused, rejected) never show it.
ADDRESS_HIDDEN = frozenset({"Processing", "WaitingAcceptance", "Accepted", "Refused", "Rejected"})


def order_view(order: Wire, malformation: str | None = None) -> Wire:
    """``order`` as the API returns it, for encoding only: the result may share data with the store."""
    if order.get("status") in ADDRESS_HIDDEN and isinstance(order.get("lines"), list):
        view = dict(order)
        view["lines"] = [_without_address(line) for line in order["lines"]]
    else:
        view = order
    return _malform(copy.deepcopy(view), malformation) if malformation else view


def _without_address(line: Any) -> Any:
    if not isinstance(line, dict) or "shippingAddress" not in line:
        return line
    return {k: v for k, v in line.items() if k != "shippingAddress"}


def _malform(view: Wire, malformation: str) -> Wire:
    """Break one field with a wrong JSON type, the way a buggy upstream serializer would."""
    lines = view.get("lines")
    if malformation == "quantity_as_text" and isinstance(lines, list) and lines:
        lines[0]["quantity"] = "two"
    elif malformation == "price_as_text":
        view["totalPrice"] = {"offerPrice": "34,89", "sellingPrice": "34,89"}
    elif malformation == "updated_at_as_number":
        view["updatedAt"] = 1764158400
    else:  # lines_as_object, and the fallback when an order has no line to break
        view["lines"] = {}
    return view
