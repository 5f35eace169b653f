"""Turn a carrier's list of answered points into search results: usable ones, nearest first."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from portside.core.model import PickupPoint, Weight

from .directory_errors import CarrierBadResponse

log = logging.getLogger("portside.carriers")

Wire = TypeVar("Wire")


def nearest_usable(
    carrier: str,
    wires: Iterable[Wire],
    build: Callable[[Wire], PickupPoint],
    ident: Callable[[Wire], object],
    *,
    weight: Weight | None,
    limit: int,
) -> list[PickupPoint]:
    """Build each point (``ident`` names it in logs), keep those taking ``weight``, nearest first, at most ``limit``.

    One point that breaks the carrier's format should not hide the others: it is logged and left
    out. Only when every point is broken does the search fail, with the first point's error.
    """
    points: list[PickupPoint] = []
    failures: list[CarrierBadResponse] = []
    for wire in wires:
        try:
            point = build(wire)
        except CarrierBadResponse as exc:
            log.warning("%s point %.10r left out of a search: %s", carrier, ident(wire), exc)
            failures.append(exc)
            continue
        if point.accepts(weight):  # the carrier filters by weight too; this also holds our own caps
            points.append(point)
    if failures and not points:
        raise failures[0]
    points.sort(key=lambda p: (p.distance_m is None, p.distance_m or 0))
    return points[:limit]
