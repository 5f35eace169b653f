"""Octopia Seller API v2 wire types: lenient about absent and unknown fields, strict about types.

Every optional field defaults to None so an absent or ``null`` value decodes; unknown fields are
ignored so Octopia can add some. Only the fields portside uses are declared: the rest (commissions,
taxes, promised dates…) are skipped by the decoder. A field of the wrong type fails the decode of
that one order only: pages are decoded with ``items: list[msgspec.Raw]`` and each order separately
(after a fast whole-page attempt, see pages.decode_page). Prices are ``float``
on purpose: msgspec would accept a *string* for ``Decimal``, and a price sent as text is a broken
order to quarantine, not to guess at (mapping turns floats to Decimal via their shortest repr).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

# Re-exported: this channel decodes through ``schemas.decoder``, built once per type in adapters.http.wire.
from portside.adapters.http.wire import decoder as decoder
from portside.adapters.http.wire import union_decoder as union_decoder
from portside.core.model.masking import masked_repr, masked_rich_repr

# Free text is bounded while decoding (msgspec checks it in C): far above anything Octopia sends, low
# enough that one field cannot carry megabytes into the database, a carrier label or a log line.
Text = Annotated[str, msgspec.Meta(max_length=1_000)]  # names, address parts, codes, statuses, ids
LongText = Annotated[str, msgspec.Meta(max_length=10_000)]  # product titles, URLs, labels

Id = Text | int  # Octopia ids are strings in the sample; tolerate numbers, which JSON producers emit


class _Wire(msgspec.Struct, kw_only=True, rename="camel", gc=False):
    pass


class WireAddress(_Wire):
    first_name: Text | None = None
    last_name: Text | None = None
    company_name: Text | None = None
    address_line1: Text | None = None
    address_line2: Text | None = None
    address_line3: Text | None = None
    postal_code: Text | None = None
    city: Text | None = None
    state_or_region: Text | None = None
    country_code: Text | None = None
    phone: Text | None = None
    email: Text | None = None
    pickup_id: Id | None = None  # relay fields: one client models them, no official text (§4.3, §8.1)
    pickup_name: Text | None = None


class WireTotalPrice(_Wire):
    offer_price: float | None = None
    selling_price: float | None = None


class WireLinePrice(_Wire):
    unit_sales_price: float | None = None
    shipping_cost: float | None = None  # the line's shipping, all units (hdcasa cross-check, §4.3)


class WireOffer(_Wire):
    seller_product_id: Text | None = None
    supply_mode: Text | None = None
    product_title: LongText | None = None
    product_gtin: Text | None = None


class WireDelivery(_Wire):
    mode: Text | None = None
    shipped_at_max: datetime | None = None


class WireParcel(_Wire):
    parcel_number: Text | None = None
    carrier_name: Text | None = None
    tracking_url: LongText | None = None


class WireLine(_Wire, kw_only=True):
    order_line_id: Id | None = None
    status: Text | None = None
    quantity: int
    offer_price: WireLinePrice | None = None
    selling_price: WireLinePrice | None = None
    offer: WireOffer | None = None
    delivery: WireDelivery | None = None
    shipping_address: WireAddress | None = None
    # Shape undocumented (an object, or a list of name/value pairs): kept raw, parsed once per distinct blob.
    product_attributes: msgspec.Raw = msgspec.Raw()


class WirePayment(_Wire):
    method: Text | None = None


class WireLineState(_Wire):
    status: Text | None = None
    offer: WireOffer | None = None
    parcels: list[WireParcel] | None = None


class WireOrderState(_Wire):
    """What a write needs to read back (``GET /orders/{id}``): statuses, supply modes and parcels."""

    status: Text | None = None
    lines: list[WireLineState] | None = None


class WireFee(_Wire):
    label: LongText | None = None
    amount: float | None = None


class WireOrder(_Wire, kw_only=True):
    order_id: Id
    reference: Text | None = None
    purchased_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    shipped_at_max: datetime | None = None
    status: Text | None = None
    payment: WirePayment | None = None
    currency_code: Text | None = None
    billing_address: WireAddress | None = None
    total_price: WireTotalPrice | None = None
    service_fees: list[WireFee] | None = None
    lines: list[WireLine] | None = None


class WirePage(_Wire):
    """``GET /orders``: ``{"itemsPerPage": n, "items": [...]}`` (official sample, §4.2)."""

    items: list[msgspec.Raw] | None = None  # ``itemsPerPage`` is not read: a short page ends the paging


class WireOrderPage(_Wire):
    """The same envelope decoded in one typed pass: the fast path when every order on it is well-typed."""

    items: list[WireOrder] | None = None


class WireOrderKey(_Wire):
    """What can still be read from an order that failed to decode: its id and update time, any type."""

    order_id: Any = None
    updated_at: Any = None


class WireCarrier(_Wire):
    code: str | None = None
    label: str | None = None


class WireCarrierPage(_Wire):
    items: list[WireCarrier] | None = None


class WireToken(msgspec.Struct, kw_only=True):
    access_token: str
    expires_in: float = 7200.0  # Octopia: "Your token is available for 2h" (§4.1)
    token_type: str | None = None

    __secret_fields__ = frozenset({"access_token"})  # a bearer token: as good as the credentials for 2 h
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


class WireProblem(msgspec.Struct, kw_only=True):
    """RFC 7807 problem details; ``errors`` maps a field to its messages (§4.9)."""

    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: str | None = None
    errors: Any = None
    # Keycloak's token endpoint answers OAuth2 errors instead.
    error: str | None = None
    error_description: str | None = None
