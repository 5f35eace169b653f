"""Read a ``WSI4_PointRelais_Recherche`` SOAP answer safely: no DTD, no entities, no network."""

from __future__ import annotations

from typing import Any

import msgspec
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..directory_errors import CarrierBadResponse, CarrierServiceError
from .errors import CARRIER
from .schemas import NAMESPACE, OPERATION, SOAP_NAMESPACE, TEXT_FIELDS, WEEKDAYS, Period, WirePoint

SOAP12_NAMESPACE = "http://www.w3.org/2003/05/soap-envelope"
_MR = f"{{{NAMESPACE}}}"


class SearchAnswer(msgspec.Struct, frozen=True, kw_only=True):
    stat: str
    points: tuple[WirePoint, ...]


def parse_search_answer(body: bytes) -> SearchAnswer:
    """The ``STAT`` and points of an answer; anything else raises a ``DirectoryError`` naming Mondial Relay."""
    root = _parse_xml(body)
    soap = root.tag[1 : root.tag.index("}")] if root.tag.startswith("{") else ""
    if soap not in (SOAP_NAMESPACE, SOAP12_NAMESPACE) or root.tag != f"{{{soap}}}Envelope":
        raise CarrierBadResponse(CARRIER, f"expected a SOAP envelope, got <{_short(root.tag)}>")
    soap_body = root.find(f"{{{soap}}}Body")
    if soap_body is None:
        raise CarrierBadResponse(CARRIER, "SOAP envelope without a Body")
    fault = soap_body.find(f"{{{soap}}}Fault")
    if fault is not None:
        raise _fault_error(fault)
    result = soap_body.find(f"{_MR}{OPERATION}Response/{_MR}{OPERATION}Result")
    if result is None:
        raise CarrierBadResponse(CARRIER, f"no {OPERATION}Result in the SOAP body")
    stat = _text(result, "STAT").strip()
    if not stat:
        raise CarrierBadResponse(CARRIER, "answer without STAT")
    points = tuple(_point(el) for el in result.iterfind(f"{_MR}PointsRelais/{_MR}PointRelais_Details"))
    return SearchAnswer(stat=stat, points=points)


def _parse_xml(body: bytes) -> Any:
    try:
        # forbid_dtd: Mondial Relay never sends a DTD, so one is refused before any entity is read.
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise CarrierBadResponse(CARRIER, f"XML refused ({type(exc).__name__})", retryable=False) from None
    except Exception as exc:  # expat raises ParseError, but odd encodings can raise others: none may escape
        raise CarrierBadResponse(CARRIER, f"not well-formed XML ({type(exc).__name__})") from None


def _point(el: Any) -> WirePoint:
    num = _text(el, "Num").strip()
    if not num:
        raise CarrierBadResponse(CARRIER, "PointRelais_Details without Num")
    hours: dict[int, tuple[str, ...]] = {}
    for weekday, day in enumerate(WEEKDAYS, start=1):
        day_el = el.find(f"{_MR}Horaires_{day}")
        if day_el is not None:
            hours[weekday] = tuple((s.text or "").strip() for s in day_el.iterfind(f"{_MR}string"))
    closures = tuple(
        Period(Debut=_text(p, "Debut"), Fin=_text(p, "Fin"))
        for p in el.iterfind(f"{_MR}Informations_Dispo/{_MR}Periode")
    )
    fields = {name: _text(el, name) for name in TEXT_FIELDS}
    return WirePoint(Num=num, hours=hours, closures=closures, **fields)


def _text(el: Any, name: str) -> str:
    child = el.find(f"{_MR}{name}")
    if child is None or child.text is None:
        return ""
    return str(child.text)


def _fault_error(fault: Any) -> CarrierBadResponse | CarrierServiceError:
    code = " ".join(fault.findtext("faultcode", "").split())[:60]
    text = " ".join(fault.findtext("faultstring", "").split())[:200]
    if code.endswith(("Server", "Receiver")):
        return CarrierServiceError(CARRIER, f"SOAP fault {code}: {text}", code="soap_fault")
    return CarrierBadResponse(CARRIER, f"SOAP fault {code}: {text}", retryable=False)


def _short(tag: str) -> str:
    return tag.rsplit("}", 1)[-1][:60]
