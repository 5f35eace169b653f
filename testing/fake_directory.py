"""An in-memory pickup point directory with an outage switch, for enrichment tests."""

from __future__ import annotations

import math

from portside.core.errors import DirectoryUnavailable
from portside.core.model import PickupCarrier, PickupPoint, Weight
from portside.core.ports import SearchArea


def _distance_m(a: tuple[float, float], b: tuple[float, float]) -> int:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return int(2 * 6_371_000 * math.asin(math.sqrt(h)))


class FakeDirectory:
    def __init__(self, carrier: PickupCarrier, points: list[PickupPoint]) -> None:
        self._carrier = carrier
        self.points = {p.point_id: p for p in points}
        self.down = False
        self.gets = 0

    @property
    def carrier(self) -> PickupCarrier:
        return self._carrier

    async def get(self, point_id: str, country: str, *, near: SearchArea | None = None) -> PickupPoint | None:
        self.gets += 1
        if self.down:
            raise DirectoryUnavailable(self._carrier, "HTTP 503 from the directory")
        key = PickupPoint(carrier=self._carrier, point_id=point_id).point_id
        return self.points.get(key)

    async def search(self, area: SearchArea, *, weight: Weight | None = None, limit: int = 10) -> list[PickupPoint]:
        if self.down:
            raise DirectoryUnavailable(self._carrier, "HTTP 503 from the directory")
        if area.latitude is None or area.longitude is None:
            near = [p for p in self.points.values() if p.address and p.address.postal_code == area.postal_code]
            return near[:limit]
        origin = (area.latitude, area.longitude)
        ranked = sorted(
            (
                p
                for p in self.points.values()
                if p.latitude is not None and p.longitude is not None and p.accepts(weight)
            ),
            key=lambda p: _distance_m(origin, (p.latitude or 0, p.longitude or 0)),
        )
        return ranked[:limit]
