"""Bulk catalog import: rows checked one by one, stored in batches, a report of every rejected row."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from ..errors import ValidationFailed
from ..model import LineOption, Product, Weight
from ..ports import UnitOfWorkFactory
from .validation import convert_fields

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


class RejectedRow(msgspec.Struct, frozen=True, kw_only=True):
    row: int
    errors: dict[str, str]


class ImportReport(msgspec.Struct, kw_only=True):
    accepted: int = 0
    rejected: list[RejectedRow] = []
    rejected_count: int = 0  # every rejected row; ``rejected`` keeps the first ones only
    truncated: bool = False


def product_of(sku: str, fields: ProductFields) -> Product:
    return Product(
        sku=sku.strip(),
        weight=None if fields.weight_g is None else Weight(grams=fields.weight_g),
        image_url=fields.image_url or None,
        options=tuple(LineOption(name=o.name, value=o.value) for o in fields.options),
        stock_location=fields.stock_location or None,
        title=fields.title or None,
    )


def parse_options(text: str) -> list[dict[str, str]]:
    """``colour=red;size=M`` (the CSV form) → [{name, value}, …]; raises ValidationFailed."""
    options = []
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValidationFailed("bad options", {"options": "write options as name=value;name=value"})
        options.append({"name": name.strip(), "value": value.strip()})
    return options


def row_from_csv(cells: dict[str, str]) -> dict[str, Any]:
    """A CSV record as the dict a JSON line would give: blanks are absent, options parsed."""
    row: dict[str, Any] = {key: value for key, value in cells.items() if value.strip() != ""}
    if "options" in row:
        row["options"] = parse_options(row["options"])
    return row


class CatalogImport:
    """Feed rows with ``add``; they are upserted every ``batch`` rows and at ``finish``."""

    def __init__(self, account_id: str, *, uow: UnitOfWorkFactory, batch: int = 500, keep_rejected: int = 1000) -> None:
        self._account_id = account_id
        self._uow = uow
        self._batch = batch
        self._keep = keep_rejected
        self._pending: dict[str, Product] = {}  # by SKU: a SKU twice in one batch keeps the later row
        self._pending_rows = 0
        self.report = ImportReport()

    def reject(self, row: int, errors: dict[str, str]) -> None:
        self.report.rejected_count += 1
        if len(self.report.rejected) < self._keep:
            self.report.rejected.append(RejectedRow(row=row, errors=errors))
        else:
            self.report.truncated = True

    async def add(self, row: int, data: object, *, strict: bool = True) -> None:
        try:
            parsed = convert_fields(data, ProductRow, what=f"row {row}", strict=strict)
            product = product_of(parsed.sku, parsed)
        except ValidationFailed as exc:
            self.reject(row, exc.problems or {"row": str(exc)})
            return
        except ValueError as exc:
            self.reject(row, {"sku": str(exc)})
            return
        self._pending[product.sku] = product
        self._pending_rows += 1
        if len(self._pending) >= self._batch:
            await self._flush()

    async def add_csv(self, row: int, cells: dict[str, str]) -> None:
        try:
            data = row_from_csv(cells)
        except ValidationFailed as exc:
            self.reject(row, exc.problems)
            return
        await self.add(row, data, strict=False)

    async def _flush(self) -> None:
        if not self._pending:
            return
        products = list(self._pending.values())
        async with self._uow() as u:
            await u.catalog.upsert_many(self._account_id, products)
            await u.commit()
        self.report.accepted += self._pending_rows
        self._pending, self._pending_rows = {}, 0

    async def finish(self) -> ImportReport:
        await self._flush()
        return self.report
