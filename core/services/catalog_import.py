"""Bulk catalog import: products stored in batches, a report of every rejected row.

The caller (the API) reads each row into a ``Product`` or rejects it with what is wrong; this keeps
the count, the batches and the report."""

from __future__ import annotations

import msgspec

from ..model import Product
from ..ports import Clock, UnitOfWorkFactory
from .catalog import reenrich_open_orders


class RejectedRow(msgspec.Struct, frozen=True, kw_only=True):
    row: int
    errors: dict[str, str]


class ImportReport(msgspec.Struct, kw_only=True):
    accepted: int = 0
    rejected: list[RejectedRow] = []
    rejected_count: int = 0  # every rejected row; ``rejected`` keeps the first ones only
    truncated: bool = False
    orders_enriched: int = 0  # open orders filled from the imported products (``reenrich_open_orders``)


class CatalogImport:
    """Feed each row's product with ``add`` (or its problems with ``reject``); products are upserted
    every ``batch`` SKUs and at ``finish``. The account's open orders with lines of the imported SKUs are
    filled from the catalog at ``finish`` (every ``reenrich_every`` SKUs on a long import, so memory stays
    bounded)."""

    def __init__(
        self,
        account_id: str,
        *,
        uow: UnitOfWorkFactory,
        clock: Clock,
        batch: int = 500,
        keep_rejected: int = 1000,
        reenrich_every: int = 50_000,
    ) -> None:
        self._account_id = account_id
        self._uow = uow
        self._clock = clock
        self._reenrich_every = reenrich_every
        self._stored: set[str] = set()  # SKUs stored since the open orders were last filled
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

    async def add(self, product: Product) -> None:
        """An accepted row's product: stored with its batch (a later row of the same SKU wins)."""
        self._pending[product.sku] = product
        self._pending_rows += 1
        if len(self._pending) >= self._batch:
            await self._flush()

    async def _flush(self) -> None:
        if not self._pending:
            return
        products = list(self._pending.values())
        async with self._uow() as u:
            await u.catalog.upsert_many(self._account_id, products)
            await u.commit()
        self.report.accepted += self._pending_rows
        self._stored.update(self._pending)
        self._pending, self._pending_rows = {}, 0
        if len(self._stored) >= self._reenrich_every:
            await self._reenrich()

    async def _reenrich(self) -> None:
        skus, self._stored = self._stored, set()
        self.report.orders_enriched += await reenrich_open_orders(
            self._account_id, skus, uow=self._uow, clock=self._clock
        )

    async def finish(self) -> ImportReport:
        await self._flush()
        await self._reenrich()
        return self.report
