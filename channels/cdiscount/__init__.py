"""Cdiscount channel on the Octopia Seller API v2."""
