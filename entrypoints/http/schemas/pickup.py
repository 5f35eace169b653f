"""Pickup point searches: the query and the list answered."""

from __future__ import annotations

from typing import Annotated

import msgspec

from portside.core.model import PickupCarrier

from .orders import PickupPointJson


class PointSearch(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    carrier: PickupCarrier
    country: Annotated[str, msgspec.Meta(pattern="^[A-Za-z]{2}$")] = "FR"
    postal_code: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    city: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    lat: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    lon: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    weight_g: Annotated[int, msgspec.Meta(ge=0)] | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=50)] = 10


class PointLookup(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    country: Annotated[str, msgspec.Meta(pattern="^[A-Za-z]{2}$")] = "FR"


class PickupPointList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[PickupPointJson]
