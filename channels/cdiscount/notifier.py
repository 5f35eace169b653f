"""Tell Cdiscount an order shipped: one parcel for the whole order, never sent twice (reference §4.7).

One call per shipment when all goes well: the parcel is posted, and the order is read back only when
Octopia refuses it, to say why (or to find the parcel already there). A send whose answer was lost is
the outbox relay's to settle: it asks ``find_notification`` before sending again. ``read_first``
(the store's ``read_before_shipping``) reads the order before posting instead, should Octopia accept
parcels its documentation says it refuses."""

from __future__ import annotations

import msgspec

from portside.core.errors import ChannelRejected, ChannelUnavailable
from portside.core.model import Order, Shipment
from portside.core.ports import NotificationLookup, NotificationReceipt

from .carriers import CdiscountCarrierCatalog
from .client import OctopiaClient, order_path
from .problems import OctopiaRejected
from .readback import has_seller_line, parcel_numbers, read_state
from .schemas import WireOrderState
from .statuses import ENDED_STATUSES, NOT_YET_SHIPPABLE, SHIPPABLE_ORDER_STATUS, SHIPPED_STATUSES

# The legacy API's limits, most likely still applied (reference §8.3): checked before sending.
MAX_TRACKING_NUMBER = 50
MAX_TRACKING_URL = 255
NOT_READY_RETRY_S = 900.0  # Accepted orders reach InPreparation after Octopia's controls


def not_sent_fields(shipment: Shipment) -> tuple[str, ...]:
    """Shipment fields Octopia's shipment has no place for: kept on the shipment, reported, never dropped."""
    fields = []
    if shipment.notes_to_buyer:
        fields.append("notes_to_buyer")
    if shipment.service:
        fields.append("service")
    return tuple(fields)


class CdiscountShipmentNotifier:
    def __init__(self, client: OctopiaClient, carriers: CdiscountCarrierCatalog, *, read_first: bool = False) -> None:
        self._client = client
        self._carriers = carriers
        self._read_first = read_first

    async def notify(self, order: Order, shipment: Shipment) -> NotificationReceipt:
        parcel = await self._parcel(shipment)
        receipt = NotificationReceipt(
            sent={k: v for k, v in parcel.items() if v is not None}, not_sent=not_sent_fields(shipment)
        )
        order_id = order.channel_order_id
        if self._read_first and self._already_there(order_id, shipment, await read_state(self._client, order_id)):
            return receipt
        try:
            await self._client.post_json(order_path(order_id, "shipments"), msgspec.json.encode([parcel]))
        except OctopiaRejected:
            # Refused: the order read back says why. Our parcel may be there already (a concurrent send,
            # or an earlier one whose answer was lost), or the order is not (or no longer) the seller's
            # to ship; otherwise Octopia's own refusal (its field errors) is the answer.
            if self._already_there(order_id, shipment, await read_state(self._client, order_id)):
                return receipt
            raise
        return receipt

    async def preflight(self, order: Order, shipment: Shipment) -> None:
        await self._parcel(shipment)  # limits and the carrier's Octopia label, checked without sending

    async def find_notification(self, order: Order, shipment: Shipment) -> NotificationLookup:
        state = await read_state(self._client, order.channel_order_id)
        return NotificationLookup.found if _has_parcel(state, shipment) else NotificationLookup.absent

    async def _parcel(self, shipment: Shipment) -> dict[str, str | None]:
        """The one parcel to send, validated against Cdiscount's limits before anything is sent."""
        tracking = shipment.tracking_number.strip()
        url = (shipment.tracking_url or "").strip() or None
        errors: dict[str, list[str]] = {}
        if len(tracking) > MAX_TRACKING_NUMBER:
            errors["tracking_number"] = [f"{len(tracking)} characters; Cdiscount accepts at most {MAX_TRACKING_NUMBER}"]
        if url is not None and len(url) > MAX_TRACKING_URL:
            errors["tracking_url"] = [f"{len(url)} characters; Cdiscount accepts at most {MAX_TRACKING_URL}"]
        label = await self._carriers.resolve(shipment.carrier)
        if label is None:
            accepted = ", ".join(await self._carriers.accepted_carriers())
            errors["carrier"] = [f"{shipment.carrier!r} is not a carrier Cdiscount accepts; use one of: {accepted}"]
        if errors:
            fields = ", ".join(errors)
            raise ChannelRejected(f"shipment not sent to Cdiscount: fix {fields}", field_errors=errors)
        assert label is not None
        if url is None:
            url = self._carriers.tracking_url(shipment.carrier, tracking) or self._carriers.tracking_url(
                label, tracking
            )
            if url is not None and len(url) > MAX_TRACKING_URL:
                url = None  # our default, too long for this number: the URL is optional (§4.7)
        return {"parcelNumber": tracking, "carrierName": label, "trackingUrl": url}

    @classmethod
    def _already_there(cls, order_id: str, shipment: Shipment, state: WireOrderState) -> bool:
        """Whether the order already has this parcel; if not, raise when it cannot take one."""
        if _has_parcel(state, shipment):
            return True
        cls._check_shippable(order_id, state)
        return False

    @staticmethod
    def _check_shippable(order_id: str, state: WireOrderState) -> None:
        status = state.status or "unknown"
        if status in NOT_YET_SHIPPABLE:
            raise ChannelUnavailable(
                f"order {order_id} is {status} on Cdiscount, not yet InPreparation; the shipment will be sent "
                "once Octopia releases it for shipping",
                retry_after=NOT_READY_RETRY_S,
            )
        if status in ENDED_STATUSES:
            raise ChannelRejected(f"order {order_id} is {status} on Cdiscount: do not ship it")
        if status in SHIPPED_STATUSES:
            raise ChannelRejected(
                f"order {order_id} is already {status} on Cdiscount with another parcel; Cdiscount accepts one "
                "parcel per order, so this tracking number cannot be added. Nothing needs sending: correct the "
                "parcel in the Cdiscount seller back office if it is wrong"
            )
        if status != SHIPPABLE_ORDER_STATUS:
            raise ChannelRejected(f"order {order_id} is {status} on Cdiscount; only InPreparation orders can ship")
        if not has_seller_line(state):
            raise ChannelRejected(f"order {order_id} has no line shipped by the seller: Octopia ships it")


def _has_parcel(state: WireOrderState, shipment: Shipment) -> bool:
    """Whether the order read back carries this shipment's tracking number (trimmed, any case)."""
    return shipment.tracking_number.strip().casefold() in parcel_numbers(state)
