"""Pickup point lookups for the API, and a directory that remembers answers in storage."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from ..errors import ValidationFailed
from ..model import PickupCarrier, PickupPoint, Weight, normalise_point_id
from ..ports import CachedPoint, Clock, PickupPointDirectory, SearchArea, UnitOfWorkFactory


class CachedDirectory:
    """A PickupPointDirectory in front of another, keeping each ``get`` answer (found or not) in
    storage for a while: an import of many orders at one point asks the carrier once.

    ``scope`` keeps the answers apart from other directories of the same carrier (stored under
    ``<carrier>@<scope>``): a directory built from one account's own settings may talk to another
    endpoint (a sandbox, or a server the account controls), and its answers must never be read by
    the accounts that use the service's directory."""

    def __init__(
        self,
        inner: PickupPointDirectory,
        *,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ttl: timedelta = timedelta(hours=24),
        missing_ttl: timedelta = timedelta(hours=1),
        scope: str | None = None,
    ) -> None:
        self._inner = inner
        self._key = inner.carrier if scope is None else f"{inner.carrier}@{scope}"
        self._uow = uow
        self._clock = clock
        self._ttl = ttl
        self._missing_ttl = missing_ttl

    @property
    def carrier(self) -> PickupCarrier:
        return self._inner.carrier

    async def get(self, point_id: str, country: str, *, near: SearchArea | None = None) -> PickupPoint | None:
        point_id = PickupPoint(carrier=self.carrier, point_id=point_id).point_id  # normalised key
        now = self._clock.now()
        async with self._uow() as u:
            cached = await u.pickup_cache.get(self._key, point_id, country, now=now)
        if cached is not None:
            return cached.point
        point = await self._inner.get(point_id, country, near=near)
        entry = CachedPoint(
            carrier=self._key,
            point_id=point_id,
            country=country,
            point=point,
            fetched_at=now,
            expires_at=now + (self._ttl if point is not None else self._missing_ttl),
        )
        async with self._uow() as u:
            await u.pickup_cache.put(entry)
            await u.commit()
        return point

    async def search(self, area: SearchArea, *, weight: Weight | None = None, limit: int = 10) -> list[PickupPoint]:
        return await self._inner.search(area, weight=weight, limit=limit)


# Where a directory comes from: the account's own carrier settings, or the operator's (docs/operations.md).
CONFIGURE_HINT = (
    "set your own carrier account with PUT /v1/carriers/{carrier}/settings, or ask the operator to configure "
    "the service's (PORTSIDE_MONDIAL_RELAY_* or PORTSIDE_COLISSIMO_* settings, see docs/operations.md)"
)


def directory_for(directories: Mapping[PickupCarrier, PickupPointDirectory], carrier: str) -> PickupPointDirectory:
    """``carrier``'s directory; ValidationFailed saying how to configure one when there is none."""
    try:
        return directories[PickupCarrier(carrier)]
    except (ValueError, KeyError):
        pass
    named = carrier in {c.value for c in PickupCarrier}
    hint = CONFIGURE_HINT.format(carrier=carrier if named else "{carrier}")
    if not directories:
        raise ValidationFailed(
            f"no pickup point directory is configured for your account: {hint}",
            {"carrier": "no pickup point directory is configured; PUT /v1/carriers/{carrier}/settings sets one"},
        )
    known = ", ".join(sorted(directories))
    raise ValidationFailed(
        f"no pickup point directory for carrier {str(carrier)!r} (yours: {known}); {hint}",
        {"carrier": f"one of: {known}"},
    )


async def search_pickup_points(
    directories: Mapping[PickupCarrier, PickupPointDirectory],
    carrier: str,
    area: SearchArea,
    *,
    weight: Weight | None = None,
    limit: int = 10,
) -> list[PickupPoint]:
    if not 1 <= limit <= 50:
        raise ValidationFailed("limit must be between 1 and 50", {"limit": "between 1 and 50"})
    return await directory_for(directories, carrier).search(area, weight=weight, limit=limit)


async def get_pickup_point(
    directories: Mapping[PickupCarrier, PickupPointDirectory], carrier: str, point_id: str, country: str = "FR"
) -> PickupPoint | None:
    directory = directory_for(directories, carrier)
    if not normalise_point_id(directory.carrier, point_id):
        return None  # a blank id names no point (and cannot be a cache key)
    return await directory.get(point_id, country)
