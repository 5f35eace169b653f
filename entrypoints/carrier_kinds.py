"""The carriers an account may configure a pickup point directory for: each one's settings type and secrets."""

from __future__ import annotations

from portside.adapters.carriers import ColissimoSettings, MondialRelaySettings
from portside.core.model import PickupCarrier

from .carrier_settings import CarrierKind

CARRIER_KINDS: dict[PickupCarrier, CarrierKind] = {
    PickupCarrier.mondial_relay: CarrierKind(
        PickupCarrier.mondial_relay,
        MondialRelaySettings,
        frozenset({"private_key"}),
    ),
    PickupCarrier.colissimo: CarrierKind(
        PickupCarrier.colissimo,
        ColissimoSettings,
        frozenset({"password", "api_key"}),
    ),
}
