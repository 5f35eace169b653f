"""Pickup points, straight from the caller's account's carrier directories: search near a place, or look one up."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from portside.core.errors import NotFound, ValidationFailed
from portside.core.model import PickupCarrier, Weight
from portside.core.ports import SearchArea
from portside.core.services.pickup_points import directory_for, get_pickup_point, search_pickup_points

from ..decoding import read_query
from ..respond import json_response
from ..routing import Operation, Reply
from ..schemas.orders import PickupPointJson
from ..schemas.pickup import PickupPointList, PointLookup, PointSearch
from ..state import PORTSIDE, account_id
from ..views import pickup_point_json


def _needs_postcode_and_city(query: PointSearch) -> dict[str, str]:
    # "Colissimo searches need a postcode and a city": zipCode and city are mandatory (errors 104, 105);
    # coordinates only sort its answer.
    need = "Colissimo searches need a postal_code and a city (lat and lon only sort the results)"
    return {field: need for field in ("postal_code", "city") if not getattr(query, field)}


def _needs_a_place(query: PointSearch) -> dict[str, str]:
    # Mondial Relay searches from a postcode (CP), coordinates (which take priority) or a city (Ville,
    # which it advises against: an ambiguous one is refused with STAT 9).
    if query.postal_code or query.city or query.lat is not None:
        return {}
    return {"postal_code": "give a postal_code (best), lat and lon, or a city"}


# What each carrier's search needs, checked before its directory is asked (docs/api.md, Pickup points).
SEARCH_NEEDS: dict[PickupCarrier, Callable[[PointSearch], dict[str, str]]] = {
    PickupCarrier.colissimo: _needs_postcode_and_city,
    PickupCarrier.mondial_relay: _needs_a_place,
}


def _area(query: PointSearch) -> SearchArea:
    if (query.lat is None) != (query.lon is None):
        missing = "lon" if query.lon is None else "lat"
        raise ValidationFailed("give both lat and lon, or neither", {missing: "required with the other coordinate"})
    needs = SEARCH_NEEDS.get(query.carrier, _needs_a_place)(query)
    if needs:
        raise ValidationFailed(f"{query.carrier} pickup point search: {next(iter(needs.values()))}", needs)
    try:
        return SearchArea(
            country=query.country.upper(),
            postal_code=query.postal_code,
            city=query.city,
            latitude=query.lat,
            longitude=query.lon,
        )
    except ValueError as exc:
        raise ValidationFailed(str(exc), {"postal_code": "give a postal_code, a city, or lat and lon"}) from None


async def search_points(request: web.Request) -> web.Response:
    query = read_query(request, PointSearch)
    weight = None if query.weight_g is None else Weight(grams=query.weight_g)
    directories = await request.app[PORTSIDE].directories.for_account(account_id(request))
    directory_for(directories, query.carrier)  # "not configured" first: no use fixing a search nobody can run
    points = await search_pickup_points(directories, query.carrier, _area(query), weight=weight, limit=query.limit)
    return json_response(PickupPointList(items=[pickup_point_json(p) for p in points]))


async def get_point(request: web.Request) -> web.Response:
    carrier, point_id = request.match_info["carrier"], request.match_info["id"]
    query = read_query(request, PointLookup)
    try:
        PickupCarrier(carrier)
    except ValueError:
        known = ", ".join(c.value for c in PickupCarrier)
        raise ValidationFailed(f"unknown carrier {carrier!r}", {"carrier": f"one of: {known}"}) from None
    directories = await request.app[PORTSIDE].directories.for_account(account_id(request))
    point = await get_pickup_point(directories, carrier, point_id, query.country.upper())
    if point is None:
        raise NotFound(f"{carrier} pickup point", point_id)
    return json_response(pickup_point_json(point))


def operations() -> list[Operation]:
    return [
        Operation(
            "GET",
            "/v1/pickup-points",
            search_points,
            "searchPickupPoints",
            "Find pickup points near a place",
            "pickup points",
            {200: Reply("open points that take the weight, nearest first", PickupPointList)},
            description="Colissimo: a postal_code and a city (lat and lon only sort the results). Mondial Relay: "
            "a postal_code, lat and lon, or a city (discouraged: an ambiguous city is refused). 422 names a carrier "
            "with no directory configured and how to configure one; 503 (retry later) when the carrier's directory "
            "is down.",
            query=PointSearch,
            problems=(502, 503),
        ),
        Operation(
            "GET",
            "/v1/pickup-points/{carrier}/{id}",
            get_point,
            "getPickupPoint",
            "Look a pickup point up",
            "pickup points",
            {200: Reply("the point as the carrier describes it now", PickupPointJson)},
            description="404 when the carrier does not know the point (any more); 503 when its directory is down.",
            query=PointLookup,
            params={"carrier": PickupCarrier},
            problems=(502, 503),
        ),
    ]
