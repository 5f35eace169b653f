"""When an operator shows the buyer's addresses: "null before shipping (or acceptance, depending on
platform setting)" (reference §5.4). Once shown, they stay shown, even if the order is cancelled later."""

from __future__ import annotations

from .operators import Operator

_SHIPPING_ON = frozenset({"SHIPPING", "SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"})
_ACCEPTED_ON = _SHIPPING_ON | {"WAITING_DEBIT", "WAITING_DEBIT_PAYMENT"}


def shows_addresses(op: Operator, state: str) -> bool:
    return state in (_ACCEPTED_ON if op.addresses_from == "acceptance" else _SHIPPING_ON)
