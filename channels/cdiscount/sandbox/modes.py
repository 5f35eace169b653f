"""Delivery modes the sandbox puts in ``lines[].delivery.mode``, and which carrier each pickup mode means.

Home modes use the labels of Octopia's delivery-mode table (reference cdiscount-api §4.5). The labels of
the pickup modes are **not** published (the table rows after ``RIM`` were never captured, §8.1), so the
sandbox invents labels in the same ``<What>Delivery`` style and, on about a third of pickup orders,
sends the legacy ``ShippingCode`` instead, as an order migrated from the SOAP era might:

==============================  ==========  ==============
sandbox label                   legacy      carrier
==============================  ==========  ==============
``MondialRelayPickupDelivery``  ``REL``     mondial_relay
``ColissimoPickupDelivery``     ``SO1``     colissimo
``RelaisColisPickupDelivery``   ``RCO``     relais_colis
==============================  ==========  ==============

A channel's delivery-mode table should map both columns; a real account will show the true labels
through ``GET /sellers/delivery-modes``.
"""

from __future__ import annotations

# Home delivery labels with their generation weight; big-parcel modes only for heavy products.
HOME_MODES: tuple[tuple[str, int], ...] = (
    ("TrackedHomeDelivery", 60),
    ("NotTrackedHomeDelivery", 12),
    ("SignedHomeDelivery", 8),
    ("ExpressHomeDelivery", 10),
)
BIG_PARCEL_MODES: tuple[str, ...] = ("FixedDateHomeDelivery", "SpecificRoomHomeDelivery", "WithSetupHomeDelivery")
STORE_PICKUP_MODE = "ImmediateVendorPickup"

PICKUP_MODES: dict[str, tuple[str, str]] = {
    # carrier -> (sandbox label, legacy ShippingCode)
    "mondial_relay": ("MondialRelayPickupDelivery", "REL"),
    "colissimo": ("ColissimoPickupDelivery", "SO1"),
    "relais_colis": ("RelaisColisPickupDelivery", "RCO"),
}

# Every pickup mode value the sandbox may send, label or legacy code, with its carrier.
PICKUP_CARRIER_BY_MODE: dict[str, str] = {mode: carrier for carrier, modes in PICKUP_MODES.items() for mode in modes}
