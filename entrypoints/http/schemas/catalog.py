"""Catalog products as the API shows them, and the bulk import's report."""

from __future__ import annotations

import msgspec

from portside.core.services.catalog_import import ImportReport, OptionRow, ProductFields, RejectedRow

__all__ = ["BulkReport", "OptionRow", "ProductFields", "ProductJson", "RejectedRow"]


class ProductJson(msgspec.Struct, frozen=True, kw_only=True):
    sku: str
    weight_g: int | None
    image_url: str | None
    stock_location: str | None
    title: str | None
    options: list[OptionRow]


BulkReport = ImportReport
