"""Label hints: the carrier-specific fields a shipping platform needs to print a pickup-point label."""

from __future__ import annotations

import re

import msgspec

from ..model import Order, PickupCarrier, PickupPoint

_DIGITS = re.compile(r"\D")


class LabelSettings(msgspec.Struct, frozen=True, kw_only=True):
    # Colissimo's current official plugins send ``HD`` for every pickup delivery (2024); older
    # integrations sent the point's type (A2P, BPR…). Uncertain (relay-carriers §4.6): "point_type"
    # switches to the legacy behaviour.
    colissimo_product_code: str = "HD"
    mondial_relay_mode: str = "24R"  # Point Relais and lockers alike (relay-carriers §1.8)
    commercial_name: str | None = None  # shown to the buyer by Colissimo; defaults to the store's name


def french_mobile(phone: str | None) -> str | None:
    """The number in +33 form if it is a French mobile (06/07), else None."""
    if not phone:
        return None
    digits = _DIGITS.sub("", phone)
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits[:2] in ("06", "07"):
        return "+33" + digits[1:]
    return None


def recipient_mobile(order: Order) -> str | None:
    candidates = (
        order.shipping_address.phone if order.shipping_address else None,
        order.customer.phone,
        order.billing_address.phone if order.billing_address else None,
    )
    return next((m for m in map(french_mobile, candidates) if m), None)


def label_hints(order: Order, point: PickupPoint, settings: LabelSettings, store_name: str) -> dict[str, str]:
    country = point.country or (point.address.country if point.address else None) or "FR"
    if point.carrier == PickupCarrier.mondial_relay:
        return {
            "carrier": point.carrier,
            "ModeLiv": settings.mondial_relay_mode,
            "LIV_Rel_Pays": country,
            "LIV_Rel": point.point_id,
            "Location": f"{country}-{point.point_id}",  # API v2 <DeliveryMode Location=…>
        }
    if point.carrier == PickupCarrier.colissimo:
        product = settings.colissimo_product_code
        if product == "point_type":
            product = point.point_type or "HD"
        hints = {
            "carrier": point.carrier,
            "productCode": product,
            "pickupLocationId": point.point_id,
            "commercialName": settings.commercial_name or store_name,
        }
        mobile = recipient_mobile(order)
        if mobile:
            hints["mobileNumber"] = mobile
        return hints
    return {"carrier": point.carrier, "pickupPointId": point.point_id}
