"""Decode Colissimo Point Retrait JSON answers and turn their points into ``PickupPoint``s."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import msgspec

from portside.core.model import Address, Closure, DayHours, PickupCarrier, PickupPoint, PointSource, TimeSlot, Weight

from ..directory_errors import CarrierBadResponse
from .errors import CARRIER
from .schemas import ByIdResponse, Conge, SearchResponse, WirePoint

_PARIS = ZoneInfo("Europe/Paris")  # closures are sent as epoch ms of local midnights
_SLOT = re.compile(r"^(\d{2}:\d{2})-(\d{2}:\d{2})$")
_CLOSED = "00:00-00:00"

Answer = TypeVar("Answer", SearchResponse, ByIdResponse)
_DECODERS: dict[type[Any], msgspec.json.Decoder[Any]] = {}


def decode(body: bytes, kind: type[Answer]) -> Answer:
    """The answer as ``kind``; anything else raises ``CarrierBadResponse`` naming Colissimo."""
    decoder = _DECODERS.get(kind)
    if decoder is None:
        decoder = _DECODERS[kind] = msgspec.json.Decoder(kind)  # built once per answer type
    try:
        return decoder.decode(body)  # type: ignore[no-any-return]
    except RecursionError:
        # Absurdly nested JSON: hostile or broken, never a real answer.
        raise CarrierBadResponse(CARRIER, "JSON nested too deeply", retryable=False) from None
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise CarrierBadResponse(CARRIER, f"not a {kind.__name__}: {str(exc)[:160]}") from None


def to_pickup_point(wire: WirePoint, *, country: str, locker_types: tuple[str, ...]) -> PickupPoint:
    """The domain point; a field that breaks the published format raises ``CarrierBadResponse``."""
    ident = str(wire.identifiant).strip()
    point_country = (wire.codePays or "").strip().upper() or country
    point_type = (wire.typeDePoint or "").strip().upper() or None
    name = _clean(wire.nom)
    try:
        return PickupPoint(
            carrier=PickupCarrier.colissimo,
            point_id=ident,
            name=name,
            address=Address(
                company=name,
                line1=_clean(wire.adresse1),
                line2=_clean(wire.adresse2),
                line3=_clean(wire.adresse3),
                postal_code=_clean(wire.codePostal),
                city=_clean(wire.localite),
                country=point_country,
            ),
            country=point_country,
            latitude=_coordinate(wire.coordGeolocalisationLatitude),
            longitude=_coordinate(wire.coordGeolocalisationLongitude),
            opening_hours=tuple(
                DayHours(weekday=day, slots=_slots(value))
                for day, value in enumerate(wire.hours(), start=1)
                if value is not None
            ),
            closures=tuple(_closure(conge) for conge in wire.listeConges or ()),
            point_type=point_type,
            network=_clean(wire.reseau),
            is_locker=point_type in locker_types,
            max_weight=_weight(wire.poidsMaxi),
            distance_m=_distance(wire.distanceEnMetre),
            source=PointSource.directory,
        )
    except ValueError as exc:  # the domain's invariants (coordinates in range, slots in order…)
        raise CarrierBadResponse(CARRIER, f"point {ident[:10]!r}: {exc}") from None


def _clean(value: str | None) -> str | None:
    """Collapsed whitespace; empty becomes None."""
    if not value:
        return None
    return " ".join(value.split()) or None


def _coordinate(value: str | float | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise CarrierBadResponse(CARRIER, f"coordinate {str(value)[:20]!r} is not a number") from None


def _slots(value: str) -> tuple[TimeSlot, ...]:
    slots = []
    for token in value.split():
        match = _SLOT.fullmatch(token)
        if match is None:
            raise CarrierBadResponse(CARRIER, f"opening hours {token[:20]!r} are not HH:MM-HH:MM")
        if token == _CLOSED:
            continue
        opens, closes = match.groups()
        slots.append(TimeSlot(opens=opens, closes="24:00" if closes == "00:00" else closes))
    return tuple(slots)


def _closure(conge: Conge) -> Closure:
    return Closure(start=_day(conge.calendarDeDebut), end=_day(conge.calendarDeFin))


def _day(value: int | str) -> date:
    try:
        if isinstance(value, int) or value.strip().lstrip("-").isdigit():
            return datetime.fromtimestamp(int(value) / 1000, UTC).astimezone(_PARIS).date()
        return date.fromisoformat(value.strip()[:10])  # SOAP: 2019-08-01T00:00:00+02:00
    except (ValueError, OverflowError, OSError):
        raise CarrierBadResponse(CARRIER, f"closure date {str(value)[:30]!r} is not a date") from None


def _weight(value: int | str | None) -> Weight | None:
    if value is None or value == "":
        return None
    try:
        return Weight(grams=int(value))
    except ValueError:
        raise CarrierBadResponse(CARRIER, f"poidsMaxi {str(value)[:20]!r} is not grams") from None


def _distance(value: int | str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        metres = int(value)
    except ValueError:
        raise CarrierBadResponse(CARRIER, f"distanceEnMetre {str(value)[:20]!r} is not metres") from None
    return metres if metres >= 0 else None  # -1: lookups by id have no distance
