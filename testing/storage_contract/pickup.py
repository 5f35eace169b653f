"""Contract: the pickup point cache answers until an entry expires, negative answers included."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from portside.core.model import Address, DayHours, PickupCarrier, PickupPoint, PointSource, TimeSlot, Weight
from portside.core.ports import CachedPoint, UnitOfWorkFactory

from ._support import at, committed, read


def _entry(point_id: str = "005680", *, known: bool = True, country: str = "FR", ttl_min: int = 60) -> CachedPoint:
    point = PickupPoint(
        carrier=PickupCarrier.mondial_relay,
        point_id=point_id,
        name="TABAC DU CENTRE",
        address=Address(line1="1 place de la Mairie", postal_code="59000", city="Lille", country=country),
        country=country,
        latitude=50.6292,
        longitude=3.0573,
        opening_hours=(DayHours(weekday=1, slots=(TimeSlot(opens="09:00", closes="12:30"),)),),
        max_weight=Weight(grams=30000),
        source=PointSource.directory,
    )
    return CachedPoint(
        carrier="mondial_relay",
        point_id=point_id,
        country=country,
        point=point if known else None,
        fetched_at=at(0),
        expires_at=at(0) + timedelta(minutes=ttl_min),
    )


class PickupCacheContract:
    async def test_answers_until_the_entry_expires(self, uow_factory: UnitOfWorkFactory) -> None:
        entry = _entry()
        await committed(uow_factory, lambda u: u.pickup_cache.put(entry))

        async def get(minute: float, country: str = "FR") -> CachedPoint | None:
            return await read(
                uow_factory, lambda u: u.pickup_cache.get("mondial_relay", "005680", country, now=at(minute))
            )

        assert await get(59) == entry
        assert await get(60) is None
        assert await get(1, country="BE") is None

    async def test_remembers_unknown_points_and_put_replaces(self, uow_factory: UnitOfWorkFactory) -> None:
        unknown = _entry(known=False, ttl_min=5)
        await committed(uow_factory, lambda u: u.pickup_cache.put(unknown))
        assert (
            await read(uow_factory, lambda u: u.pickup_cache.get("mondial_relay", "005680", "FR", now=at(1))) == unknown
        )
        refreshed = msgspec.structs.replace(_entry(), fetched_at=at(2), expires_at=at(90))
        await committed(uow_factory, lambda u: u.pickup_cache.put(refreshed))
        got = await read(uow_factory, lambda u: u.pickup_cache.get("mondial_relay", "005680", "FR", now=at(80)))
        assert got == refreshed
