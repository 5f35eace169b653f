"""What a shipment tells Mirakl about its parcel: carrier (listed code, or name + URL) and tracking number.

Checked before anything is sent, so a refusal names the field to fix instead of costing a call.
"""

from __future__ import annotations

from typing import Any

import msgspec

from portside.core.errors import ChannelRejected
from portside.core.model import Shipment

from .carriers import CarrierChoice, MiraklCarrierCatalog
from .profile import MarketplaceProfile


class TrackingPlan(msgspec.Struct, frozen=True, kw_only=True):
    choice: CarrierChoice
    number: str
    url: str | None  # sent only for a carrier the operator does not list: Mirakl builds the others' (§9)

    def or23_body(self) -> dict[str, Any]:
        """OR23: ``carrier_code`` for a listed carrier, else ``carrier_name`` (+ ``carrier_url``)."""
        if self.choice.code is not None:
            return {"carrier_code": self.choice.code, "tracking_number": self.number}
        body: dict[str, Any] = {"carrier_name": self.choice.name, "tracking_number": self.number}
        if self.url:
            body["carrier_url"] = self.url
        return body

    def st01_tracking(self) -> dict[str, Any]:
        """ST01's ``tracking`` object names the URL ``tracking_url`` (§10)."""
        body = self.or23_body()
        if "carrier_url" in body:
            body["tracking_url"] = body.pop("carrier_url")
        return body

    def sent(self, via: str) -> dict[str, str]:
        return {**{k: str(v) for k, v in self.or23_body().items()}, "via": via}


def not_sent_fields(shipment: Shipment, plan: TrackingPlan) -> tuple[str, ...]:
    """Shipment fields Mirakl has no place for: kept on the shipment, reported, never dropped."""
    fields = [name for name in ("notes_to_buyer", "service") if getattr(shipment, name)]
    if shipment.tracking_url and plan.choice.listed:
        fields.append("tracking_url")  # the operator builds a listed carrier's URL itself
    return tuple(fields)


async def plan_tracking(catalog: MiraklCarrierCatalog, profile: MarketplaceProfile, shipment: Shipment) -> TrackingPlan:
    number = shipment.tracking_number.strip()
    choice = await catalog.choose(shipment.carrier)
    if choice is None:
        accepted = ", ".join(await catalog.accepted_carriers()) or "none listed"
        where = profile.display_name
        reason = (
            f"not a carrier {where} lists, and this store sends no unlisted carrier by name; use one of: {accepted}"
        )
        if not shipment.carrier.strip():
            reason = "required"
        raise ChannelRejected(
            f"shipment not sent to {where}: carrier {shipment.carrier!r} is not accepted",
            field_errors={"carrier": [reason]},
        )
    url = (shipment.tracking_url or "").strip() or choice.tracking_url(number)
    rule = profile.tracking_url_required
    if not url and (rule == "always" or (rule == "unlisted_carrier" and not choice.listed)):
        # Leroy Merlin: "tracking_url may be mandatory … if your carrier is not vetted" (reference §1).
        raise ChannelRejected(
            f"shipment not sent to {profile.display_name}: it needs a tracking URL for {choice.name}",
            field_errors={
                "tracking_url": [
                    f"{profile.display_name} requires a tracking URL for carriers it does not list; add the "
                    "parcel's tracking page to the shipment, or ship with a carrier it lists"
                ]
            },
        )
    return TrackingPlan(choice=choice, number=number, url=url)
