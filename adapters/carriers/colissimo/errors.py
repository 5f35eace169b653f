"""Colissimo Point Retrait ``errorCode`` values (reference relay-carriers §2.6) as typed directory errors."""

from __future__ import annotations

from portside.core.errors import DirectoryError

from ..directory_errors import coded_error

CARRIER = "colissimo"

# What to check when Colissimo refuses the credentials, in the words of whoever supplied them: an
# account's own settings by default; the operator's service-wide directory passes its variables' names.
SETTINGS_HINT = "check the settings account and password, or api_key"

# errorCode -> (category, meaning). Official plugins treat 203, 300 and 301 as "no point available".
ERROR_TABLE: dict[int, tuple[str, str]] = {
    101: ("auth", "missing account number"),
    102: ("auth", "missing password"),
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
    201: ("auth", "invalid account number or password"),
    202: ("auth", "request not allowed for this account"),
    203: ("no_points", "international option not available for this country"),
    300: ("no_points", "no pickup point matches the rules applied"),
    301: ("no_points", "no pickup point found"),
    1000: ("service", "Colissimo internal server error: try again later"),
}


def error_for_code(code: int | str, message: str | None, *, auth_hint: str = SETTINGS_HINT) -> DirectoryError | None:
    """None for ``errorCode`` 0; otherwise the typed error, with Colissimo's own words appended (a
    refused credential says ``auth_hint``: which settings to check)."""
    text = str(code).strip()
    if not text.isdigit():
        return coded_error(CARRIER, "other", text[:20], f"unexpected errorCode {text[:20]!r}")
    number = int(text)
    if number == 0:
        return None
    category, meaning = ERROR_TABLE.get(number, ("other", "not in Colissimo's published table"))
    said = f" (Colissimo: {' '.join(message.split())[:160]})" if message else ""
    hint = f"; {auth_hint}" if category == "auth" else ""
    return coded_error(CARRIER, category, str(number), f"errorCode {number}: {meaning}{said}{hint}")
