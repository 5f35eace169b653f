"""The channel plugins the API offers and knows, as the core's ChannelConfig mappings."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from portside.core.model import Store
from portside.core.services.stores import ChannelConfig, Verify

from .state import PORTSIDE, SETTINGS


def installed(request: web.Request) -> Mapping[str, ChannelConfig]:
    """Every installed channel: an existing store keeps working whatever new stores may use."""
    registry = request.app[PORTSIDE].channels.registry
    return {name: registry.get(name) for name in registry.names()}


def offered(request: web.Request) -> Mapping[str, ChannelConfig]:
    """The channels a new store may be connected to."""
    registry = request.app[PORTSIDE].channels.registry
    return {name: registry.get(name) for name in request.app[SETTINGS].channel_names if name in registry}


def verifier(request: web.Request) -> Verify:
    channels = request.app[PORTSIDE].channels

    async def verify(store: Store) -> None:
        try:
            await channels.bundle_for(store).verifier.verify()
        except BaseException:
            channels.forget(store.id)  # maybe never saved: do not keep its ports around
            raise

    return verify
