"""``WSI4_PointRelais_Recherche`` on the wire: the request in WSDL order and the answer's point fields."""

from __future__ import annotations

from collections.abc import Iterator
from xml.sax.saxutils import escape

import msgspec

NAMESPACE = "http://www.mondialrelay.fr/webservice/"
SOAP_NAMESPACE = "http://schemas.xmlsoap.org/soap/envelope/"
OPERATION = "WSI4_PointRelais_Recherche"
SOAP_ACTION = f'"{NAMESPACE}{OPERATION}"'
WEEKDAYS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")  # ISO 1..7


class SearchRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Request parameters, declared in WSDL order: the ``Security`` hash depends on that order."""

    Enseigne: str
    Pays: str
    NumPointRelais: str | None = None
    Ville: str | None = None
    CP: str | None = None
    Latitude: str | None = None
    Longitude: str | None = None
    Taille: str | None = None
    Poids: str | None = None
    Action: str | None = None
    DelaiEnvoi: str | None = None
    RayonRecherche: str | None = None
    TypeActivite: str | None = None
    NACE: str | None = None
    NombreResultats: str | None = None  # xs:int on the wire

    def params(self) -> Iterator[tuple[str, str | None]]:
        """``(name, value)`` pairs in WSDL order, Security excluded."""
        for name in self.__struct_fields__:
            yield name, getattr(self, name)


PARAM_ORDER: tuple[str, ...] = SearchRequest.__struct_fields__


def envelope(request: SearchRequest, security: str) -> bytes:
    """The SOAP 1.1 request body: non-empty parameters in WSDL order, then Security."""
    fields = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in request.params() if value)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_NAMESPACE}"><soap:Body>'
        f'<{OPERATION} xmlns="{NAMESPACE}">{fields}<Security>{escape(security)}</Security></{OPERATION}>'
        "</soap:Body></soap:Envelope>"
    ).encode()


class Period(msgspec.Struct, frozen=True, kw_only=True):
    """One ``Informations_Dispo/Periode``: the point is shut from ``Debut`` to ``Fin`` (xs:dateTime)."""

    Debut: str
    Fin: str


class WirePoint(msgspec.Struct, frozen=True, kw_only=True):
    """One ``PointRelais_Details`` as sent: strings untouched (padded, comma decimals)."""

    Num: str
    LgAdr1: str = ""
    LgAdr2: str = ""
    LgAdr3: str = ""
    LgAdr4: str = ""
    CP: str = ""
    Ville: str = ""
    Pays: str = ""
    Localisation1: str = ""
    Localisation2: str = ""
    Latitude: str = ""
    Longitude: str = ""
    TypeActivite: str = ""
    Information: str = ""
    # ISO weekday -> the four HHMM strings open1, close1, open2, close2 ("0000" = no slot).
    hours: dict[int, tuple[str, ...]] = msgspec.field(default_factory=dict)
    closures: tuple[Period, ...] = ()
    URL_Photo: str = ""
    URL_Plan: str = ""
    Distance: str = ""


TEXT_FIELDS: tuple[str, ...] = tuple(
    name for name in WirePoint.__struct_fields__ if name not in ("hours", "closures", "Num")
)
