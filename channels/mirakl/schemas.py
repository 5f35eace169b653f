"""Mirakl OR11 order wire types: lenient about absence, strict about types (other answers: answers.py).

Mirakl promises compatibility only to clients that accept unknown fields and unknown enum values
(reference §0.15), so unknown fields are ignored and every enum is a plain string. Every field
but the order id and a line's quantity may be absent or ``null`` (addresses are null until
acceptance, §5.4). Amounts decode to Decimal straight from the JSON text (§15). A field of the
wrong type fails the decode of that one order only: pages are decoded order by order when the
fast whole-page pass fails (pages.decode_page).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec

# Re-exported: this channel decodes through ``schemas.decoder``, built once per type in adapters.http.wire.
from portside.adapters.http.wire import decoder as decoder

# Free text is bounded while decoding (msgspec checks it in C): far above anything Mirakl sends, low
# enough that one field cannot carry megabytes into the database, a carrier label or a log line.
Text = Annotated[str, msgspec.Meta(max_length=1_000)]  # names, address parts, codes, states, ids
LongText = Annotated[str, msgspec.Meta(max_length=10_000)]  # product titles, URLs, descriptions


class _Wire(msgspec.Struct, kw_only=True, gc=False):
    pass


class WireAdditionalField(_Wire):
    code: Text | None = None
    type: Text | None = None
    value: Any = None  # a string, or a list of strings for MULTIPLE_VALUES_LIST (§5.3)


class WireAddress(_Wire):
    civility: Text | None = None
    firstname: Text | None = None
    lastname: Text | None = None
    company: Text | None = None
    company_2: Text | None = None
    street_1: Text | None = None
    street_2: Text | None = None
    zip_code: Text | None = None
    city: Text | None = None
    state: Text | None = None
    country: Text | None = None  # display name
    country_iso_code: Text | None = None  # ISO 3166-1 alpha-3 (§5.4)
    phone: Text | None = None
    phone_secondary: Text | None = None
    additional_info: Text | None = None  # delivery instructions (shipping address only)


class WireCustomer(_Wire):
    customer_id: Text | None = None
    civility: Text | None = None
    firstname: Text | None = None
    lastname: Text | None = None
    billing_address: WireAddress | None = None  # null before shipping or acceptance (§5.4)
    shipping_address: WireAddress | None = None


class WirePromotionConfig(_Wire):
    type: Text | None = None  # AMOUNT_OFF, FREE_ITEMS, PERCENTAGE_OFF, REDUCED_UNIT_PRICE…
    internal_description: LongText | None = None


class WirePromotion(_Wire):
    id: Text | int | None = None
    promo_code: Text | None = None
    deduced_amount: Decimal | None = None
    configuration: WirePromotionConfig | None = None


class WirePromotions(_Wire):
    applied_promotions: list[WirePromotion] | None = None
    total_deduced_amount: Decimal | None = None


class WireFee(_Wire):
    code: Text | None = None
    amount: Decimal | None = None


class WireMedia(_Wire):
    media_url: LongText | None = None  # may be relative to the instance (§5.5)
    mime_type: Text | None = None
    type: Text | None = None  # SMALL, MEDIUM, LARGE…


class WireLine(_Wire, kw_only=True):
    order_line_id: Text | None = None
    order_line_index: int | None = None
    order_line_state: Text | None = None
    offer_sku: Text | None = None  # the seller's SKU
    product_sku: Text | None = None  # the operator's
    product_title: LongText | None = None
    quantity: int
    price_unit: Decimal | None = None  # charged, after promotions
    origin_unit_price: Decimal | None = None
    price: Decimal | None = None  # price_unit × quantity, without shipping
    shipping_price: Decimal | None = None
    fees: list[WireFee] | None = None
    promotions: list[WirePromotion] | None = None
    product_medias: list[WireMedia] | None = None
    order_line_additional_fields: list[WireAdditionalField] | None = None


class WireOrder(_Wire, kw_only=True):
    order_id: Text
    commercial_id: Text | None = None
    order_state: Text | None = None
    created_date: datetime | None = None
    last_updated_date: datetime | None = None
    shipping_deadline: datetime | None = None
    currency_iso_code: Text | None = None
    payment_type: Text | None = None
    payment_type_legacy: Text | None = msgspec.field(default=None, name="paymentType")  # deprecated spelling
    payment_workflow: Text | None = None
    customer: WireCustomer | None = None
    customer_notification_email: Text | None = None  # anonymised alias (§5.3)
    shipping_type_code: Text | None = None
    shipping_type_label: LongText | None = None
    shipping_pudo_id: Text | int | None = None
    order_additional_fields: list[WireAdditionalField] | None = None
    promotions: WirePromotions | None = None
    price: Decimal | None = None
    shipping_price: Decimal | None = None
    total_price: Decimal | None = None
    order_lines: list[WireLine] | None = None


class WireOrdersPage(_Wire):
    """OR11: ``{"orders": [...], "total_count": N}``, each order kept raw and decoded on its own."""

    orders: list[msgspec.Raw] | None = None
    total_count: int | None = None


class WireOrdersFast(_Wire):
    """The same envelope in one typed pass: the fast path when every order on it is well-typed."""

    orders: list[WireOrder] | None = None
    total_count: int | None = None


class WireOrderKey(_Wire):
    """What can still be read from an order that failed to decode: its id and update time, any type."""

    order_id: Any = None
    last_updated_date: Any = None
