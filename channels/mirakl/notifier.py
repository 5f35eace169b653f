"""Tell Mirakl an order shipped: the Shipments API (ST01) first, OR23 + OR24 when it answers 404 (reference §10).

That order and that fallback are what Mirakl's own connector does. Every send starts by reading
the order back, so a repeat after a lost answer finds the tracking already there and sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import msgspec

from portside.core.errors import ChannelRejected, ChannelUnavailable
from portside.core.model import Order, Shipment
from portside.core.ports import NotificationLookup, NotificationReceipt

from .answers import WireOrderState, WireShipmentList, WireShipmentResult
from .carriers import MiraklCarrierCatalog
from .client import MiraklClient, order_path
from .problems import MiraklRejected
from .profile import MarketplaceProfile
from .readback import read_state, same_tracking
from .schemas import decoder
from .state import StoreState
from .statuses import ENDED_STATES, NOT_YET_SHIPPABLE, SHIPPED_STATES, SHIPPING
from .tracking import TrackingPlan, not_sent_fields, plan_tracking

NOT_READY_RETRY_S = 900.0  # accepted orders reach SHIPPING once the buyer is debited (§6)
SHIPMENTS_API, ORDER_API, ALREADY_THERE = "ST01", "OR23+OR24", "found on the order"


class MiraklShipmentNotifier:
    def __init__(
        self,
        client: MiraklClient,
        carriers: MiraklCarrierCatalog,
        profile: MarketplaceProfile,
        state: StoreState,
        recheck_s: float,
        now: Callable[[], datetime],
    ) -> None:
        self._client = client
        self._carriers = carriers
        self._profile = profile
        self._state = state
        self._recheck = timedelta(seconds=recheck_s)
        self._now = now

    async def notify(self, order: Order, shipment: Shipment) -> NotificationReceipt:
        plan = await plan_tracking(self._carriers, self._profile, shipment)
        order_id = order.channel_order_id
        state = await read_state(self._client, order_id)
        if same_tracking(state.shipping_tracking, plan.number) and state.order_state in SHIPPED_STATES:
            return self._receipt(shipment, plan, ALREADY_THERE)  # an earlier send whose answer was lost
        self._check_shippable(order_id, state)
        lines = _lines(order, shipment)
        if self._shipments_api_on():
            try:
                await self._create_shipment(order_id, lines, plan)
                return self._receipt(shipment, plan, SHIPMENTS_API)
            except MiraklRejected as exc:
                if exc.status != 404:
                    raise
                self._state.shipments_api_off_since = self._now()  # "multi-shipment is probably disabled" (§10)
        waiting = {line.order_line_id for line in state.order_lines or () if line.order_line_state == SHIPPING}
        if not waiting <= {line_id for line_id, _ in lines}:
            raise ChannelRejected(
                f"{self._profile.display_name} has no Shipments API for this shop, so an order ships whole "
                f"(OR24); include every line still to ship of order {order_id} in one shipment"
            )
        if not same_tracking(state.shipping_tracking, plan.number):
            await self._client.put_json(order_path(order_id, "tracking"), msgspec.json.encode(plan.or23_body()))
        await self._client.put_empty(order_path(order_id, "ship"))
        return self._receipt(shipment, plan, ORDER_API)

    async def preflight(self, order: Order, shipment: Shipment) -> None:
        await plan_tracking(self._carriers, self._profile, shipment)  # carrier and tracking-URL rules

    async def find_notification(self, order: Order, shipment: Shipment) -> NotificationLookup:
        """Found when the order carries the tracking number and has shipped, or when a Shipments API
        shipment of the order carries it (a partial shipment leaves the order in SHIPPING)."""
        number = shipment.tracking_number
        state = await read_state(self._client, order.channel_order_id)
        if same_tracking(state.shipping_tracking, number) and state.order_state in SHIPPED_STATES:
            return NotificationLookup.found
        if self._shipments_api_on():
            try:
                body = (await self._client.get("/shipments", {"order_id": order.channel_order_id})).body
            except MiraklRejected as exc:
                if exc.status != 404:
                    raise
                self._state.shipments_api_off_since = self._now()
            else:
                try:
                    listed = decoder(WireShipmentList).decode(body).data or []
                except msgspec.DecodeError as exc:
                    raise ChannelUnavailable(f"Mirakl answered ST11 unreadably ({exc})") from None
                if any(s.tracking and same_tracking(s.tracking.tracking_number, number) for s in listed):
                    return NotificationLookup.found
        return NotificationLookup.absent

    def _shipments_api_on(self) -> bool:
        off_since = self._state.shipments_api_off_since
        return off_since is None or self._now() - off_since >= self._recheck

    async def _create_shipment(self, order_id: str, lines: list[tuple[str, int]], plan: TrackingPlan) -> None:
        shipment: dict[str, Any] = {
            "order_id": order_id,
            "shipment_lines": [{"order_line_id": line_id, "quantity": qty} for line_id, qty in lines],
            "tracking": plan.st01_tracking(),
            "shipped": True,  # ship right after creation (§10)
        }
        body = (await self._client.post_json("/shipments", msgspec.json.encode({"shipments": [shipment]}))).body
        try:
            result = decoder(WireShipmentResult).decode(body)
        except msgspec.DecodeError as exc:
            raise ChannelUnavailable(f"Mirakl answered ST01 for order {order_id} unreadably ({exc})") from None
        # Per-shipment errors arrive in a 2xx body (§10): read them even on 201.
        errors = [e.message or "no reason given" for e in result.shipment_errors or ()]
        if errors or not result.shipment_success:
            reason = "; ".join(errors) or "no shipment was created"
            raise ChannelRejected(f"Mirakl refused the shipment of order {order_id}: {reason}")

    def _receipt(self, shipment: Shipment, plan: TrackingPlan, via: str) -> NotificationReceipt:
        return NotificationReceipt(sent=plan.sent(via), not_sent=not_sent_fields(shipment, plan))

    def _check_shippable(self, order_id: str, state: WireOrderState) -> None:
        order_state = state.order_state or "unknown"
        where = self._profile.display_name
        if order_state in NOT_YET_SHIPPABLE:
            raise ChannelUnavailable(
                f"order {order_id} is {order_state} on {where}, not yet SHIPPING; the shipment will be sent once "
                "the marketplace releases it for shipping",
                retry_after=NOT_READY_RETRY_S,
            )
        if order_state in ENDED_STATES:
            raise ChannelRejected(f"order {order_id} is {order_state} on {where}: do not ship it")
        if order_state in SHIPPED_STATES:
            tracking = f"tracking {state.shipping_tracking}" if state.shipping_tracking else "no tracking number"
            raise ChannelRejected(
                f"order {order_id} is already {order_state} on {where} ({tracking}), shipped outside portside; "
                f"a different tracking number cannot be added now. Nothing needs sending: correct the tracking in "
                f"{where}'s seller back office if it is wrong"
            )
        if order_state != SHIPPING:
            raise ChannelRejected(f"order {order_id} is {order_state} on {where}; only SHIPPING orders can ship")


def _lines(order: Order, shipment: Shipment) -> list[tuple[str, int]]:
    """The shipment's lines, or every line the seller ships when the shipment names none."""
    if shipment.lines:
        return [(line.channel_line_id, line.quantity) for line in shipment.lines]
    return [(line.channel_line_id, line.quantity) for line in order.shippable_lines]
