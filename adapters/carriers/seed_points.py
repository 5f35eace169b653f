"""Shared seed of relay points: the same Mondial Relay and Colissimo points for every sandbox.

The Cdiscount sandbox puts these ids in its pickup orders and the carrier directory sandboxes answer
for them, so an end-to-end run finds (or, for ``listed=False`` points, deliberately fails to find) the
point the buyer chose. The data is fixed and hand-written (real cities, plausible coordinates); structs
are built on first use and cached, never at import time.
"""

# ruff: noqa: E501  (the point tables read best one point a line)

from __future__ import annotations

from datetime import date
from functools import cache

import msgspec

MONDIAL_RELAY = "mondial_relay"
COLISSIMO = "colissimo"
CARRIERS = (MONDIAL_RELAY, COLISSIMO)

Hours = dict[int, tuple[tuple[str, str], ...]]


class SeedPoint(msgspec.Struct, frozen=True, kw_only=True):
    """One relay point as the carrier's directory would describe it, carrier-neutral."""

    carrier: str  # "mondial_relay" | "colissimo"
    point_id: str  # 6 digits for both carriers, leading zeros kept
    name: str
    street: str
    postal_code: str
    city: str
    country: str
    latitude: float
    longitude: float
    point_type: str  # Mondial Relay REL/LOC; Colissimo A2P/BPR/PCS/CMT/BDP
    is_locker: bool
    hours: Hours  # ISO weekday 1..7 -> slots ("0900", "1230"); a missing day is closed
    closures: tuple[tuple[date, date], ...]  # holiday periods, both days included
    max_weight_g: int
    listed: bool  # False: orders still name it but the carrier directory no longer knows it


_LUNCH = (("0900", "1230"), ("1400", "1900"))
_POST = (("0900", "1200"), ("1400", "1800"))
_ALL_DAY = (("0001", "2359"),)  # lockers: Mondial Relay publishes 0001-2359 for "always open"

# Weekly opening patterns shared by many points, keyed by a short profile name.
_PROFILES: dict[str, Hours] = {
    "shop": {d: _LUNCH for d in range(1, 7)},  # Monday-Saturday with a lunch break
    "shop_no_monday": {d: (("0930", "1230"), ("1430", "1930")) for d in range(2, 7)},
    "tabac": {**{d: (("0700", "2000"),) for d in range(1, 7)}, 7: (("0800", "1300"),)},
    "market": {**{d: (("0830", "2000"),) for d in range(1, 7)}, 7: (("0900", "1230"),)},
    "post": {**{d: _POST for d in range(1, 6)}, 6: (("0900", "1200"),)},
    "post_main": {**{d: (("0800", "1900"),) for d in range(1, 6)}, 6: (("0900", "1300"),)},
    "locker": {d: _ALL_DAY for d in range(1, 8)},
}

# Holiday periods; "now" in the brief is late 2026, so some cover current and upcoming ship dates.
_CLOSURES: dict[str, tuple[tuple[date, date], ...]] = {
    "christmas": ((date(2026, 12, 21), date(2027, 1, 3)),),
    "late_autumn": ((date(2026, 11, 16), date(2026, 12, 13)),),
    "january": ((date(2027, 1, 4), date(2027, 1, 31)),),
    "short_xmas": ((date(2026, 12, 24), date(2026, 12, 27)),),
    "summer_and_winter": ((date(2026, 8, 1), date(2026, 8, 23)), (date(2027, 2, 15), date(2027, 2, 28))),
}

_Row = tuple[str, str, str, str, str, str, float, float, str, str, str | None, bool]

# fmt: off
# id, name, street, postcode, city, country, lat, lon, type, hours profile, closure, listed
_MONDIAL_RELAY: tuple[_Row, ...] = (
    ("005680", "TABAC LE MARIGNY", "12 RUE DE LANCRY", "75010", "Paris", "FR", 48.8702, 2.3608, "REL", "tabac", None, True),
    ("012345", "LIBRAIRIE PAPETERIE DU CANAL", "45 QUAI DE VALMY", "75010", "Paris", "FR", 48.8716, 2.3644, "REL", "shop_no_monday", "christmas", True),
    ("020481", "PRESSING DES ABBESSES", "8 RUE YVONNE LE TAC", "75018", "Paris", "FR", 48.8847, 2.3385, "REL", "shop", None, True),
    ("031207", "LOCKER GARE DE LYON", "PLACE LOUIS ARMAND", "75012", "Paris", "FR", 48.8443, 2.3744, "LOC", "locker", None, True),
    ("044190", "CAFÉ DE LA GARE", "3 RUE D'ALSACE", "75010", "Paris", "FR", 48.8768, 2.3589, "REL", "tabac", None, True),
    ("052376", "ÉPICERIE DU MARCHÉ D'ALIGRE", "14 RUE D'ALIGRE", "75012", "Paris", "FR", 48.8491, 2.3783, "REL", "shop_no_monday", None, False),
    ("063318", "TÉLÉPHONIE BELLEVILLE", "102 BOULEVARD DE BELLEVILLE", "75020", "Paris", "FR", 48.8708, 2.3791, "REL", "shop", None, True),
    ("070925", "TABAC DE LA MAIRIE", "31 RUE PÉCLET", "75015", "Paris", "FR", 48.8417, 2.2994, "REL", "tabac", None, True),
    ("008412", "RELAIS PRESSE BELLECOUR", "18 RUE DE LA CHARITÉ", "69002", "Lyon", "FR", 45.7560, 4.8324, "REL", "shop", None, True),
    ("027733", "BUREAU COPY", "31 COURS ANDRÉ PHILIP", "69100", "Villeurbanne", "FR", 45.7665, 4.8795, "REL", "shop", None, True),
    ("039150", "LOCKER PART-DIEU", "17 RUE DU DOCTEUR BOUCHUT", "69003", "Lyon", "FR", 45.7607, 4.8570, "LOC", "locker", None, True),
    ("046602", "TABAC DE LA CROIX-ROUSSE", "120 BOULEVARD DE LA CROIX-ROUSSE", "69004", "Lyon", "FR", 45.7745, 4.8315, "REL", "tabac", None, True),
    ("009876", "PRESSE DU VIEUX PORT", "22 QUAI DU PORT", "13002", "Marseille", "FR", 43.2966, 5.3695, "REL", "tabac", None, True),
    ("018834", "SUPÉRETTE DE LA CANEBIÈRE", "64 LA CANEBIÈRE", "13001", "Marseille", "FR", 43.2978, 5.3797, "REL", "market", None, True),
    ("059921", "CORDONNERIE CASTELLANE", "9 RUE DE ROME", "13006", "Marseille", "FR", 43.2869, 5.3837, "REL", "shop_no_monday", None, True),
    ("011102", "LE KIOSQUE DE WAZEMMES", "2 PLACE DE LA NOUVELLE AVENTURE", "59000", "Lille", "FR", 50.6285, 3.0497, "REL", "tabac", None, True),
    ("062540", "TABAC DU VIEUX-LILLE", "48 RUE DE LA MONNAIE", "59800", "Lille", "FR", 50.6405, 3.0620, "REL", "tabac", None, True),
    ("014455", "LIBRAIRIE DES CHARTRONS", "57 RUE NOTRE-DAME", "33000", "Bordeaux", "FR", 44.8530, -0.5706, "REL", "shop_no_monday", None, True),
    ("071188", "LOCKER BORDEAUX SAINT-JEAN", "RUE CHARLES DOMERCQ", "33800", "Bordeaux", "FR", 44.8257, -0.5561, "LOC", "locker", None, True),
    ("016670", "TABAC PRESSE DES CARMES", "12 PLACE DES CARMES", "31000", "Toulouse", "FR", 43.5975, 1.4447, "REL", "tabac", None, True),
    ("074409", "ALIMENTATION SAINT-CYPRIEN", "35 RUE DE LA RÉPUBLIQUE", "31300", "Toulouse", "FR", 43.5995, 1.4316, "REL", "market", None, True),
    ("021009", "PRESSING DU COMMERCE", "4 PLACE DU COMMERCE", "44000", "Nantes", "FR", 47.2128, -1.5605, "REL", "shop", None, True),
    ("077316", "BAZAR DE L'ÎLE DE NANTES", "10 BOULEVARD DE LA PRAIRIE AU DUC", "44200", "Nantes", "FR", 47.2063, -1.5637, "REL", "shop", None, True),
    ("023580", "TABAC DE LA PETITE FRANCE", "6 RUE DU BAIN-AUX-PLANTES", "67000", "Strasbourg", "FR", 48.5808, 7.7408, "REL", "tabac", None, True),
    ("081245", "SUPÉRETTE DE L'ESPLANADE", "2 RUE DE ROME", "67000", "Strasbourg", "FR", 48.5797, 7.7687, "REL", "market", None, True),
    ("025547", "LIBRAIRIE DES LICES", "3 PLACE DES LICES", "35000", "Rennes", "FR", 48.1128, -1.6829, "REL", "shop", "short_xmas", True),
    ("083090", "TABAC DE LA GARE", "18 AVENUE JEAN JANVIER", "35000", "Rennes", "FR", 48.1052, -1.6740, "REL", "tabac", None, True),
    ("028812", "PRESSE DE LA COMÉDIE", "1 PLACE DE LA COMÉDIE", "34000", "Montpellier", "FR", 43.6086, 3.8797, "REL", "tabac", None, True),
    ("085567", "LOCKER ANTIGONE", "PLACE DU NOMBRE D'OR", "34000", "Montpellier", "FR", 43.6085, 3.8885, "LOC", "locker", None, True),
    ("030021", "TABAC DU COURS SALEYA", "7 COURS SALEYA", "06300", "Nice", "FR", 43.6956, 7.2757, "REL", "tabac", "late_autumn", True),
    ("087734", "ÉPICERIE DE LA LIBÉRATION", "22 AVENUE MALAUSSÉNA", "06000", "Nice", "FR", 43.7101, 7.2617, "REL", "market", None, True),
    ("033464", "CAFÉ DU PEUPLE", "15 PLACE DU PEUPLE", "42000", "Saint-Étienne", "FR", 45.4372, 4.3889, "REL", "tabac", None, True),
    ("035901", "RELAIS DE L'ISÈRE", "9 PLACE GRENETTE", "38000", "Grenoble", "FR", 45.1885, 5.7245, "REL", "shop", None, True),
    ("037118", "TABAC PRESSE DE L'ÉGLISE", "2 PLACE DE L'ÉGLISE", "24200", "Sarlat-la-Canéda", "FR", 44.8890, 1.2165, "REL", "shop", "january", True),
    ("040256", "SUPÉRETTE DU CENTRE", "11 GRANDE RUE", "21140", "Semur-en-Auxois", "FR", 47.4914, 4.3336, "REL", "market", None, True),
    ("042780", "BAR TABAC LE CENTRAL", "1 PLACE DE LA RÉPUBLIQUE", "22100", "Dinan", "FR", 48.4556, -2.0503, "REL", "tabac", None, True),
    ("047393", "FLEURISTE DES HALLES", "5 RUE DES HALLES", "84200", "Carpentras", "FR", 44.0556, 5.0481, "REL", "shop_no_monday", "summer_and_winter", True),
    ("049951", "QUINCAILLERIE DU MOULIN", "24 RUE DU MOULIN", "49400", "Saumur", "FR", 47.2600, -0.0769, "REL", "shop", None, False),
    ("003150", "TABAC DU PORT", "17 QUAI DUPERRÉ", "17000", "La Rochelle", "FR", 46.1569, -1.1517, "REL", "tabac", None, True),
    ("000412", "PRESSE DES HALLES", "3 PLACE GASTON PAILHOU", "37000", "Tours", "FR", 47.3900, 0.6826, "REL", "shop", None, False),
    ("050612", "LIBRAIRIE DU SABLON", "RUE HAUTE 42", "1000", "Bruxelles", "BE", 50.8399, 4.3497, "REL", "shop", None, True),
    ("053205", "NIGHT SHOP SAINT-LAMBERT", "PLACE SAINT-LAMBERT 8", "4000", "Liège", "BE", 50.6455, 5.5736, "REL", "market", None, True),
)

_COLISSIMO: tuple[_Row, ...] = (
    ("612345", "BUREAU DE POSTE PARIS LOUVRE", "52 RUE DU LOUVRE", "75001", "Paris", "FR", 48.8640, 2.3434, "BPR", "post_main", None, True),
    ("060567", "BUREAU DE POSTE VILLEURBANNE BELLECOMBE RP", "13 RUE DE LA PAIX", "69100", "Villeurbanne", "FR", 45.7696, 4.8631, "BPR", "post", None, True),
    ("613870", "TABAC PRESSE L'ESCALE", "88 RUE DE LA ROQUETTE", "75011", "Paris", "FR", 48.8571, 2.3780, "A2P", "tabac", None, True),
    ("614402", "CONSIGNE PICKUP STATION MONTPARNASSE", "17 BOULEVARD DE VAUGIRARD", "75015", "Paris", "FR", 48.8421, 2.3202, "PCS", "locker", None, True),
    ("615219", "BUREAU DE POSTE PARIS BATIGNOLLES", "123 RUE DES DAMES", "75017", "Paris", "FR", 48.8848, 2.3197, "BPR", "post", None, True),
    ("616034", "PAPETERIE DES GOBELINS", "33 AVENUE DES GOBELINS", "75013", "Paris", "FR", 48.8359, 2.3525, "A2P", "shop", None, False),
    ("617751", "BUREAU DE POSTE PARIS MÉNILMONTANT", "111 RUE DE MÉNILMONTANT", "75020", "Paris", "FR", 48.8700, 2.3930, "BPR", "post", "christmas", True),
    ("618266", "CAVE DE MONTMARTRE", "21 RUE LEPIC", "75018", "Paris", "FR", 48.8867, 2.3343, "A2P", "shop_no_monday", None, True),
    ("620118", "BUREAU DE POSTE LYON TERREAUX", "3 RUE DU PRÉSIDENT ÉDOUARD HERRIOT", "69001", "Lyon", "FR", 45.7669, 4.8343, "BPR", "post_main", None, True),
    ("621502", "TABAC DES BROTTEAUX", "54 BOULEVARD DES BROTTEAUX", "69006", "Lyon", "FR", 45.7685, 4.8599, "A2P", "tabac", None, True),
    ("622947", "CONSIGNE PICKUP STATION PERRACHE", "14 COURS DE VERDUN PERRACHE", "69002", "Lyon", "FR", 45.7487, 4.8262, "PCS", "locker", None, True),
    ("130204", "BUREAU DE POSTE MARSEILLE COLBERT", "1 RUE HENRI BARBUSSE", "13001", "Marseille", "FR", 43.2991, 5.3765, "BPR", "post_main", None, True),
    ("131658", "PRESSE DU PRADO", "210 AVENUE DU PRADO", "13008", "Marseille", "FR", 43.2712, 5.3899, "A2P", "tabac", None, False),
    ("590411", "BUREAU DE POSTE LILLE RIHOUR", "8 PLACE RIHOUR", "59000", "Lille", "FR", 50.6360, 3.0617, "BPR", "post_main", None, True),
    ("591877", "ÉPICERIE FINE DE LA TREILLE", "12 RUE DE LA MONNAIE", "59800", "Lille", "FR", 50.6398, 3.0621, "A2P", "shop_no_monday", None, True),
    ("330519", "BUREAU DE POSTE BORDEAUX SAINT-PROJET", "29 RUE DU CHÂTEAU D'EAU", "33000", "Bordeaux", "FR", 44.8390, -0.5790, "BPR", "post", None, True),
    ("331140", "TABAC DE LA VICTOIRE", "2 PLACE DE LA VICTOIRE", "33000", "Bordeaux", "FR", 44.8306, -0.5726, "A2P", "tabac", None, True),
    ("310872", "BUREAU DE POSTE TOULOUSE CAPITOLE", "9 RUE LAFAYETTE", "31000", "Toulouse", "FR", 43.6050, 1.4453, "BPR", "post_main", None, True),
    ("311395", "PRESSE DES MINIMES", "85 BOULEVARD PIERRE ET MARIE CURIE", "31200", "Toulouse", "FR", 43.6209, 1.4346, "A2P", "tabac", None, True),
    ("440236", "BUREAU DE POSTE NANTES BRETAGNE", "2 PLACE DE BRETAGNE", "44000", "Nantes", "FR", 47.2184, -1.5574, "BPR", "post_main", None, True),
    ("441709", "CONSIGNE PICKUP STATION NANTES GARE", "27 BOULEVARD DE STALINGRAD", "44000", "Nantes", "FR", 47.2174, -1.5420, "PCS", "locker", None, True),
    ("670158", "BUREAU DE POSTE STRASBOURG CATHÉDRALE", "5 AVENUE DE LA MARSEILLAISE", "67000", "Strasbourg", "FR", 48.5847, 7.7553, "BPR", "post", None, True),
    ("671624", "TABAC DE LA KRUTENAU", "14 RUE DE ZURICH", "67000", "Strasbourg", "FR", 48.5794, 7.7583, "A2P", "tabac", None, True),
    ("350917", "BUREAU DE POSTE RENNES RÉPUBLIQUE", "27 BOULEVARD DU COLOMBIER", "35000", "Rennes", "FR", 48.1067, -1.6801, "BPR", "post", None, True),
    ("351382", "PRESSE DE SAINTE-ANNE", "4 PLACE SAINTE-ANNE", "35000", "Rennes", "FR", 48.1149, -1.6799, "A2P", "shop", "short_xmas", True),
    ("340663", "BUREAU DE POSTE MONTPELLIER PRÉFECTURE", "5 RUE DE LA LOGE", "34000", "Montpellier", "FR", 43.6117, 3.8767, "BPR", "post", None, True),
    ("341290", "TABAC DE L'ÉCUSSON", "11 RUE DE L'ANCIEN COURRIER", "34000", "Montpellier", "FR", 43.6096, 3.8759, "A2P", "tabac", None, True),
    ("060844", "BUREAU DE POSTE NICE THIERS", "23 AVENUE THIERS", "06000", "Nice", "FR", 43.7045, 7.2620, "BPR", "post_main", None, True),
    ("061377", "PRESSE DU PORT LYMPIA", "6 QUAI PAPACINO", "06300", "Nice", "FR", 43.6963, 7.2846, "A2P", "tabac", "late_autumn", True),
    ("420519", "BUREAU DE POSTE SAINT-ÉTIENNE HÔTEL DE VILLE", "8 RUE DE LA RÉSISTANCE", "42000", "Saint-Étienne", "FR", 45.4367, 4.3946, "BPR", "post", None, True),
    ("240188", "BUREAU DE POSTE SARLAT-LA-CANÉDA", "PLACE DU 14 JUILLET", "24200", "Sarlat-la-Canéda", "FR", 44.8877, 1.2157, "BPR", "post", None, True),
    ("711043", "CAFÉ DE LA GARE", "1 AVENUE JEAN JAURÈS", "71100", "Chalon-sur-Saône", "FR", 46.7817, 4.8436, "A2P", "tabac", None, True),
    ("290774", "TABAC PRESSE DU PORT", "3 QUAI CARNOT", "29900", "Concarneau", "FR", 47.8728, -3.9189, "A2P", "shop", "january", True),
    ("151230", "BUREAU DE POSTE AURILLAC", "2 RUE SALVADOR ALLENDE", "15000", "Aurillac", "FR", 44.9262, 2.4439, "BPR", "post", None, True),
    ("880915", "ÉPICERIE DU LAC", "12 RUE CHARLES DE GAULLE", "88400", "Gérardmer", "FR", 48.0726, 6.8770, "A2P", "market", None, False),
    ("640422", "BUREAU DE POSTE BAYONNE", "11 RUE JULES LABAT", "64100", "Bayonne", "FR", 43.4929, -1.4748, "BPR", "post", None, True),
    ("761903", "PRESSE DU VIEUX-MARCHÉ", "8 PLACE DU VIEUX-MARCHÉ", "76000", "Rouen", "FR", 49.4430, 1.0880, "A2P", "shop", "summer_and_winter", True),
    ("050377", "BUREAU DE POSTE ANNECY", "4 RUE DES GLIÈRES", "74000", "Annecy", "FR", 45.9010, 6.1265, "BPR", "post", None, True),
    ("702451", "LIBRAIRIE DE WOLUWE", "AVENUE GEORGES HENRI 312", "1200", "Bruxelles", "BE", 50.8454, 4.4282, "CMT", "shop", None, True),
    ("703119", "BPOST LIÈGE CENTRE", "RUE DE LA RÉGENCE 61", "4000", "Liège", "BE", 50.6412, 5.5718, "BDP", "post", None, True),
)
# fmt: on

_LOCKER_TYPES = frozenset({"LOC", "PCS"})
# Max parcel weight by carrier and point type: Mondial Relay shops 30 kg, lockers 20 kg; Colissimo
# relay shops and lockers 20 kg, post offices 30 kg (reference relay-carriers §2.4 poidsMaxi).
_MAX_WEIGHT_G = {"REL": 30000, "LOC": 20000, "A2P": 20000, "PCS": 20000, "CMT": 20000, "BPR": 30000, "BDP": 30000}


def _build(carrier: str, row: _Row) -> SeedPoint:
    point_id, name, street, postal_code, city, country, lat, lon, kind, profile, closure, listed = row
    return SeedPoint(
        carrier=carrier,
        point_id=point_id,
        name=name,
        street=street,
        postal_code=postal_code,
        city=city,
        country=country,
        latitude=lat,
        longitude=lon,
        point_type=kind,
        is_locker=kind in _LOCKER_TYPES,
        hours=dict(_PROFILES[profile]),
        closures=_CLOSURES[closure] if closure else (),
        max_weight_g=_MAX_WEIGHT_G[kind],
        listed=listed,
    )


@cache
def _all_points() -> tuple[SeedPoint, ...]:
    rows = [(MONDIAL_RELAY, row) for row in _MONDIAL_RELAY] + [(COLISSIMO, row) for row in _COLISSIMO]
    return tuple(_build(carrier, row) for carrier, row in rows)


@cache
def _index() -> dict[tuple[str, str], SeedPoint]:
    return {(p.carrier, p.point_id): p for p in _all_points()}


def seed_points(carrier: str | None = None) -> list[SeedPoint]:
    """Every seed point, or one carrier's, in a stable order (a new list each call: callers may sort it)."""
    if carrier is not None and carrier not in CARRIERS:
        raise ValueError(f"unknown carrier {carrier!r}; expected one of {', '.join(CARRIERS)}")
    return [p for p in _all_points() if carrier is None or p.carrier == carrier]


def point_by_id(carrier: str, point_id: str) -> SeedPoint | None:
    """The seed point with this exact id; short Mondial Relay ids ("5680") are zero-padded first."""
    key = point_id.strip()
    if key.isdigit() and len(key) < 6:
        key = key.zfill(6)  # marketplaces drop leading zeros; both carriers use 6-digit ids
    return _index().get((carrier, key))
