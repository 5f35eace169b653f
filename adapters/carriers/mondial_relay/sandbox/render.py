"""The simulated service's SOAP answers, shaped like the recorded ones (padded text, comma decimals)."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from ...seed_points import SeedPoint
from ..schemas import NAMESPACE, OPERATION, SOAP_NAMESPACE, WEEKDAYS
from ..security import clean, permalink_crc
from .service import SandboxAnswer

_PHOTO = "https://ww2.mondialrelay.com/public/permanent/photo_relais.aspx"
_PLAN = "https://ww2.mondialrelay.com/public/permanent/plan_relais.aspx"


def soap(inner: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<soap:Body>{inner}</soap:Body></soap:Envelope>"
    ).encode()


def search_response(result: SandboxAnswer, *, brand: str, private_key: str) -> bytes:
    points = "".join(_point(p, distance, brand, private_key) for p, distance in result.points)
    listing = f"<PointsRelais>{points}</PointsRelais>" if result.points else ""
    return soap(
        f'<{OPERATION}Response xmlns="{NAMESPACE}"><{OPERATION}Result>'
        f"<STAT>{result.stat}</STAT>{listing}</{OPERATION}Result></{OPERATION}Response>"
    )


def fault(code: str, text: str) -> bytes:
    return soap(f"<soap:Fault><faultcode>soap:{code}</faultcode><faultstring>{escape(text)}</faultstring></soap:Fault>")


def _point(p: SeedPoint, distance: int | None, brand: str, private_key: str) -> str:
    # The real service right-pads names and cities with spaces and strips accents.
    text = {
        "Num": p.point_id,
        "LgAdr1": clean(p.name)[:32].ljust(32),
        "LgAdr2": "",
        "LgAdr3": clean(p.street)[:32].ljust(32),
        "LgAdr4": "",
        "CP": p.postal_code,
        "Ville": clean(p.city)[:26].ljust(26),
        "Pays": p.country,
        "Localisation1": "",
        "Localisation2": "",
        "Latitude": _decimal_comma(p.latitude),
        "Longitude": _decimal_comma(p.longitude),
        "TypeActivite": "000",
        "Information": "LOCKER" if p.is_locker else "",
    }
    crc = permalink_crc(brand, p.point_id, p.country, private_key=private_key)
    query = f"ens={brand}&num={p.point_id}&pays={p.country}&crc={crc}"
    tail = {"URL_Photo": f"{_PHOTO}?{query}", "URL_Plan": f"{_PLAN}?{query}", "Distance": _or_empty(distance)}
    return (
        "<PointRelais_Details><STAT/>"
        + _elements(text)
        + "".join(_day(weekday, name, p) for weekday, name in enumerate(WEEKDAYS, start=1))
        + f"<Informations_Dispo>{''.join(_period(start, end) for start, end in p.closures)}</Informations_Dispo>"
        + _elements(tail)
        + "</PointRelais_Details>"
    )


def _elements(values: dict[str, str]) -> str:
    return "".join(f"<{name}>{escape(value)}</{name}>" if value else f"<{name}/>" for name, value in values.items())


def _day(weekday: int, name: str, p: SeedPoint) -> str:
    slots = [value for slot in p.hours.get(weekday, ()) for value in slot][:4]
    slots += ["0000"] * (4 - len(slots))  # always four values; 0000 pairs are unused slots
    return f"<Horaires_{name}>{''.join(f'<string>{s}</string>' for s in slots)}</Horaires_{name}>"


def _period(start: date, end: date) -> str:
    return f"<Periode><Debut>{start.isoformat()}T00:00:00</Debut><Fin>{end.isoformat()}T00:00:00</Fin></Periode>"


def _decimal_comma(value: float) -> str:
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):010.7f}".replace(".", ",")  # 04,8630410 as recorded


def _or_empty(distance: int | None) -> str:
    return "" if distance is None else str(distance)


def malformed_body() -> bytes:
    """An answer cut off mid-element, as a dropped connection or a broken proxy leaves it."""
    return soap(f'<{OPERATION}Response xmlns="{NAMESPACE}"><{OPERATION}Result><STAT>0</STAT><PointsRelais>')[:-40]


def entity_bomb() -> bytes:
    """The "billion laughs": nested entities that would expand to gigabytes if a parser allowed it."""
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]>'
        f'<soap:Envelope xmlns:soap="{SOAP_NAMESPACE}"><soap:Body><STAT>&lol9;</STAT></soap:Body></soap:Envelope>'
    ).encode()
