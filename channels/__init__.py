"""Marketplace channels, each a plugin found through the ``portside.channels`` entry points."""

from .registry import (
    ENTRY_POINT_GROUP,
    ChannelDeps,
    ChannelPlugin,
    ChannelRegistry,
    DuplicateChannel,
    UnknownChannel,
    decode_config,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "ChannelDeps",
    "ChannelPlugin",
    "ChannelRegistry",
    "DuplicateChannel",
    "UnknownChannel",
    "decode_config",
]
