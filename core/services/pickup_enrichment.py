"""Pickup enrichment: check the buyer's point with its carrier, complete it, offer alternatives."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, timedelta

import msgspec

from ..errors import DirectoryError
from ..model import (
    Order,
    OrderFlag,
    PickupCarrier,
    PickupPoint,
    PickupPointIssue,
    PointSource,
)
from ..ports import Clock, PickupPointDirectory, SearchArea
from .label_hints import LabelSettings, label_hints, recipient_mobile

log = logging.getLogger("portside.pickup")

ALTERNATIVES = 3


class _Unverified(Exception):
    """The directory could not answer; the order keeps the channel's data until the next sync."""

    def __init__(self, message: str, *, directory_down: bool) -> None:
        super().__init__(message)
        self.directory_down = directory_down


class PickupEnricher:
    """OrderEnricher for orders with a pickup point whose carrier has a directory."""

    retry_flag = OrderFlag.pickup_point_unverified

    def __init__(
        self,
        directories: Mapping[PickupCarrier, PickupPointDirectory],
        *,
        label_settings: LabelSettings | None = None,
        store_name: str = "",
        clock: Clock | None = None,
    ) -> None:
        self._directories = directories
        self._labels = label_settings or LabelSettings()
        self._store_name = store_name
        self._clock = clock

    async def enrich(self, orders: list[Order]) -> list[Order]:
        # A directory found down is not asked again for the rest of this batch: each try costs its
        # retries and timeouts, and the orders are retried on the next sync anyway.
        down: set[PickupCarrier] = set()
        return [await self._enrich(order, down) for order in orders]

    async def _enrich(self, order: Order, down: set[PickupCarrier]) -> Order:
        point = order.pickup_point
        if point is None:
            return order
        directory = self._directories.get(point.carrier)
        flags_off: tuple[str, ...] = (OrderFlag.pickup_point_unverified, OrderFlag.pickup_point_unavailable)
        if directory is None:
            return self._with_hints(order.with_flags(remove=flags_off), point)
        unverified = order.with_flags(add=(OrderFlag.pickup_point_unverified,))
        if point.carrier in down:
            return self._with_hints(unverified, point)
        try:
            found, issue = await self._check(order, point, directory)
        except _Unverified as exc:
            log.info("order %s: pickup point %s not verified: %s", order.channel_order_id, point.point_id, exc)
            if exc.directory_down:
                down.add(point.carrier)
            return self._with_hints(unverified, point)
        checked = found or point
        flags_on = (OrderFlag.pickup_point_unavailable,) if issue else ()
        order = msgspec.structs.replace(
            order.with_flags(add=flags_on, remove=tuple(f for f in flags_off if f not in flags_on)),
            pickup_point=checked,
            pickup_point_issue=issue,
        )
        return self._with_hints(order, checked)

    async def _check(
        self, order: Order, point: PickupPoint, directory: PickupPointDirectory
    ) -> tuple[PickupPoint | None, PickupPointIssue | None]:
        country = _country(order, point)
        try:
            found = await directory.get(point.point_id, country, near=_area_of(order, point, country))
        except DirectoryError as exc:
            raise _Unverified(str(exc), directory_down=exc.retryable) from exc
        ship_day = _ship_day(order, None if self._clock is None else self._clock.now().date())
        if found is None:
            reason, detail = "not_found", f"{point.carrier} no longer knows point {point.point_id}"
        else:
            # The directory's data is fresher; the channel's name is what the buyer chose by.
            found = msgspec.structs.replace(found, source=PointSource.directory, name=found.name or point.name)
            if not found.is_open_on(ship_day):
                reason, detail = "closed", f"point {point.point_id} is closed on {ship_day.isoformat()}"
            elif not found.accepts(order.total_weight):
                limit = found.max_weight.grams if found.max_weight else 0
                weight = order.total_weight.grams if order.total_weight else 0
                reason, detail = "overweight", f"the parcel ({weight} g) exceeds the point's limit ({limit} g)"
            else:
                return found, None
        alternatives = await self._alternatives(order, found or point, directory, ship_day, country)
        return found, PickupPointIssue(reason=reason, detail=detail, alternatives=alternatives)

    async def _alternatives(
        self, order: Order, near: PickupPoint, directory: PickupPointDirectory, day: date, country: str
    ) -> tuple[PickupPoint, ...]:
        area = _area_of(order, near, country)
        if area is None:
            return ()
        try:
            candidates = await directory.search(area, weight=order.total_weight, limit=ALTERNATIVES * 4)
        except DirectoryError as exc:
            raise _Unverified(f"alternatives: {exc}", directory_down=exc.retryable) from exc
        fitting = [
            c for c in candidates if c.point_id != near.point_id and c.is_open_on(day) and c.accepts(order.total_weight)
        ]
        return tuple(fitting[:ALTERNATIVES])

    def _with_hints(self, order: Order, point: PickupPoint) -> Order:
        hints = label_hints(order, point, self._labels, self._store_name)
        needs_mobile = point.carrier == PickupCarrier.colissimo and recipient_mobile(order) is None
        flagged = (
            order.with_flags(add=(OrderFlag.recipient_mobile_missing,))
            if needs_mobile
            else order.with_flags(remove=(OrderFlag.recipient_mobile_missing,))
        )
        # The channel's own hints (e.g. a marketplace's additional fields) stay; the carrier's win.
        return msgspec.structs.replace(flagged, label_hints={**order.label_hints, **hints})


def _area_of(order: Order, point: PickupPoint, country: str) -> SearchArea | None:
    """Where the point is, as precisely as known: coordinates and postcode/city together, since
    some directories search by one and some by the other (Colissimo needs postcode and city)."""
    address = point.address or order.shipping_address
    has_coordinates = point.latitude is not None and point.longitude is not None
    postal_code = address.postal_code if address else None
    city = address.city if address else None
    if not has_coordinates and not (postal_code or city):
        return None
    return SearchArea(
        country=country,
        latitude=point.latitude,
        longitude=point.longitude,
        postal_code=postal_code,
        city=city,
        address_line=address.line1 if address else None,
    )


def _country(order: Order, point: PickupPoint) -> str:
    if point.country:
        return point.country
    if point.address and point.address.country:
        return point.address.country
    if order.shipping_address and order.shipping_address.country:
        return order.shipping_address.country
    return "FR"


def _ship_day(order: Order, today: date | None) -> date:
    # The parcel reaches the point a day or so after it ships; the ship-by date is the latest
    # day the seller hands it over, so that is the day the point must be open for the plan to hold.
    # An order past its ship-by date ships today at the earliest: a point open then but closed now
    # is closed for this parcel.
    when = (order.ship_by or order.placed_at + timedelta(days=2)).date()
    return when if today is None or when >= today else today
