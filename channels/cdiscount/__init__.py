"""Cdiscount channel on the Octopia Seller API v2."""

from .plugin import CdiscountPlugin, plugin
from .settings import CdiscountCredentials, CdiscountSettings, DeliveryModeRule

__all__ = ["CdiscountCredentials", "CdiscountPlugin", "CdiscountSettings", "DeliveryModeRule", "plugin"]
