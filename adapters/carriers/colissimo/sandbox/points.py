"""Seed points as Colissimo describes them: network, hours strings, closures in epoch milliseconds."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from ...seed_points import SeedPoint
from ..schemas import Conge, WirePoint

_PARIS = ZoneInfo("Europe/Paris")
_POST_OFFICES = frozenset({"BPR", "BDP"})

# The sandbox's truth for each point's network (reference §2.4: BPR -> R01 and A2P -> R03 seen
# together in 2019; Belgian points on R12 per thelia-cpp). Lockers are put on the Pickup network.
_NETWORKS = {
    ("FR", "BPR"): "R01",
    ("FR", "A2P"): "R03",
    ("FR", "PCS"): "R03",
    ("BE", "CMT"): "R12",
    ("BE", "BDP"): "R12",
}


def network_of(point: SeedPoint) -> str:
    return _NETWORKS.get((point.country, point.point_type), "X00")


def is_post_office(point: SeedPoint) -> bool:
    return point.point_type in _POST_OFFICES


def wire_point(point: SeedPoint, *, on: date, distance: int) -> WirePoint:
    """The point as Colissimo answers it; closures ending before ``on`` are no longer listed."""
    closures = [(start, end) for start, end in point.closures if end >= on]
    hours = [_day(point, weekday) for weekday in range(1, 8)]
    return WirePoint(
        identifiant=point.point_id,
        nom=point.name,
        adresse1=point.street,
        adresse2="",
        adresse3="",
        codePostal=point.postal_code,
        localite=point.city.upper(),
        codePays=point.country,
        libellePays={"FR": "FRANCE", "BE": "BELGIQUE"}.get(point.country, point.country),
        langue="FR",
        indiceDeLocalisation="",
        coordGeolocalisationLatitude=f"{point.latitude:.7f}",
        coordGeolocalisationLongitude=f"{point.longitude:.7f}",
        distanceEnMetre=distance,
        horairesOuvertureLundi=hours[0],
        horairesOuvertureMardi=hours[1],
        horairesOuvertureMercredi=hours[2],
        horairesOuvertureJeudi=hours[3],
        horairesOuvertureVendredi=hours[4],
        horairesOuvertureSamedi=hours[5],
        horairesOuvertureDimanche=hours[6],
        periodeActiviteHoraireDeb="01/01",
        periodeActiviteHoraireFin="31/12",
        listeConges=[
            Conge(numero=n, calendarDeDebut=_epoch_ms(start), calendarDeFin=_epoch_ms(end))
            for n, (start, end) in enumerate(closures, start=1)
        ],
        congesPartiel=bool(closures) and not any(start <= on for start, _ in closures),
        congesTotal=any(start <= on <= end for start, end in closures),
        poidsMaxi=point.max_weight_g,
        typeDePoint=point.point_type,
        reseau=network_of(point),
        accesPersonneMobiliteReduite=is_post_office(point),
        parking=False,
        loanOfHandlingTool=False,
        distributionSort="",
        lotAcheminement="",
        versionPlanTri="",
    )


def _day(point: SeedPoint, weekday: int) -> str:
    slots = [f"{o[:2]}:{o[2:]}-{c[:2]}:{c[2:]}" for o, c in point.hours.get(weekday, ())][:2]
    slots += ["00:00-00:00"] * (2 - len(slots))  # always two slots; 00:00-00:00 is "closed"
    return " ".join(slots)


def _epoch_ms(day: date) -> int:
    return int(datetime.combine(day, time(), _PARIS).timestamp() * 1000)  # local midnight, as recorded
