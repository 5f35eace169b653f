"""Catalog products as the API reads and shows them: a product's fields (``PUT``), a bulk import's rows
(NDJSON lines, CSV records) read into core ``Product``s, and the product as shown."""

from __future__ import annotations

from typing import Annotated

import msgspec

from portside.core.errors import ValidationFailed
from portside.core.model import LineOption, Product, Weight
from portside.core.services.validation import convert_fields

Text = Annotated[str, msgspec.Meta(max_length=2000)]


class OptionRow(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    value: Annotated[str, msgspec.Meta(max_length=500)]


class ProductFields(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A product's fields, as a client writes them (``PUT /v1/catalog/products/{sku}``)."""

    weight_g: Annotated[int, msgspec.Meta(ge=0, le=10_000_000)] | None = None
    image_url: Text | None = None
    stock_location: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    title: Text | None = None
    options: list[OptionRow] = []


class ProductRow(ProductFields, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One row of a bulk import: the SKU and its fields."""

    sku: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class ProductJson(msgspec.Struct, frozen=True, kw_only=True):
    sku: str
    weight_g: int | None
    image_url: str | None
    stock_location: str | None
    title: str | None
    options: list[OptionRow]


class ProductList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ProductJson]
    next_cursor: str | None  # pass it as ``cursor`` for the next page; null on the last page


class ProductQueryParams(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 50
    cursor: str | None = None  # next_cursor of the previous page


def product_of(sku: str, fields: ProductFields) -> Product:
    """The product a client wrote; raises ValueError when the core refuses it (a blank SKU)."""
    return Product(
        sku=sku.strip(),
        weight=None if fields.weight_g is None else Weight(grams=fields.weight_g),
        image_url=fields.image_url or None,
        options=tuple(LineOption(name=o.name, value=o.value) for o in fields.options),
        stock_location=fields.stock_location or None,
        title=fields.title or None,
    )


def product_of_row(row: int, data: object, *, strict: bool = True) -> Product:
    """A bulk row (a decoded JSON line, or a CSV record's cells with ``strict=False`` so text may
    stand for a number) as a product; raises ValidationFailed naming each bad field."""
    parsed = convert_fields(data, ProductRow, what=f"row {row}", strict=strict)
    try:
        return product_of(parsed.sku, parsed)
    except ValueError as exc:
        raise ValidationFailed(f"row {row}: {exc}", {"sku": str(exc)}) from None
