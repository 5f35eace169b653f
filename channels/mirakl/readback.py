"""Reading an order back from Mirakl after a write, or before one that must not be repeated (OR11 ``order_ids``)."""

from __future__ import annotations

import msgspec

from portside.core.errors import ChannelRejected, ChannelUnavailable

from .answers import WireOrderState, WireOrderStates
from .client import MiraklClient
from .schemas import decoder


async def read_state(client: MiraklClient, order_id: str) -> WireOrderState:
    body = (await client.get("/orders", {"order_ids": order_id})).body
    try:
        states = decoder(WireOrderStates).decode(body)
    except msgspec.DecodeError as exc:
        raise ChannelUnavailable(f"Mirakl sent order {order_id} in a form portside cannot read ({exc})") from None
    for state in states.orders or ():
        if (state.order_id or "").strip() == order_id:
            return state
    raise ChannelRejected(f"order {order_id} is not on Mirakl for this shop: check the order and the store's shop id")


def same_tracking(a: str | None, b: str | None) -> bool:
    """Tracking numbers compared the way carriers print them: trimmed, case-folded."""
    return bool(a and b and a.strip().casefold() == b.strip().casefold())


def waiting_line_ids(state: WireOrderState) -> list[str]:
    """The lines still waiting for the seller's decision (OR21 wants a decision for each, §7)."""
    return [
        line.order_line_id
        for line in state.order_lines or ()
        if line.order_line_id and (line.order_line_state or "WAITING_ACCEPTANCE") == "WAITING_ACCEPTANCE"
    ]
