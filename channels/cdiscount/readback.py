"""Reading an order back from Octopia after a write, or before one that must not be repeated."""

from __future__ import annotations

import msgspec

from portside.core.errors import ChannelUnavailable

from .client import OctopiaClient, order_path
from .schemas import WireOrderState, decoder
from .statuses import NON_SHIPPABLE_LINE_STATUSES, is_seller_mode


async def read_state(client: OctopiaClient, order_id: str) -> WireOrderState:
    body = (await client.get(order_path(order_id))).body
    try:
        return decoder(WireOrderState).decode(body)
    except msgspec.DecodeError as exc:
        raise ChannelUnavailable(f"Octopia sent order {order_id} in a form portside cannot read ({exc})") from None


def parcel_numbers(state: WireOrderState) -> set[str]:
    """Every parcel number on the order, normalised the way a comparison needs (trimmed, case-folded)."""
    return {
        parcel.parcel_number.strip().casefold()
        for line in state.lines or ()
        for parcel in line.parcels or ()
        if parcel.parcel_number
    }


def has_seller_line(state: WireOrderState) -> bool:
    """Whether a line is left for the seller to ship: Octopia ships Fulfillment/Xdock lines itself (§4.3),
    and cancelled or refused lines ship with nobody."""
    for line in state.lines or ():
        if not is_seller_mode(line.offer.supply_mode if line.offer is not None else None):
            continue
        if line.status is None or line.status.casefold() not in NON_SHIPPABLE_LINE_STATUSES:
            return True
    return False
