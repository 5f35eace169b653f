"""Mirakl channel: the orders of the marketplaces run on Mirakl MMP (Leroy Merlin, Carrefour, Decathlon, …)."""

from .plugin import MiraklPlugin, plugin
from .profile import CarrierRule, LabelPattern, MarketplaceProfile, RelayRule, ShippingTypeRule
from .profiles import load_profile, profile_names
from .settings import MiraklCredentials, MiraklSettings

__all__ = [
    "CarrierRule",
    "LabelPattern",
    "MarketplaceProfile",
    "MiraklCredentials",
    "MiraklPlugin",
    "MiraklSettings",
    "RelayRule",
    "ShippingTypeRule",
    "load_profile",
    "plugin",
    "profile_names",
]
