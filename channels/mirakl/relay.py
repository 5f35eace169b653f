"""Relay (PUDO) orders: where the profile says the point's id, network, name and type are (reference §13)."""

from __future__ import annotations

import re

import msgspec

from portside.core.model import Address, PickupCarrier, PickupPoint, PointSource

from .fields import loose_key
from .profile import MarketplaceProfile
from .schemas import WireOrder


def normalise_relay_id(raw: str | int | None) -> str | None:
    """Trimmed, and only the part after a ``:`` (Shopping Feed's rule for every Mirakl relay id,
    §13); None when nothing is left. Applying it twice changes nothing."""
    if raw is None or isinstance(raw, bool):
        return None
    text = str(raw)
    if ":" in text:
        text = text.rsplit(":", 1)[1]
    text = text.strip()
    return text or None


def pickup_carrier(code: str | None) -> PickupCarrier:
    """The pickup network of a platform carrier code; a network portside has no directory for is ``other``."""
    try:
        return PickupCarrier(code) if code else PickupCarrier.other
    except ValueError:
        return PickupCarrier.other


class RelayHit(msgspec.Struct, frozen=True, kw_only=True):
    point_id: str
    carrier: str | None  # platform carrier code, when the order or the profile says
    point_type: str | None
    name: str | None


class RelayReader:
    """Reads one profile's relay rule; patterns and tables are prepared once per store."""

    def __init__(self, profile: MarketplaceProfile) -> None:
        rule = profile.relay
        self._rule = rule
        self._patterns = [(re.compile(p.pattern), p.carrier) for p in rule.label_patterns]
        self._providers = {loose_key(value): code for value, code in rule.providers.items()}
        self._point_types = {kind.strip().upper(): code for kind, code in rule.point_type_carriers.items()}

    def read(self, wire: WireOrder, fields: dict[str, str], type_carrier: str | None) -> RelayHit | None:
        """The relay the buyer chose, or None for an order with no relay id anywhere the profile looks.

        The network comes from the provider field, then the label pattern, then the shipping-type
        table (``type_carrier``), then the point type: the most specific source first.
        """
        rule = self._rule
        point_id = normalise_relay_id(wire.shipping_pudo_id) if rule.id_from_pudo else None
        for code in rule.id_fields:
            if point_id is None:
                point_id = normalise_relay_id(fields.get(code))
        pattern_carrier = None
        if point_id is None and wire.shipping_type_label:
            for pattern, carrier in self._patterns:
                match = pattern.search(wire.shipping_type_label)
                if match is not None and (found := normalise_relay_id(match.group("id"))):
                    point_id, pattern_carrier = found, carrier
                    break
        if point_id is None:
            return None
        point_type = fields.get(rule.point_type_field) if rule.point_type_field else None
        point_type = point_type.strip().upper() if point_type else None
        provider = fields.get(rule.provider_field) if rule.provider_field else None
        carrier = (
            (self._providers.get(loose_key(provider)) if provider else None)
            or pattern_carrier
            or type_carrier
            or (self._point_types.get(point_type) if point_type else None)
        )
        name = fields.get(rule.name_field) if rule.name_field else None
        return RelayHit(point_id=point_id, carrier=carrier, point_type=point_type, name=name)

    def point(self, hit: RelayHit, shipping: Address | None, country: str | None) -> PickupPoint:
        """The point as the order describes it; the carrier's directory completes it at import.

        When the profile says the shipping address is the relay's (the buyer's name at the point's
        street), the point takes that street and the point's name from the address company.
        """
        relay_address = shipping if self._rule.address_is_relay else None
        name = hit.name or (relay_address.company if relay_address else None)
        address = None
        if relay_address is not None:
            address = Address(
                name=name,
                line1=relay_address.line1,
                line2=relay_address.line2,
                postal_code=relay_address.postal_code,
                city=relay_address.city,
                region=relay_address.region,
                country=relay_address.country,
            )
        return PickupPoint(
            carrier=pickup_carrier(hit.carrier),
            point_id=hit.point_id,  # PickupPoint pads Colissimo and Mondial Relay ids to 6 digits
            name=name,
            address=address,
            country=(address.country if address else None) or country,
            point_type=hit.point_type,
            source=PointSource.channel,
        )
