"""What the simulated Point Retrait service answers: its checks, in its ``errorCode``s."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping
from datetime import date, datetime

import msgspec

from ...sandbox_kit import locate, nearest
from ...seed_points import COLISSIMO, point_by_id, seed_points
from ..schemas import ByIdResponse, SearchResponse
from .points import is_post_office, network_of, wire_point

_FR_POSTCODE = re.compile(r"^((0[1-9]|[1-8]\d|9[0-5])\d{3}|980\d{2})$")
_FOUR_DIGITS = re.compile(r"^\d{4}$")
_POINT_ID = re.compile(r"^[0-9A-Z]{6}$")
_REQUEST_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
_EUROPE = frozenset({"FR", "BE", "DE", "NL", "LU", "ES", "PT", "AT", "IT", "GB", "IE", "DK", "SE", "PL", "CZ", "EE"})
_FILTERS = frozenset({"0", "1", "2", "3", "5", "10", "11"})
_MESSAGES = {
    0: "Code retour OK",
    101: "Numéro de compte absent",
    102: "Mot de passe absent",
    104: "Code postal absent",
    105: "Ville absente",
    106: "Date estimée de l'envoi absente",
    107: "Identifiant point de retrait absent",
    117: "Code pays absent",
    120: "Poids n'est pas un entier",
    121: "Poids n'est pas compris entre 1 et 99999",
    122: "Date n'est pas au format JJ/MM/AAAA",
    123: "Filtre relais n'est pas un booléen",
    124: "Identifiant point de retrait non valide",
    125: "Code postal non valide (non compris entre 01XXX, 95XXX ou 980XX)",
    127: "Identifiant de requête non valide",
    143: "Code postal ne correspond pas au format XXXX",
    146: "Pays non valide pour Colissimo Europe",
    201: "Identifiant / mot de passe invalide",
    203: "Option internationale non disponible pour ce pays",
    300: "Pas de point de retrait suite à l'application des règles métier",
    301: "Aucun point de retrait trouvé",
}


class Auth(msgspec.Struct, frozen=True, kw_only=True):
    accounts: Mapping[str, str]
    api_keys: Collection[str]


def search(body: Mapping[str, object], auth: Auth, *, radius_km: int, results: int) -> SearchResponse:
    code = _auth_code(body, auth) or _search_code(body)
    if code:
        return _search_error(code)
    country = str(body["countryCode"])
    origin = locate(country, postal_code=str(body["zipCode"]), city=str(body["city"]))
    if origin is None:
        return _search_error(301)
    on = _date(str(body["shippingDate"])) or date.min  # checked above
    weight = int(str(body.get("weight") or 0))
    around = [p for p in seed_points(COLISSIMO) if p.listed and p.country == country]
    fitting = [p for p in around if p.max_weight_g >= weight and (body.get("filterRelay") != "0" or is_post_office(p))]
    found = nearest(fitting, origin[0], origin[1], radius_m=radius_km * 1000, limit=results)
    if not found:
        near_any = nearest(around, origin[0], origin[1], radius_m=radius_km * 1000, limit=1)
        return _search_error(300 if near_any else 301)
    return SearchResponse(
        errorCode=0,
        errorMessage=_MESSAGES[0],
        qualiteReponse=2,
        wsRequestId=hashlib.sha256(str(body.get("requestId")).encode()).hexdigest(),  # 64 hex, as recorded
        rdv=False,
        listePointRetraitAcheminement=[wire_point(p, on=on, distance=d) for p, d in found],
    )


def by_id(body: Mapping[str, object], auth: Auth) -> ByIdResponse:
    code = _auth_code(body, auth) or _by_id_code(body)
    if code:
        return ByIdResponse(errorCode=code, errorMessage=_MESSAGES.get(code, ""))
    point = point_by_id(COLISSIMO, str(body["id"]))
    if point is None or not point.listed or body.get("reseau") != network_of(point):
        # Unknown, delisted, or asked on another network: the service finds nothing.
        return ByIdResponse(errorCode=301, errorMessage=_MESSAGES[301])
    on = _date(str(body["date"])) or date.min  # checked above
    return ByIdResponse(
        errorCode=0, errorMessage=_MESSAGES[0], pointRetraitAcheminement=wire_point(point, on=on, distance=-1)
    )


def _auth_code(body: Mapping[str, object], auth: Auth) -> int:
    api_key = body.get("apiKey")
    if api_key:
        return 0 if api_key in auth.api_keys else 201
    account, password = body.get("accountNumber"), body.get("password")
    if not account:
        return 101
    if not password:
        return 102
    return 0 if auth.accounts.get(str(account)) == password else 201


def _search_code(body: Mapping[str, object]) -> int:
    zip_code, country = str(body.get("zipCode") or ""), str(body.get("countryCode") or "")
    checks = (
        (not zip_code, 104),
        (not body.get("city"), 105),
        (not country, 117),
        (not body.get("shippingDate"), 106),
        (_date(str(body.get("shippingDate"))) is None, 122),
        *_weight_checks(body.get("weight")),
        (str(body.get("filterRelay") or "1") not in _FILTERS, 123),
        (bool(body.get("requestId")) and not _REQUEST_ID.fullmatch(str(body.get("requestId"))), 127),
        (country not in _EUROPE, 146),
        (country == "FR" and not _FR_POSTCODE.fullmatch(zip_code), 125),
        (country in ("BE", "LU", "AT", "DK") and not _FOUR_DIGITS.fullmatch(zip_code), 143),
        (country == "FR" and body.get("optionInter") == "1", 203),
    )
    return next((code for failed, code in checks if failed), 0)


def _by_id_code(body: Mapping[str, object]) -> int:
    checks = (
        (not body.get("id"), 107),
        (not _POINT_ID.fullmatch(str(body.get("id") or "")), 124),
        (not body.get("date"), 106),
        (_date(str(body.get("date"))) is None, 122),
        *_weight_checks(body.get("weight")),
    )
    return next((code for failed, code in checks if failed), 0)


def _weight_checks(weight: object) -> tuple[tuple[bool, int], ...]:
    if weight is None:
        return ()
    if not isinstance(weight, int) or isinstance(weight, bool):
        return ((True, 120),)
    return ((not 1 <= weight <= 99_999, 121),)


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def _search_error(code: int) -> SearchResponse:
    return SearchResponse(errorCode=code, errorMessage=_MESSAGES.get(code, ""), qualiteReponse=0)
