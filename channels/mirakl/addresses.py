"""Mirakl addresses → core addresses: alpha-3 countries to alpha-2, names joined, nothing guessed."""

from __future__ import annotations

from portside.core.model import Address, Customer

from .countries import to_alpha2
from .schemas import WireAddress, WireCustomer


def clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def full_name(first: str | None, last: str | None) -> str | None:
    parts = [p for p in (clean(first), clean(last)) if p]
    return " ".join(parts) or None


def to_address(wire: WireAddress | None) -> Address | None:
    """None when Mirakl hides the address (null until acceptance or shipping, §5.4) or sends an
    empty one: an order waits for its address rather than get a made-up one."""
    if wire is None:
        return None
    street, postal_code, city = clean(wire.street_1), clean(wire.zip_code), clean(wire.city)
    if not (street or postal_code or city):
        return None
    companies = [c for c in (clean(wire.company), clean(wire.company_2)) if c]
    try:
        country = to_alpha2(wire.country_iso_code)
    except ValueError as exc:
        raise ValueError(f"address in {clean(wire.city) or '?'}: {exc}") from None
    return Address(
        name=full_name(wire.firstname, wire.lastname),
        company=" ".join(companies) or None,
        line1=street,
        line2=clean(wire.street_2),
        postal_code=postal_code,
        city=city,
        region=clean(wire.state),
        country=country,
        phone=clean(wire.phone) or clean(wire.phone_secondary),
    )


def to_customer(
    wire: WireCustomer | None, shipping: Address | None, billing: Address | None, email: str | None
) -> Customer:
    """The buyer: the customer's own name; phones live only on addresses (§5.4), shipping first.
    The e-mail is Mirakl's anonymised notification alias, the only one there is (§5.3)."""
    name = full_name(wire.firstname, wire.lastname) if wire is not None else None
    phone = (shipping.phone if shipping else None) or (billing.phone if billing else None)
    return Customer(
        name=name or (shipping.name if shipping else None) or (billing.name if billing else None),
        email=clean(email),
        phone=phone,
    )
