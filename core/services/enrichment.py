"""Order enrichers: steps the import runs on each page after mapping (e.g. pickup directories)."""

from __future__ import annotations

from typing import Protocol

from ..model import Order


class OrderEnricher(Protocol):
    @property
    def retry_flag(self) -> str:
        """Flag this enricher sets on orders it could not finish (its data source was down); the
        import hands such orders back on every later sync until the flag is gone."""
        ...

    async def enrich(self, orders: list[Order]) -> list[Order]:
        """The same orders, in the same order, completed. Never raises for one bad order."""
        ...
