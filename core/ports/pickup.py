"""Carrier pickup point directories: look a point up, or find points near a place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import msgspec

from ..model import PickupCarrier, PickupPoint, Weight


class SearchArea(msgspec.Struct, frozen=True, kw_only=True):
    """Where to look: coordinates, or a postcode and/or city, in ``country``."""

    country: str = "FR"
    postal_code: str | None = None
    city: str | None = None
    address_line: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    def __post_init__(self) -> None:
        has_coordinates = self.latitude is not None and self.longitude is not None
        if not has_coordinates and not (self.postal_code or self.city):
            raise ValueError("give a postal code, a city, or latitude and longitude")


class PickupPointDirectory(Protocol):
    @property
    def carrier(self) -> PickupCarrier: ...

    async def get(self, point_id: str, country: str, *, near: SearchArea | None = None) -> PickupPoint | None:
        """The point, or None if the carrier does not know it (any more). ``near`` is where the
        marketplace says the point is: some carriers (Colissimo) need it to find a point by id."""
        ...

    async def search(self, area: SearchArea, *, weight: Weight | None = None, limit: int = 10) -> list[PickupPoint]:
        """Open points near ``area`` that take ``weight``, nearest first."""
        ...


class DirectoryProvider(Protocol):
    """Each account's directories: a carrier's is built from the account's own settings when it has
    some, else from the service's; a carrier with neither has none."""

    async def for_account(self, account_id: str) -> Mapping[PickupCarrier, PickupPointDirectory]: ...
