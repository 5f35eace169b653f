"""The carriers Octopia accepts (``GET /carriers``, cached per store, refreshed daily) and name resolution.

``code`` is not unique in the referential (``pcc`` is La Poste, Colissimo, Chronopost…), so a shipment
names its carrier by **label** (reference §4.8). Labels arrive untrimmed at times and are matched
loosely (carrier_tables.carrier_key).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import msgspec

from portside.core.errors import ChannelError, ChannelUnavailable

from .carrier_tables import CarrierTables, carrier_key
from .client import OctopiaClient
from .schemas import WireCarrier, WireCarrierPage, union_decoder
from .settings import CdiscountSettings
from .state import CarrierList, StoreState

log = logging.getLogger("portside.channels.cdiscount")


def labels_of(body: bytes) -> tuple[str, ...]:
    """Trimmed, distinct labels from a ``/carriers`` body: a bare array (as measured) or ``{"items": …}``."""
    wire = union_decoder(list[WireCarrier] | WireCarrierPage).decode(body)
    carriers = wire if isinstance(wire, list) else (wire.items or [])
    labels = (c.label.strip() for c in carriers if c.label and c.label.strip())
    return tuple(dict.fromkeys(labels))


class CdiscountCarrierCatalog:
    def __init__(
        self,
        client: OctopiaClient,
        state: StoreState,
        settings: CdiscountSettings,
        tables: CarrierTables,
        now: Callable[[], datetime],
    ) -> None:
        self._client = client
        self._state = state
        self._ttl = timedelta(seconds=settings.carriers_ttl_s)
        self.tables = tables
        self._now = now
        self._keyed: tuple[tuple[str, ...], dict[str, str]] | None = None

    async def accepted_carriers(self) -> list[str]:
        return list(await self._labels())

    async def resolve(self, carrier: str) -> str | None:
        """Octopia's label for a platform code (``colis_prive``) or a label in any case/spacing."""
        by_key = self._by_key(await self._labels())
        found = by_key.get(carrier_key(carrier))
        if found is not None:
            return found
        mapped = self.tables.label_for(carrier)
        return by_key.get(carrier_key(mapped)) if mapped is not None else None

    def _by_key(self, labels: tuple[str, ...]) -> dict[str, str]:
        # Keyed once per carrier list, not per shipment (normalising ~50 labels is most of a resolve).
        if self._keyed is None or self._keyed[0] is not labels:
            self._keyed = (labels, {carrier_key(label): label for label in labels})
        return self._keyed[1]

    def tracking_url(self, carrier: str, tracking_number: str) -> str | None:
        """The default tracking URL for ``carrier`` (a platform code or a label), if the table has one."""
        return self.tables.tracking_url(carrier, tracking_number)

    async def _labels(self) -> tuple[str, ...]:
        cached = self._state.carriers
        if cached is not None and self._now() - cached.fetched_at < self._ttl:
            return cached.labels
        async with self._state.carriers_lock:  # one fetch however many callers wait
            cached = self._state.carriers
            if cached is not None and self._now() - cached.fetched_at < self._ttl:
                return cached.labels
            try:
                labels = labels_of((await self._client.get("/carriers")).body)
            except (ChannelError, msgspec.DecodeError) as exc:
                if cached is not None:
                    # A stale list beats refusing every shipment while Octopia is down.
                    log.warning("keeping the carrier list of %s: refresh failed (%s)", cached.fetched_at, exc)
                    return cached.labels
                if isinstance(exc, ChannelError):
                    raise
                raise ChannelUnavailable(f"Octopia's carrier list could not be read ({exc})") from None
            if not labels:
                raise ChannelUnavailable("Octopia returned an empty carrier list; portside will retry.")
            self._state.carriers = CarrierList(labels=labels, fetched_at=self._now())
            return labels
