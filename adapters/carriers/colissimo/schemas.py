"""Colissimo Point Retrait v2 REST/JSON wire types: the two requests and the point they answer with."""

from __future__ import annotations

import msgspec

from portside.core.model.masking import masked_repr, masked_rich_repr

SEARCH_OPERATION = "findRDVPointRetraitAcheminement"
BY_ID_OPERATION = "findPointRetraitAcheminementByID"


class Credentials(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Account number and password, or an API key (``apiKey`` in REST bodies; ``apikey`` in SOAP)."""

    accountNumber: str | None = None
    password: str | None = None
    apiKey: str | None = None
    codTiersPourPartenaire: str | None = None

    # Every request inherits these: a logged request never shows the password or the key.
    __secret_fields__ = frozenset({"password", "apiKey"})
    __repr__ = __str__ = masked_repr
    __rich_repr__ = masked_rich_repr


class SearchRequest(Credentials, frozen=True, kw_only=True, omit_defaults=True):
    zipCode: str  # mandatory (errorCode 104)
    city: str  # mandatory (105)
    countryCode: str  # mandatory (117)
    shippingDate: str  # dd/mm/yyyy, mandatory (106, 122)
    filterRelay: str  # "1" all point types, "0" post offices only
    lang: str
    optionInter: str  # "0" France, "1" international points
    address: str | None = None
    weight: int | None = None  # grams, 1..99999
    requestId: str | None = None


class ByIdRequest(Credentials, frozen=True, kw_only=True, omit_defaults=True):
    id: str
    date: str  # dd/mm/yyyy: "date" here, "shippingDate" in the search
    reseau: str  # the point's network (R01, R03…): the lookup needs it
    langue: str  # "langue" here, "lang" in the search
    filterRelay: str
    weight: int | None = None


class Conge(msgspec.Struct, frozen=True, kw_only=True):
    """A closure: epoch milliseconds in REST answers, xs:dateTime in SOAP ones."""

    numero: int | None = None
    calendarDeDebut: int | str
    calendarDeFin: int | str


class WirePoint(msgspec.Struct, frozen=True, kw_only=True):
    identifiant: str | int
    nom: str | None = None
    adresse1: str | None = None
    adresse2: str | None = None
    adresse3: str | None = None
    codePostal: str | None = None
    localite: str | None = None
    codePays: str | None = None
    libellePays: str | None = None
    langue: str | None = None
    indiceDeLocalisation: str | None = None
    coordGeolocalisationLatitude: str | float | None = None
    coordGeolocalisationLongitude: str | float | None = None
    distanceEnMetre: int | str | None = None  # -1 in lookups by id
    horairesOuvertureLundi: str | None = None  # "09:00-12:00 14:00-18:00"; 00:00-00:00 = closed
    horairesOuvertureMardi: str | None = None
    horairesOuvertureMercredi: str | None = None
    horairesOuvertureJeudi: str | None = None
    horairesOuvertureVendredi: str | None = None
    horairesOuvertureSamedi: str | None = None
    horairesOuvertureDimanche: str | None = None
    periodeActiviteHoraireDeb: str | None = None  # dd/mm: the hours above hold from…
    periodeActiviteHoraireFin: str | None = None  # …to
    listeConges: list[Conge] | None = None
    congesPartiel: bool | None = None
    congesTotal: bool | None = None
    poidsMaxi: int | str | None = None  # grams
    typeDePoint: str | None = None  # A2P, BPR, CMT, BDP, PCS…
    reseau: str | None = None
    accesPersonneMobiliteReduite: bool | None = None
    parking: bool | None = None
    loanOfHandlingTool: bool | None = None
    distributionSort: str | None = None
    lotAcheminement: str | None = None
    versionPlanTri: str | None = None

    def hours(self) -> tuple[str | None, ...]:
        """The seven ``horairesOuverture*`` values, Monday first."""
        return (
            self.horairesOuvertureLundi,
            self.horairesOuvertureMardi,
            self.horairesOuvertureMercredi,
            self.horairesOuvertureJeudi,
            self.horairesOuvertureVendredi,
            self.horairesOuvertureSamedi,
            self.horairesOuvertureDimanche,
        )


class SearchResponse(msgspec.Struct, frozen=True, kw_only=True):
    errorCode: int | str
    errorMessage: str | None = None
    qualiteReponse: int | str | None = None
    wsRequestId: str | None = None
    rdv: bool | None = None
    listePointRetraitAcheminement: list[WirePoint] | None = None


class ByIdResponse(msgspec.Struct, frozen=True, kw_only=True):
    errorCode: int | str
    errorMessage: str | None = None
    pointRetraitAcheminement: WirePoint | None = None
