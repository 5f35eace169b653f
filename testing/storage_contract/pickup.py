"""Contract: the pickup point cache answers until an entry expires, negative answers included; expired
entries are purged in bounded batches, the longest expired first."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from portside.core.model import Address, DayHours, PickupCarrier, PickupPoint, PointSource, TimeSlot, Weight
from portside.core.ports import CachedPoint, UnitOfWork, UnitOfWorkFactory

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

    async def test_purge_deletes_only_expired_entries_in_bounded_batches(self, uow_factory: UnitOfWorkFactory) -> None:
        # Expiring at minutes 10, 20, 30, 40 (one unknown point among them), then a fresh one at 120.
        expired = [_entry(f"00000{n}", known=n != 2, ttl_min=10 * n) for n in (1, 2, 3, 4)]
        fresh = _entry("000009", ttl_min=120)
        other_country = _entry("000001", country="BE", ttl_min=120)  # same id, another key: kept

        async def put_all(u: UnitOfWork) -> None:
            for entry in (*expired, fresh, other_country):
                await u.pickup_cache.put(entry)

        await committed(uow_factory, put_all)

        async def purge(minute: float, limit: int) -> int:
            return await committed(uow_factory, lambda u: u.pickup_cache.purge_expired(at(minute), limit=limit))

        async def left(minute: float) -> set[tuple[str, str]]:
            async def gets(u: UnitOfWork) -> set[tuple[str, str]]:
                found = set()
                for e in (*expired, fresh, other_country):
                    got = await u.pickup_cache.get(e.carrier, e.point_id, e.country, now=at(minute))
                    if got is not None:
                        found.add((e.point_id, e.country))
                return found

            return await read(uow_factory, gets)

        assert await purge(5, limit=10) == 0  # nothing expired yet
        # At minute 40 four have expired (expires_at == now counts: get no longer answers it either).
        assert await purge(40, limit=3) == 3  # a full batch, the longest expired first
        assert await purge(40, limit=3) == 1
        assert await purge(40, limit=3) == 0
        # Purged rows are gone, not just hidden: reading as of minute 0, only the untouched remain.
        assert await left(0) == {("000009", "FR"), ("000001", "BE")}
        assert await left(119) == {("000009", "FR"), ("000001", "BE")}

    async def test_purge_takes_the_longest_expired_first(self, uow_factory: UnitOfWorkFactory) -> None:
        entries = [_entry(f"00000{n}", ttl_min=10 * n) for n in (3, 1, 2)]

        async def put_all(u: UnitOfWork) -> None:
            for entry in entries:
                await u.pickup_cache.put(entry)

        await committed(uow_factory, put_all)
        assert await committed(uow_factory, lambda u: u.pickup_cache.purge_expired(at(60), limit=2)) == 2

        # Reading before anything expired: the entry expiring last (minute 30) is the one left.
        async def kept(u: UnitOfWork) -> list[str]:
            found = [await u.pickup_cache.get("mondial_relay", e.point_id, "FR", now=at(0)) for e in entries]
            return sorted(e.point_id for e in found if e is not None)

        assert await read(uow_factory, kept) == ["000003"]

    async def test_purge_refuses_a_limit_below_one(self, uow_factory: UnitOfWorkFactory) -> None:
        await committed(uow_factory, lambda u: u.pickup_cache.put(_entry(ttl_min=1)))
        with pytest.raises(ValueError):
            await read(uow_factory, lambda u: u.pickup_cache.purge_expired(at(60), limit=0))
        assert await committed(uow_factory, lambda u: u.pickup_cache.purge_expired(at(60), limit=1)) == 1
