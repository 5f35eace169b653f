"""Accept or refuse a Cdiscount order waiting for the seller's decision (``WaitingAcceptance``, §4.6)."""

from __future__ import annotations

import msgspec

from portside.core.model import Order

from .client import OctopiaClient, order_path
from .problems import OctopiaRejected
from .readback import read_state
from .statuses import ACCEPTED_STATUSES, ENDED_STATUSES

ACCEPTED, REFUSED = "Accepted", "Refused"


class CdiscountAcknowledger:
    """``POST /orders/{id}/approval-status`` with ``{"approval_status": …}``: the body comes from three
    third-party clients only, so the field name is a setting (``approval_status_field``)."""

    def __init__(self, client: OctopiaClient, status_field: str) -> None:
        self._client = client
        self._field = status_field

    async def accept(self, order: Order) -> None:
        await self._decide(order, ACCEPTED)

    async def refuse(self, order: Order, reason: str | None) -> None:
        # Octopia's approval body has no reason field: the reason stays in portside's activity log.
        await self._decide(order, REFUSED)

    async def find_decision(self, order: Order) -> bool | None:
        """True once the order is past acceptance, False when refused or otherwise ended, None while it waits."""
        status = (await read_state(self._client, order.channel_order_id)).status
        if status in ACCEPTED_STATUSES:
            return True
        if status in ENDED_STATUSES:
            return False
        return None

    async def _decide(self, order: Order, decision: str) -> None:
        body = msgspec.json.encode({self._field: decision})
        try:
            await self._client.post_json(order_path(order.channel_order_id, "approval-status"), body)
        except OctopiaRejected as exc:
            # Refused because the order is no longer waiting: fine if it already carries this decision
            # (a retry after an answer that was lost), a real refusal otherwise.
            if exc.status in (400, 409) and await self.find_decision(order) == (decision == ACCEPTED):
                return
            raise
