"""Octopia orders as JSON-ready dicts for the tests: the reference's example (§4.10) and variations."""

from __future__ import annotations

import copy
from typing import Any

import msgspec

# Reference cdiscount-api §4.10, verbatim.
REFERENCE_ORDER: dict[str, Any] = {
    "orderId": "2509011032XYZ12",
    "reference": None,
    "businessOrder": False,
    "salesChannel": {"id": "CDISFR", "name": "Cdiscount"},
    "seller": {"id": "123456"},
    "customer": {"reference": "a1b2c3d4"},
    "purchasedAt": "2025-09-01T08:32:00Z",
    "createdAt": "2025-09-01T08:32:05Z",
    "updatedAt": "2025-09-01T09:10:00Z",
    "shippedAtMax": "2025-09-03T22:00:00Z",
    "status": "InPreparation",
    "payment": {"method": "Card"},
    "currencyCode": "EUR",
    "billingAddress": {
        "civility": "Mme",
        "firstName": "Camille",
        "lastName": "Durand",
        "companyName": None,
        "addressLine1": "12 rue des Lilas",
        "addressLine2": "Bât. B",
        "addressLine3": None,
        "postalCode": "69003",
        "city": "Lyon",
        "countryCode": "FR",
    },
    "totalPrice": {"offerPrice": 34.89, "sellingPrice": 34.89},
    "serviceFees": [],
    "lines": [
        {
            "orderLineId": "1",
            "status": "InPreparation",
            "quantity": 1,
            "totalPrice": {"offerPrice": 29.90, "sellingPrice": 29.90},
            "offerPrice": {
                "unitSalesPrice": 29.90,
                "shippingCost": 4.99,
                "commission": {"amountWithoutVat": 3.59, "rate": 12},
                "taxes": [],
            },
            "sellingPrice": {"unitSalesPrice": 29.90, "shippingCost": 4.99, "taxes": []},
            "offer": {
                "id": "OF123",
                "sellerProductId": "SKU-12345",
                "supplyMode": "Seller",
                "productId": "AUC3700000000017",
                "productTitle": "Lampe de bureau",
                "productGtin": "3700000000017",
                "condition": "New",
            },
            "delivery": {
                "mode": "TrackedHomeDelivery",
                "promisedAtMin": "2025-09-04T00:00:00Z",
                "promisedAtMax": "2025-09-08T00:00:00Z",
                "shippedAtMax": "2025-09-03T22:00:00Z",
            },
            "shippingAddress": {
                "civility": "Mme",
                "firstName": "Camille",
                "lastName": "Durand",
                "addressLine1": "12 rue des Lilas",
                "addressLine2": "Bât. B",
                "postalCode": "69003",
                "city": "Lyon",
                "countryCode": "FR",
                "phone": "0601020304",
                "email": "xxxx@masked.example",
            },
            "parcels": [],
        }
    ],
}


def order(**changes: Any) -> dict[str, Any]:
    """A deep copy of the reference order with top-level fields replaced."""
    result = copy.deepcopy(REFERENCE_ORDER)
    result.update(changes)
    return result


def line(**changes: Any) -> dict[str, Any]:
    """A deep copy of the reference order's line with fields replaced (nested dicts are merged)."""
    result = copy.deepcopy(REFERENCE_ORDER["lines"][0])
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = {**result[key], **value}
        else:
            result[key] = value
    return result


def encode(value: Any) -> bytes:
    return msgspec.json.encode(value)


def page(*orders: Any) -> bytes:
    return encode({"itemsPerPage": len(orders), "items": list(orders)})
