"""Content hashes: how an import tells an unchanged order from a changed one without a diff."""

from __future__ import annotations

import hashlib

import msgspec

from ..model import Order

_encoder = msgspec.json.Encoder(order="deterministic")


def content_hash(order: Order) -> bytes:
    """16-byte digest of the order as the channel described it (deterministic field order)."""
    return hashlib.blake2b(_encoder.encode(order), digest_size=16).digest()
