"""Accounts' own carrier settings in memory, copied in and out like rows (a caller's dict is never shared)."""

from __future__ import annotations

import copy

from portside.core.model import CarrierAccountSettings

from .state import Tables


class MemoryCarrierSettings:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def get(self, account_id: str, carrier: str) -> CarrierAccountSettings | None:
        return copy.deepcopy(self._t.carrier_settings.get((account_id, carrier)))

    async def put(self, settings: CarrierAccountSettings) -> None:
        self._t.carrier_settings[(settings.account_id, settings.carrier)] = copy.deepcopy(settings)

    async def delete(self, account_id: str, carrier: str) -> bool:
        return self._t.carrier_settings.pop((account_id, carrier), None) is not None

    async def find(self, account_id: str) -> list[CarrierAccountSettings]:
        found = [s for (owner, _), s in self._t.carrier_settings.items() if owner == account_id]
        return [copy.deepcopy(s) for s in sorted(found, key=lambda s: s.carrier)]
