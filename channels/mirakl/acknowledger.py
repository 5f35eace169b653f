"""Accept or refuse a Mirakl order waiting for the seller (OR21, reference §7): every line gets a decision."""

from __future__ import annotations

import msgspec

from portside.core.errors import ChannelRejected
from portside.core.model import Order

from .answers import WireOrderState
from .client import MiraklClient, order_path
from .problems import MiraklRejected
from .readback import read_state, waiting_line_ids
from .statuses import ACCEPTED_STATES, ENDED_STATES, WAITING_ACCEPTANCE


def decision_of(state: WireOrderState) -> bool | None:
    """True once the order is past acceptance, False once refused or cancelled, None while it waits.

    A cancelled order reads as not accepted whatever happened before: nothing can be accepted on it.
    """
    order_state = state.order_state or ""
    if order_state in ACCEPTED_STATES:
        return True
    if order_state in ENDED_STATES:
        return False
    return None


class MiraklAcknowledger:
    def __init__(self, client: MiraklClient) -> None:
        self._client = client

    async def accept(self, order: Order) -> None:
        await self._decide(order, True)

    async def refuse(self, order: Order, reason: str | None) -> None:
        # OR21 has no reason field (§7): the reason stays in portside's activity log.
        await self._decide(order, False)

    async def find_decision(self, order: Order) -> bool | None:
        return decision_of(await read_state(self._client, order.channel_order_id))

    async def _decide(self, order: Order, accept: bool) -> None:
        order_id = order.channel_order_id
        state = await read_state(self._client, order_id)
        if state.order_state != WAITING_ACCEPTANCE:
            if decision_of(state) == accept:
                return  # already decided this way (an earlier send whose answer was lost)
            raise ChannelRejected(
                f"order {order_id} is {state.order_state or 'in an unknown state'} on Mirakl, no longer waiting for "
                f"acceptance: it cannot be {'accepted' if accept else 'refused'} now"
            )
        lines = waiting_line_ids(state)
        body = msgspec.json.encode({"order_lines": [{"id": line_id, "accepted": accept} for line_id in lines]})
        try:
            await self._client.put_json(order_path(order_id, "accept"), body)
        except MiraklRejected as exc:
            # Decided meanwhile (by a concurrent send, or the operator's timeout): fine if it went our way.
            if exc.code == "ORDER_INVALID_STATE" and await self.find_decision(order) == accept:
                return
            raise
