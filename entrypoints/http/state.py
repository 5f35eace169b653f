"""Typed keys for what the app and each request carry."""

from __future__ import annotations

import msgspec
from aiohttp import web

from portside.core.model import ApiKey

from ..application import Portside
from ..outbound import OutboundPolicy
from .contracts import HttpMetrics, ReadinessCheck, SyncLauncher


class HttpSettings(msgspec.Struct, frozen=True, kw_only=True):
    max_body_bytes: int
    max_bulk_bytes: int
    channel_names: tuple[str, ...]  # the channels a new store may use


PORTSIDE = web.AppKey("portside", Portside)
SETTINGS = web.AppKey("http_settings", HttpSettings)
METRICS = web.AppKey("metrics", HttpMetrics)
READINESS = web.AppKey[ReadinessCheck]("readiness")
SYNCS = web.AppKey("syncs", SyncLauncher)
OPENAPI = web.AppKey("openapi", bytes)  # the document, encoded once
PUBLIC_ROUTES = web.AppKey[frozenset[str]]("public_routes")  # route templates needing no key
OUTBOUND = web.AppKey("outbound", OutboundPolicy)  # which URLs a tenant may make portside call

# Per (account, Idempotency-Key): a lock while its request runs; weak, so idle keys cost nothing.

API_KEY = web.RequestKey("api_key", ApiKey)


def account_id(request: web.Request) -> str:
    """The authenticated account (the auth middleware set it before any handler runs)."""
    return request[API_KEY].account_id
