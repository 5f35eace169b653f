"""Sandbox geography: find a postcode or city among the seed points, rank points by distance."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..geo import distance_m
from ..seed_points import SeedPoint, seed_points

_NOT_LETTER = re.compile(r"[^A-Z0-9]+")


def fold(text: str) -> str:
    """Compare place names the way a carrier does: no accents, no case, no punctuation."""
    ascii_only = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return " ".join(_NOT_LETTER.sub(" ", ascii_only).split())


def locate(country: str, *, postal_code: str | None = None, city: str | None = None) -> tuple[float, float] | None:
    """Coordinates for a postcode or city, from every seed point (any carrier, listed or not).

    A postcode no seed point has falls back to its French département (first two digits): the
    sandbox knows only the towns it serves, like a carrier that geocodes coarse areas.
    """
    known = [p for p in seed_points() if p.country == country]
    if postal_code:
        code = postal_code.replace(" ", "").upper()
        found = [p for p in known if p.postal_code == code]
        if not found and country == "FR" and len(code) == 5:
            found = [p for p in known if p.postal_code[:2] == code[:2]]
        if found:
            return _centroid(found)
        if not city:
            return None
    if city:
        wanted = fold(city)
        found = [p for p in known if fold(p.city) == wanted]
        if found:
            return _centroid(found)
    return None


def nearest(
    points: Iterable[SeedPoint], latitude: float, longitude: float, *, radius_m: int, limit: int
) -> list[tuple[SeedPoint, int]]:
    """Points within ``radius_m`` of the origin, nearest first, at most ``limit``, with their distance."""
    ranked = sorted(
        ((p, distance_m(latitude, longitude, p.latitude, p.longitude)) for p in points),
        key=lambda pair: (pair[1], pair[0].point_id),
    )
    return [pair for pair in ranked if pair[1] <= radius_m][:limit]


def _centroid(points: list[SeedPoint]) -> tuple[float, float]:
    return sum(p.latitude for p in points) / len(points), sum(p.longitude for p in points) / len(points)
