"""Marketplace channels, each a plugin found through the ``portside.channels`` entry points."""
