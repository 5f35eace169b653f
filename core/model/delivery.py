"""How an order travels: the delivery method the buyer chose and, for pickup, the point."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

import msgspec
from msgspec.structs import force_setattr

from .money import Weight
from .parties import Address


class DeliveryKind(StrEnum):
    home = "home"
    pickup = "pickup"
    store = "store"


class DeliveryMethod(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    code: str  # the channel's own code (e.g. Octopia ``TrackedHomeDelivery``, legacy ``REL``)
    label: str | None = None
    kind: DeliveryKind = DeliveryKind.home
    carrier_hint: str | None = None  # platform carrier code the channel implies (``mondial_relay``)


class PickupCarrier(StrEnum):
    colissimo = "colissimo"
    mondial_relay = "mondial_relay"
    relais_colis = "relais_colis"
    other = "other"


class PointSource(StrEnum):
    channel = "channel"
    directory = "directory"


_LEADING_COUNTRY = re.compile(r"^[A-Za-z]{2}-")


def normalise_point_id(carrier: PickupCarrier | str, raw: str) -> str:
    """Canonical pickup point id for ``carrier``; applying it twice changes nothing.

    Marketplaces drop leading zeros (Cdiscount sends ``5680`` for Mondial Relay ``005680``) and
    Mondial Relay's API v2 writes ``FR-005680``; carriers' label APIs want the 6-digit form.
    """
    value = raw.strip()
    if carrier in (PickupCarrier.mondial_relay, PickupCarrier.colissimo):
        value = _LEADING_COUNTRY.sub("", value)
        if value.isdigit() and len(value) < 6:
            value = value.zfill(6)
    return value


class TimeSlot(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    opens: str  # "HH:MM", local time of the point
    closes: str

    def __post_init__(self) -> None:
        for label, value in (("opens", self.opens), ("closes", self.closes)):
            if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d|24:00", value):
                raise ValueError(f"{label} must be HH:MM, got {value!r}")
        if self.closes <= self.opens:
            raise ValueError(f"slot closes ({self.closes}) before it opens ({self.opens})")


class DayHours(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    weekday: int  # ISO: 1 = Monday … 7 = Sunday
    slots: tuple[TimeSlot, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.weekday <= 7:
            raise ValueError(f"weekday must be 1 (Monday) to 7 (Sunday), got {self.weekday}")


class Closure(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A period the point is shut (holidays), both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"closure ends ({self.end}) before it starts ({self.start})")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class PickupPoint(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    carrier: PickupCarrier
    point_id: str
    name: str | None = None
    address: Address | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    opening_hours: tuple[DayHours, ...] = ()
    closures: tuple[Closure, ...] = ()
    point_type: str | None = None  # carrier's own type (Colissimo ``A2P``/``BPR``…, Mondial Relay ``REL``/``LOC``)
    network: str | None = None
    is_locker: bool = False
    max_weight: Weight | None = None
    distance_m: int | None = None  # filled by directory searches
    source: PointSource = PointSource.channel

    def __post_init__(self) -> None:
        normalised = normalise_point_id(self.carrier, self.point_id)
        if not normalised:
            raise ValueError("pickup point id cannot be empty")
        if normalised != self.point_id:
            force_setattr(self, "point_id", normalised)
        if self.country is not None:
            force_setattr(self, "country", self.country.strip().upper())
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValueError(f"latitude out of range: {self.latitude}")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValueError(f"longitude out of range: {self.longitude}")

    def is_open_on(self, day: date) -> bool:
        """False when a closure covers ``day`` or the week's hours show the point shut that day.

        A point with no published hours is assumed open: the directory did not say otherwise.
        """
        if any(closure.covers(day) for closure in self.closures):
            return False
        if not self.opening_hours:
            return True
        weekday = day.isoweekday()
        return any(hours.weekday == weekday and hours.slots for hours in self.opening_hours)

    def accepts(self, weight: Weight | None) -> bool:
        return weight is None or self.max_weight is None or weight.grams <= self.max_weight.grams


class PickupPointIssue(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Why the buyer's point cannot take the parcel, and the nearest points that can."""

    reason: str  # not_found | closed | overweight
    detail: str
    alternatives: tuple[PickupPoint, ...] = ()
