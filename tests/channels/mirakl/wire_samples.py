"""Mirakl OR11 orders for tests: the reference's worked example, the public fixtures of §13, and a builder."""

from __future__ import annotations

import copy
from typing import Any

import msgspec

from portside.channels.mirakl.profiles import merged

Wire = dict[str, Any]
_ENCODER = msgspec.json.Encoder(decimal_format="number")

ADDRESS: Wire = {
    "civility": "MME",
    "firstname": "Claire",
    "lastname": "Durand",
    "company": None,
    "street_1": "12 rue des Lilas",
    "street_2": None,
    "zip_code": "31000",
    "city": "Toulouse",
    "state": None,
    "country": "France",
    "country_iso_code": "FRA",
    "phone": "+33612345678",
    "phone_secondary": None,
}

# Reference §14.2 (shapes from the official schema, values invented there).
REFERENCE_ORDER: Wire = {
    "order_id": "001-4815162342-A",
    "commercial_id": "001-4815162342",
    "order_state": "SHIPPING",
    "order_state_reason_code": None,
    "created_date": "2025-06-02T07:41:09Z",
    "last_updated_date": "2025-06-02T08:03:27Z",
    "acceptance_decision_date": "2025-06-02T07:55:02Z",
    "shipping_deadline": "2025-06-04T21:59:59Z",
    "delivery_date": {"earliest": "2025-06-05T06:00:00Z", "latest": "2025-06-07T18:00:00Z"},
    "currency_iso_code": "EUR",
    "order_tax_mode": "TAX_INCLUDED",
    "payment_workflow": "PAY_ON_ACCEPTANCE",
    "payment_type": "CB",
    "channel": {"code": "FR", "label": "France"},
    "fulfillment": {"center": {"code": "DEFAULT"}},
    "can_cancel": True,
    "can_shop_ship": True,
    "customer_notification_email": "a1b2c3d4.e5f6@notification.mirakl.net",
    "customer": {
        "customer_id": "C-778899",
        "civility": "MME",
        "firstname": "Claire",
        "lastname": "Durand",
        "locale": "fr_FR",
        "billing_address": ADDRESS,
        "shipping_address": {
            **ADDRESS,
            "company": "TABAC PRESSE DU CENTRE",
            "company_2": None,
            "street_1": "3 place du Capitole",
            "additional_info": None,
        },
    },
    "shipping_type_code": "RELAY_DELIVERY__STD",
    "shipping_type_label": "Livraison en point relais",
    "shipping_zone_code": "FR-METRO",
    "shipping_pudo_id": "012345",
    "shipping_carrier_code": None,
    "shipping_tracking": None,
    "order_additional_fields": [
        {"code": "pudo-relay-point-provider", "type": "STRING", "value": "mondialrelay"},
        {"code": "pudo-relay-point-store-name", "type": "STRING", "value": "TABAC PRESSE DU CENTRE"},
    ],
    "promotions": {"applied_promotions": [], "total_deduced_amount": 0},
    "price": 39.80,
    "shipping_price": 4.90,
    "total_price": 44.70,
    "total_commission": 5.97,
    "order_lines": [
        {
            "order_line_id": "001-4815162342-A-1",
            "order_line_index": 1,
            "order_line_state": "SHIPPING",
            "offer_id": 9001122,
            "offer_sku": "MYSKU-PERCEUSE-18V",
            "product_sku": "MKP000123456789",
            "product_title": "Perceuse visseuse sans fil 18 V",
            "quantity": 2,
            "origin_unit_price": 21.90,
            "price_unit": 19.90,
            "price": 39.80,
            "shipping_price": 4.90,
            "total_price": 44.70,
            "taxes": [],
            "fees": [],
            "eco_contributions": [{"epr_category_code": "FR_DEE", "unit_amount": 0.10, "total_amount": 0.20}],
            "product_medias": [
                {
                    "media_url": "/media/product/image/3f6c0d7e-0000-4000-8000-aaaaaaaaaaaa",
                    "mime_type": "JPEG",
                    "type": "LARGE",
                }
            ],
            "promotions": [],
            "order_line_additional_fields": [],
            "created_date": "2025-06-02T07:41:09Z",
            "last_updated_date": "2025-06-02T08:03:27Z",
        }
    ],
}

# Leroy Merlin Colissimo relay (§1, §13: Shopping Feed fixture ``order-leroymerlin-colissimo.json``).
LEROY_MERLIN_COLISSIMO: Wire = merged(
    REFERENCE_ORDER,
    {
        "shipping_pudo_id": "908645",
        "order_additional_fields": [
            {"code": "pudo-relay-point-provider", "type": "STRING", "value": "colissimo"},
            {"code": "pudo-relay-point-store-name", "type": "STRING", "value": "MA BOUTIQUE DU COIN"},
            {"code": "client-type", "type": "STRING", "value": "INH"},
            {"code": "channel_code", "type": "STRING", "value": "001"},
        ],
    },
)

# Galeries Lafayette relay (§13: fixture ``order-galerieslafayette-colissimo.json``).
GALERIES_LAFAYETTE_A2P: Wire = merged(
    REFERENCE_ORDER,
    {
        "order_id": "GL-20250602-0001-A",
        "shipping_type_code": "33",
        "shipping_type_label": "Retrait en point relais",
        "shipping_pudo_id": "908557",
        "customer": {"shipping_address": {"company": "CARREFOUR CITY", "street_1": "8 rue Gambetta"}},
        "order_additional_fields": [
            {"code": "relais-id", "type": "STRING", "value": "908557"},
            {"code": "type-de-point", "type": "LIST", "value": "A2P"},
        ],
    },
)


def order(**changes: Any) -> Wire:
    """The reference order with ``changes`` merged in (objects merge, ``None`` removes a key)."""
    return merged(copy.deepcopy(REFERENCE_ORDER), changes)


def encode(wire: Wire) -> bytes:
    return _ENCODER.encode(wire)


def page(*orders: Wire, total_count: int | None = None) -> bytes:
    return encode({"orders": list(orders), "total_count": len(orders) if total_count is None else total_count})
