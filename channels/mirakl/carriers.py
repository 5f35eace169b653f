"""The operator's carriers (SH21, cached per store and refreshed daily) and how a shipment names its carrier.

A carrier the operator lists is sent by its SH21 ``code``; Mirakl builds the tracking URL itself.
A carrier it does not list is sent as ``carrier_name`` + ``carrier_url`` (OR23: ``carrier_name``
"mandatory for an unregistered carrier", ``carrier_url`` optional, reference §9), provided the profile
allows unlisted carriers: by the profile's name and tracking page for one it knows (``carriers``:
``dhl`` → DHL), else by the name the seller gave. Names are matched loosely: ``mondial_relay``,
``Mondial Relay`` and ``MONDIAL-RELAY`` meet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import quote

import msgspec

from portside.core.errors import ChannelError, ChannelUnavailable

from .answers import WireCarriers
from .client import MiraklClient
from .fields import loose_key
from .profile import MarketplaceProfile
from .schemas import decoder
from .settings import MiraklSettings
from .state import CarrierList, OperatorCarrier, StoreState

log = logging.getLogger("portside.channels.mirakl")


class CarrierChoice(msgspec.Struct, frozen=True, kw_only=True):
    code: str | None  # SH21 code when the operator lists the carrier
    name: str  # its label, or the name sent as ``carrier_name``
    url_template: str | None  # SH21 ``{trackingId}`` or profile ``{tracking}`` template

    @property
    def listed(self) -> bool:
        return self.code is not None

    def tracking_url(self, tracking_number: str) -> str | None:
        if not self.url_template:
            return None
        number = quote(tracking_number.strip(), safe="")
        return self.url_template.replace("{trackingId}", number).replace("{tracking}", number)


def carriers_of(body: bytes) -> tuple[OperatorCarrier, ...]:
    wire = decoder(WireCarriers).decode(body)
    found = (
        OperatorCarrier(code=c.code.strip(), label=(c.label or c.code).strip(), tracking_url=c.tracking_url or None)
        for c in wire.carriers or ()
        if c.code and c.code.strip()
    )
    return tuple({c.code: c for c in found}.values())


class MiraklCarrierCatalog:
    def __init__(
        self,
        client: MiraklClient,
        state: StoreState,
        settings: MiraklSettings,
        profile: MarketplaceProfile,
        now: Callable[[], datetime],
    ) -> None:
        self._client = client
        self._state = state
        self._ttl = timedelta(seconds=settings.carriers_ttl_s)
        self._profile = profile
        self._rules = {loose_key(code): rule for code, rule in profile.carriers.items()}
        self._rules.update({loose_key(rule.name): rule for rule in profile.carriers.values()})
        self._now = now

    async def accepted_carriers(self) -> list[str]:
        """The operator's SH21 codes: what OR23 ``carrier_code`` takes. With ``unlisted_carriers`` (the
        default), any other carrier goes by name too: ``resolve`` takes it."""
        return [c.code for c in await self._listed()]

    async def resolve(self, carrier: str) -> str | None:
        choice = await self.choose(carrier)
        if choice is None:
            return None
        return choice.code or choice.name

    async def choose(self, carrier: str) -> CarrierChoice | None:
        """How to name ``carrier`` (a platform code, an SH21 code or label) to this operator; None if it cannot be."""
        listed = await self._listed()
        key = loose_key(carrier)
        found = _find(listed, key)
        rule = self._rules.get(key)
        if found is None and rule is not None:
            found = _find(listed, loose_key(rule.code)) if rule.code else None
            found = found or _find(listed, loose_key(rule.name))
        if found is not None:
            return CarrierChoice(code=found.code, name=found.label, url_template=found.tracking_url)
        if not self._profile.unlisted_carriers:
            return None
        if rule is not None:
            return CarrierChoice(code=None, name=rule.name, url_template=rule.tracking_url)
        name = " ".join(carrier.split())
        return CarrierChoice(code=None, name=name, url_template=None) if name else None

    async def _listed(self) -> tuple[OperatorCarrier, ...]:
        cached = self._state.carriers
        if cached is not None and self._now() - cached.fetched_at < self._ttl:
            return cached.carriers
        async with self._state.carriers_lock:  # one fetch however many callers wait
            cached = self._state.carriers
            if cached is not None and self._now() - cached.fetched_at < self._ttl:
                return cached.carriers
            try:
                carriers = carriers_of((await self._client.get("/shipping/carriers")).body)
            except (ChannelError, msgspec.DecodeError) as exc:
                if cached is not None:
                    # A day-old list beats refusing every shipment while Mirakl is down.
                    log.warning("keeping the SH21 carrier list of %s: refresh failed (%s)", cached.fetched_at, exc)
                    return cached.carriers
                if isinstance(exc, ChannelError):
                    raise
                raise ChannelUnavailable(f"Mirakl's carrier list (SH21) could not be read ({exc})") from None
            self._state.carriers = CarrierList(carriers=carriers, fetched_at=self._now())
            return carriers


def _find(carriers: tuple[OperatorCarrier, ...], key: str) -> OperatorCarrier | None:
    if not key:
        return None
    return next((c for c in carriers if loose_key(c.code) == key or loose_key(c.label) == key), None)
