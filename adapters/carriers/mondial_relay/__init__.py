"""Mondial Relay pickup point directory over the web service v1 (SOAP ``WSI4_PointRelais_Recherche``)."""

from .directory import MondialRelayDirectory
from .errors import STAT_TABLE, error_for_stat
from .security import security
from .settings import PRODUCTION_URL, MondialRelaySettings

__all__ = [
    "PRODUCTION_URL",
    "STAT_TABLE",
    "MondialRelayDirectory",
    "MondialRelaySettings",
    "error_for_stat",
    "security",
]
