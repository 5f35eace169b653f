"""Catalog products as the API shows them. Requests and the bulk report are the core's own Structs
(``ProductFields``, ``ImportReport``): the API documents exactly what the import checks."""

from __future__ import annotations

import msgspec

from portside.core.services.catalog_import import OptionRow, ProductFields

__all__ = ["OptionRow", "ProductFields", "ProductJson"]


class ProductJson(msgspec.Struct, frozen=True, kw_only=True):
    sku: str
    weight_g: int | None
    image_url: str | None
    stock_location: str | None
    title: str | None
    options: list[OptionRow]
