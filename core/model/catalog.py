"""The seller's catalog: what the import uses to fill what a channel leaves out."""

from __future__ import annotations

import msgspec

from .money import Weight
from .orders import LineOption


class Product(msgspec.Struct, frozen=True, kw_only=True):
    sku: str
    weight: Weight | None = None
    image_url: str | None = None
    options: tuple[LineOption, ...] = ()
    stock_location: str | None = None
    title: str | None = None

    def __post_init__(self) -> None:
        if not self.sku.strip():
            raise ValueError("sku cannot be empty")
