"""Turn a Mondial Relay ``PointRelais_Details`` into a ``PickupPoint``: strip padding, fix decimals, read hours."""

from __future__ import annotations

import re
from datetime import date

from portside.core.model import (
    Address,
    Closure,
    DayHours,
    PickupCarrier,
    PickupPoint,
    PointSource,
    TimeSlot,
    Weight,
)

from ..directory_errors import CarrierBadResponse
from .errors import CARRIER
from .schemas import Period, WirePoint

_HHMM = re.compile(r"^([01]\d|2[0-4])[0-5]\d$")
_NO_SLOT = "0000"


def to_pickup_point(wire: WirePoint, *, country: str, max_weight_g: int | None) -> PickupPoint:
    """The domain point; a field that breaks the published format raises ``CarrierBadResponse``."""
    name = " ".join(part for part in (wire.LgAdr1.strip(), wire.LgAdr2.strip()) if part) or None
    point_country = wire.Pays.strip().upper() or country
    try:
        return PickupPoint(
            carrier=PickupCarrier.mondial_relay,
            point_id=wire.Num.strip(),
            name=name,
            address=Address(
                company=name,
                line1=wire.LgAdr3.strip() or None,
                line2=wire.LgAdr4.strip() or None,
                postal_code=wire.CP.strip() or None,
                city=wire.Ville.strip() or None,
                country=point_country,
            ),
            country=point_country,
            latitude=_coordinate(wire.Latitude),
            longitude=_coordinate(wire.Longitude),
            opening_hours=tuple(
                DayHours(weekday=day, slots=_slots(values)) for day, values in sorted(wire.hours.items())
            ),
            closures=tuple(_closure(period) for period in wire.closures),
            point_type="LOC" if is_locker(wire) else "REL",
            is_locker=is_locker(wire),
            max_weight=Weight(grams=max_weight_g) if max_weight_g is not None else None,
            distance_m=_distance(wire.Distance),
            source=PointSource.directory,
        )
    except ValueError as exc:  # the domain's invariants (coordinates in range, slots in order…)
        raise CarrierBadResponse(CARRIER, f"point {wire.Num.strip()[:10]!r}: {exc}") from None


def is_locker(wire: WirePoint) -> bool:
    # Lockers are ordinary relay ids whose Information reads LOCKER (reference §1.4, §1.8).
    return "LOCKER" in wire.Information.upper()


def _coordinate(raw: str) -> float | None:
    text = raw.strip()
    if not text:
        return None
    try:
        return float(text.replace(",", "."))  # Mondial Relay writes decimal commas: 45,7728450
    except ValueError:
        raise CarrierBadResponse(CARRIER, f"coordinate {text[:20]!r} is not a number") from None


def _slots(values: tuple[str, ...]) -> tuple[TimeSlot, ...]:
    if len(values) % 2:
        raise CarrierBadResponse(CARRIER, f"opening hours need pairs of HHMM values, got {len(values)}")
    slots = []
    for opens, closes in zip(values[::2], values[1::2], strict=True):
        for value in (opens, closes):
            if not _HHMM.fullmatch(value):
                raise CarrierBadResponse(CARRIER, f"opening hour {value[:10]!r} is not HHMM")
        if opens == closes == _NO_SLOT:
            continue  # "0000 0000" marks an unused slot, not a midnight opening
        if closes == _NO_SLOT:
            closes = "2400"  # open until midnight
        slots.append(TimeSlot(opens=f"{opens[:2]}:{opens[2:]}", closes=f"{closes[:2]}:{closes[2:]}"))
    return tuple(slots)


def _closure(period: Period) -> Closure:
    return Closure(start=_day(period.Debut), end=_day(period.Fin))


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip()[:10])  # xs:dateTime; the day is what matters
    except ValueError:
        raise CarrierBadResponse(CARRIER, f"closure date {raw.strip()[:30]!r} is not a date") from None


def _distance(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None  # lookups by id carry no distance
    if not text.isdigit():
        raise CarrierBadResponse(CARRIER, f"distance {text[:20]!r} is not whole metres")
    return int(text)
