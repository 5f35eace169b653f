"""``PickupPointDirectory`` over Mondial Relay's ``WSI4_PointRelais_Recherche`` (web service v1, SOAP)."""

from __future__ import annotations

import re
from functools import partial

from portside.adapters.http import HttpClient, TokenBucket
from portside.core.model import PickupCarrier, PickupPoint, Weight, normalise_point_id
from portside.core.ports import SearchArea

from ..directory_errors import CarrierRequestRejected, NoPointsFound, PointNotFound, checked_country
from ..directory_http import post_lookup
from ..search_results import nearest_usable
from .errors import CARRIER, SETTINGS_HINT, error_for_stat
from .mapping import is_locker, to_pickup_point
from .parsing import SearchAnswer, parse_search_answer
from .schemas import SOAP_ACTION, SearchRequest, WirePoint, envelope
from .security import clean, security
from .settings import ACTIONS, MondialRelaySettings

MAX_RESULTS = 30  # NombreResultats ceiling (vinted)
MIN_WEIGHT_G = 100  # ps-mr's Poids pattern wants 3+ digits; any point taking 100 g takes less
MAX_WEIGHT_G = 999_999  # cba85's Poids pattern: at most 6 digits
_POINT_ID = re.compile(r"^[0-9]{6}$")
_POSTCODE = re.compile(r"^[0-9A-Z][0-9A-Z -]{1,9}$")
_COORDINATE = re.compile(r"^-?[0-9]{1,2}\.[0-9]{7}$")
_NOT_CITY = re.compile(r"[^A-Z_\-' ]+")


class MondialRelayDirectory:
    """Looks points up by ``NumPointRelais`` and searches them around a postcode, city or coordinates."""

    def __init__(
        self,
        settings: MondialRelaySettings,
        http: HttpClient,
        *,
        limiter: TokenBucket | None = None,
        auth_hint: str = SETTINGS_HINT,
    ) -> None:
        self._settings = settings
        self._http = http
        self._limiter = limiter
        self._auth_hint = auth_hint  # what a refused credential tells to check: whoever supplied them

    @property
    def carrier(self) -> PickupCarrier:
        return PickupCarrier.mondial_relay

    async def get(self, point_id: str, country: str, *, near: SearchArea | None = None) -> PickupPoint | None:
        pays = checked_country(CARRIER, country)
        wanted = normalise_point_id(PickupCarrier.mondial_relay, point_id)
        if not _POINT_ID.fullmatch(wanted):
            return None  # not a Mondial Relay id at all: no such point
        request = SearchRequest(Enseigne=self._settings.enseigne, Pays=pays, NumPointRelais=wanted)
        try:
            answer = await self._call(request)
        except (PointNotFound, NoPointsFound):
            return None
        for wire in answer.points:
            if wire.Num.strip() == wanted:
                return self._point(wire, country=pays, action=self._settings.default_action)
        return None

    async def search(
        self,
        area: SearchArea,
        *,
        weight: Weight | None = None,
        limit: int = 10,
        action: str | None = None,
        radius_km: int | None = None,
    ) -> list[PickupPoint]:
        """Points near ``area`` able to take ``weight`` by delivery mode ``action``, nearest first."""
        mode = action or self._settings.default_action
        radius = radius_km if radius_km is not None else self._settings.search_radius_km
        request = self._search_request(area, weight, limit, mode, radius)
        if weight is not None and weight.grams > MAX_WEIGHT_G:
            return []  # heavier than anything Mondial Relay takes
        try:
            answer = await self._call(request)
        except NoPointsFound:
            return []
        build = partial(self._point, country=request.Pays, action=mode)
        return nearest_usable(CARRIER, answer.points, build, lambda wire: wire.Num, weight=weight, limit=limit)

    def _search_request(
        self, area: SearchArea, weight: Weight | None, limit: int, action: str, radius_km: int | None
    ) -> SearchRequest:
        if limit < 1:
            raise CarrierRequestRejected(CARRIER, f"limit must be at least 1, got {limit}", code="limit")
        if action not in ACTIONS:
            raise CarrierRequestRejected(CARRIER, f"unknown Action {action[:10]!r}", code="Action")
        if radius_km is not None and not 1 <= radius_km <= 9999:
            raise CarrierRequestRejected(CARRIER, "search radius must be 1 to 9999 km", code="RayonRecherche")
        latitude = longitude = None
        if area.latitude is not None and area.longitude is not None:
            latitude, longitude = _coordinate(area.latitude, "Latitude"), _coordinate(area.longitude, "Longitude")
        grams = None if weight is None else str(min(max(weight.grams, MIN_WEIGHT_G), MAX_WEIGHT_G))
        return SearchRequest(
            Enseigne=self._settings.enseigne,
            Pays=checked_country(CARRIER, area.country),
            Ville=_city(area.city) if area.city else None,
            CP=_postcode(area.postal_code) if area.postal_code else None,
            Latitude=latitude,
            Longitude=longitude,
            Poids=grams,
            Action=action,
            RayonRecherche=str(radius_km) if radius_km is not None else None,
            NombreResultats=str(min(limit, MAX_RESULTS)),
        )

    async def _call(self, request: SearchRequest) -> SearchAnswer:
        signed = (p for p in request.params() if self._settings.sign_result_count or p[0] != "NombreResultats")
        body = envelope(request, security(signed, self._settings.private_key))
        response = await post_lookup(
            self._http,
            CARRIER,
            self._settings.url,
            body=body,
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": SOAP_ACTION},
            timeout_s=self._settings.timeout_s,
            limiter=self._limiter,
        )
        answer = parse_search_answer(response.body)
        error = error_for_stat(answer.stat, auth_hint=self._auth_hint)
        if error is not None:
            raise error
        return answer

    def _point(self, wire: WirePoint, country: str, action: str) -> PickupPoint:
        limit = self._settings.max_weight_for(action, is_locker=is_locker(wire))
        return to_pickup_point(wire, country=country, max_weight_g=limit)


def _coordinate(value: float, name: str) -> str:
    text = f"{value:.7f}"  # the service's pattern: dot decimal, exactly 7 decimals
    if not _COORDINATE.fullmatch(text):
        raise CarrierRequestRejected(CARRIER, f"{name} {value} is outside what Mondial Relay accepts", code=name)
    return text


def _postcode(raw: str) -> str:
    value = clean(raw)
    if not _POSTCODE.fullmatch(value):
        raise CarrierRequestRejected(CARRIER, f"postcode {raw[:12]!r} is not valid", code="CP")
    return value


def _city(raw: str) -> str:
    # The service takes ^[A-Z_\-' ]{2,25}$: accents go, and an arrondissement ("Paris 10e") with it.
    value = re.split(r"[0-9]", clean(raw), maxsplit=1)[0]
    value = " ".join(_NOT_CITY.sub(" ", value).split())[:25].strip()
    if len(value) < 2:
        raise CarrierRequestRejected(CARRIER, f"city {raw[:30]!r} is not valid", code="Ville")
    return value
