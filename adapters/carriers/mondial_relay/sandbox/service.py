"""What the simulated ``WSI4_PointRelais_Recherche`` answers: the real checks, in the real STAT codes."""

from __future__ import annotations

import re
from collections.abc import Mapping

import msgspec

from ...sandbox_kit import locate, nearest
from ...seed_points import MONDIAL_RELAY, SeedPoint, point_by_id, seed_points
from ..schemas import PARAM_ORDER
from ..security import security

# Parameter patterns as Mondial Relay publishes them (reference relay-carriers §1.4, cba85) and
# the STAT each failure answers (§1.9).
_CHECKS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("Pays", re.compile(r"^[A-Z]{2}$"), 37),
    ("NumPointRelais", re.compile(r"^[0-9]{6}$"), 70),
    ("Ville", re.compile(r"^[A-Z_\-' ]{2,25}$"), 35),
    ("CP", re.compile(r"^[0-9A-Z -]{2,10}$"), 36),
    ("Latitude", re.compile(r"^-?[0-9]{1,2}\.[0-9]{7}$"), 67),
    ("Longitude", re.compile(r"^-?[0-9]{1,2}\.[0-9]{7}$"), 68),
    ("Taille", re.compile(r"^(XS|S|M|L|XL|XXL|3XL)$"), 22),
    ("Poids", re.compile(r"^[0-9]{1,6}$"), 20),
    ("Action", re.compile(r"^(REL|24R|24L|24X|24C|DRI)$"), 49),
    ("DelaiEnvoi", re.compile(r"^-?[0-9]{1,2}$"), 40),
    ("RayonRecherche", re.compile(r"^[0-9]{1,4}$"), 40),
    ("TypeActivite", re.compile(r"^(\d{3},|\d{3})*$"), 71),
    ("NombreResultats", re.compile(r"^[0-9]{1,3}$"), 40),
)
_ENSEIGNE = re.compile(r"^[0-9A-Z]{2}[0-9A-Z ]{6}$")
_LOCKER_ACTIONS = frozenset({"REL", "24R", "24C"})  # lockers take standard parcels only
MAX_RESULTS = 30


class SandboxAnswer(msgspec.Struct, frozen=True, kw_only=True):
    stat: int
    points: tuple[tuple[SeedPoint, int | None], ...] = ()  # the point and its distance in metres


def answer(params: Mapping[str, str], accounts: Mapping[str, str], *, radius_km: int, results: int) -> SandboxAnswer:
    """Check ``params`` (element text as received) as the service does, then look the points up."""
    enseigne = params.get("Enseigne", "")
    if not enseigne:
        return SandboxAnswer(stat=2)
    if not _ENSEIGNE.fullmatch(enseigne):
        return SandboxAnswer(stat=1)
    key = accounts.get(enseigne)
    if key is None:
        return SandboxAnswer(stat=2)
    expected = security(((name, params.get(name)) for name in PARAM_ORDER), key)
    if params.get("Security") != expected:
        return SandboxAnswer(stat=97)
    for name, pattern, stat in _CHECKS:
        value = params.get(name)
        if value and not pattern.fullmatch(value):
            return SandboxAnswer(stat=stat)
    country = params.get("Pays")
    if not country:
        return SandboxAnswer(stat=37)
    if params.get("NumPointRelais"):
        return _by_id(params["NumPointRelais"], country)
    return _search(params, country, radius_km=radius_km, results=results)


def _by_id(point_id: str, country: str) -> SandboxAnswer:
    point = point_by_id(MONDIAL_RELAY, point_id)
    if point is None or not point.listed or point.country != country:
        return SandboxAnswer(stat=70)  # "Numéro de Point Relais invalide"
    return SandboxAnswer(stat=0, points=((point, None),))


def _search(params: Mapping[str, str], country: str, *, radius_km: int, results: int) -> SandboxAnswer:
    latitude, longitude = params.get("Latitude"), params.get("Longitude")
    if bool(latitude) != bool(longitude):
        return SandboxAnswer(stat=68 if latitude else 67)
    if latitude and longitude:
        origin: tuple[float, float] | None = (float(latitude), float(longitude))  # has priority over CP
    elif params.get("CP") or params.get("Ville"):
        origin = locate(country, postal_code=params.get("CP"), city=params.get("Ville"))
        if origin is None and not params.get("CP"):
            return SandboxAnswer(stat=9)  # city unknown or not unique
    else:
        return SandboxAnswer(stat=40)  # nothing to search around
    if origin is None:
        return SandboxAnswer(stat=0)  # a postcode we do not serve: nothing near it
    weight = int(params.get("Poids") or 0)
    action = params.get("Action") or "24R"
    candidates = [
        p
        for p in seed_points(MONDIAL_RELAY)
        if p.listed
        and p.country == country
        and p.max_weight_g >= weight
        and (not p.is_locker or action in _LOCKER_ACTIONS)
    ]
    radius = int(params.get("RayonRecherche") or radius_km)
    count = min(int(params.get("NombreResultats") or results), MAX_RESULTS)
    found = nearest(candidates, origin[0], origin[1], radius_m=radius * 1000, limit=count)
    return SandboxAnswer(stat=0, points=tuple((point, distance) for point, distance in found))
