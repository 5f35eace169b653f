"""Octopia address objects → core addresses, the pickup recipient rule and the order's pickup point."""

from __future__ import annotations

from portside.core.model import Address, Customer, DeliveryMethod, PickupPoint, PointSource

from .pickup import pickup_carrier
from .schemas import WireAddress


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def full_name(first: str | None, last: str | None) -> str | None:
    first = (first.strip() or None) if first else None
    last = (last.strip() or None) if last else None
    if first and last:
        return f"{first} {last}"
    return first or last


def recipient_name(wire: WireAddress) -> str | None:
    """The person the parcel is for. On relay orders the legacy API put the point's name in the last
    name and the customer's full name in the first name (relay-carriers §3.1); when the last name is
    the point's name, the first name alone is the customer."""
    pickup_name = wire.pickup_name
    if pickup_name:
        pickup_name, last = _clean(pickup_name), _clean(wire.last_name)
        if pickup_name and last and last.casefold() == pickup_name.casefold():
            return _clean(wire.first_name)
    return full_name(wire.first_name, wire.last_name)


def to_address(wire: WireAddress, name: str | None) -> Address:
    """Address fields are kept as Octopia sent them (an empty string becomes absent); only names are
    trimmed, since they are composed and compared. This runs twice per order (bench/)."""
    return Address(
        name=name,
        company=wire.company_name or None,
        line1=wire.address_line1 or None,
        line2=wire.address_line2 or None,
        line3=wire.address_line3 or None,
        postal_code=wire.postal_code or None,
        city=wire.city or None,
        region=wire.state_or_region or None,
        country=wire.country_code or None,
        phone=wire.phone or None,
        email=wire.email or None,
    )


def pickup_point(delivery: DeliveryMethod, wire: WireAddress, shipping: Address) -> PickupPoint | None:
    """The relay the buyer chose, from a pickup line's address: the street, postcode and city are the
    point's (relay-carriers §3.1); the recipient on ``shipping`` stays the customer."""
    raw_id = wire.pickup_id
    point_id = str(raw_id).strip() if raw_id is not None else ""
    if not point_id:
        return None  # a pickup mode without the relay id: enrichment cannot look the point up
    carrier = pickup_carrier(delivery.carrier_hint)
    name = _clean(wire.pickup_name)
    address = Address(
        name=name,
        line1=shipping.line1,
        line2=shipping.line2,
        line3=shipping.line3,
        postal_code=shipping.postal_code,
        city=shipping.city,
        region=shipping.region,
        country=shipping.country,
    )
    return PickupPoint(
        carrier=carrier,
        point_id=point_id,  # PickupPoint normalises it (Mondial Relay ids zero-padded to 6)
        name=name,
        address=address,
        country=shipping.country,
        source=PointSource.channel,
    )


def customer_of(billing: Address | None, shipping: Address | None) -> Customer:
    """The buyer: the billing name; phone and e-mail from the shipping address, else the billing one (§4.3)."""
    if billing is None:
        if shipping is None:
            return Customer()
        return Customer(name=shipping.name, email=shipping.email, phone=shipping.phone)
    if shipping is None:
        return Customer(name=billing.name, email=billing.email, phone=billing.phone)
    return Customer(
        name=billing.name or shipping.name,
        email=shipping.email or billing.email,
        phone=shipping.phone or billing.phone,
    )
