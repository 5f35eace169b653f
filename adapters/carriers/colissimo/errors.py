"""Colissimo Point Retrait ``errorCode`` values (reference relay-carriers §2.6) as typed directory errors."""

from __future__ import annotations

from portside.core.errors import DirectoryError

from ..directory_errors import coded_error

CARRIER = "colissimo"

_AUTH = "check PORTSIDE_COLISSIMO_ACCOUNT and PORTSIDE_COLISSIMO_PASSWORD, or PORTSIDE_COLISSIMO_API_KEY"

# errorCode -> (category, meaning). Official plugins treat 203, 300 and 301 as "no point available".
ERROR_TABLE: dict[int, tuple[str, str]] = {
    101: ("auth", f"missing account number; {_AUTH}"),
    102: ("auth", f"missing password; {_AUTH}"),
    104: ("request", "missing postcode"),
    105: ("request", "missing city"),
    106: ("request", "missing estimated shipping date"),
    107: ("request", "missing pickup point id"),
    117: ("request", "missing country code"),
    120: ("request", "weight is not an integer"),
    121: ("request", "weight is not between 1 and 99999 g"),
    122: ("request", "date is not DD/MM/YYYY"),
    123: ("request", "relay filter is not valid"),
    124: ("not_found", "invalid pickup point id"),
    125: ("request", "invalid postcode (France: 01XXX to 95XXX or 980XX)"),
    127: ("request", "invalid requestId"),
    129: ("request", "invalid address"),
    143: ("request", "postcode does not match XXXX"),
    144: ("request", "invalid postcode"),
    145: ("request", "missing postcode"),
    146: ("request", "country not served by Colissimo Europe"),
    201: ("auth", f"invalid account number or password; {_AUTH}"),
    202: ("auth", f"request not allowed for this account; {_AUTH}"),
    203: ("no_points", "international option not available for this country"),
    300: ("no_points", "no pickup point matches the rules applied"),
    301: ("no_points", "no pickup point found"),
    1000: ("service", "Colissimo internal server error: try again later"),
}


def error_for_code(code: int | str, message: str | None) -> DirectoryError | None:
    """None for ``errorCode`` 0; otherwise the typed error, with Colissimo's own words appended."""
    text = str(code).strip()
    if not text.isdigit():
        return coded_error(CARRIER, "other", text[:20], f"unexpected errorCode {text[:20]!r}")
    number = int(text)
    if number == 0:
        return None
    category, meaning = ERROR_TABLE.get(number, ("other", "not in Colissimo's published table"))
    said = f" (Colissimo: {' '.join(message.split())[:160]})" if message else ""
    return coded_error(CARRIER, category, str(number), f"errorCode {number}: {meaning}{said}")
