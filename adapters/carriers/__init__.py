"""Carrier-side adapters: pickup point directories (Colissimo, Mondial Relay) and their shared seed data."""

from .colissimo import ColissimoDirectory, ColissimoSettings
from .directory_errors import (
    CarrierAuthFailed,
    CarrierBadResponse,
    CarrierRequestRejected,
    CarrierServiceError,
    NoPointsFound,
    PointNotFound,
)
from .mondial_relay import MondialRelayDirectory, MondialRelaySettings

__all__ = [
    "CarrierAuthFailed",
    "CarrierBadResponse",
    "CarrierRequestRejected",
    "CarrierServiceError",
    "ColissimoDirectory",
    "ColissimoSettings",
    "MondialRelayDirectory",
    "MondialRelaySettings",
    "NoPointsFound",
    "PointNotFound",
]
