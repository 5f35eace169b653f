"""The HTTP API (aiohttp): versioned under /v1, JSON by msgspec, errors as problem+json, OpenAPI 3.1."""

from .app import build_http_app, database_readiness, operations
from .background import BackgroundSyncs
from .contracts import HttpMetrics, ReadinessCheck, SyncLauncher
from .views import order_view, pickup_point_view, shipment_view

__all__ = [
    "BackgroundSyncs",
    "HttpMetrics",
    "ReadinessCheck",
    "SyncLauncher",
    "build_http_app",
    "database_readiness",
    "operations",
    "order_view",
    "pickup_point_view",
    "shipment_view",
]
