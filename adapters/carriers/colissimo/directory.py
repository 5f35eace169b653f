"""``PickupPointDirectory`` over Colissimo Point Retrait v2 (REST/JSON): search near a place, look up by id."""

from __future__ import annotations

import re
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from portside.adapters.http import HttpClient, TokenBucket
from portside.core.model import PickupCarrier, PickupPoint, Weight, normalise_point_id
from portside.core.ports import SearchArea

from ..directory_errors import CarrierBadResponse, CarrierRequestRejected, NoPointsFound, PointNotFound, checked_country
from ..directory_http import post_lookup
from ..geo import distance_m
from ..search_results import nearest_usable
from .errors import CARRIER, SETTINGS_HINT, error_for_code
from .parsing import decode, to_pickup_point
from .schemas import (
    BY_ID_OPERATION,
    SEARCH_OPERATION,
    ByIdRequest,
    ByIdResponse,
    Credentials,
    SearchRequest,
    SearchResponse,
    WirePoint,
)
from .settings import ColissimoSettings

MAX_WEIGHT_G = 99_999  # errorCode 121 above
_POINT_ID = re.compile(r"^[0-9A-Z]{1,10}$")
_NEAR_MATCH = 50  # how many points around the order's address to scan for the id
_KNOWN_NETWORKS = 10_000  # id -> reseau pairs remembered from answers
_encode = msgspec.json.Encoder()


def _paris_today() -> date:
    return datetime.now(ZoneInfo("Europe/Paris")).date()


class ColissimoDirectory:
    """Searches points around a postcode and city; looks one up by id, finding its network itself."""

    def __init__(
        self,
        settings: ColissimoSettings,
        http: HttpClient,
        *,
        today: Callable[[], date] = _paris_today,
        limiter: TokenBucket | None = None,
        auth_hint: str = SETTINGS_HINT,
    ) -> None:
        self._settings = settings
        self._http = http
        self._today = today
        self._limiter = limiter
        self._auth_hint = auth_hint  # what a refused credential tells to check: whoever supplied them
        self._networks: OrderedDict[str, str] = OrderedDict()  # point id -> reseau seen in answers

    @property
    def carrier(self) -> PickupCarrier:
        return PickupCarrier.colissimo

    async def get(self, point_id: str, country: str, *, near: SearchArea | None = None) -> PickupPoint | None:
        """The point, or None. The lookup needs the point's network, which an order does not carry:
        try the one seen before, then the country's usual ones, then (given ``near``, e.g. the
        address the marketplace sent) search around it and match the id (reference §3.2 step 3)."""
        pays = checked_country(CARRIER, country)
        wanted = normalise_point_id(PickupCarrier.colissimo, point_id).upper()
        if not _POINT_ID.fullmatch(wanted):
            return None  # not a Colissimo id at all: no such point
        candidates = dict.fromkeys([self._networks.get(wanted, ""), *self._settings.networks_for(pays)])
        for reseau in filter(None, candidates):
            request = ByIdRequest(
                **self._credentials(),
                id=wanted,
                date=self._shipping_date(),
                reseau=reseau,
                langue=self._settings.language,
                filterRelay=self._settings.filter_relay,
            )
            try:
                answer = decode(await self._post(BY_ID_OPERATION, request), ByIdResponse)
                self._raise_for(answer.errorCode, answer.errorMessage)
            except (PointNotFound, NoPointsFound):
                continue
            if answer.pointRetraitAcheminement is None:
                raise CarrierBadResponse(CARRIER, "errorCode 0 without pointRetraitAcheminement")
            return self._point(answer.pointRetraitAcheminement, pays)
        if near is not None:
            for point in await self.search(near, limit=_NEAR_MATCH):
                if point.point_id == wanted:
                    return point
        return None

    async def search(self, area: SearchArea, *, weight: Weight | None = None, limit: int = 10) -> list[PickupPoint]:
        """Points around ``area``'s postcode and city taking ``weight``, nearest first (to its
        coordinates when given: Colissimo itself only geocodes the postcode, city and street)."""
        if limit < 1:
            raise CarrierRequestRejected(CARRIER, f"limit must be at least 1, got {limit}", code="limit")
        if not (area.postal_code and area.city):
            raise CarrierRequestRejected(CARRIER, "Colissimo searches need a postcode and a city", code="104")
        if weight is not None and weight.grams > MAX_WEIGHT_G:
            return []  # heavier than anything Colissimo points take
        pays = checked_country(CARRIER, area.country)
        request = SearchRequest(
            **self._credentials(),
            address=" ".join(area.address_line.split())[:100] if area.address_line else None,
            zipCode=area.postal_code.strip().upper(),
            city=" ".join(area.city.split())[:50],
            countryCode=pays,
            weight=None if weight is None else max(weight.grams, 1),
            shippingDate=self._shipping_date(),
            filterRelay=self._settings.filter_relay,
            requestId=uuid.uuid4().hex,
            lang=self._settings.language,
            optionInter="0" if pays == "FR" else "1",
        )
        try:
            answer = decode(await self._post(SEARCH_OPERATION, request), SearchResponse)
            self._raise_for(answer.errorCode, answer.errorMessage)
        except NoPointsFound:
            return []
        return nearest_usable(
            CARRIER,
            answer.listePointRetraitAcheminement or (),
            lambda wire: _measured_from(self._point(wire, pays), area),
            lambda wire: wire.identifiant,
            weight=weight,
            limit=limit,
        )

    def _credentials(self) -> dict[str, Any]:
        s = self._settings
        auth = Credentials(
            accountNumber=None if s.api_key else s.account,
            password=None if s.api_key else s.password,
            apiKey=s.api_key,
            codTiersPourPartenaire=s.partner_code,
        )
        return msgspec.structs.asdict(auth)

    def _shipping_date(self) -> str:
        return (self._today() + timedelta(days=self._settings.shipping_delay_days)).strftime("%d/%m/%Y")

    async def _post(self, operation: str, request: SearchRequest | ByIdRequest) -> bytes:
        response = await post_lookup(
            self._http,
            CARRIER,
            f"{self._settings.url.rstrip('/')}/{operation}",
            body=_encode.encode(request),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            timeout_s=self._settings.timeout_s,
            limiter=self._limiter,
        )
        return response.body

    def _raise_for(self, code: int | str, message: str | None) -> None:
        error = error_for_code(code, message, auth_hint=self._auth_hint)
        if error is not None:
            raise error

    def _point(self, wire: WirePoint, country: str) -> PickupPoint:
        point = to_pickup_point(wire, country=country, locker_types=self._settings.locker_types)
        if point.network:
            self._networks[point.point_id] = point.network
            self._networks.move_to_end(point.point_id)
            if len(self._networks) > _KNOWN_NETWORKS:
                self._networks.popitem(last=False)
        return point


def _measured_from(point: PickupPoint, area: SearchArea) -> PickupPoint:
    """The point with its distance from ``area``'s coordinates, when both are known."""
    if area.latitude is None or area.longitude is None or point.latitude is None or point.longitude is None:
        return point
    metres = distance_m(area.latitude, area.longitude, point.latitude, point.longitude)
    return msgspec.structs.replace(point, distance_m=metres)
